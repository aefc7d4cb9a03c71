import Foundation
import NIOCore
import Store

/// Rows in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes,
/// `bytea` as `\x` hex, numbers written so they read back exactly.
enum CopyText {
    /// The rows as buffers of about 1 MiB each.
    static func chunks(_ rows: [[SQLValue]], types: [String]) -> [ByteBuffer] {
        var out: [ByteBuffer] = []
        var line = ""
        var buffer = ByteBuffer()
        buffer.reserveCapacity(1 << 20)
        for row in rows {
            line.removeAll(keepingCapacity: true)
            for (i, v) in row.enumerated() {
                if i > 0 { line.append("\t") }
                field(v, type: types[i], into: &line)
            }
            line.append("\n")
            buffer.writeString(line)
            if buffer.readableBytes >= 1 << 20 {
                out.append(buffer)
                buffer = ByteBuffer()
                buffer.reserveCapacity(1 << 20)
            }
        }
        if buffer.readableBytes > 0 { out.append(buffer) }
        return out
    }

    private static let hex = Array("0123456789abcdef")

    static func field(_ v: SQLValue, type: String, into s: inout String) {
        switch v {
        case .null: s.append("\\N")
        case .integer(let n): s.append(String(n))
        case .real(let d):
            if type == "bigint", d == d.rounded(), abs(d) < 9e18 { s.append(String(Int64(d))) }
            else if d.isNaN { s.append("NaN") }
            else if d.isInfinite { s.append(d > 0 ? "Infinity" : "-Infinity") }
            else { s.append("\(d)") }  // Swift's shortest form that reads back as the same double
        case .text(let t): escape(t, into: &s)
        case .blob(let b):
            if type == "bytea" {
                s.append("\\\\x")
                s.reserveCapacity(s.utf8.count + b.count * 2)
                for byte in b {
                    s.append(hex[Int(byte >> 4)])
                    s.append(hex[Int(byte & 0xF)])
                }
            } else {
                escape(String(decoding: b, as: UTF8.self), into: &s)
            }
        }
    }

    private static func escape(_ t: String, into s: inout String) {
        for ch in t.unicodeScalars {
            switch ch {
            case "\\": s.append("\\\\")
            case "\t": s.append("\\t")
            case "\n": s.append("\\n")
            case "\r": s.append("\\r")
            default: s.unicodeScalars.append(ch)
            }
        }
    }
}
