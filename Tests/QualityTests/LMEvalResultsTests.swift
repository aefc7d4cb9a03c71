import Foundation
import Quality
import XCTest

/// A results file shaped like lm-evaluation-harness 0.4 writes it (trimmed).
final class LMEvalResultsTests: XCTestCase {
    let modern = #"""
    {
      "results": {
        "hellaswag": {"alias": "hellaswag", "acc,none": 0.5, "acc_stderr,none": 0.01,
                      "acc_norm,none": 0.625, "acc_norm_stderr,none": "N/A"},
        "gsm8k": {"exact_match,strict-match": 0.25, "exact_match_stderr,strict-match": 0.02}
      },
      "n-samples": {"hellaswag": {"original": 100, "effective": 80}, "gsm8k": {"original": 50, "effective": 50}},
      "config": {"model": "hf", "model_args": "pretrained=Qwen/Qwen2.5-7B,dtype=bfloat16"},
      "model_name": ""
    }
    """#

    func testModernFile() throws {
        let r = try LMEvalResults(json: Data(modern.utf8))
        XCTAssertEqual(r.model, "Qwen/Qwen2.5-7B")
        XCTAssertEqual(r.scores.map(\.name), ["gsm8k/exact_match,strict-match", "hellaswag/acc", "hellaswag/acc_norm"])
        XCTAssertEqual(r.scores[0].value, 0.25)
        XCTAssertEqual(r.scores[0].stderr, 0.02)
        XCTAssertEqual(r.scores[0].count, 50)
        XCTAssertEqual(r.scores[1].stderr, 0.01)
        XCTAssertEqual(r.scores[1].count, 80)
        XCTAssertNil(r.scores[2].stderr, "a stderr of \"N/A\" is unknown, not an error")
    }

    func testOlderFileWithoutFilters() throws {
        let old = #"{"results": {"arc_easy": {"acc": 0.75, "acc_stderr": 0.05}}, "config": {"model": "gpt2"}}"#
        let r = try LMEvalResults(json: Data(old.utf8))
        XCTAssertEqual(r.model, "gpt2")
        XCTAssertEqual(r.scores, [LMEvalScore(task: "arc_easy", metric: "acc", value: 0.75, stderr: 0.05, count: nil)])
    }

    func testMalformedFilesNameTheField() {
        XCTAssertThrowsError(try LMEvalResults(json: Data("not json".utf8))) { error in
            XCTAssertEqual("\(error)", "lm-eval results must be a JSON object, got unparseable text")
        }
        XCTAssertThrowsError(try LMEvalResults(json: Data(#"{"config": {}}"#.utf8))) { error in
            XCTAssertEqual("\(error)", "field 'results' must be present, got nothing")
        }
        XCTAssertThrowsError(try LMEvalResults(json: Data(#"{"results": {"t": 3}}"#.utf8))) { error in
            XCTAssertEqual("\(error)", "field 'results.t' must be an object, got number")
        }
        XCTAssertThrowsError(try LMEvalResults(json: Data(#"{"results": {"t": {"alias": "t"}}}"#.utf8))) { error in
            XCTAssertEqual("\(error)", "field 'results' must be at least one numeric metric, got none")
        }
    }
}
