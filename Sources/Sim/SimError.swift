import Foundation

/// Why a simulator input was rejected or a simulation could not run. Every message
/// names the field or the figures involved, so a script author can fix the call
/// without reading this code: "mfu must be in (0, 1], got 1.5".
public enum SimError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value outside its domain: `name` must be `expected`, got `got`.
    case invalid(name: String, expected: String, got: String)
    /// A GPU or model name that matches no preset or alias; `known` lists the presets.
    case unknownProfile(kind: String, name: String, known: [String])
    /// The model's weights do not fit in the deployment's usable memory, or leave no
    /// room for the KV cache. The message carries the figures.
    case doesNotFit(String)
    /// A request whose prompt plus output exceeds the whole KV cache: it could never run.
    case requestTooLong(index: Int, tokens: Int, capacity: Int)
    /// Without chunked prefill a prompt must fit in one iteration's token budget.
    case promptOverBudget(index: Int, tokens: Int, maxBatchedTokens: Int)
    /// Calibration needs measured ok records to compare against.
    case noMeasurements(String)
    /// The scheduler found nothing to run with requests unfinished: a bug in the
    /// simulator, reported instead of looping forever or returning partial records.
    case stalled(time: Double, unfinished: Int)

    /// The message a script author sees.
    public var description: String {
        switch self {
        case let .invalid(name, expected, got):
            return "\(name) must be \(expected), got \(got)"
        case let .unknownProfile(kind, name, known):
            return "unknown \(kind) \"\(name)\"; known: \(known.joined(separator: ", "))"
        case let .doesNotFit(message):
            return message
        case let .requestTooLong(index, tokens, capacity):
            return "request \(index + 1) needs \(tokens) tokens of KV cache (input + output), "
                + "more than the whole cache of \(capacity) tokens"
        case let .promptOverBudget(index, tokens, budget):
            return "request \(index + 1) has a \(tokens)-token prompt, more than max_batched_tokens "
                + "\(budget); enable chunked prefill or raise max_batched_tokens"
        case let .noMeasurements(message):
            return message
        case let .stalled(time, unfinished):
            return "the simulated scheduler stalled at \(formatNumber(time)) s with \(unfinished) requests unfinished "
                + "(a simulator bug; please report it with the inputs)"
        }
    }
}

/// The checks every validating initialiser shares, so messages read the same
/// across the target. Non-finite numbers are reported as such first.
enum Check {
    static func positive(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0 else {
            throw SimError.invalid(name: name, expected: "a finite number > 0", got: formatNumber(value))
        }
    }

    static func nonNegative(_ value: Double, _ name: String) throws {
        guard value.isFinite, value >= 0 else {
            throw SimError.invalid(name: name, expected: "a finite number ≥ 0", got: formatNumber(value))
        }
    }

    /// 0 < value ≤ 1: a share of a peak figure (zero would divide by zero).
    static func unitFraction(_ value: Double, _ name: String) throws {
        guard value.isFinite, value > 0, value <= 1 else {
            throw SimError.invalid(name: name, expected: "in (0, 1]", got: formatNumber(value))
        }
    }

    static func count(_ value: Int, in range: ClosedRange<Int>, _ name: String) throws {
        guard range.contains(value) else {
            throw SimError.invalid(name: name, expected: "in \(range.lowerBound)...\(range.upperBound)",
                                   got: String(value))
        }
    }

    static func name(_ value: String, _ field: String) throws {
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw SimError.invalid(name: field, expected: "a non-empty name", got: "\"\(value)\"")
        }
    }
}

/// Numbers as error messages print them: integers without ".0", others in Swift's
/// shortest round-trip form, so the user sees what they typed.
func formatNumber(_ value: Double) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

/// Bytes as gigabytes (10⁹, as datasheets count them) to three significant figures:
/// "141 GB", "21.6 GB", "0.512 GB".
func formatGB(_ bytes: Double) -> String {
    let gb = bytes / 1e9
    let digits = gb >= 100 ? 0 : gb >= 10 ? 1 : gb >= 1 ? 2 : 3
    var text = String(format: "%.\(digits)f", gb)
    if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
    }
    return text + " GB"
}

/// Names people type: case, spaces, hyphens and underscores carry no meaning
/// (the same rule as `GPUPreset.named` in Cost, so one name works in both).
func normalizedName(_ name: String) -> String {
    String(name.lowercased().filter { !" -_".contains($0) })
}
