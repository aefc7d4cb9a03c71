@testable import TestServer
import XCTest

final class FaultParseTests: XCTestCase {
    func testParsesKindsAndFractions() throws {
        XCTAssertEqual(try Fault.parse("429:0.1,reset:0.05,stall"), [
            Fault(kind: .http429, fraction: 0.1), Fault(kind: .reset, fraction: 0.05), Fault(kind: .stall, fraction: 1),
        ])
        XCTAssertEqual(try Fault.parse(" non_json : 0.5 , 500 "), [
            Fault(kind: .nonJSON, fraction: 0.5), Fault(kind: .http500, fraction: 1),
        ])
        XCTAssertEqual(try Fault.parse(""), [])
        XCTAssertEqual(try Fault.parse("truncate:0,malformed:1").map(\.kind), [.truncate, .malformed])
    }

    func testParseErrorsNameTheBadPart() {
        func message(_ spec: String) -> String {
            do {
                _ = try Fault.parse(spec)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(message("429:0.1,boom:0.2").contains("'boom'"), message("429:0.1,boom:0.2"))
        XCTAssertTrue(message("429:0.1,boom:0.2").contains("non_json"), "lists the known kinds")
        XCTAssertTrue(message("reset:abc").contains("'abc'"))
        XCTAssertTrue(message("reset:1.5").contains("reset:1.5"))
        XCTAssertTrue(message("reset:-0.1").contains("0 to 1"))
        XCTAssertTrue(message("429,,stall").contains("empty fault"))
    }

    func testFiringRuleGivesExactCounts() {
        for fraction in [0.0, 0.01, 0.1, 0.25, 0.29, 0.3, 1.0 / 3.0, 0.5, 0.7, 0.999, 1.0] {
            for n in [1, 7, 8, 100, 1000] {
                let fired = (0..<n).filter { FaultSchedule.fires(fraction: fraction, request: $0) }.count
                XCTAssertEqual(fired, Int((Double(n) * fraction + 1e-9).rounded(.down)), "f=\(fraction) n=\(n)")
            }
        }
    }

    func testHistogramQuantiles() {
        var histogram = LatenessHistogram()
        XCTAssertEqual(histogram.quantile(0.5), 0)
        for value in 1...1000 { histogram.record(UInt64(value) * 1000) }  // 1 µs ... 1 ms
        XCTAssertEqual(histogram.count, 1000)
        XCTAssertEqual(histogram.max, 1_000_000)
        XCTAssertEqual(Double(histogram.quantile(0.5)), 500_000, accuracy: 500_000 / 50)
        XCTAssertEqual(Double(histogram.quantile(0.99)), 990_000, accuracy: 990_000 / 50)
        XCTAssertEqual(histogram.quantile(1), 1_000_000)
        histogram.record(5, count: 3)
        XCTAssertEqual(histogram.count, 1003)
    }
}
