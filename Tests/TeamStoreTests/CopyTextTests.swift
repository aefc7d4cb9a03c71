import NIOCore
import Store
import XCTest
@testable import TeamStore

/// Rows as COPY text: what the server reads back must be exactly what the file held.
final class CopyTextTests: XCTestCase {
    private func line(_ row: [SQLValue], _ types: [String]) -> String {
        var text = ""
        for b in CopyText.chunks([row], types: types) { text += String(buffer: b) }
        return text
    }

    func testNullsNumbersAndEscapes() {
        XCTAssertEqual(line([.null, .integer(-7), .real(0.1), .text("a\tb\nc\\d\re")], ["text", "bigint", "float8", "text"]),
                       "\\N\t-7\t0.1\ta\\tb\\nc\\\\d\\re\n")
        // A double reads back as the same double: Swift writes its shortest exact form.
        let d = 1.0 / 3.0
        XCTAssertEqual(Double(line([.real(d)], ["float8"]).dropLast()), d)
        XCTAssertEqual(line([.real(.infinity), .real(-.infinity), .real(.nan)], ["float8", "float8", "float8"]),
                       "Infinity\t-Infinity\tNaN\n")
        // A whole REAL in an integer column is written as an integer (PostgreSQL refuses "3.0" there).
        XCTAssertEqual(line([.real(3)], ["bigint"]), "3\n")
    }

    func testBlobsAsHexForByteaAndTextOtherwise() {
        XCTAssertEqual(line([.blob([0x00, 0xff, 0x10])], ["bytea"]), "\\\\x00ff10\n")
        XCTAssertEqual(line([.blob(Array("hi".utf8))], ["text"]), "hi\n")
    }

    func testLargeInputsSplitIntoChunksOfAboutOneMebibyte() {
        let rows = (0..<50_000).map { [SQLValue.integer(Int64($0)), .text(String(repeating: "x", count: 40))] }
        let chunks = CopyText.chunks(rows, types: ["bigint", "text"])
        XCTAssertGreaterThan(chunks.count, 1)
        XCTAssertEqual(chunks.map(\.readableBytes).reduce(0, +),
                       rows.indices.map { String($0).utf8.count + 1 + 40 + 1 }.reduce(0, +))
    }
}
