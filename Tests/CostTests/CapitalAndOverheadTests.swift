@testable import Cost
import XCTest

/// Issue 15: break-even with the CapEx schedule and interest, one-off costs amortized,
/// energy measured or estimated. Every figure is worked by hand in the comments.
final class CapitalAndOverheadTests: XCTestCase {
    /// $20,000 GPU written off over 3 years by sum-of-years digits (years weighted 3:2:1,
    /// each year's share spread evenly over its months): 10,000 / 12 = 833.333 a month in
    /// year 1, 6,666.67 / 12 = 555.556 in year 2, 3,333.33 / 12 = 277.778 in year 3; Σ = 20,000.
    /// Financed in full at 8 % a year over 36 months: r = 0.08 / 12 = 0.0066667, payment
    /// = 20,000 r / (1 − (1 + r)^−36) = 626.7273, total interest 36 × 626.7273 − 20,000 = 2,562.18.
    /// Capital per calendar hour = (20,000 + 2,562.18) / (36 × 730) = 0.858531.
    /// Running: power 0.7 kW × 1.2 × $0.12 = 0.1008; maintenance 20,000 × 0.08 / 8760 = 0.182648;
    /// together 0.283448. Calendar hourly = 1.141979 (straight line, no interest: 20,000 /
    /// 26,280 + 0.283448 = 1.044483). Eight GPUs a month: 1.141979 × 730 × 8 = 6,669.16
    /// (not 6,099.78). Cloud at $2.50 per GPU-hour for 2,000 tokens/s: 20 / 7.2e6 =
    /// 2.777778e-6 $/token; crossover 6,669.16 / 2.777778e-6 = 2.400897e9 tokens a month
    /// (2.195922e9 without CapEx: 8.5 % too low).
    static func sumOfYearsDigits() throws -> (GPUCost, Amortization) {
        let yearly = [20_000.0 * 3 / 6, 20_000.0 * 2 / 6, 20_000.0 * 1 / 6]
        let capital = try Amortization(price: 20_000, method: .custom(schedule: yearly.flatMap { Array(repeating: $0 / 12, count: 12) }),
                                       financing: Financing(annualRate: 0.08))
        let gpu = try GPUCost(price: 20_000, years: 3, powerKW: 0.7, pue: 1.2, electricity: 0.12, maintenanceRate: 0.08)
        return (gpu, capital)
    }

    func testCalendarHourlyAndBreakEvenIncludeTheCapExScheduleAndInterest() throws {
        let (gpu, capital) = try Self.sumOfYearsDigits()
        XCTAssertEqual(capital.payment, 626.7273, accuracy: 1e-4)
        XCTAssertEqual(capital.totalInterest, 2562.1831, accuracy: 1e-3)
        XCTAssertEqual(gpu.calendarHourly, 1.044483, accuracy: 1e-6)
        XCTAssertEqual(try gpu.calendarHourly(capital: capital), 1.141979, accuracy: 1e-6)
        let be = try BreakEven.compare(gpu: gpu, cloud: CloudPrice(hourly: 2.5), api: APIPrice(inputPerMillion: 1, outputPerMillion: 3),
                                       gpus: 8, tokensPerSecond: 2000, inputShare: 0.5, capitalHourly: try capital.hourlyCost())
        XCTAssertEqual(be.selfHostedMonthly, 6669.16, accuracy: 0.01)
        XCTAssertEqual(be.selfHostedVsCloud ?? 0, 2.400897e9, accuracy: 1e3)
        let straight = try BreakEven.compare(gpu: gpu, cloud: CloudPrice(hourly: 2.5), api: APIPrice(inputPerMillion: 1, outputPerMillion: 3),
                                             gpus: 8, tokensPerSecond: 2000, inputShare: 0.5)
        XCTAssertEqual(straight.selfHostedMonthly, 6099.78, accuracy: 0.01)
        XCTAssertEqual(straight.selfHostedVsCloud ?? 0, 2.195922e9, accuracy: 1e3)
    }

    /// Fine-tuning 400 GPU-hours at $2.50 = $1,000, data $3,000, engineering $20,000: one-off
    /// $24,000 over 24 months = $1,000 a month, + $500 monitoring a month = $1,500 a month.
    /// At 3e6 requests a month: $0.0005 a request; at 2e9 tokens: $0.75 per 1M tokens.
    func testOneOffCostsAmortizedOverAHorizonAndAVolume() throws {
        let items = [try Overhead.Item(name: "fine_tuning", dollars: try Overhead.fineTuning(gpuHours: 400, hourly: 2.5)),
                     try Overhead.Item(name: "data", dollars: 3000), try Overhead.Item(name: "engineering", dollars: 20_000)]
        let o = try Overhead(oneOff: items, recurring: [try Overhead.Item(name: "monitoring", dollars: 500)], months: 24)
        XCTAssertEqual(o.oneOffTotal, 24_000)
        XCTAssertEqual(o.monthly, 1500, accuracy: 1e-9)
        XCTAssertEqual(try o.perRequest(requestsPerMonth: 3e6), 0.0005, accuracy: 1e-12)
        XCTAssertEqual(try o.perMillionTokens(tokensPerMonth: 2e9), 0.75, accuracy: 1e-12)
        XCTAssertThrowsError(try Overhead(months: 0))
        XCTAssertThrowsError(try Overhead.Item(name: "data", dollars: -1))
        XCTAssertThrowsError(try o.perRequest(requestsPerMonth: 0))
    }

