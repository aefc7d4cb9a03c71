@testable import Cost
import SeededRandom
import XCTest

final class SensitivityTests: XCTestCase {
    /// Metric: A800 hourly = P × 13/262800 + kW × PUE × E + depreciation's Y and u.
    /// - utilization 0.5 / 1: 1.364785 / 0.794009, swing 0.570776
    /// - years 2 / 5: 15000/17520 = 0.856164 → 1.079397; 15000/43800 = 0.342466 → 0.565699; swing 0.513699
    /// - price 12000 / 18000: 12000 × 13/262800 + 0.052 = 0.645607; 0.942411; swing 0.296804
    /// - electricity 0.05 / 0.20: power 0.026 / 0.104 → 0.768009 / 0.846009; swing 0.078
    /// - pue 1.1 / 1.5: power 0.044 / 0.060 → 0.786009 / 0.802009; swing 0.016
    func testTornadoOrderAndValues() throws {
        let ranges: [GPUCostParameter: (low: Double, high: Double)] = [
            .pue: (1.1, 1.5), .price: (12_000, 18_000), .electricity: (0.05, 0.20),
            .years: (2, 5), .utilization: (0.5, 1),
        ]
        let tornado = try Sensitivity.tornado(base: a800(), ranges: ranges) { $0.hourly }
        XCTAssertEqual(tornado.baseline, 0.794009, accuracy: tolerance)
        XCTAssertEqual(tornado.bars.map(\.parameter), [.utilization, .years, .price, .electricity, .pue])
        let expected: [(Double, Double, Double)] = [
            (1.364785, 0.794009, 0.570776), (1.079397, 0.565699, 0.513699), (0.645607, 0.942411, 0.296804),
            (0.768009, 0.846009, 0.078), (0.786009, 0.802009, 0.016),
        ]
        for (bar, (low, high, swing)) in zip(tornado.bars, expected) {
            XCTAssertEqual(bar.metricAtLow, low, accuracy: tolerance, "\(bar.parameter)")
            XCTAssertEqual(bar.metricAtHigh, high, accuracy: tolerance, "\(bar.parameter)")
            XCTAssertEqual(bar.swing, swing, accuracy: tolerance, "\(bar.parameter)")
        }
    }

    func testTornadoRejectsInvalidRange() throws {
        assertCostError(try Sensitivity.tornado(base: a800(), ranges: [.utilization: (0, 1)]) { $0.hourly },
                        "utilization must be in (0, 1], got 0")
    }

    /// Price ~ U(12000, 18000), E ~ N(0.10, 0.01), metric hourly = P × 13/262800 + 0.52 E:
    /// mean = 15000 × 13/262800 + 0.052 = 0.794009;
    /// stdev = √((6000 × 13/262800)² / 12 + (0.52 × 0.01)²) = √(0.0073411 + 0.0000270) = 0.085838.
    /// With 20,000 draws the mean's standard error is 0.085838 / √20000 = 0.00061.
    func testMonteCarloMatchesAnalyticMean() throws {
        let summary = try Sensitivity.monteCarlo(
            base: a800(), distributions: [.price: .uniform(low: 12_000, high: 18_000),
                                          .electricity: .normal(mean: 0.10, stdev: 0.01)],
            samples: 20_000, seed: 42) { $0.hourly }
        XCTAssertEqual(summary.samples, 20_000)
        XCTAssertEqual(summary.mean, 0.794009, accuracy: 0.003)
        XCTAssertEqual(summary.stdev, 0.085838, accuracy: 0.003)
        XCTAssertEqual(summary.p50, 0.794009, accuracy: 0.004)
        XCTAssertLessThan(summary.p5, summary.p50)
        XCTAssertLessThan(summary.p50, summary.p95)
        XCTAssertEqual(summary.rejectedDraws, 0)
    }

