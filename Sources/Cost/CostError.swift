import Foundation

/// Why a cost input was rejected. Every message names the parameter and what was
/// expected, so a script author can fix the call without reading this code:
/// "utilization must be in (0, 1], got 0".
public enum CostError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value outside its domain: `name` must be `expected`, got `got`.
    case invalid(name: String, expected: String, got: String)
    /// A value that the chosen method needs but that was not given.
    case missing(name: String, reason: String)
    /// A GPU preset name that matches no preset or alias; `known` lists the presets.
    case unknownPreset(name: String, known: [String])

    public var description: String {
        switch self {
        case let .invalid(name, expected, got):
            return "\(name) must be \(expected), got \(got)"
        case let .missing(name, reason):
            return "\(name) is required: \(reason)"
        case let .unknownPreset(name, known):
            return "unknown GPU preset \"\(name)\"; known presets: \(known.joined(separator: ", "))"
        }
    }
}

/// Numbers as error messages print them: integers without a trailing ".0" ("0", "-5"),
/// others in Swift's shortest round-trip form ("0.25"), so the user sees what they typed.
func formatNumber(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return "\(value)"
}
