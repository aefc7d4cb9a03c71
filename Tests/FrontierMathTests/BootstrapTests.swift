import FrontierMath
import XCTest

final class BootstrapTests: XCTestCase {
    private let mean: ([Double]) -> Double = { $0.reduce(0, +) / Double($0.count) }

    func testConstantSamplesGiveADegenerateInterval() throws {
        // Every resample of [5, 5, 5] has mean 5.
        let interval = try Bootstrap.interval(samples: [5, 5, 5], statistic: .mean, resamples: 100, seed: 1)
        XCTAssertEqual(interval.estimate, 5)
        XCTAssertEqual(interval.lower, 5)
        XCTAssertEqual(interval.upper, 5)
        XCTAssertEqual(interval.resamples, 100)
        XCTAssertEqual(interval.confidence, 0.95)
    }

    func testTwoPointSamplesByHand() throws {
        // Resamples of [0, 1] (two draws) have mean 0, 0.5 or 1 with
        // probabilities 1/4, 1/2, 1/4. The 2.5th percentile of 10,000 of them is
        // 0 and the 97.5th is 1; the 30th and 70th are both 0.5 (0.25 < 0.30 and
        // 0.75 > 0.70, far beyond the sampling error of about 0.004).
        let wide = try Bootstrap.interval(samples: [0, 1], statistic: .mean, seed: 7)
        XCTAssertEqual(wide.estimate, 0.5)
        XCTAssertEqual(wide.lower, 0)
        XCTAssertEqual(wide.upper, 1)
        let narrow = try Bootstrap.interval(samples: [0, 1], statistic: .mean, confidence: 0.4, seed: 7)
        XCTAssertEqual(narrow.lower, 0.5)
        XCTAssertEqual(narrow.upper, 0.5)
    }

    func testFastPathsMatchTheClosureForm() throws {
        var generator = PointGenerator(seed: 11)
        let samples = (0..<257).map { _ in generator.normal() * 3 + 10 }
        let closure = try Bootstrap.interval(samples: samples, statistic: mean, resamples: 500, seed: 3)
        let fast = try Bootstrap.interval(samples: samples, statistic: .mean, resamples: 500, seed: 3)
        XCTAssertEqual(fast, closure)

        for p in [0.0, 12.5, 50, 90, 100] {
            let percentile: ([Double]) -> Double = { values in Self.percentile(values.sorted(), p) }
            let slow = try Bootstrap.interval(samples: samples, statistic: percentile, resamples: 300, seed: 5)
            let quick = try Bootstrap.interval(samples: samples, statistic: .percentile(p), resamples: 300, seed: 5)
            XCTAssertEqual(quick, slow, "p\(p)")
        }
        let median = try Bootstrap.interval(samples: samples, statistic: .median, resamples: 300, seed: 5)
        XCTAssertEqual(median, try Bootstrap.interval(samples: samples, statistic: .percentile(50),
                                                      resamples: 300, seed: 5))
    }

    func testSameSeedSameIntervalOtherSeedOther() throws {
        let samples = (1...40).map(Double.init)
        let a = try Bootstrap.interval(samples: samples, statistic: .mean, resamples: 200, seed: 9)
        let b = try Bootstrap.interval(samples: samples, statistic: .mean, resamples: 200, seed: 9)
        let c = try Bootstrap.interval(samples: samples, statistic: .mean, resamples: 200, seed: 10)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.estimate, 20.5)
    }

    /// The 95% percentile interval for the mean of 50 normal draws should cover
    /// the true mean in about 95% of repetitions (slightly less at this n);
    /// 200 seeded repetitions must land in 90–99%.
    func testCoverageOfTheMean() throws {
        var generator = PointGenerator(seed: 2024)
        let trueMean = 10.0
        var covered = 0
        let repetitions = 200
        for repetition in 0..<repetitions {
            let samples = (0..<50).map { _ in trueMean + 2 * generator.normal() }
            let interval = try Bootstrap.interval(samples: samples, statistic: .mean, resamples: 1000,
                                                  seed: UInt64(repetition))
            if interval.lower <= trueMean, trueMean <= interval.upper { covered += 1 }
        }
        let coverage = Double(covered) / Double(repetitions)
        XCTAssertGreaterThanOrEqual(coverage, 0.90)
        XCTAssertLessThanOrEqual(coverage, 0.99)
    }

    func testBadInputsRejected() {
        assertThrows(.tooFewPoints(what: "a bootstrap", needed: 1, got: 0)) {
            try Bootstrap.interval(samples: [], statistic: .mean, seed: 1)
        }
        assertThrows(.nonFinite(what: "sample", index: 1, value: .infinity)) {
            try Bootstrap.interval(samples: [1, .infinity], statistic: .mean, seed: 1)
        }
        assertThrows(.outOfRange(parameter: "resamples", value: 0, expected: "at least 1")) {
            try Bootstrap.interval(samples: [1], statistic: .mean, resamples: 0, seed: 1)
        }
        assertThrows(.outOfRange(parameter: "confidence", value: 1, expected: "in (0, 1)")) {
            try Bootstrap.interval(samples: [1], statistic: .mean, confidence: 1, seed: 1)
        }
        assertThrows(.outOfRange(parameter: "percentile", value: 101, expected: "in 0...100")) {
            try Bootstrap.interval(samples: [1], statistic: .percentile(101), seed: 1)
        }
        assertThrows(.nonFiniteStatistic(resample: 0, value: .infinity)) {
            try Bootstrap.interval(samples: [1, 2], statistic: { _ in .infinity }, seed: 1)
        }
    }

    /// numpy-style linear percentile, written out for the comparison above.
    private static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let rank = p / 100 * Double(sorted.count - 1)
        let lo = Int(rank.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        let t = rank - Double(lo), diff = sorted[hi] - sorted[lo]
        return t >= 0.5 ? sorted[hi] - diff * (1 - t) : sorted[lo] + diff * t
    }
}
