import Metrics
import XCTest

/// Tolerance for figures computed by hand: they agree with the code to rounding error.
let tolerance = 1e-9

/// Asserts every field of `stats` (which must not be nil) against hand-computed values.
func assertStats(_ stats: LatencyStats?, count: Int, mean: Double, stdev: Double,
                 min: Double, p50: Double, p90: Double, p95: Double, p99: Double, max: Double,
                 _ label: String = "", file: StaticString = #filePath, line: UInt = #line) {
    guard let stats else {
        XCTFail("\(label): no statistics", file: file, line: line)
        return
    }
    XCTAssertEqual(stats.count, count, "\(label) count", file: file, line: line)
    let expected: [(String, Double, Double)] = [
        ("mean", stats.mean, mean), ("stdev", stats.stdev, stdev),
        ("min", stats.min, min), ("p50", stats.p50, p50), ("p90", stats.p90, p90),
        ("p95", stats.p95, p95), ("p99", stats.p99, p99), ("max", stats.max, max),
    ]
    for (name, actual, wanted) in expected {
        XCTAssertEqual(actual, wanted, accuracy: tolerance, "\(label) \(name)",
                       file: file, line: line)
    }
}
