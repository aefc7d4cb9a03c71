import Foundation
import Interop
import XCTest

final class FormatDetectorTests: XCTestCase {
    func testDetectsEachFixture() throws {
        XCTAssertEqual(try FormatDetector.detect(data: fixture("vllm_detailed.json")), .vllm)
        XCTAssertEqual(try FormatDetector.detect(data: fixture("vllm_summary.json")), .vllm)
        XCTAssertEqual(try FormatDetector.detect(data: fixture("guidellm_report.json")), .guidellm)
        XCTAssertEqual(try FormatDetector.detect(data: fixture("guidellm_report_v04.json")), .guidellm)
        XCTAssertEqual(try FormatDetector.detect(data: fixture("aiperf_profile_export.jsonl"),
                                                 filename: "profile_export.jsonl"), .aiperf)
    }

    func testUnknownFormatListsTheKnownOnes() {
        let message = errorMessage { try FormatDetector.detect(data: Data("{\"foo\": 1}".utf8), filename: "x.json") }
        XCTAssertTrue(message.contains("'x.json'"), message)
        XCTAssertTrue(message.contains("top-level keys: foo"), message)
        for format in ImportFormat.allCases {
            XCTAssertTrue(message.contains(format.rawValue), message)
        }
        let text = errorMessage { try FormatDetector.detect(data: Data("hello".utf8)) }
        XCTAssertTrue(text.contains("not a JSON object nor JSON Lines"), text)
    }

    func testImportThroughTheFormat() throws {
        let data = try fixture("guidellm_report.json")
        let format = try FormatDetector.detect(data: data)
        XCTAssertEqual(try format.importRuns(from: data).count, 2)
    }
}