    /// The boundary moves by the overheads. BreakEvenTests' scenario (F = $1,460, cloud
    /// 1.666667e-6 $/token, API 7.5e-7 $/token), with $300 a month of fine-tuning on the
    /// self-hosted and cloud options only (the API is not fine-tuned):
    /// self = cloud at (1460 + 300 − 300) / 1.666667e-6 = 8.76e8 (unchanged: both pay it);
    /// self = API at (1460 + 300) / 7.5e-7 = 2.346667e9 (from 1.946667e9);
    /// cloud = API where 1.666667e-6 V + 300 = 7.5e-7 V: never (cloud dearer per token and
    /// in overhead). With the overhead on the API instead (a fine-tuning fee of $300 a month):
    /// cloud = API at 300 / (1.666667e-6 − 7.5e-7) = 3.272727e8.
    func testOverheadsMoveTheCrossovers() throws {
        func compare(_ overheads: [DeploymentOption: Double]) throws -> BreakEven {
            try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3),
                                  api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), gpus: 2,
                                  tokensPerSecond: 1000, inputShare: 0.75, maxMonthlyTokens: 1e10, overheads: overheads)
        }
        let tuned = try compare([.selfHosted: 300, .cloud: 300])
        XCTAssertEqual(tuned.selfHostedMonthly, 1760, accuracy: 1e-9)
        XCTAssertEqual(tuned.selfHostedVsCloud ?? 0, 8.76e8, accuracy: 1)
        XCTAssertEqual(tuned.selfHostedVsAPI ?? 0, 2.346667e9, accuracy: 1e3)
        XCTAssertNil(tuned.cloudVsAPI)
        XCTAssertEqual(try tuned.costs(monthlyTokens: 1e9).cloud, 1966.667, accuracy: 1e-3)
        let fee = try compare([.api: 300])
        XCTAssertEqual(fee.cloudVsAPI ?? 0, 3.272727e8, accuracy: 1e2)
        XCTAssertThrowsError(try compare([.cloud: -1]))
    }

    /// Samples 400 W at 0.5 s, 600 W at 1.5 s, 500 W at 2.5 s (and one at 3.5 s, after the
    /// run) over a 3 s run: 400 × 0.5 + (400 + 600)/2 × 1 + (600 + 500)/2 × 1 + 500 × 0.5
    /// = 200 + 500 + 550 + 250 = 1,500 J; 500 W on average; 300 output tokens → 5 J a token;
    /// 6 requests → 250 J a request.
    func testMeasuredEnergyByTheTrapezoidRule() throws {
        let e = try RunEnergy.measured(series: [(1.5, 600), (0.5, 400), (2.5, 500), (3.5, 9999)], seconds: 3)
        XCTAssertEqual(e.joules, 1500, accuracy: 1e-9)
        XCTAssertEqual(e.averageWatts, 500, accuracy: 1e-9)
        XCTAssertEqual(e.samples, 3)
        XCTAssertEqual(e.source, .measured)
        XCTAssertEqual(e.joulesPerOutputToken(300) ?? 0, 5, accuracy: 1e-12)
        XCTAssertEqual(e.joulesPerRequest(6) ?? 0, 250, accuracy: 1e-12)
        XCTAssertNil(e.joulesPerOutputToken(0))
        XCTAssertThrowsError(try RunEnergy.measured(series: [(5, 100)], seconds: 3)) { error in
            XCTAssertTrue("\(error)".contains("power samples"), "\(error)")
        }
    }

    /// 2 GPUs of 400 W, engine busy 75 s of a 100 s run, idle share 0.2:
    /// 2 × 400 × (0.2 + 0.8 × 0.75) = 640 W; 64,000 J.
    func testEstimatedEnergyOfASimulatedRun() throws {
        let e = try RunEnergy.estimated(boardWatts: 400, gpus: 2, busySeconds: 75, seconds: 100)
        XCTAssertEqual(e.averageWatts, 640, accuracy: 1e-9)
        XCTAssertEqual(e.joules, 64_000, accuracy: 1e-6)
        XCTAssertEqual(e.source, .estimated)
    }
}
