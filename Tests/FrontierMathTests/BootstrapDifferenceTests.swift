import FrontierMath
import XCTest

final class BootstrapDifferenceTests: XCTestCase {
    func testConstantSamplesGiveTheExactDifference() throws {
        // Every resample of [2, 2] and [5, 5, 5] has means 2 and 5: the difference is 3.
        let d = try Bootstrap.differenceInterval([2, 2], [5, 5, 5], statistic: .mean, resamples: 200, seed: 1)
        XCTAssertEqual(d.estimate, 3)
        XCTAssertEqual(d.lower, 3)
        XCTAssertEqual(d.upper, 3)
        XCTAssertEqual(try Bootstrap.differenceInterval([2, 2], [5, 5, 5], statistic: .median, resamples: 50, seed: 1).estimate, 3)
    }

    func testNoiseAloneRarelyLooksLikeADifference() throws {
        // Two samples of one distribution: the 95 % interval of the difference holds 0
        // in about 95 % of repetitions; a real shift of 2 sd/√n·4 is seen nearly always.
        var generator = PointGenerator(seed: 99)
        var heldZero = 0, sawShift = 0
        for rep in 0..<100 {
            let a = (0..<60).map { _ in 1 + 0.2 * generator.normal() }
            let b = (0..<60).map { _ in 1 + 0.2 * generator.normal() }
            let c = b.map { $0 + 0.15 }
            let same = try Bootstrap.differenceInterval(a, b, statistic: .mean, resamples: 500, seed: UInt64(rep))
            let shifted = try Bootstrap.differenceInterval(a, c, statistic: .mean, resamples: 500, seed: UInt64(rep))
            if same.lower <= 0, 0 <= same.upper { heldZero += 1 }
            if shifted.lower > 0 { sawShift += 1 }
        }
        XCTAssertGreaterThanOrEqual(heldZero, 88)
        XCTAssertGreaterThanOrEqual(sawShift, 95)
    }

    func testBadInputsRejected() {
        XCTAssertThrowsError(try Bootstrap.differenceInterval([], [1], statistic: .mean, seed: 1))
        XCTAssertThrowsError(try Bootstrap.differenceInterval([1], [.nan], statistic: .mean, seed: 1))
    }
}
