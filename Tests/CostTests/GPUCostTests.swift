@testable import Cost
import XCTest

final class GPUCostTests: XCTestCase {
    /// A800 baseline, P = 15000, Y = 3, u = 1, kW = 0.4, PUE = 1.3, E = 0.10, m = 0.10:
    /// depreciation = 15000 / (3 × 8760 × 1) = 15000 / 26280 = 0.570776
    /// power        = 0.4 × 1.3 × 0.10 = 0.052
    /// maintenance  = 15000 × 0.10 / 8760 = 1500 / 8760 = 0.171233
    /// hourly       = 0.570776 + 0.052 + 0.171233 = 0.794009 → $0.79
    func testA800BaselineComponents() throws {
        let gpu = try a800()
        XCTAssertEqual(gpu.depreciation, 0.570776, accuracy: tolerance)
        XCTAssertEqual(gpu.power, 0.052, accuracy: tolerance)
        XCTAssertEqual(gpu.maintenance, 0.171233, accuracy: tolerance)
        XCTAssertEqual(gpu.hourly, 0.794009, accuracy: tolerance)
        XCTAssertEqual((gpu.hourly * 100).rounded() / 100, 0.79)
        XCTAssertEqual(gpu.runningHourly, 0.052 + 0.171233, accuracy: tolerance)
    }

    /// 2 × A800 = 2 × 0.794009 = 1.588018 $/h (the paper rounds to 1.58).
    /// 774 s:  1.588018 × 774 / 3600  = 0.341424 → $0.34 (the paper's WiNGPT-3.5 cost)
    /// 2034 s: 1.588018 × 2034 / 3600 = 0.897230 → $0.90 (the paper's $0.89 uses the rounded $1.58/h)
    func testTwoA800TestSetCost() throws {
        let gpu = try a800()
        XCTAssertEqual(gpu.hourly * 2, 1.588018, accuracy: tolerance)
        XCTAssertEqual(try gpu.cost(seconds: 774, count: 2), 0.341424, accuracy: tolerance)
        XCTAssertEqual(try gpu.cost(seconds: 2034, count: 2), 0.897230, accuracy: tolerance)
        // The paper's own rounding: 1.58 × 774 / 3600 = 0.3397, 1.58 × 2034 / 3600 = 0.8927.
        XCTAssertEqual(1.58 * 774 / 3600, 0.34, accuracy: 0.005)
        XCTAssertEqual(1.58 * 2034 / 3600, 0.89, accuracy: 0.005)
    }

    /// Residual 10 % of 15000 = 1500: depreciation = 13500 / 26280 = 0.513699;
    /// maintenance stays on P: 0.171233; hourly = 0.513699 + 0.052 + 0.171233 = 0.736932.
    func testResidualValue() throws {
        let byFraction = try a800().with([:], residual: .fraction(0.1))
        let byAmount = try a800().with([:], residual: .amount(1500))
        for gpu in [byFraction, byAmount] {
            XCTAssertEqual(gpu.residualDollars, 1500, accuracy: tolerance)
            XCTAssertEqual(gpu.depreciation, 0.513699, accuracy: tolerance)
            XCTAssertEqual(gpu.maintenance, 0.171233, accuracy: tolerance)
            XCTAssertEqual(gpu.hourly, 0.736932, accuracy: tolerance)
        }
    }

    /// Two different things at u = 0.5:
    /// - the formula's u (depreciation only): 15000 / (26280 × 0.5) = 1.141553;
    ///   hourly = 1.141553 + 0.052 + 0.171233 = 1.364785
    /// - the paper's effective cost, base / u: 0.794009 / 0.5 = 1.588018
    func testUtilizationInFormulaVersusEffectiveCost() throws {
        let base = try a800()
        let half = try base.with(.utilization, 0.5)
        XCTAssertEqual(half.depreciation, 1.141553, accuracy: tolerance)
        XCTAssertEqual(half.hourly, 1.364785, accuracy: tolerance)
        XCTAssertEqual(try base.effectiveHourly(atUtilization: 0.5), 1.588018, accuracy: tolerance)
        XCTAssertEqual(try base.effectiveHourly(atUtilization: 1), base.hourly, accuracy: tolerance)
        // Owning costs the same per calendar hour whatever the use: the u = 1 figure.
        XCTAssertEqual(half.calendarHourly, 0.794009, accuracy: tolerance)
    }

    func testParametersReadAndReplace() throws {
        let gpu = try a800()
        let expected: [GPUCostParameter: Double] = [.price: 15_000, .years: 3, .utilization: 1, .powerKW: 0.4,
                                                    .pue: 1.3, .electricity: 0.1, .maintenance: 0.1]
        for (parameter, value) in expected {
            XCTAssertEqual(gpu.value(of: parameter), value, "\(parameter)")
        }
        // P = 20000: depreciation = 20000 / 26280 = 0.761035.
        XCTAssertEqual(try gpu.with(.price, 20_000).depreciation, 0.761035, accuracy: tolerance)
        XCTAssertEqual(try gpu.with(.maintenance, 0.2).maintenance, 0.342466, accuracy: tolerance)
    }
}
