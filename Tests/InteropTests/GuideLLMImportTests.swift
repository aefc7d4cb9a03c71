import Foundation
import Interop
import Metrics
import XCTest

/// guidellm reports, both layouts; expected figures computed by hand from the fixtures.
final class GuideLLMImportTests: XCTestCase {
    func testOneRunPerBenchmark() throws {
        let runs = try GuideLLMReport.importRuns(from: fixture("guidellm_report.json"))
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs.map(\.tool), ["guidellm", "guidellm"])
        XCTAssertEqual(runs[0].concurrency, 2)
        XCTAssertNil(runs[0].rate)
        XCTAssertEqual(runs[1].rate, 5.0)
        XCTAssertEqual(runs[0].model, "meta-llama/Llama-3.1-8B-Instruct")
        XCTAssertEqual(runs[0].target, "http://localhost:8000")
        XCTAssertEqual(runs[0].settings["strategy"], "concurrent")
    }

    func testRequestsRebuiltFromEpochTimes() throws {
        let run = try GuideLLMReport.importRuns(from: fixture("guidellm_report.json"))[0]
        XCTAssertEqual(run.records.count, 4)
        // Shifted so the earliest start (1700000000.0) is 0.
        XCTAssertEqual(run.records.map(\.sent), [0, 0.5, 1.0, 1.5])
        XCTAssertEqual(run.records[1].ttft ?? 0, 0.5, accuracy: tolerance)
        XCTAssertEqual(run.records[1].e2e ?? 0, 1.0, accuracy: tolerance)
        XCTAssertTrue(run.records[0].chunkTimes.isEmpty)
        let errored = run.records[3]
        XCTAssertEqual(errored.status, .error)
        XCTAssertEqual(errored.error, "ClientConnectionError: connection reset")
        XCTAssertNil(errored.firstToken)
    }

    func testSummaryFollowsOurDefinitions() throws {
        let run = try GuideLLMReport.importRuns(from: fixture("guidellm_report.json"))[0]
        let summary = run.summary
        XCTAssertEqual(summary.requests, 4)
        XCTAssertEqual(summary.succeeded, 3)
        XCTAssertEqual(summary.failed, 1)
        // Makespan: first start 0 → last end 1.75 (the errored request).
        XCTAssertEqual(summary.makespan, 1.75, accuracy: tolerance)
        XCTAssertEqual(summary.requestThroughput, 3 / 1.75, accuracy: tolerance)
        XCTAssertEqual(summary.inputTokens, 350)    // 100 + 200 + 50
        XCTAssertEqual(summary.outputTokens, 9)     // 5 + 3 + 1
        // TTFT [0.25, 0.5, 0.125]: mean 0.875/3.
        assertStats(summary.ttft, count: 3, mean: 0.875 / 3, p50: 0.25)
        // Our TPOT runs to the request end: (1.0 − 0.25)/4 = 0.1875, (1.0 − 0.5)/2 = 0.25.
        assertStats(summary.tpot, count: 2, mean: 0.21875)
        // guidellm's ITL runs to the last token: (0.5)/4 = 0.125, 0.5/2 = 0.25 → 0.1875 s,
        // kept under tpot in `reported` and smaller than ours by the tail after the last token.
        XCTAssertEqual(run.reported["tpot"]?.mean ?? 0, 0.1875, accuracy: tolerance)
        XCTAssertEqual(run.reported["ttft"]?.mean ?? 0, 0.875 / 3, accuracy: 1e-12)
        XCTAssertNil(summary.itl)   // no chunk times
        XCTAssertTrue(run.notes.contains { $0.contains("guidellm's ITL") && $0.contains("our TPOT") })
    }

    func testAggregateOnlyBenchmark() throws {
        let run = try GuideLLMReport.importRuns(from: fixture("guidellm_report.json"))[1]
        XCTAssertTrue(run.records.isEmpty)
        let summary = run.summary
        XCTAssertEqual(summary.requests, 53)
        XCTAssertEqual(summary.succeeded, 50)
        XCTAssertEqual(summary.failed, 3)
        XCTAssertEqual(summary.errorsByKind, ["other": 2, "cancelled": 1])
        XCTAssertEqual(summary.makespan, 10, accuracy: tolerance)
        XCTAssertEqual(summary.requestThroughput, 5, accuracy: tolerance)     // 50 / 10
        XCTAssertEqual(summary.outputThroughput, 250, accuracy: tolerance)    // 2500 / 10
        XCTAssertEqual(summary.totalThroughput, 750, accuracy: tolerance)     // 7500 / 10
        // TTFT has every field: it becomes the summary's, in seconds.
        let ttft = try XCTUnwrap(summary.ttft)
        XCTAssertEqual(ttft.count, 50)
        XCTAssertEqual(ttft.mean, 0.12, accuracy: tolerance)
        XCTAssertEqual(ttft.p50, 0.11, accuracy: tolerance)
        XCTAssertEqual(ttft.stdev, 0.015, accuracy: tolerance)
        XCTAssertEqual(ttft.min, 0.08, accuracy: tolerance)
        XCTAssertEqual(ttft.p99, 0.185, accuracy: tolerance)
        // Request latency is partial: reported only (seconds already).
        XCTAssertNil(summary.e2e)
        XCTAssertEqual(run.reported["e2e"]?.mean ?? 0, 1.1, accuracy: tolerance)
        XCTAssertEqual(run.reported["tpot"]?.mean ?? 0, 0.02, accuracy: tolerance)
    }

    func testNewerLayout() throws {
        let runs = try GuideLLMReport.importRuns(from: fixture("guidellm_report_v04.json"))
        let run = try XCTUnwrap(runs.first)
        XCTAssertEqual(run.concurrency, 4)
        XCTAssertEqual(run.model, "Qwen/Qwen3-0.6B")
        XCTAssertEqual(run.target, "http://127.0.0.1:8000")
        XCTAssertEqual(run.records.count, 3)
        XCTAssertEqual(run.records.map(\.sent), [0, 0.25, 0.5])
        XCTAssertEqual(run.records.map(\.inputTokens), [10, 20, 30])
        XCTAssertEqual(run.records.map(\.outputTokens), [3, 2, nil])
        let incomplete = run.records[2]
        XCTAssertEqual(incomplete.status, .error)
        XCTAssertEqual(incomplete.errorKind, .cancelled)
        XCTAssertEqual(incomplete.ended ?? 0, 1.5, accuracy: tolerance)   // resolve_end
        // TTFT [0.5, 0.25]; TPOT (1.0 − 0.5)/2 = 0.25 and (0.5 − 0.25)/1 = 0.25.
        assertStats(run.summary.ttft, count: 2, mean: 0.375)
        assertStats(run.summary.tpot, count: 2, mean: 0.25)
        XCTAssertEqual(run.summary.makespan, 1.5, accuracy: tolerance)
        XCTAssertEqual(run.summary.errorsByKind, ["cancelled": 1])
    }
}
