/// A built-in way to score one response against its expected answer, 0 to 1.
/// Scorers are pure: the same response and expected answer always give the same score.
public enum Scorer: Sendable, Equatable {
    /// 1 when the response equals the expected answer. With `normalize`, both are
    /// trimmed, lower-cased and their runs of whitespace collapsed first.
    case exact(normalize: Bool)
    /// 1 when the response contains the expected answer (case-insensitive unless `caseSensitive`).
    case contains(caseSensitive: Bool)
    /// With a capture group: the first group's text, trimmed, must equal the expected
    /// answer (trimmed). Without one: 1 when the pattern matches the response anywhere.
    case regex(pattern: String)
    /// The last number in the response must be within `tolerance` of the expected
    /// number: |got − expected| ≤ tolerance, or ≤ tolerance × |expected| when `relative`.
    case numeric(tolerance: Double, relative: Bool)
    /// The letter the response chose (``ChoiceAnswer``) must equal the expected letter.
    case choice

    /// The scorer's version, stored with every item score; it changes whenever a rule
    /// changes, so a stored score says which rules made it.
    public var version: Int { 1 }

    /// The name stored with the scores: "exact", "contains", "regex:<pattern>", "numeric:<tolerance>".
    public var name: String {
        switch self {
        case .exact(let normalize): return normalize ? "exact" : "exact:strict"
        case .contains(let cs): return cs ? "contains:case" : "contains"
        case .regex(let pattern): return "regex:\(pattern)"
        case .numeric(let tolerance, let relative): return "numeric:\(tolerance)\(relative ? "rel" : "")"
        case .choice: return "choice"
        }
    }

    /// Checks the scorer's own parameters (a pattern that compiles, a tolerance ≥ 0).
    public func validate() throws {
        switch self {
        case .regex(let pattern):
            do { _ = try Regex(pattern) } catch {
                throw QualityError.invalid(name: "regex pattern", expected: "a valid regular expression",
                                           got: "\(pattern) (\(error))")
            }
        case .numeric(let tolerance, _):
            guard tolerance.isFinite, tolerance >= 0 else {
                throw QualityError.invalid(name: "tolerance", expected: "a finite number ≥ 0", got: "\(tolerance)")
            }
        default: break
        }
    }

    /// The score of one response; a missing response scores 0, and so does a missing
    /// expected answer for every scorer that needs one.
    public func score(response: String?, expected: String?) throws -> Double {
        guard let response else { return 0 }
        switch self {
        case .exact(let normalize):
            guard let expected else { return 0 }
            return normalize ? (Self.normalized(response) == Self.normalized(expected) ? 1 : 0)
                             : (response == expected ? 1 : 0)
        case .contains(let caseSensitive):
            guard let expected, !expected.isEmpty else { return 0 }
            return caseSensitive ? (response.contains(expected) ? 1 : 0)
                                 : (response.lowercased().contains(expected.lowercased()) ? 1 : 0)
        case .regex(let pattern):
            let regex = try Regex(pattern)
            guard let match = try regex.firstMatch(in: response) else { return 0 }
            guard match.output.count > 1 else { return 1 }
            guard let expected, let group = match.output[1].substring else { return 0 }
            return Self.trim(String(group)) == Self.trim(expected) ? 1 : 0
        case .numeric(let tolerance, let relative):
            guard let expected, let want = Self.numbers(in: expected).last,
                  let got = Self.numbers(in: response).last else { return 0 }
            let limit = relative ? tolerance * abs(want) : tolerance
            return abs(got - want) <= limit ? 1 : 0
        case .choice:
            guard let expected, let want = Self.trim(expected).uppercased().first,
                  let got = ChoiceAnswer.letter(in: response) else { return 0 }
            return got == want ? 1 : 0
        }
    }

    static func trim(_ s: String) -> String {
        String(s.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }

    /// Trimmed, lower-cased, whitespace runs collapsed to one space.
    static func normalized(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Decimal numbers in the text, in order ("1,234.5" reads as 1234.5; "-3" as −3).
    public static func numbers(in text: String) -> [Double] {
        var out: [Double] = []
        var current = ""
        func flush() {
            let cleaned = current.replacingOccurrences(of: ",", with: "")
            if let d = Double(cleaned.hasSuffix(".") ? String(cleaned.dropLast()) : cleaned), d.isFinite { out.append(d) }
            current = ""
        }
        for ch in text {
            if ch.isASCII, ch.isNumber || ch == "." || (ch == "," && !current.isEmpty) {
                current.append(ch)
            } else if ch == "-", current.isEmpty {
                current.append(ch)
            } else {
                flush()
                if ch == "-" { current.append(ch) }
            }
        }
        flush()
        return out
    }
}
