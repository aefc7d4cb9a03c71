import Foundation

/// One value of an exported JSON object or CSV cell.
public enum ExportValue: Sendable, Equatable {
    /// Text.
    case string(String)
    /// An integer.
    case int(Int)
    /// A double; non-finite values export as null / an empty cell.
    case double(Double)
    /// A boolean.
    case bool(Bool)
    /// No value.
    case null
    /// A list of numbers: a JSON array; in CSV, space-separated.
    case doubles([Double])

    /// A double as text: the shortest form that reads back to the same double
    /// (Swift's `description`: `0.1`, `2.0`, `1e-05`).
    public static func format(_ value: Double) -> String {
        value.description
    }

    /// The value as a CSV cell: nil for null and for non-finite doubles (an empty cell),
    /// booleans as `true` / `false`.
    public var csvField: String? {
        switch self {
        case let .string(text): return text
        case let .int(number): return String(number)
        case let .double(number): return number.isFinite ? Self.format(number) : nil
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return nil
        case let .doubles(values): return values.map { $0.isFinite ? Self.format($0) : "nan" }.joined(separator: " ")
        }
    }

    /// The value as JSON text; non-finite doubles become `null` (JSON has no NaN).
    public var json: String {
        switch self {
        case let .string(text): return Export.jsonString(text)
        case let .int(number): return String(number)
        case let .double(number): return number.isFinite ? Self.format(number) : "null"
        case let .bool(flag): return flag ? "true" : "false"
        case .null: return "null"
        case let .doubles(values): return "[" + values.map { $0.isFinite ? Self.format($0) : "null" }.joined(separator: ",") + "]"
        }
    }
}

/// Plain-text exports: CSV (RFC 4180) and JSON Lines.
public enum Export {
    /// A CSV document: the header, then each row, every record ending in CRLF as
    /// RFC 4180 asks. A field holding a comma, a double quote, CR or LF is quoted,
    /// its quotes doubled; nil is an empty field. Rows are written as given (the
    /// caller keeps them as wide as the header).
    public static func csv(header: [String], rows: [[String?]]) -> String {
        var out = csvRecord(header.map { Optional($0) })
        for row in rows { out += csvRecord(row) }
        return out
    }

    /// One CSV record with its CRLF.
    public static func csvRecord(_ fields: [String?]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// One CSV field, quoted when it must be.
    public static func csvField(_ field: String?) -> String {
        guard let field else { return "" }
        let needsQuotes = field.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard needsQuotes else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One JSON object on one line (no trailing newline), keys in sorted order so the
    /// same object always gives the same bytes.
    public static func jsonLine(_ object: [String: ExportValue]) -> String {
        "{" + object.keys.sorted().map { key in
            jsonString(key) + ":" + (object[key] ?? .null).json
        }.joined(separator: ",") + "}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
