@testable import Cost
import XCTest

/// P = 12000 over 3 years (36 months), residual 1200 throughout.
final class AmortizationTests: XCTestCase {
    /// (12000 − 1200) / 36 = 300 a month; book after month m = 12000 − 300 m.
    /// Hourly at u = 1: 10800 / (36 × 730) = 10800 / 26280 = 0.410959 — the paper's
    /// depreciation term for the same inputs; at u = 0.5: 0.821918.
    func testStraightLine() throws {
        let plan = try Amortization(price: 12_000, years: 3, residual: .amount(1200))
        XCTAssertEqual(plan.schedule.count, 36)
        for entry in plan.schedule {
            XCTAssertEqual(entry.depreciation, 300, accuracy: tolerance)
            XCTAssertEqual(entry.bookValue, 12_000 - 300 * Double(entry.month), accuracy: tolerance)
            XCTAssertEqual(entry.interest, 0)
        }
        XCTAssertEqual(plan.schedule[0].bookValue, 11_700, accuracy: tolerance)
        XCTAssertEqual(plan.schedule[11].bookValue, 8_400, accuracy: tolerance)
        XCTAssertEqual(plan.schedule[35].bookValue, 1_200, accuracy: tolerance)
        XCTAssertEqual(try plan.hourlyCost(), 0.410959, accuracy: tolerance)
        XCTAssertEqual(try plan.hourlyCost(atUtilization: 0.5), 0.821918, accuracy: tolerance)
        let paper = try GPUCost(price: 12_000, years: 3, powerKW: 0, electricity: 0, maintenanceRate: 0,
                                residual: .amount(1200))
        XCTAssertEqual(try plan.hourlyCost(), paper.depreciation, accuracy: 1e-12)
    }

    /// A GPU's hourly cost with its depreciation term taken from a schedule. The A800
    /// baseline (P 15000, Y 3, u 1; running 0.0520 + 0.1712 = 0.2232): straight line gives
    /// $0.794 back; a custom schedule writing off only $9000 in 36 months gives
    /// 9000 / 26280 + 0.2232 = 0.342466 + 0.223242 = 0.565708.
    func testGPUHourlyWithACapitalSchedule() throws {
        let a800 = try GPUPreset.named("A800").cost()
        let straight = try Amortization(price: 15_000, years: 3)
        XCTAssertEqual(try a800.hourly(capital: straight), a800.hourly, accuracy: 1e-12)
        let custom = try Amortization(price: 15_000, method: .custom(schedule: Array(repeating: 250, count: 36)))
        XCTAssertEqual(try a800.hourly(capital: custom), 9000.0 / 26280 + a800.runningHourly, accuracy: 1e-12)
        XCTAssertEqual(a800.runningHourly, 0.052 + 0.17123287671, accuracy: 1e-9)
    }

    /// Double declining: annual rate 2/3, monthly 1/18 of the book value.
    /// Month 1: 12000 / 18 = 666.667, book 11333.333. Month 2: 11333.333 / 18 = 629.630, book 10703.704.
    /// Book before month m (while declining) = 12000 × (17/18)^(m−1). Switch test, SL = (book − 1200)/months left:
    /// - month 26: book 12000 × (17/18)^25 = 2874.70; DB 159.705 > SL (2874.70 − 1200)/11 = 152.245 → DB
    /// - month 27: book 12000 × (17/18)^26 = 2714.989; DB 150.833 < SL (2714.989 − 1200)/10 = 151.499 → SL
    /// Months 27–36: 151.499 each; book ends at 1200; total 10800.
    func testDecliningBalanceSwitchesToStraightLine() throws {
        let plan = try Amortization(price: 12_000, years: 3, method: .decliningBalance(annualRate: 2.0 / 3),
                                    residual: .amount(1200))
        let s = plan.schedule
        XCTAssertEqual(s[0].depreciation, 666.666667, accuracy: tolerance)
        XCTAssertEqual(s[0].bookValue, 11_333.333333, accuracy: tolerance)
        XCTAssertEqual(s[1].depreciation, 629.629630, accuracy: tolerance)
        XCTAssertEqual(s[1].bookValue, 10_703.703704, accuracy: tolerance)
        XCTAssertEqual(s[25].depreciation, 159.705233, accuracy: tolerance)
        XCTAssertEqual(s[25].bookValue, 2714.988968, accuracy: tolerance)
        for month in 27...36 {
            XCTAssertEqual(s[month - 1].depreciation, 151.498897, accuracy: tolerance, "month \(month)")
        }
        XCTAssertEqual(s[35].bookValue, 1200, accuracy: tolerance)
        XCTAssertEqual(plan.totalDepreciation, 10_800, accuracy: tolerance)
        // Front-loaded: month 1 costs 666.667 / 730 = 0.913242 per hour.
        XCTAssertEqual(try plan.hourlyCost(month: 1), 0.913242, accuracy: tolerance)
    }

