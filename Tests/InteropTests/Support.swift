import Foundation
import Interop
import Metrics
import XCTest

/// Tolerance for hand-computed figures.
let tolerance = 1e-9

/// The bytes of a fixture under Fixtures/ (copied into the test bundle).
func fixture(_ name: String) throws -> Data {
    let url = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil),
                            "missing fixture \(name)")
    return try Data(contentsOf: url)
}

/// The message of the error `body` throws, or a failure when it throws none.
func errorMessage(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        _ = try body()
        XCTFail("no error thrown", file: file, line: line)
        return ""
    } catch {
        return "\(error)"
    }
}

/// Asserts the fields of `stats` that are given.
func assertStats(_ stats: LatencyStats?, count: Int, mean: Double, p50: Double? = nil,
                 min: Double? = nil, max: Double? = nil,
                 file: StaticString = #filePath, line: UInt = #line) {
    guard let stats else { return XCTFail("no statistics", file: file, line: line) }
    XCTAssertEqual(stats.count, count, "count", file: file, line: line)
    XCTAssertEqual(stats.mean, mean, accuracy: tolerance, "mean", file: file, line: line)
    if let p50 { XCTAssertEqual(stats.p50, p50, accuracy: tolerance, "p50", file: file, line: line) }
    if let min { XCTAssertEqual(stats.min, min, accuracy: tolerance, "min", file: file, line: line) }
    if let max { XCTAssertEqual(stats.max, max, accuracy: tolerance, "max", file: file, line: line) }
}
