@testable import FrontierMath
import XCTest

/// The internal radix sort behind the two-objective sweep.
final class RadixSortTests: XCTestCase {
    func testOrdersLikeAStableComparisonSort() {
        var generator = PointGenerator(seed: 8)
        // Mixed signs, zeros of both signs, infinities, repeats, wide exponents.
        var values: [Double] = [0, -0.0, .infinity, -.infinity, 1e-300, -1e300, 5, 5, -5, .leastNonzeroMagnitude]
        values += (0..<3000).map { i in
            i % 3 == 0 ? Double(generator.rng.index(below: 7)) - 3 : generator.normal() * pow(10, Double(i % 40) - 20)
        }
        let expected = values.indices.sorted { (values[$0], $0) < (values[$1], $1) }
        XCTAssertEqual(RadixSort.order(values), expected)
    }

    func testEdgeSizes() {
        XCTAssertEqual(RadixSort.order([]), [])
        XCTAssertEqual(RadixSort.order([3]), [0])
        XCTAssertEqual(RadixSort.order([2, 2, 2]), [0, 1, 2])
    }
}
