import Foundation
import Interop
import XCTest

/// A file that does not match its schema is refused whole, naming the first wrong field.
final class MalformedInputTests: XCTestCase {
    /// The fixture `name` as a mutable JSON object.
    private func object(_ name: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: fixture(name)) as? [String: Any])
    }

    private func data(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object)
    }

    func testVLLMWrongType() throws {
        var result = try object("vllm_detailed.json")
        result["duration"] = "two seconds"
        let message = errorMessage { try VLLMBenchResult.importRun(from: self.data(result)) }
        XCTAssertEqual(message, "vllm: duration: expected a number ≥ 0, found string \"two seconds\"")
    }

    /// Numbers no tool can mean are refused by every format's import (ImportFormat), naming the figure.
    func testImpossibleValuesAreRefused() throws {
        func message(_ change: (inout [String: Any]) -> Void, _ name: String = "vllm_summary.json") throws -> String {
            var result = try object(name)
            change(&result)
            let data = try self.data(result)
            return errorMessage { _ = try ImportFormat.vllm.importRuns(from: data) }
        }
        XCTAssertEqual(try message { $0["completed"] = -10 }, "vllm: completed: expected a whole number ≥ 0, found number -10")
        XCTAssertEqual(try message { $0["total_output_tokens"] = -1 }, "vllm: total_output_tokens: expected a whole number ≥ 0, found number -1")
        XCTAssertEqual(try message { $0["completed"] = 2.5 }, "vllm: completed: expected a whole number ≥ 0, found number 2.5")
        // p99 below the median (ms in the file, seconds in the message).
        XCTAssertEqual(try message { $0["median_ttft_ms"] = 30; $0["p99_ttft_ms"] = 25 },
                       "vllm: ttft.p99: expected at least ttft.p90 (0.16): percentiles in order, found number 0.025")
        XCTAssertEqual(try message { $0["mean_tpot_ms"] = -4 }, "vllm: tpot.mean: expected a finite number ≥ 0 (seconds), found number -0.004")
        // Per-request detail: a first token before the send.
        let early = try message({ $0["ttfts"] = [-0.1, 0.2, 0.15, 0.0] }, "vllm_detailed.json")
        XCTAssertTrue(early.hasPrefix("vllm: ttfts[0]: expected") || early.hasPrefix("vllm: requests[1].ttft: expected"), early)
    }

    func testVLLMMissingField() throws {
        var result = try object("vllm_summary.json")
        result["completed"] = nil
        let message = errorMessage { try VLLMBenchResult.importRun(from: self.data(result)) }
        XCTAssertEqual(message, "vllm: completed: expected a value, found nothing")
    }

    func testVLLMListLengthsDisagree() throws {
        var result = try object("vllm_detailed.json")
        result["output_lens"] = [4, 5, 1]
        let message = errorMessage { try VLLMBenchResult.importRun(from: self.data(result)) }
        XCTAssertTrue(message.hasPrefix("vllm: output_lens: expected an array of 4 entries"), message)
    }

    func testVLLMNestedEntry() throws {
        var result = try object("vllm_detailed.json")
        result["itls"] = [[0.02, 0.03, 0.025], [0.05, "fast"], [], []]
        let message = errorMessage { try VLLMBenchResult.importRun(from: self.data(result)) }
        XCTAssertEqual(message, "vllm: itls[1][1]: expected a number ≥ 0, found string \"fast\"")
    }

    func testVLLMNotJSON() {
        let message = errorMessage { try VLLMBenchResult.importRun(from: Data("{\"duration\": ".utf8)) }
        XCTAssertTrue(message.hasPrefix("vllm: not valid JSON"), message)
    }

    func testGuideLLMRequestField() throws {
        var report = try object("guidellm_report.json")
        var benchmarks = try XCTUnwrap(report["benchmarks"] as? [[String: Any]])
        var requests = try XCTUnwrap(benchmarks[0]["requests"] as? [String: Any])
        var successful = try XCTUnwrap(requests["successful"] as? [[String: Any]])
        successful[2]["first_token_time"] = "soon"
        requests["successful"] = successful
        benchmarks[0]["requests"] = requests
        report["benchmarks"] = benchmarks
        let message = errorMessage { try GuideLLMReport.importRuns(from: self.data(report)) }
        XCTAssertEqual(message, "guidellm: benchmarks[0].requests.successful[2].first_token_time: "
                       + "expected a number ≥ 0, found string \"soon\"")
    }

    func testGuideLLMLaterBenchmarkFailsTheWholeFile() throws {
        var report = try object("guidellm_report.json")
        var benchmarks = try XCTUnwrap(report["benchmarks"] as? [[String: Any]])
        benchmarks[1]["duration"] = nil
        report["benchmarks"] = benchmarks
        let message = errorMessage { try GuideLLMReport.importRuns(from: self.data(report)) }
        XCTAssertEqual(message, "guidellm: benchmarks[1].duration: expected a value, found nothing")
    }

    func testGuideLLMNoBenchmarks() {
        let message = errorMessage { try GuideLLMReport.importRuns(from: Data("{\"benchmarks\": []}".utf8)) }
        XCTAssertEqual(message, "guidellm: benchmarks: expected at least one benchmark, found an array of 0")
    }

    func testAIPerfBadUnit() throws {
        let lines = String(decoding: try fixture("aiperf_profile_export.jsonl"), as: UTF8.self)
            .replacingOccurrences(of: "\"value\": 150000.0, \"unit\": \"us\"",
                                  with: "\"value\": 150000.0, \"unit\": \"furlongs\"")
        let message = errorMessage { try AIPerfExport.importRun(from: Data(lines.utf8)) }
        XCTAssertEqual(message, "aiperf: line 4: metrics.time_to_first_token.unit: "
                       + "expected a time unit (ns, us, ms, s, sec), found string \"furlongs\"")
    }

    func testAIPerfMissingMetricOnSuccess() {
        let line = #"{"metadata": {"request_start_ns": 1}, "metrics": {"request_latency": {"value": 1, "unit": "ms"}}, "error": null}"#
        let message = errorMessage { try AIPerfExport.importRun(from: Data(line.utf8)) }
        XCTAssertEqual(message, "aiperf: line 1: metrics.time_to_first_token: expected a value, found nothing")
    }

    func testAIPerfBrokenLine() {
        let text = #"{"metadata": {"request_start_ns": 1}, "metrics": null, "error": {"code": 500}}"# + "\n{oops\n"
        let message = errorMessage { try AIPerfExport.importRun(from: Data(text.utf8)) }
        XCTAssertTrue(message.hasPrefix("aiperf: line 2: not valid JSON"), message)
    }
}
