import XCTest
@testable import Measure

/// Trace timing, the Azure trace reader and the new length distributions, from Swift alone.
final class TraceTests: XCTestCase {
    func testTimestamps() {
        // 2023-11-16 18:15:46 UTC is 1,700,158,546 s after the epoch (Python's calendar.timegm).
        XCTAssertEqual(TraceTimestamp.parse("2023-11-16 18:15:46.6805900") ?? 0, 1_700_158_546.68059, accuracy: 1e-6)
        XCTAssertEqual(TraceTimestamp.parse("2000-02-29T00:00:00Z"), 951_782_400)
        XCTAssertEqual(TraceTimestamp.parse(" 12.5 "), 12.5)
        XCTAssertNil(TraceTimestamp.parse("2023-13-01 00:00:00"))
        XCTAssertNil(TraceTimestamp.parse("yesterday"))
    }

    func testScheduleWindowSpeedAndTies() throws {
        // Offsets from the first: 0, 0.5, 0.5, 2, 10; window [0.5, 3) keeps rows 1–3, starting at 0.5; twice as fast.
        let t = TraceTiming(clock: .absolute, speed: 2, from: 0.5, to: 3)
        let kept = t.schedule([10, 10.5, 10.5, 12, 20])
        XCTAssertEqual(kept.map(\.row), [1, 2, 3])
        XCTAssertEqual(kept.map(\.time), [0, 0, 0.75])
        // Relative times are taken as given, sorted by time.
        let relative = TraceTiming(clock: .relative).schedule([3, 1, 2])
        XCTAssertEqual(relative.map(\.row), [1, 2, 0])
        XCTAssertEqual(relative.map(\.time), [1, 2, 3])
        XCTAssertThrowsError(try TraceTiming(clock: .relative, speed: 0).validate())
        XCTAssertThrowsError(try TraceTiming(clock: .relative, from: 2, to: 1).validate())
    }

    func testAzureTraceRowsAndErrors() throws {
        let rows = try AzureTrace.parse("timestamp,contexttokens,generatedtokens\r\n2023-11-16 18:15:46.5,30,4\r\n\r\n", path: "t.csv")
        XCTAssertEqual(rows, [AzureTrace.Row(timestamp: 1_700_158_546.5, contextTokens: 30, generatedTokens: 4)])
        XCTAssertThrowsError(try AzureTrace.parse("TIMESTAMP,ContextTokens\n1,2\n", path: "t.csv")) { e in
            XCTAssertEqual("\(e)", "t.csv:1: no column 'GeneratedTokens' (expected the header TIMESTAMP,ContextTokens,GeneratedTokens)")
        }
        XCTAssertThrowsError(try AzureTrace.parse("TIMESTAMP,ContextTokens,GeneratedTokens\n1,x,2\n", path: "t.csv")) { e in
            XCTAssertEqual("\(e)", "t.csv:2: ContextTokens 'x' must be a whole number from 1 to 10000000")
        }
        XCTAssertEqual(try AzureTrace.parse("TIMESTAMP,Note,ContextTokens,GeneratedTokens\n1,a,2,3\n", path: "t.csv", declared: ["Note"]).count, 1)
    }

    func testThinkingAndLongTailLengths() throws {
        var rng = SeededRNG(seed: 1)
        let think = LengthDistribution.thinking(answer: .fixed(100), ratioMin: 6, ratioMax: 6)
        try think.validate()
        XCTAssertEqual((0..<20).map { _ in think.sample(&rng) }, Array(repeating: 700, count: 20))
        let tail = LengthDistribution.longTail(median: 100, sigma: 0.5, tail: 1, alpha: 0.5, cap: 300)
        try tail.validate()
        // Every draw from the tail: at least the body's 95th percentile (≈ 228), at most the cap.
        let draws = (0..<500).map { _ in tail.sample(&rng) }
        XCTAssertTrue(draws.allSatisfy { $0 >= 228 && $0 <= 300 }, "\(draws.min() ?? 0)...\(draws.max() ?? 0)")
        XCTAssertTrue(draws.contains(300), "a heavy tail reaches the cap")
        XCTAssertThrowsError(try LengthDistribution.longTail(median: 100, sigma: 0.5, tail: 2, alpha: 1, cap: 300).validate())
        XCTAssertThrowsError(try LengthDistribution.thinking(answer: .fixed(0), ratioMin: 1, ratioMax: 2).validate())
    }
}
