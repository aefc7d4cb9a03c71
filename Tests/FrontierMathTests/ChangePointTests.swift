import FrontierMath
import XCTest

/// The change-point rule of docs/cost.md ("Change points"), on hand-computed series.
final class ChangePointTests: XCTestCase {
    /// docs/cost.md's worked example: cost per 1M tokens over eight days, up 25 % from the fifth.
    ///
    /// Best split after 4 values: left 10, 10.25, 9.75, 10 (mean 10, SSE 0.125), right
    /// 12.5, 12.75, 12.25, 12.5 (mean 12.5, SSE 0.125); pooled sd = √(0.25 / 6) = 0.204124;
    /// shift 2.5 = 12.247 pooled sd ≥ 2 and 25 % ≥ 5 %: flagged. Each half's own best split
    /// (10.125 vs 9.875, SSE 0.0625, pooled sd √(0.0625 / 2) = 0.176777) shifts only
    /// 1.414 sd: no more changes.
    func testWorkedExampleFromTheDocs() throws {
        let values = [10, 10.25, 9.75, 10, 12.5, 12.75, 12.25, 12.5]
        let split = try XCTUnwrap(ChangePoints.bestSplit(values))
        XCTAssertEqual(split.index, 4)
        XCTAssertEqual(split.sse, 0.25, accuracy: 1e-12)
        XCTAssertEqual(split.pooledStdev, (0.25 / 6).squareRoot(), accuracy: 1e-12)

        let changes = try ChangePoints.find(values)
        XCTAssertEqual(changes.count, 1)
        let c = try XCTUnwrap(changes.first)
        XCTAssertEqual(c.index, 4)
        XCTAssertEqual(c.before, 10, accuracy: 1e-12)
        XCTAssertEqual(c.after, 12.5, accuracy: 1e-12)
        XCTAssertEqual(c.shift, 2.5, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(c.change), 0.25, accuracy: 1e-12)
        XCTAssertEqual(c.pooledStdev, 0.204124, accuracy: 1e-6)
        XCTAssertEqual(try XCTUnwrap(c.shiftInStdevs), 12.2474, accuracy: 1e-4)   // 2.5 × √24

        let half = try XCTUnwrap(ChangePoints.bestSplit([10, 10.25, 9.75, 10]))
        XCTAssertEqual(half.index, 2)
        XCTAssertEqual(half.before, 10.125, accuracy: 1e-12)
        XCTAssertEqual(half.after, 9.875, accuracy: 1e-12)
        XCTAssertEqual(half.pooledStdev, 0.176777, accuracy: 1e-6)
        // A stricter rule (15 sd) keeps even the big step unflagged.
        XCTAssertEqual(try ChangePoints.find(values, rule: ChangePointRule(minimumShift: 15)), [])
    }

    /// Noise around 10: the best split (after 2: 10.25 vs 9.875, SSE 0.125 + 0.6875 =
    /// 0.8125, pooled sd √(0.8125 / 4) = 0.450694) shifts 0.375 = 0.832 sd < 2.
    func testNoiseIsNotAChange() throws {
        let values = [10, 10.5, 9.5, 10, 10.5, 9.5]
        let split = try XCTUnwrap(ChangePoints.bestSplit(values))
        XCTAssertEqual(split.index, 2)
        XCTAssertEqual(split.sse, 0.8125, accuracy: 1e-12)
        XCTAssertEqual(split.pooledStdev, 0.450694, accuracy: 1e-6)
        XCTAssertEqual(try ChangePoints.find(values), [])
        // Flagged once the rule asks for less than 0.832 sd and 3.66 % (0.375 / 10.25).
        let loose = try ChangePoints.find(values, rule: ChangePointRule(minimumShift: 0.8, minimumChange: 0.03))
        XCTAssertEqual(loose.map(\.index), [2])
    }

