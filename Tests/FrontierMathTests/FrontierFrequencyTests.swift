import FrontierMath
import XCTest

final class FrontierFrequencyTests: XCTestCase {
    func testCertainAndUncertainPoints() throws {
        // Fixed samples: A (cost 1, quality 9) dominates B (cost 5, quality 1)
        // in every resample, so A's fraction is 1 and B's 0.
        let certain = [
            SampledPoint(id: "A", samples: ["cost": [1, 1], "quality": [9, 9]]),
            SampledPoint(id: "B", samples: ["cost": [5], "quality": [1, 1, 1]]),
        ]
        let fixed = try Bootstrap.frontierFrequency(certain, objectives: [minCost, maxQuality],
                                                    resamples: 50, seed: 1)
        XCTAssertEqual(fixed.fractions, [1, 0])
        XCTAssertEqual(fixed.counts, [50, 0])
        XCTAssertEqual(fixed.onObservedFront, [true, false])

        // C's cost samples [1, 3] resample (two draws) to a mean of 1, 2 or 3
        // with probabilities 1/4, 1/2, 1/4; D is fixed at cost 2; both have
        // quality 5. C is on the front when its mean cost ≤ 2 (p = 3/4; at 2 the
        // two are equal and both count), D when C's mean cost ≥ 2 (p = 3/4).
        let uncertain = [
            SampledPoint(id: "C", samples: ["cost": [1, 3], "quality": [5]]),
            SampledPoint(id: "D", samples: ["cost": [2], "quality": [5]]),
        ]
        let result = try Bootstrap.frontierFrequency(uncertain, objectives: [minCost, maxQuality],
                                                     resamples: 4000, seed: 2)
        // Sampling error of a fraction near 3/4 over 4,000 resamples: about 0.007.
        XCTAssertEqual(try XCTUnwrap(result.fraction(of: "C")), 0.75, accuracy: 0.03)
        XCTAssertEqual(try XCTUnwrap(result.fraction(of: "D")), 0.75, accuracy: 0.03)
        // Mean cost of C is 2, equal to D: both on the observed front.
        XCTAssertEqual(result.onObservedFront, [true, true])
        XCTAssertNil(result.fraction(of: "nobody"))
    }

    func testSeededAndDeterministic() throws {
        var generator = PointGenerator(seed: 5)
        let points = (0..<8).map { i in
            SampledPoint(id: "m\(i)", samples: [
                "cost": (0..<10).map { _ in Double(i) + generator.normal() },
                "quality": (0..<10).map { _ in Double(i) + generator.normal() },
            ])
        }
        let a = try Bootstrap.frontierFrequency(points, objectives: [minCost, maxQuality], resamples: 100, seed: 3)
        let b = try Bootstrap.frontierFrequency(points, objectives: [minCost, maxQuality], resamples: 100, seed: 3)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a.ids, points.map(\.id))
        XCTAssertTrue(a.fractions.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Every resample has a non-empty front.
        XCTAssertGreaterThanOrEqual(a.counts.reduce(0, +), 100)
    }

    func testBadInputsRejected() {
        let good = SampledPoint(id: "g", samples: ["cost": [1], "quality": [1]])
        assertThrows(.noSamples(metric: "quality", id: "e")) {
            try Bootstrap.frontierFrequency([good, SampledPoint(id: "e", samples: ["cost": [1], "quality": []])],
                                            objectives: [minCost, maxQuality], seed: 1)
        }
        assertThrows(.missingMetric(metric: "cost", index: 1, id: "m")) {
            try Bootstrap.frontierFrequency([good, SampledPoint(id: "m", samples: ["quality": [1]])],
                                            objectives: [minCost, maxQuality], seed: 1)
        }
        assertThrows(.nonFiniteValue(metric: "cost", index: 0, id: "n", value: .infinity)) {
            try Bootstrap.frontierFrequency([SampledPoint(id: "n", samples: ["cost": [.infinity], "quality": [1]])],
                                            objectives: [minCost, maxQuality], seed: 1)
        }
        assertThrows(.outOfRange(parameter: "resamples", value: 0, expected: "at least 1")) {
            try Bootstrap.frontierFrequency([good], objectives: [minCost, maxQuality], resamples: 0, seed: 1)
        }
        assertThrows(.tooFewObjectives(needed: 2, got: 1)) {
            try Bootstrap.frontierFrequency([good], objectives: [minCost], seed: 1)
        }
    }
}
