import Metrics
import XCTest

final class RunSummaryJSONTests: XCTestCase {
    func testRoundTrip() throws {
        for records in [Fixture.records, Fixture.closedLoop, []] {
            let summary = RunSummary(records: records)
            XCTAssertEqual(try RunSummary(json: summary.json()), summary)
        }
    }

    func testKeysAreSnakeCaseAndSorted() throws {
        let json = try RunSummary(records: Fixture.records).json()
        XCTAssertTrue(json.contains("\"requests_per_s\":0.5"), json)
        XCTAssertTrue(json.contains("\"errors_by_kind\":{\"http_5xx\":1,\"truncated\":1}"), json)
        XCTAssertTrue(json.contains("\"send_lag\":{\"count\":5,"), json)
        XCTAssertEqual(topLevelKeys(json), [
            "achieved_concurrency", "e2e", "e2e_from_intended", "error_rate", "errors_by_kind", "failed",
            "input_tokens", "itl", "makespan", "output_tokens", "output_tokens_per_s",
            "requests", "requests_per_s", "send_lag", "succeeded", "success_rate",
            "tokens_approx", "tokens_per_s", "total_tokens_per_s", "tpot",
            "truncated", "ttft", "ttft_from_intended",
        ])
    }

    func testMissingStatisticsAreLeftOut() throws {
        let json = try RunSummary(records: Fixture.closedLoop).json()
        XCTAssertFalse(json.contains("send_lag"))
        XCTAssertFalse(json.contains("from_intended"))
    }

    func testExtraKeysAreIgnored() throws {
        // Writers may add their own figures (e.g. the client's CPU) to runs.summary.
        let summary = RunSummary(records: Fixture.records)
        var json = try summary.json()
        json.removeLast()
        json += ",\"client_cpu\":{\"seconds\":1.5}}"
        XCTAssertEqual(try RunSummary(json: json), summary)
    }

    func testBadJSONThrows() {
        XCTAssertThrowsError(try RunSummary(json: "{}"))
        XCTAssertThrowsError(try RunSummary(json: "not json"))
    }

    /// The keys of a JSON object's top level, in the order written (no escapes in keys).
    private func topLevelKeys(_ json: String) -> [String] {
        var keys: [String] = []
        var depth = 0
        var inString = false
        var expectingKey = false
        var current = ""
        for character in json {
            if inString {
                if character == "\"" {
                    inString = false
                    if depth == 1, expectingKey { keys.append(current) }
                    expectingKey = false
                } else {
                    current.append(character)
                }
                continue
            }
            switch character {
            case "\"":
                inString = true
                current = ""
            case "{", "[":
                depth += 1
                expectingKey = depth == 1
            case "}", "]":
                depth -= 1
            case ",":
                expectingKey = depth == 1
            default:
                break
            }
        }
        return keys
    }
}
