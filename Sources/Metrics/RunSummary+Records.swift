extension RunSummary {
    /// Computes every figure from a run's records (in any order). See docs/metrics.md.
    public init(records: [RequestRecord]) {
        let ok = records.filter { $0.status == .ok }
        let failed = records.filter { $0.status == .error }
        let truncated = records.count(where: { $0.status == .truncated })

        var errorsByKind: [String: Int] = [:]
        for record in failed {
            errorsByKind[(record.errorKind ?? .other).rawValue, default: 0] += 1
        }
        if truncated > 0 { errorsByKind["truncated"] = truncated }

        let makespan = Self.makespan(records)
        let inputTokens = ok.reduce(0) { $0 + ($1.inputTokens ?? 0) }
        let outputTokens = ok.reduce(0) { $0 + ($1.outputTokens ?? 0) }
        let perSecond = { (amount: Double) in makespan > 0 ? amount / makespan : 0 }
        let busy = records.reduce(0.0) { $0 + ($1.endOrSent - $1.sent) }

        requests = records.count
        succeeded = ok.count
        self.failed = failed.count
        self.truncated = truncated
        self.errorsByKind = errorsByKind
        successRate = records.isEmpty ? 0 : Double(ok.count) / Double(records.count)
        self.makespan = makespan
        requestThroughput = perSecond(Double(ok.count))
        outputThroughput = perSecond(Double(outputTokens))
        totalThroughput = perSecond(Double(inputTokens + outputTokens))
        achievedConcurrency = perSecond(busy)
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        tokensApproximate = ok.contains { $0.tokensApproximate }

        ttft = LatencyStats(ok.compactMap(\.ttft))
        e2e = LatencyStats(ok.compactMap(\.e2e))
        tpot = LatencyStats(ok.compactMap(\.timePerOutputToken))
        itl = LatencyStats(ok.flatMap(\.chunkGaps))
        tokensPerSecond = LatencyStats(ok.compactMap(\.outputTokensPerSecond))
        ttftFromIntended = LatencyStats(ok.compactMap(\.ttftFromIntended))
        e2eFromIntended = LatencyStats(ok.compactMap(\.e2eFromIntended))
        sendLag = LatencyStats(records.compactMap(\.sendLag))
    }

    /// Latest end (`ended`, else `sent`) − earliest `sent`; 0 without records.
    static func makespan(_ records: [RequestRecord]) -> Double {
        guard let start = records.map(\.sent).min(),
              let end = records.map(\.endOrSent).max() else { return 0 }
        return Swift.max(end - start, 0)
    }
}
