@testable import TestServer
import XCTest

final class FaultParseTests: XCTestCase {
    func testParsesKindsAndFractions() throws {
        XCTAssertEqual(try Fault.parse("429:0.1,reset:0.05,stall:0.5"), [
            Fault(kind: .http429, fraction: 0.1), Fault(kind: .reset, fraction: 0.05), Fault(kind: .stall, fraction: 0.5),
        ])
        XCTAssertEqual(try Fault.parse(" non_json : 0.5 , 500:0.5 "), [
            Fault(kind: .nonJSON, fraction: 0.5), Fault(kind: .http500, fraction: 0.5),
        ])
        XCTAssertEqual(try Fault.parse("500"), [Fault(kind: .http500, fraction: 1)])
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
        XCTAssertTrue(message("429:0.1,429:0.2").contains("'429' is listed twice"), message("429:0.1,429:0.2"))
        XCTAssertTrue(message("429:0.6,500:0.5").contains("add up to 1.1"), message("429:0.6,500:0.5"))
        XCTAssertTrue(message("429:0.1,stall").contains("more than 1"))
    }

    func testFiringRuleGivesExactCounts() {
        for fraction in [0.0, 0.01, 0.1, 0.25, 0.29, 0.3, 1.0 / 3.0, 0.5, 0.7, 0.999, 1.0] {
            for n in [1, 7, 8, 100, 1000] {
                let fired = (0..<n).filter { FaultSchedule.fires(fraction: fraction, request: $0) }.count
                XCTAssertEqual(fired, Int((Double(n) * fraction + 1e-9).rounded(.down)), "f=\(fraction) n=\(n)")
            }
        }
    }

    /// Each kind gets its own share, whatever the overlap of their firing requests.
    func testEveryKindGetsItsOwnShare() {
        let faults = try! Fault.parse("429:0.1,500:0.05,reset:0.05")
        var given = [0, 0, 0], none = 0
        for k in 0..<1000 {
            if let i = FaultSchedule.pick(faults, request: k, given: given) { given[i] += 1 } else { none += 1 }
        }
        // 100, 50, 50 are due; where several fall due on one request the later-listed
        // wait one request, so at most one each is still owed at the end.
        XCTAssertEqual(given, [100, 49, 49])
        XCTAssertEqual(none, 802)
        for k in 1000..<1002 {
            if let i = FaultSchedule.pick(faults, request: k, given: given) { given[i] += 1 }
        }
        XCTAssertEqual(given, [100, 50, 50], "the owed ones come next")
        // Shares that fill every request, fired on the same requests: they alternate.
        let halves = [Fault(kind: .http429, fraction: 0.5), Fault(kind: .http500, fraction: 0.5)]
        var seq: [Int?] = [], g = [0, 0]
        for k in 0..<6 {
            let i = FaultSchedule.pick(halves, request: k, given: g)
            if let i { g[i] += 1 }
            seq.append(i)
        }
        XCTAssertEqual(seq, [nil, 0, 1, 0, 1, 0])
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
