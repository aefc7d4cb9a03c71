import Metrics

extension RunSummary {
    /// A summary holding only counts, tokens and a time base, for files that give
    /// aggregates without per-request detail. Throughputs follow our definitions
    /// (per second of `makespan`); every latency statistic starts nil.
    static func aggregate(succeeded: Int, failed: Int, truncated: Int = 0, makespan: Double,
                          inputTokens: Int, outputTokens: Int) -> RunSummary {
        var summary = RunSummary(records: [])
        let requests = succeeded + failed + truncated
        summary.requests = requests
        summary.succeeded = succeeded
        summary.failed = failed
        summary.truncated = truncated
        var kinds: [String: Int] = [:]
        if failed > 0 { kinds[ErrorKind.other.rawValue] = failed }
        if truncated > 0 { kinds["truncated"] = truncated }
        summary.errorsByKind = kinds
        summary.successRate = requests > 0 ? Double(succeeded) / Double(requests) : 0
        summary.inputTokens = inputTokens
        summary.outputTokens = outputTokens
        summary.setThroughputs(makespan: makespan)
        return summary
    }

    /// Replaces the makespan with `makespan` and recomputes the throughputs over it,
    /// for records whose send times are unknown (laid out from 0), where the records'
    /// own span would understate the run. Achieved concurrency is recomputed from
    /// `records`' durations over the new makespan.
    mutating func rebase(makespan: Double, records: [RequestRecord]) {
        setThroughputs(makespan: makespan)
        let busy = records.reduce(0.0) { $0 + (($1.ended ?? $1.sent) - $1.sent) }
        achievedConcurrency = makespan > 0 ? busy / makespan : 0
    }

    /// Takes each reported latency statistic that is complete (every field known).
    mutating func adopt(_ reported: [String: ReportedStats]) {
        ttft = reported["ttft"]?.complete
        tpot = reported["tpot"]?.complete
        itl = reported["itl"]?.complete
        e2e = reported["e2e"]?.complete
    }

    private mutating func setThroughputs(makespan: Double) {
        self.makespan = makespan
        let perSecond = { (amount: Double) in makespan > 0 ? amount / makespan : 0 }
        requestThroughput = perSecond(Double(succeeded))
        outputThroughput = perSecond(Double(outputTokens))
        totalThroughput = perSecond(Double(inputTokens + outputTokens))
    }
}

/// Builds chunk arrival offsets from a first-chunk time and the gaps after it:
/// `[first, first + g1, first + g1 + g2, …]` (cumulative sums).
func chunkOffsets(first: Double, gaps: [Double]) -> [Double] {
    var times = [first]
    times.reserveCapacity(gaps.count + 1)
    var now = first
    for gap in gaps {
        now += gap
        times.append(now)
    }
    return times
}
