import Foundation

/// Whether a run's figures can be trusted, and if not, why.
public struct Verdict: Sendable, Equatable, Codable {
    /// The verdict as stored (`runs.verdict`): JSON with sorted keys, so the same verdict
    /// is the same text in every process.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// True when the run met every rule.
    public var valid: Bool
    /// One sentence per broken rule, naming the figure and the bound
    /// (e.g. "ran 4.2 s, less than the minimum 10 s"); empty when valid.
    public var reasons: [String]

    /// A verdict from its parts.
    public init(valid: Bool, reasons: [String]) {
        self.valid = valid
        self.reasons = reasons
    }

    /// A verdict that is valid exactly when `reasons` is empty.
    public init(reasons: [String]) {
        self.init(valid: reasons.isEmpty, reasons: reasons)
    }

    /// Checks `summary` against `rules`. A run is invalid when it ran less than
    /// `minDuration`, had fewer than `minRequests` requests, more than `maxErrorRate`
    /// of them failed or truncated, (open loop) its send lag p99 exceeds
    /// `maxSendLagP99`, or `clientCPUFraction` (the busiest client thread's CPU time
    /// over the run's wall time: 1 is one core fully busy; nil when unknown) exceeds
    /// `maxClientCPU`. An event loop that busy cannot read chunks the moment they
    /// arrive, so its timestamps lag. An open loop that dropped requests (`offered`) is
    /// invalid whatever the rules: it did not offer its rate. Reasons come in that order.
    public static func evaluate(summary: RunSummary, rules: ValidityRules = .standard,
                                clientCPUFraction: Double?, offered: OfferedLoad? = nil) -> Verdict {
        var reasons: [String] = []
        if summary.makespan < rules.minDuration {
            let (ran, bound) = Figures.numbers(summary.makespan, rules.minDuration)
            reasons.append("ran \(ran) s, less than the minimum \(bound) s")
        }
        if summary.requests < rules.minRequests {
            reasons.append("ran \(summary.requests) requests, "
                + "fewer than the minimum \(rules.minRequests)")
        }
        if summary.requests > 0, summary.errorRate > rules.maxErrorRate {
            let (rate, bound) = Figures.percents(summary.errorRate, rules.maxErrorRate)
            let bad = summary.failed + summary.truncated
            reasons.append("\(rate) of requests failed or were truncated "
                + "(\(bad) of \(summary.requests)), more than the maximum \(bound)")
        }
        if let lag = summary.sendLag, lag.p99 > rules.maxSendLagP99 {
            let (p99, bound) = Figures.numbers(lag.p99 * 1000, rules.maxSendLagP99 * 1000)
            reasons.append("send lag p99 was \(p99) ms, more than the maximum \(bound) ms")
        }
        if let cpu = clientCPUFraction, cpu > rules.maxClientCPU {
            let (used, bound) = Figures.percents(cpu, rules.maxClientCPU)
            reasons.append("the client's busiest thread was busy \(used) of the run, "
                + "more than the maximum \(bound): the client may have delayed what it measured")
        }
        if let r = offered?.droppedReason { reasons.append(r) }
        return Verdict(reasons: reasons)
    }
}

extension Verdict: CustomStringConvertible {
    /// "valid", or "invalid: " followed by the reasons joined with "; "
    /// (suitable for the `runs.verdict` column).
    public var description: String {
        valid ? "valid" : "invalid: " + reasons.joined(separator: "; ")
    }
}
