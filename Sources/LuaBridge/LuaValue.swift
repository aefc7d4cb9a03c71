/// A Lua value as plain Swift data: what crosses the bridge by copy.
///
/// Tables become `.array` when their keys are exactly 1...n, otherwise
/// `.table` with string keys. Functions and userdata do not copy; bindings
/// read those through `LuaCall` (`function(at:)`, `object(at:as:)`).
public enum LuaValue: Equatable, Sendable {
    case `nil`
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([LuaValue])
    case table([String: LuaValue])

    /// Lua's type name for this value, as `type()` would print it.
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array, .table: return "table"
        }
    }

    public var isNil: Bool { if case .nil = self { return true } else { return false } }

    /// The number as a Double, for `.int` and `.double`.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    /// The value as an integer: `.int`, or a `.double` with an exact integer value.
    public var integer: Int? {
        switch self {
        case .int(let i): return i
        case .double(let d):
            guard d.rounded() == d, let i = Int(exactly: d) else { return nil }
            return i
        default: return nil
        }
    }

    public var string: String? { if case .string(let s) = self { return s } else { return nil } }
    public var bool: Bool? { if case .bool(let b) = self { return b } else { return nil } }

    /// Field of a `.table` (nil for anything else or a missing key).
    public subscript(key: String) -> LuaValue {
        if case .table(let t) = self { return t[key] ?? .nil }
        return .nil
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: LuaValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .table(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