    /// Two steps, found by splitting again. Splits after 3 and after 6 tie (SSE 1.5 each;
    /// after 4 or 5 give 1.95): the earliest wins. Pooled sd √(1.5 / 7) = 0.462910, shift
    /// 2.5 − 1 = 1.5 = 3.2404 sd. The right side 2, 2, 2, 3, 3, 3 splits after 3 with SSE 0:
    /// pooled sd 0, so any shift passes the sd test (no shift_sd) and 50 % passes 5 %.
    /// Before and after are the final segments' means: 1 → 2 → 3.
    func testTwoStepsAreTwoChangesWithTheSegmentsMeans() throws {
        let values: [Double] = [1, 1, 1, 2, 2, 2, 3, 3, 3]
        let split = try XCTUnwrap(ChangePoints.bestSplit(values))
        XCTAssertEqual(split.index, 3)
        XCTAssertEqual(split.after, 2.5, accuracy: 1e-12)
        let changes = try ChangePoints.find(values)
        XCTAssertEqual(changes.map(\.index), [3, 6])
        XCTAssertEqual(changes[0].before, 1, accuracy: 1e-12)
        XCTAssertEqual(changes[0].after, 2, accuracy: 1e-12)
        XCTAssertEqual(changes[0].pooledStdev, (1.5 / 7).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(changes[0].shiftInStdevs), 3.2404, accuracy: 1e-4)
        XCTAssertEqual(try XCTUnwrap(changes[0].change), 1, accuracy: 1e-12)
        XCTAssertEqual(changes[1].before, 2, accuracy: 1e-12)
        XCTAssertEqual(changes[1].after, 3, accuracy: 1e-12)
        XCTAssertEqual(changes[1].pooledStdev, 0)
        XCTAssertNil(changes[1].shiftInStdevs)
        XCTAssertEqual(try XCTUnwrap(changes[1].change), 0.5, accuracy: 1e-12)
    }

    /// Both tests must pass: a clean 1 % step (pooled sd 0) is below the 5 % minimum.
    func testMinimumRelativeChange() throws {
        XCTAssertEqual(try ChangePoints.find([100, 100, 101, 101]), [])
        let c = try ChangePoints.find([100, 100, 101, 101], rule: ChangePointRule(minimumChange: 0.005))
        XCTAssertEqual(c.map(\.index), [2])
        XCTAssertEqual(try XCTUnwrap(c.first?.change), 0.01, accuracy: 1e-12)
        // A fall is a negative change; 1, 3 | 5, 7: pooled sd √((2 + 2) / 2) = √2, shift 4 = 2.83 sd.
        XCTAssertEqual(try ChangePoints.find([7, 5, 3, 1], rule: ChangePointRule(minimumShift: 2.8)).first?.change, -4.0 / 6.0)
        XCTAssertEqual(try ChangePoints.find([7, 5, 3, 1], rule: ChangePointRule(minimumShift: 2.9)), [])
    }

    /// From a mean of 0 the relative change is unbounded: flagged, with no `change`.
    func testChangeFromZero() throws {
        let c = try ChangePoints.find([0, 0, 1, 1])
        XCTAssertEqual(c.map(\.index), [2])
        XCTAssertNil(c[0].change)
        XCTAssertEqual(c[0].shift, 1)
        // A constant series never changes, whatever the rule.
        XCTAssertEqual(try ChangePoints.find([5, 5, 5, 5, 5], rule: ChangePointRule(minimumShift: 0, minimumChange: 0)), [])
    }

    /// Fewer than two segments' worth of values: nothing to split.
    func testTooFewValues() throws {
        XCTAssertEqual(try ChangePoints.find([]), [])
        XCTAssertEqual(try ChangePoints.find([1, 1, 9]), [])
        XCTAssertNil(ChangePoints.bestSplit([1, 1, 9]))
        XCTAssertNil(ChangePoints.bestSplit([1, 1, 9, 9, 9], minimumSegment: 3))
        XCTAssertEqual(try ChangePoints.find([1, 1, 1, 9, 9, 9], rule: ChangePointRule(minimumSegment: 3)).map(\.index), [3])
    }

    func testBadInputIsRefusedByName() {
        assertThrows(.nonFinite(what: "value", index: 1, value: .infinity)) { try ChangePoints.find([1, .infinity, 2, 3]) }
        assertThrows(.outOfRange(parameter: "minimum segment", value: 1, expected: "at least 2 points")) {
            try ChangePoints.find([1, 2, 3, 4], rule: ChangePointRule(minimumSegment: 1))
        }
        assertThrows(.outOfRange(parameter: "minimum change", value: -0.1, expected: "a finite number ≥ 0 (a fraction: 0.05 is 5 %)")) {
            try ChangePoints.find([1, 2, 3, 4], rule: ChangePointRule(minimumChange: -0.1))
        }
        assertThrows(.outOfRange(parameter: "minimum shift", value: -1, expected: "a finite number ≥ 0 (pooled standard deviations)")) {
            try ChangePoints.find([], rule: ChangePointRule(minimumShift: -1))
        }
    }
}
