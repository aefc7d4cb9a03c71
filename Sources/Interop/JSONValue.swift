import Foundation

/// A parsed JSON value. Integers are kept apart from doubles so that nanosecond
/// epoch timestamps (aiperf's ~1.7e18) keep every digit.
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Parses `data`. Python's `json.dump` writes `NaN` and `Infinity`, which strict
    /// JSON refuses, so a strict failure is retried in JSON5 mode, which accepts them.
    static func parse(_ data: Data, format: String, line: Int? = nil) throws -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            let lenient = JSONDecoder()
            lenient.allowsJSON5 = true
            if let value = try? lenient.decode(JSONValue.self, from: data) { return value }
            throw InteropError.notJSON(format: format, line: line, detail: Self.reason(error))
        }
    }

    private static func reason(_ error: any Error) -> String {
        if case let DecodingError.dataCorrupted(context) = error {
            return context.underlyingError.map { "\($0.localizedDescription)" }
                ?? context.debugDescription
        }
        return "\(error)"
    }

    /// A short description for error messages: the type, and short scalars themselves.
    var summary: String {
        switch self {
        case .null: return "null"
        case let .bool(value): return "boolean \(value)"
        case let .int(value): return "number \(value)"
        case let .double(value): return "number \(value)"
        case let .string(value):
            let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
            return "string \"\(shown)\""
        case let .array(items): return "an array of \(items.count)"
        case .object: return "an object"
        }
    }
}

/// A JSON value and the path that led to it, so every read can fail with a message
/// naming the field (`benchmarks[0].requests.successful[3].first_token_time`).
struct JSONCursor {
    let value: JSONValue
    let path: String
    let format: String

    init(_ value: JSONValue, path: String = "", format: String) {
        self.value = value
        self.path = path
        self.format = format
    }

    private func child(_ value: JSONValue, key: String) -> JSONCursor {
        let joined = path.isEmpty ? key : path.hasSuffix(":") ? "\(path) \(key)" : "\(path).\(key)"
        return JSONCursor(value, path: joined, format: format)
    }

    func fail(_ expected: String) -> InteropError {
        .invalidField(format: format, path: path.isEmpty ? "(top level)" : path,
                      expected: expected, found: value.summary)
    }

    func object() throws -> [String: JSONValue] {
        guard case let .object(members) = value else { throw fail("an object") }
        return members
    }

    /// The member `key`, which must be present and not null.
    func field(_ key: String) throws -> JSONCursor {
        let members = try object()
        guard let member = members[key], member != .null else {
            throw InteropError.invalidField(format: format, path: child(.null, key: key).path,
                                            expected: "a value", found: "nothing")
        }
        return child(member, key: key)
    }

    /// The member `key`, or nil when it is absent or null.
    func optional(_ key: String) throws -> JSONCursor? {
        let members = try object()
        guard let member = members[key], member != .null else { return nil }
        return child(member, key: key)
    }

    func has(_ key: String) -> Bool {
        if case let .object(members) = value, let member = members[key], member != .null {
            return true
        }
        return false
    }

    func array() throws -> [JSONCursor] {
        guard case let .array(items) = value else { throw fail("an array") }
        return items.enumerated().map {
            JSONCursor($0.element, path: "\(path)[\($0.offset)]", format: format)
        }
    }

    /// A finite number.
    func double() throws -> Double {
        switch value {
        case let .int(number): return Double(number)
        case let .double(number) where number.isFinite: return number
        default: throw fail("a finite number")
        }
    }

    /// A finite number that is not negative (a duration, a count).
    func nonNegative() throws -> Double {
        guard let number = try? double(), number >= 0 else { throw fail("a number ≥ 0") }
        return number
    }

    func int() throws -> Int {
        switch value {
        case let .int(number): return Int(number)
        case let .double(number) where number.rounded() == number && abs(number) < 9e15:
            return Int(number)
        default: throw fail("an integer")
        }
    }

    /// A whole number ≥ 0: every count, token total, concurrency and status code an
    /// import reads (a result claiming −10 completed requests is refused, not stored).
    func count() throws -> Int {
        guard let n = try? int(), n >= 0 else { throw fail("a whole number ≥ 0") }
        return n
    }

    func int64() throws -> Int64 {
        if case let .int(number) = value { return number }
        return Int64(try int())
    }

    func string() throws -> String {
        guard case let .string(text) = value else { throw fail("a string") }
        return text
    }

    func bool() throws -> Bool {
        guard case let .bool(flag) = value else { throw fail("true or false") }
        return flag
    }

    /// A scalar written as text, for `settings` (nil for arrays and objects).
    var scalarText: String? {
        switch value {
        case .null, .array, .object: return nil
        case let .bool(flag): return String(flag)
        case let .int(number): return String(number)
        case let .double(number): return ExportValue.format(number)
        case let .string(text): return text
        }
    }
}
