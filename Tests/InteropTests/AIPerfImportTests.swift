import Foundation
import Interop
import Metrics
import XCTest

/// aiperf's profile_export.jsonl; expected figures computed by hand from the fixture.
final class AIPerfImportTests: XCTestCase {
    func testRecordsWithUnitsConverted() throws {
        let run = try AIPerfExport.importRun(from: fixture("aiperf_profile_export.jsonl"))
        XCTAssertEqual(run.tool, "aiperf")
        XCTAssertEqual(run.records.count, 3)   // the warmup record is left out
        XCTAssertTrue(run.notes.contains("1 non-profiling (warmup) records left out"))
        let first = run.records[0]
        XCTAssertEqual(first.sent, 0)
        XCTAssertEqual(first.ttft ?? 0, 0.1, accuracy: tolerance)
        XCTAssertEqual(first.e2e ?? 0, 0.4, accuracy: tolerance)
        XCTAssertEqual(first.chunkTimes.count, 4)
        XCTAssertEqual(first.chunkTimes.last ?? 0, 0.4, accuracy: tolerance)
        XCTAssertEqual(first.inputTokens, 550)
        XCTAssertEqual(first.outputTokens, 4)
        // 150000 us and 0.45 sec.
        let second = run.records[1]
        XCTAssertEqual(second.sent, 0.2, accuracy: tolerance)
        XCTAssertEqual(second.ttft ?? 0, 0.15, accuracy: tolerance)
        XCTAssertEqual(second.e2e ?? 0, 0.45, accuracy: tolerance)
        let failed = run.records[2]
        XCTAssertEqual(failed.status, .error)
        XCTAssertEqual(failed.httpStatus, 500)
        XCTAssertEqual(failed.errorKind, .http5xx)
        XCTAssertEqual(failed.error, "InternalServerError: boom")
        XCTAssertEqual(failed.inputTokens, 550)
        XCTAssertEqual(failed.ended ?? 0, 0.31, accuracy: tolerance)   // request_end_ns
    }

    func testSummary() throws {
        let run = try AIPerfExport.importRun(from: fixture("aiperf_profile_export.jsonl"))
        let summary = run.summary
        XCTAssertEqual(summary.succeeded, 2)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.errorsByKind, ["http_5xx": 1])
        XCTAssertEqual(summary.makespan, 0.65, accuracy: tolerance)   // 0.2 + 0.45
        assertStats(summary.ttft, count: 2, mean: 0.125)
        // Our TPOT: (0.4 − 0.1)/3 = 0.1 and (0.45 − 0.15)/2 = 0.15 — aiperf's ITL exactly.
        assertStats(summary.tpot, count: 2, mean: 0.125, min: 0.1, max: 0.15)
        XCTAssertEqual(run.reported["tpot"]?.mean ?? 0, 0.125, accuracy: tolerance)
        // Our ITL pools inter-chunk gaps [0.1, 0.1, 0.1, 0.15, 0.15]: mean 0.6/5.
        assertStats(summary.itl, count: 5, mean: 0.12, p50: 0.1)
        XCTAssertEqual(summary.inputTokens, 1150)
        XCTAssertEqual(summary.outputTokens, 7)
    }
}
