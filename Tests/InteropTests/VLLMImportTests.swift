import Foundation
import Interop
import Metrics
import XCTest

/// vLLM `bench serve` results; expected figures computed by hand from the fixtures.
final class VLLMImportTests: XCTestCase {
    func testDetailedResultRebuildsRecords() throws {
        let run = try VLLMBenchResult.importRun(from: fixture("vllm_detailed.json"))
        XCTAssertEqual(run.tool, "vllm")
        XCTAssertEqual(run.model, "meta-llama/Llama-3.1-8B-Instruct")
        XCTAssertEqual(run.rate, 4.0)
        XCTAssertNil(run.concurrency)
        XCTAssertEqual(run.settings["backend"], "openai-chat")
        XCTAssertEqual(run.settings["num_prompts"], "4")
        XCTAssertNil(run.settings["mean_ttft_ms"])
        XCTAssertTrue(["1", "1.0"].contains(run.settings["burstiness"] ?? ""))   // a number, not a boolean
        XCTAssertEqual(run.records.count, 4)

        // #0: ttft 0.1, gaps 0.02, 0.03, 0.025 → chunks at 0.1, 0.12, 0.15, 0.175.
        let first = run.records[0]
        XCTAssertEqual(first.chunkTimes.count, 4)
        for (got, want) in zip(first.chunkTimes, [0.1, 0.12, 0.15, 0.175]) {
            XCTAssertEqual(got, want, accuracy: tolerance)
        }
        XCTAssertEqual(first.e2e ?? 0, 0.175, accuracy: tolerance)
        XCTAssertEqual(first.response, "The cat sat")
        // #3 failed: error status with vLLM's message, no first token, no output count.
        let failed = run.records[3]
        XCTAssertEqual(failed.status, .error)
        XCTAssertEqual(failed.error, "HTTP 500: Internal Server Error")
        XCTAssertNil(failed.firstToken)
        XCTAssertEqual(failed.inputTokens, 40)
        XCTAssertNil(failed.outputTokens)
    }

