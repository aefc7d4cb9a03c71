import Foundation
import Interop
import Metrics
import XCTest

final class ExportTests: XCTestCase {
    /// A minimal RFC 4180 reader, to read exports back.
    private func readCSV(_ text: String) -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var chars = Array(text)[...]
        while let char = chars.popFirst() {
            if quoted {
                if char == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    field.append(char)
                }
            } else if char == "\"" {
                quoted = true
            } else if char == "," {
                record.append(field); field = ""
            } else if char == "\r\n" {
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.append(char)
            }
        }
        return records
    }

    func testCSVQuoting() {
        let csv = Export.csv(header: ["a", "b,c"], rows: [
            ["plain", "with,comma"],
            ["say \"hi\"", "two\nlines"],
            [nil, ""],
            ["cr\r\nlf", " spaced "],
        ])
        XCTAssertEqual(csv, "a,\"b,c\"\r\nplain,\"with,comma\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\n,\r\n"
                       + "\"cr\r\nlf\", spaced \r\n")
        XCTAssertEqual(readCSV(csv), [["a", "b,c"], ["plain", "with,comma"], ["say \"hi\"", "two\nlines"],
                                      ["", ""], ["cr\r\nlf", " spaced "]])
    }

    func testJSONLineRoundTrip() throws {
        let object: [String: ExportValue] = [
            "text": .string("quote \" backslash \\ newline \n tab \t bell \u{07} é 😀"),
            "int": .int(-42), "tenth": .double(0.1), "tiny": .double(1e-5), "big": .double(123456.789),
            "flag": .bool(true), "nothing": .null, "nan": .double(.nan), "inf": .double(.infinity),
        ]
        let line = Export.jsonLine(object)
        XCTAssertFalse(line.contains("\n"))
        XCTAssertTrue(line.hasPrefix("{\"big\":123456.789,\"flag\":true,\"inf\":null,\"int\":-42,"), line)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(parsed["text"] as? String, "quote \" backslash \\ newline \n tab \t bell \u{07} é 😀")
        XCTAssertEqual((parsed["int"] as? NSNumber)?.intValue, -42)
        XCTAssertEqual((parsed["tenth"] as? NSNumber)?.doubleValue, 0.1)
        XCTAssertEqual((parsed["tiny"] as? NSNumber)?.doubleValue, 1e-5)
        XCTAssertEqual((parsed["big"] as? NSNumber)?.doubleValue, 123456.789)
        XCTAssertEqual(parsed["flag"] as? Bool, true)
        XCTAssertTrue(parsed["nothing"] is NSNull)
        XCTAssertTrue(parsed["nan"] is NSNull)
        XCTAssertTrue(parsed["inf"] is NSNull)
        // Same object, same bytes.
        XCTAssertEqual(Export.jsonLine(object), line)
    }

    func testRequestAndSummaryColumns() throws {
        let run = try VLLMBenchResult.importRun(from: fixture("vllm_detailed.json"))
        let row = RequestExport.row(run.records[0], runID: 7)
        XCTAssertEqual(row.count, RequestExport.columns.count)
        let cells = Dictionary(uniqueKeysWithValues: zip(RequestExport.columns, row))
        XCTAssertEqual(cells["run_id"], "7")
        XCTAssertEqual(cells["status"], "ok")
        XCTAssertEqual(cells["ttft"], "0.1")
        XCTAssertEqual(cells["chunk_count"], "4")
        XCTAssertEqual(cells["intended"], .some(nil))
        XCTAssertEqual(cells["tokens_approx"], "false")

        XCTAssertEqual(SummaryExport.columns.count, 14 + 8 * 9)
        XCTAssertEqual(Set(SummaryExport.columns).count, SummaryExport.columns.count)
        let values = SummaryExport.values(run.summary)
        XCTAssertEqual(values["ttft_p50"], .double(run.summary.ttft?.p50 ?? -1))
        XCTAssertEqual(values["send_lag_mean"], .null)
        XCTAssertEqual(values["requests"], .int(4))
        let line = Export.jsonLine(values)
        let parsed = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        XCTAssertEqual(parsed.count, SummaryExport.columns.count)
    }
}
