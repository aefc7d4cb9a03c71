import Foundation
import LuaBridge

/// JSON text <-> `LuaValue`, for settings columns and the `json` module.
public enum JSON {
    public struct Error: Swift.Error, CustomStringConvertible {
        public let description: String
        /// Whether the text being decoded was malformed (else a value could not be encoded).
        public var malformedInput = false
    }

    /// Encodes with sorted keys, so the same data always gives the same text.
    public static func encode(_ v: LuaValue) throws -> String {
        var out = ""
        try write(v, into: &out)
        return out
    }

    private static func write(_ v: LuaValue, into out: inout String) throws {
        switch v {
        case .nil: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d):
            guard d.isFinite else { throw Error(description: "cannot encode \(d) as JSON (not a finite number)") }
            out += (d.rounded() == d && abs(d) < 1e15) ? String(format: "%.1f", d) : "\(d)"
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out += "["
            for (i, e) in a.enumerated() {
                if i > 0 { out += "," }
                try write(e, into: &out)
            }
            out += "]"
        case .table(let t):
            out += "{"
            for (i, k) in t.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                writeString(k, into: &out)
                out += ":"
                try write(t[k] ?? .nil, into: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
    }

    /// Decodes JSON text. `null` becomes `.nil` (so it vanishes from Lua tables).
    public static func decode(_ text: String) throws -> LuaValue {
        do {
            return try JSONDecoder().decode(Node.self, from: Data(text.utf8)).value
        } catch let DecodingError.dataCorrupted(ctx) {
            throw Error(description: "invalid JSON: \(ctx.underlyingError.map { "\($0)" } ?? ctx.debugDescription)", malformedInput: true)
        } catch {
            throw Error(description: "invalid JSON: \(error)", malformedInput: true)
        }
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    private struct Node: Decodable {
        let value: LuaValue
        init(from decoder: Decoder) throws {
            if let keyed = try? decoder.container(keyedBy: Key.self) {
                var t: [String: LuaValue] = [:]
                for k in keyed.allKeys {
                    let v = try keyed.decode(Node.self, forKey: k).value
                    if !v.isNil { t[k.stringValue] = v }
                }
                value = .table(t)
            } else if var list = try? decoder.unkeyedContainer() {
                var a: [LuaValue] = []
                while !list.isAtEnd { a.append(try list.decode(Node.self).value) }
                value = .array(a)
            } else {
                let c = try decoder.singleValueContainer()
                if c.decodeNil() { value = .nil }
                else if let b = try? c.decode(Bool.self) { value = .bool(b) }
                else if let i = try? c.decode(Int.self) { value = .int(i) }
                else if let d = try? c.decode(Double.self) { value = .double(d) }
                else { value = .string(try c.decode(String.self)) }
            }
        }
    }
}
