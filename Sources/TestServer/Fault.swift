/// A fault the ``TestServer`` injects into a share of generation requests.
///
/// Which requests get it is deterministic: generation requests are numbered k = 0, 1, 2… in
/// arrival order, and each kind gets its own share: a kind with fraction f is due once more
/// whenever ⌊(k+1)·f⌋ grows, and each request takes the kind furthest behind (listed order
/// breaks ties), so of the first n requests each kind gets ⌊n·f⌋ or one fewer, and the
/// shares add up (their sum may not exceed 1).
public struct Fault: Sendable, Equatable {
    /// What goes wrong.
    public enum Kind: String, Sendable, CaseIterable {
        /// Status 429 with an OpenAI-style JSON error, immediately.
        case http429 = "429"
        /// Status 500 with an OpenAI-style JSON error, immediately.
        case http500 = "500"
        /// Headers and about half the tokens on schedule, then a TCP reset (no terminating chunk).
        case reset
        /// A normal stream with one `data: {not json` event after about half the tokens.
        case malformed
        /// The response head, then nothing until the client closes.
        case stall
        /// Status 200 with an HTML body instead of JSON.
        case nonJSON = "non_json"
        /// About half the tokens, then `data: [DONE]` without a finish reason.
        case truncate
    }

    /// What goes wrong.
    public var kind: Kind
    /// Share of generation requests that get this fault, 0...1.
    public var fraction: Double

    /// A fault of `kind` on `fraction` of the requests (all of them by default).
    public init(kind: Kind, fraction: Double = 1) {
        self.kind = kind
        self.fraction = fraction
    }

    /// Parses a comma-separated list such as `"429:0.1,reset:0.05,stall"`.
    ///
    /// Each part is `kind` or `kind:fraction`; a missing fraction means 1. An empty (or
    /// all-blank) spec means no faults. Throws ``FaultParseError`` naming the bad part.
    /// A kind listed twice, or fractions adding up to more than 1, is an error too.
    public static func parse(_ spec: String) throws -> [Fault] {
        let trimmedSpec = spec.trimmingASCIIWhitespace()
        if trimmedSpec.isEmpty { return [] }
        let faults = try trimmedSpec.split(separator: ",", omittingEmptySubsequences: false).map { rawPart in
            try parsePart(String(rawPart).trimmingASCIIWhitespace(), in: spec)
        }
        var seen = Set<Kind>()
        for f in faults where !seen.insert(f.kind).inserted {
            throw FaultParseError(message: "fault kind '\(f.kind.rawValue)' is listed twice in '\(spec)' (give each kind once, with its share)")
        }
        let total = faults.reduce(0) { $0 + $1.fraction }
        guard total <= 1 + 1e-9 else {
            throw FaultParseError(message: "the fault shares in '\(spec)' add up to \(total), more than 1 "
                + "(each kind gets its own share of the requests; a kind without a fraction takes all of them)")
        }
        return faults
    }

    private static func parsePart(_ part: String, in spec: String) throws -> Fault {
        guard !part.isEmpty else {
            throw FaultParseError(message: "empty fault in '\(spec)' (expected kind or kind:fraction, comma-separated)")
        }
        let pieces = part.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(pieces[0]).trimmingASCIIWhitespace().lowercased()
        guard let kind = Kind(rawValue: name) else {
            let known = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw FaultParseError(message: "unknown fault kind '\(name)' in '\(part)' (expected one of \(known))")
        }
        guard pieces.count == 2 else { return Fault(kind: kind) }
        let text = String(pieces[1]).trimmingASCIIWhitespace()
        guard let fraction = Double(text), fraction.isFinite, (0...1).contains(fraction) else {
            throw FaultParseError(message: "bad fraction '\(text)' in '\(part)' (expected a number from 0 to 1)")
        }
        return Fault(kind: kind, fraction: fraction)
    }
}

/// A fault spec that ``Fault/parse(_:)`` could not read; ``message`` names the bad part.
public struct FaultParseError: Error, CustomStringConvertible, Equatable {
    /// What is wrong, quoting the offending part of the spec.
    public var message: String
    public var description: String { message }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines (no Foundation needed).
    func trimmingASCIIWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isBlank($0) }),
              let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}