    func testDetailedSummaryFollowsOurDefinitions() throws {
        let summary = try VLLMBenchResult.importRun(from: fixture("vllm_detailed.json")).summary
        XCTAssertEqual(summary.requests, 4)
        XCTAssertEqual(summary.succeeded, 3)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.errorsByKind, ["other": 1])
        XCTAssertEqual(summary.inputTokens, 60)    // 10 + 20 + 30, ok requests only
        XCTAssertEqual(summary.outputTokens, 10)   // 4 + 5 + 1
        // TTFT [0.1, 0.2, 0.15]: mean 0.15, median 0.15.
        assertStats(summary.ttft, count: 3, mean: 0.15, p50: 0.15, min: 0.1, max: 0.2)
        // TPOT by our definition, (e2e − ttft)/(N − 1):
        // #0 (0.175 − 0.1)/3 = 0.025; #1 (0.3 − 0.2)/4 = 0.025; #2 has one token.
        assertStats(summary.tpot, count: 2, mean: 0.025, min: 0.025, max: 0.025)
        // ITL pooled gaps [0.02, 0.03, 0.025, 0.05, 0.05]: mean 0.175/5 = 0.035, median 0.03.
        assertStats(summary.itl, count: 5, mean: 0.035, p50: 0.03)
        // E2E [0.175, 0.3, 0.15]: mean 0.625/3.
        assertStats(summary.e2e, count: 3, mean: 0.625 / 3, p50: 0.175)
        // Send times unknown: vLLM's duration 2.0 s is the makespan.
        XCTAssertEqual(summary.makespan, 2.0, accuracy: tolerance)
        XCTAssertEqual(summary.requestThroughput, 1.5, accuracy: tolerance)   // 3 / 2
        XCTAssertEqual(summary.outputThroughput, 5.0, accuracy: tolerance)    // 10 / 2
        XCTAssertEqual(summary.totalThroughput, 35.0, accuracy: tolerance)    // 70 / 2
        // Σ(end − sent) = 0.175 + 0.3 + 0.15 + 0 (the failure never ended) = 0.625; / 2
        XCTAssertEqual(summary.achievedConcurrency, 0.3125, accuracy: tolerance)
    }

    func testDetailedReportedStatisticsInSeconds() throws {
        let run = try VLLMBenchResult.importRun(from: fixture("vllm_detailed.json"))
        // The tool's own figures agree with ours on the same data.
        XCTAssertEqual(run.reported["ttft"]?.mean ?? 0, 0.15, accuracy: tolerance)
        XCTAssertEqual(run.reported["ttft"]?.p99 ?? 0, run.summary.ttft?.p99 ?? -1, accuracy: tolerance)
        XCTAssertEqual(run.reported["tpot"]?.mean ?? 0, run.summary.tpot?.mean ?? -1, accuracy: tolerance)
        XCTAssertEqual(run.reported["itl"]?.mean ?? 0, run.summary.itl?.mean ?? -1, accuracy: tolerance)
        XCTAssertEqual(run.reported["e2e"]?.p99 ?? 0, run.summary.e2e?.p99 ?? -1, accuracy: tolerance)
        XCTAssertTrue(run.notes.contains { $0.contains("laid out from 0") })
        XCTAssertTrue(run.notes.contains("vLLM reports latencies in milliseconds: converted to seconds"))
        XCTAssertTrue(run.notes.contains { $0.contains("TPOT excludes the first token like ours") })
    }

    func testSummaryOnlyResult() throws {
        let run = try VLLMBenchResult.importRun(from: fixture("vllm_summary.json"))
        XCTAssertTrue(run.records.isEmpty)
        XCTAssertEqual(run.concurrency, 16)
        XCTAssertNil(run.rate)
        XCTAssertEqual(run.settings["request_rate"], "inf")
        XCTAssertEqual(run.settings["label"], "sweep")
        let summary = run.summary
        XCTAssertEqual(summary.requests, 102)
        XCTAssertEqual(summary.succeeded, 100)
        XCTAssertEqual(summary.failed, 2)
        XCTAssertEqual(summary.successRate, 100.0 / 102, accuracy: tolerance)
        XCTAssertEqual(summary.makespan, 50, accuracy: tolerance)
        XCTAssertEqual(summary.requestThroughput, 2.0, accuracy: tolerance)
        XCTAssertEqual(summary.outputThroughput, 256.0, accuracy: tolerance)
        XCTAssertEqual(summary.totalThroughput, 1280.0, accuracy: tolerance)   // 64000 / 50
        // mean_ttft_ms 120 → 0.12 s; no min/max, so no complete statistic in the summary.
        let ttft = try XCTUnwrap(run.reported["ttft"])
        XCTAssertEqual(ttft.mean ?? 0, 0.12, accuracy: tolerance)
        XCTAssertEqual(ttft.p50 ?? 0, 0.11, accuracy: tolerance)
        XCTAssertEqual(ttft.stdev ?? 0, 0.03, accuracy: tolerance)
        XCTAssertEqual(ttft.p90 ?? 0, 0.16, accuracy: tolerance)
        XCTAssertEqual(ttft.p99 ?? 0, 0.25, accuracy: tolerance)
        XCTAssertNil(ttft.min)
        XCTAssertNil(summary.ttft)
        XCTAssertEqual(run.reported["e2e"]?.mean ?? 0, 2.66, accuracy: tolerance)
        XCTAssertTrue(run.notes.contains { $0.contains("no per-request detail") })
    }

    func testStartTimesAndLatenciesGiveSendAndEndTimes() throws {
        // Newer vLLM writes start_times (perf_counter seconds) and latencies.
        let json = """
        {"duration": 3.0, "completed": 2, "ttfts": [0.5, 0.25], "itls": [[0.25], [0.5]],
         "input_lens": [1, 2], "output_lens": [2, 2], "errors": ["", ""],
         "latencies": [1.0, 0.875], "start_times": [1000.5, 1001.0]}
        """
        let run = try VLLMBenchResult.importRun(from: Data(json.utf8))
        XCTAssertEqual(run.records[0].sent, 0)
        XCTAssertEqual(run.records[1].sent, 0.5, accuracy: tolerance)
        XCTAssertEqual(run.records[1].ended ?? 0, 1.375, accuracy: tolerance)   // 0.5 + 0.875
        // Makespan from the records: first send 0 → last end max(1.0, 1.375).
        XCTAssertEqual(run.summary.makespan, 1.375, accuracy: tolerance)
        // TPOT of #1 uses the latency, not ttft + Σ itls: (0.875 − 0.25)/1.
        XCTAssertEqual(run.records[1].timePerOutputToken ?? 0, 0.625, accuracy: tolerance)
    }

    func testPythonNonStandardNumbersAreAccepted() throws {
        // Python's json.dump writes Infinity and NaN literals.
        let json = #"{"duration": 1.0, "completed": 0, "burstiness": Infinity, "std_ttft_ms": 0.0}"#
        let run = try VLLMBenchResult.importRun(from: Data(json.utf8))
        XCTAssertEqual(run.settings["burstiness"], "inf")
    }
}
