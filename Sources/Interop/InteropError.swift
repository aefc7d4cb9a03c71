/// Why a foreign file could not be imported, or a text could not be parsed.
///
/// Every case names where the problem is (a field path such as
/// `benchmarks[0].requests.successful[3].first_token_time`, or a line number) and
/// what was expected there, so a user can fix or report the file.
public enum InteropError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file's format could not be recognised; `known` lists the formats tried.
    case unknownFormat(filename: String?, known: [String], detail: String)
    /// The file is not valid JSON (or a JSON Lines line is not), at `line` when known.
    case notJSON(format: String, line: Int?, detail: String)
    /// A field is missing or has the wrong type or value.
    case invalidField(format: String, path: String, expected: String, found: String)
    /// A Prometheus text exposition line is malformed (`line` is 1-based).
    case prometheus(line: Int, expected: String, found: String)

    public var description: String {
        switch self {
        case let .unknownFormat(filename, known, detail):
            let name = filename.map { "'\($0)'" } ?? "the data"
            return "cannot tell the format of \(name): \(detail); known formats: "
                + known.joined(separator: ", ") + " (name one with --format)"
        case let .notJSON(format, line, detail):
            let place = line.map { " line \($0):" } ?? ""
            return "\(format):\(place) not valid JSON: \(detail)"
        case let .invalidField(format, path, expected, found):
            return "\(format): \(path): expected \(expected), found \(found)"
        case let .prometheus(line, expected, found):
            return "prometheus text line \(line): expected \(expected), found \(found)"
        }
    }
}
