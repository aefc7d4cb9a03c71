/// Why a quality input was rejected; messages name the input and what was expected.
public enum QualityError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(name: String, expected: String, got: String)

    public var description: String {
        switch self {
        case let .invalid(name, expected, got): return "\(name) must be \(expected), got \(got)"
        }
    }
}
