import Foundation

/// A Lua error that reached Swift.
public enum LuaError: Error, CustomStringConvertible, Equatable {
    /// The chunk did not compile. `message` is Lua's, with `chunk:line:`.
    case syntax(message: String)
    /// A runtime error; `traceback` is Lua's stack traceback (may be empty).
    case runtime(message: String, traceback: String)
    /// The VM could not be created or is already closed.
    case unavailable(String)

    public var message: String {
        switch self {
        case .syntax(let m), .unavailable(let m): return m
        case .runtime(let m, _): return m
        }
    }

    public var description: String {
        switch self {
        case .runtime(let m, let tb) where !tb.isEmpty: return m + "\n" + tb
        default: return message
        }
    }

    /// Splits the text our message handler produces ("msg\nstack traceback:\n...").
    static func runtime(handled text: String) -> LuaError {
        if let r = text.range(of: "\nstack traceback:") {
            return .runtime(message: String(text[..<r.lowerBound]),
                            traceback: String(text[text.index(after: r.lowerBound)...]))
        }
        return .runtime(message: text, traceback: "")
    }
}

/// Errors a binding throws about its arguments; formatted as Lua's own
/// `bad argument #2 to 'cost.gpu' (number expected, got string)`.
public struct LuaArgumentError: Error, CustomStringConvertible {
    public let position: Int
    public let function: String
    public let detail: String
    /// The structured error's code: `bad_argument` unless the argument names
    /// something that does not exist (`not_found`) or cannot be parsed (`parse`).
    public let code: String

    public init(position: Int, function: String, detail: String, code: String = "bad_argument") {
        self.position = position
        self.function = function
        self.detail = detail
        self.code = code
    }

    public var description: String {
        position == 0
            ? "calling '\(function)' on bad self (\(detail))"
            : "bad argument #\(position) to '\(function)' (\(detail))"
    }
}

/// An error message a binding raises as-is (Lua adds the caller's position),
/// with the code scripts can branch on (docs/errors.md; `runtime` unless said).
public struct LuaScriptError: Error, CustomStringConvertible {
    public let description: String
    /// The structured error's `code`: `not_found`, `interrupted`, ….
    public let code: String
    /// The option or field at fault, if any.
    public let field: String?

    public init(_ message: String, code: String = "runtime", field: String? = nil) {
        description = message
        self.code = code
        self.field = field
    }
}