    /// Price alone ~ U(12000, 18000): hourly's percentiles are the price's, mapped linearly.
    /// p5: P = 12300 → 12300 × 13/262800 + 0.052 = 0.660447; p95: P = 17700 → 0.927571.
    func testMonteCarloPercentilesOfLinearMetric() throws {
        let summary = try Sensitivity.monteCarlo(base: a800(), distributions: [.price: .uniform(low: 12_000, high: 18_000)],
                                                 samples: 20_000, seed: 7) { $0.hourly }
        XCTAssertEqual(summary.p5, 0.660447, accuracy: 0.004)
        XCTAssertEqual(summary.p95, 0.927571, accuracy: 0.004)
        XCTAssertGreaterThanOrEqual(summary.min, 12_000 * 13 / 262_800 + 0.052 - 1e-12)
        XCTAssertLessThanOrEqual(summary.max, 18_000 * 13 / 262_800 + 0.052 + 1e-12)
    }

    func testMonteCarloIsReproducibleBySeed() throws {
        func run(_ seed: UInt64) throws -> MonteCarloSummary {
            // Several parameters: the draw order must not follow the dictionary's.
            try Sensitivity.monteCarlo(base: a800(), distributions: [.price: .triangular(low: 12_000, mode: 15_000, high: 20_000),
                                                                     .years: .uniform(low: 2, high: 5),
                                                                     .pue: .lognormal(median: 1.3, sigma: 0.05)],
                                       samples: 500, seed: seed) { $0.hourly }
        }
        XCTAssertEqual(try run(1), try run(1))
        XCTAssertNotEqual(try run(1).mean, try run(2).mean)
    }

    /// Utilization ~ N(0.9, 0.2) exceeds 1 about 31 % of the time: those draws are redrawn.
    func testMonteCarloTruncatesToValidDomain() throws {
        let summary = try Sensitivity.monteCarlo(base: a800(), distributions: [.utilization: .normal(mean: 0.9, stdev: 0.2)],
                                                 samples: 2_000, seed: 3) { $0.utilization }
        XCTAssertGreaterThan(summary.rejectedDraws, 0)
        XCTAssertLessThanOrEqual(summary.max, 1)
        XCTAssertGreaterThan(summary.min, 0)
        assertCostError(try Sensitivity.monteCarlo(base: a800(), distributions: [.utilization: .fixed(2.5)],
                                                   samples: 10, seed: 3) { $0.hourly },
                        "distributions must be mostly within each parameter's domain, got 1000 invalid draws in a row "
                            + "(last: utilization must be in (0, 1], got 2.5)")
    }

    /// SplitMix64's reference outputs (seed 0 and seed 1234567, from the published algorithm).
    func testSplitMix64ReferenceValues() {
        var zero = SplitMix64(seed: 0)
        XCTAssertEqual(zero.next(), 0xE220_A839_7B1D_CDAF)
        XCTAssertEqual(zero.next(), 0x6E78_9E6A_A1B9_65F4)
        var other = SplitMix64(seed: 1_234_567)
        XCTAssertEqual(other.next(), 6_457_827_717_110_365_317)
        XCTAssertEqual(other.next(), 3_203_168_211_198_807_973)
    }

    func testDistributionMeansAndValidation() {
        XCTAssertEqual(Distribution.triangular(low: 1, mode: 2, high: 6).mean, 3)
        XCTAssertEqual(Distribution.uniform(low: 2, high: 4).mean, 3)
        XCTAssertEqual(Distribution.lognormal(median: 1, sigma: 0).mean, 1)
        assertCostError(try Distribution.uniform(low: 3, high: 1).validate("distributions[price]"),
                        "distributions[price] must be ordered low ≤ high, got low 3, high 1")
        assertCostError(try Distribution.normal(mean: 1, stdev: -1).validate("distributions[pue]"),
                        "distributions[pue] stdev must be ≥ 0, got -1")
        assertCostError(try Distribution.triangular(low: 1, mode: 5, high: 3).validate("distributions[years]"),
                        "distributions[years] must be ordered low ≤ mode ≤ high, got low 1, mode 5, high 3")
        assertCostError(try Sensitivity.monteCarlo(base: a800(), distributions: [:], samples: 0, seed: 1) { $0.hourly },
                        "samples must be in 1...10000000, got 0")
    }
}
