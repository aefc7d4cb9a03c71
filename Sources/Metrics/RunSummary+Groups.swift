import Foundation

/// A run's figures for one group of its requests: a class (`chat`, `rag`) or a
/// session's turn index (docs/metrics.md, "Figures by class and by turn").
public struct GroupFigures: Sendable, Equatable {
    /// The group's figures. Latency statistics and counts are the group's own; makespan
    /// is the whole run's, so throughputs are the group's share of the run's and the
    /// groups' throughputs add up to the run's.
    public var summary: RunSummary
    /// The group's share of the run's tokens, (input + output) over ok requests: how much
    /// of the run's cost the group caused when cost is charged per token. nil when the
    /// run has no token counts.
    public var costShare: Double?

    /// The figures as stored under `by_class` / `by_turn` in `runs.summary`: the summary's
    /// fields plus `cost_share`.
    public func jsonObject() throws -> [String: Any] {
        let data = Data(try summary.json().utf8)
        var object = (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        if let costShare { object["cost_share"] = costShare }
        return object
    }
}

extension RunSummary {
    /// The figures of each group of `records`, by `key` (records whose key is nil belong to
    /// no group). Throughputs and achieved concurrency are over the whole run's makespan.
    public static func grouped(_ records: [RequestRecord], by key: (RequestRecord) -> String?) -> [String: GroupFigures] {
        var groups: [String: [RequestRecord]] = [:]
        for r in records {
            if let k = key(r) { groups[k, default: []].append(r) }
        }
        guard !groups.isEmpty else { return [:] }
        let whole = RunSummary(records: records)
        let wholeTokens = Double(whole.inputTokens + whole.outputTokens)
        return groups.mapValues { members in
            var s = RunSummary(records: members)
            let busy = s.achievedConcurrency * s.makespan
            let m = whole.makespan
            s.makespan = m
            s.requestThroughput = m > 0 ? Double(s.succeeded) / m : 0
            s.outputThroughput = m > 0 ? Double(s.outputTokens) / m : 0
            s.totalThroughput = m > 0 ? Double(s.inputTokens + s.outputTokens) / m : 0
            s.achievedConcurrency = m > 0 ? busy / m : 0
            let share = wholeTokens > 0 ? Double(s.inputTokens + s.outputTokens) / wholeTokens : nil
            return GroupFigures(summary: s, costShare: share)
        }
    }

    /// `grouped` as a JSON object (group name → figures), nil when there are no groups.
    public static func groupedJSON(_ records: [RequestRecord], by key: (RequestRecord) -> String?) throws -> [String: Any]? {
        let groups = grouped(records, by: key)
        guard !groups.isEmpty else { return nil }
        return try groups.mapValues { try $0.jsonObject() }
    }
}