    /// Annuity on 12000 at 12 %/yr (r = 1 %/month), 36 months:
    /// 1.01^36 = 1.430769; payment = 12000 × 0.01 / (1 − 1/1.430769) = 120 / 0.301075 = 398.571718.
    /// Month 1: interest 12000 × 0.01 = 120, principal 278.571718, balance 11721.428282.
    /// Month 2: interest 117.214283. Total interest = 36 × 398.571718 − 12000 = 2348.581839.
    /// Hourly (straight line + interest) = (10800 + 2348.581839) / 26280 = 0.500327.
    func testFinancedStraightLine() throws {
        let plan = try Amortization(price: 12_000, years: 3, residual: .amount(1200),
                                    financing: Financing(annualRate: 0.12))
        XCTAssertEqual(plan.payment, 398.571718, accuracy: tolerance)
        XCTAssertEqual(Financing.payment(principal: 12_000, monthlyRate: 0.01, months: 36), 398.571718,
                       accuracy: tolerance)
        XCTAssertEqual(plan.schedule[0].interest, 120, accuracy: tolerance)
        XCTAssertEqual(plan.schedule[0].principal, 278.571718, accuracy: tolerance)
        XCTAssertEqual(plan.schedule[0].loanBalance, 11_721.428282, accuracy: tolerance)
        XCTAssertEqual(plan.schedule[1].interest, 117.214283, accuracy: tolerance)
        XCTAssertEqual(plan.schedule[35].loanBalance, 0, accuracy: tolerance)
        XCTAssertEqual(plan.totalInterest, 2348.581839, accuracy: tolerance)
        XCTAssertEqual(try plan.hourlyCost(), 0.500327, accuracy: tolerance)
    }

    /// At 0 % the payment is 12000 / 36 = 333.333 and there is no interest.
    /// A 24-month loan on a 12-month write-off of 1200 runs past it: payment 1200 / 24 = 50,
    /// months 13–24 carry no depreciation; hourly = 1200 / (12 × 730) = 0.136986.
    func testZeroRateAndLoanLongerThanWriteOff() throws {
        let free = try Amortization(price: 12_000, years: 3, financing: Financing(annualRate: 0))
        XCTAssertEqual(free.payment, 333.333333, accuracy: tolerance)
        XCTAssertEqual(free.totalInterest, 0)
        let long = try Amortization(price: 1200, years: 1, financing: Financing(annualRate: 0, months: 24))
        XCTAssertEqual(long.schedule.count, 24)
        XCTAssertEqual(long.payment, 50, accuracy: tolerance)
        XCTAssertEqual(long.schedule[12].depreciation, 0)
        XCTAssertEqual(long.schedule[23].bookValue, 0, accuracy: tolerance)
        XCTAssertEqual(try long.hourlyCost(), 0.136986, accuracy: tolerance)
    }

    /// Custom [100, 200, 300] on 1000: book 900, 700, 400; hourly = 600 / (3 × 730) = 0.273973.
    func testCustomSchedule() throws {
        let plan = try Amortization(price: 1000, method: .custom(schedule: [100, 200, 300]))
        XCTAssertEqual(plan.months, 3)
        XCTAssertEqual(plan.schedule.map(\.bookValue), [900, 700, 400])
        XCTAssertEqual(try plan.hourlyCost(), 0.273973, accuracy: tolerance)
        XCTAssertEqual(try Amortization(price: 1000, years: 0.25, method: .custom(schedule: [100, 200, 300])).months, 3)
        assertCostError(try Amortization(price: 1000, years: 1, method: .custom(schedule: [100, 200, 300])),
                        "years must be the custom schedule's 3 months / 12, got 1")
        assertCostError(try Amortization(price: 1000, method: .custom(schedule: [600, 600])),
                        "custom schedule total must be ≤ price − residual (1000), got 1200")
        assertCostError(try Amortization(price: 1000, method: .custom(schedule: [100, -1])),
                        "custom schedule[2] must be ≥ 0, got -1")
    }

    func testRejectsBadTerms() {
        assertCostError(try Amortization(price: 1000),
                        "years is required: the write-off term of straight-line and declining-balance schedules")
        assertCostError(try Amortization(price: 1000, years: 2.51),
                        "years must be a whole number of months (years × 12), got 2.51")
        assertCostError(try Amortization(price: 1000, years: 0), "years must be > 0, got 0")
        assertCostError(try Amortization(price: 1000, years: 1, method: .decliningBalance(annualRate: 0)),
                        "declining-balance rate must be > 0, got 0")
        assertCostError(try Amortization(price: 1000, years: 1, financing: Financing(annualRate: 0.1, amount: 2000)),
                        "financed amount must be ≤ price (1000), got 2000")
        assertCostError(try Financing(annualRate: -0.1), "financing rate must be ≥ 0, got -0.1")
        assertCostError(try Amortization(price: 1000, years: 1).hourlyCost(month: 13),
                        "month must be in 1...12, got 13")
    }
}
