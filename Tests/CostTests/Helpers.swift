@testable import Cost
import XCTest

/// Tolerance for figures computed by hand to many digits: they agree to rounding error.
let tolerance = 1e-6

/// Asserts that `expression` throws a `CostError` whose message is exactly `message`.
func assertCostError<T>(_ expression: @autoclosure () throws -> T, _ message: String,
                        file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try expression()
        XCTFail("expected error: \(message)", file: file, line: line)
    } catch let error as CostError {
        XCTAssertEqual(error.description, message, file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

/// The paper's A800 80G baseline (an assumed parameter set, see docs/cost.md).
func a800() throws -> GPUCost {
    try GPUPreset.named("A800-80G").baseline
}

/// A GPU whose only cost is depreciation of exactly $1/h: 26,280 / (3 × 8760) = 1.
func dollarAnHour() throws -> GPUCost {
    try GPUCost(price: 26_280, years: 3, powerKW: 0, electricity: 0, maintenanceRate: 0)
}
