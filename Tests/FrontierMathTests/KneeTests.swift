import FrontierMath
import XCTest

final class KneeTests: XCTestCase {
    /// y = 1 − e^(−x) at x = 0, 0.1, …, 5. Normalised, the difference curve is
    /// d(x) = (1 − e^(−x)) / (1 − e^(−5)) − x / 5, greatest where
    /// e^(−x) = (1 − e^(−5)) / 5, x = ln(5 / 0.993262) ≈ 1.616; on the grid
    /// d(1.5) = 0.48214, d(1.6) = 0.48352, d(1.7) = 0.48286, so the knee is
    /// x = 1.6 (index 16), with threshold 0.48352 − 1/50 = 0.46352.
    private let xs = (0...50).map { Double($0) / 10 }

    func testExponentialSaturationCurve() throws {
        let ys = xs.map { 1 - exp(-$0) }
        let knee = try XCTUnwrap(try Knee.find(x: xs, y: ys))
        XCTAssertEqual(knee.index, 16)
        XCTAssertEqual(knee.x, 1.6, accuracy: 1e-12)
        XCTAssertEqual(knee.difference, 0.4835175, accuracy: 1e-6)
        XCTAssertEqual(knee.threshold, 0.4835175 - 0.02, accuracy: 1e-6)
        XCTAssertNil(knee.id)
    }

    func testOtherShapesMirrorTheSameKnee() throws {
        // e^(−x) is the convex-decreasing mirror (same knee); reflecting x
        // (x → 5 − x) gives the concave-decreasing and convex-increasing ones,
        // whose knee is at index 50 − 16 = 34.
        let convexDecreasing = try Knee.find(x: xs, y: xs.map { exp(-$0) }, shape: .convexDecreasing)
        XCTAssertEqual(convexDecreasing?.index, 16)
        let concaveDecreasing = try Knee.find(x: xs, y: xs.map { 1 - exp(-(5 - $0)) }, shape: .concaveDecreasing)
        XCTAssertEqual(concaveDecreasing?.index, 34)
        let convexIncreasing = try Knee.find(x: xs, y: xs.map { exp($0 - 5) }, shape: .convexIncreasing)
        XCTAssertEqual(convexIncreasing?.index, 34)
    }

    func testSmallCurveAndSensitivity() throws {
        // x 0…4, y 0 3 4 4.5 5 → normalised y 0 .6 .8 .9 1, x 0 .25 .5 .75 1,
        // d = 0 .35 .30 .15 0. One local maximum, index 1; with S = 1 the
        // threshold is .35 − 1/4 = .10 and d reaches 0 < .10: knee at x = 1.
        let x: [Double] = [0, 1, 2, 3, 4], y: [Double] = [0, 3, 4, 4.5, 5]
        XCTAssertEqual(try Knee.find(x: x, y: y)?.index, 1)
        // With S = 1.5 the threshold is .35 − .375 < 0: never reached, no knee.
        XCTAssertNil(try Knee.find(x: x, y: y, sensitivity: 1.5))
    }

    func testLargestConfirmedMaximumWins() throws {
        // x 0…6, y 0 4 4.5 8 9.5 9.8 10: d = 0 .2333 .1167 .3 .2833 .1467 0,
        // local maxima at 1 and 3.
        let x: [Double] = [0, 1, 2, 3, 4, 5, 6], y: [Double] = [0, 4, 4.5, 8, 9.5, 9.8, 10]
        // S = 1 (step 1/6): index 1's threshold .0667 is not reached before
        // index 3; index 3's threshold .1333 is (d = 0 at the end).
        XCTAssertEqual(try Knee.find(x: x, y: y)?.index, 3)
        // S = 0.5: both confirmed (d(2) = .1167 < .15; d(5) = .1467 < .2167);
        // the larger difference, index 3, wins (kneed's offline mode would say 1).
        XCTAssertEqual(try Knee.find(x: x, y: y, sensitivity: 0.5)?.index, 3)
    }

    func testFlatAndStraightCurvesHaveNoKnee() throws {
        XCTAssertNil(try Knee.find(x: [1, 2, 3], y: [5, 5, 5]))
        XCTAssertNil(try Knee.find(x: [1, 2, 3, 4], y: [2, 4, 6, 8]))
    }

    func testKneeOnAFrontier() throws {
        // Hull D (0.5, 20), A (1, 50), B (2, 80), C (4, 100). Normalised x:
        // 0, .1429, .4286, 1; y: 0, .375, .75, 1; d: 0, .2321, .3214, 0.
        // One maximum, B; threshold .3214 − 1/3 < 0 is never reached with S = 1,
        // but with S = 0.5 (threshold .1548) d falls to 0: knee B.
        let frontier = try EfficientFrontier(points: EfficientFrontierTests.points)
        XCTAssertNil(try Knee.find(on: frontier))
        let knee = try XCTUnwrap(try Knee.find(on: frontier, sensitivity: 0.5))
        XCTAssertEqual(knee.id, "B")
        XCTAssertEqual(knee.x, 2)
        XCTAssertEqual(knee.y, 80)
    }

    func testBadInputsRejected() {
        assertThrows(.tooFewPoints(what: "a knee", needed: 3, got: 2)) { try Knee.find(x: [1, 2], y: [1, 2]) }
        assertThrows(.notAscending(what: "curve x", previous: 2, next: 2)) {
            try Knee.find(x: [1, 2, 2], y: [1, 2, 3])
        }
        assertThrows(.nonFinite(what: "curve y", index: 1, value: .infinity)) {
            try Knee.find(x: [1, 2, 3], y: [1, .infinity, 3])
        }
        assertThrows(.outOfRange(parameter: "sensitivity", value: -1, expected: "finite and at least 0")) {
            try Knee.find(x: [1, 2, 3], y: [1, 2, 3], sensitivity: -1)
        }
        assertThrows(.outOfRange(parameter: "number of y values", value: 2,
                                 expected: "equal to the number of x values (3)")) {
            try Knee.find(x: [1, 2, 3], y: [1, 2])
        }
    }
}
