import Metrics

/// What a simulation produced: records like measured ones, and the engine's own counts.
public struct SimResult: Sendable, Equatable {
    /// One record per request, in the order of the request list (`index` = position).
    public var records: [RequestRecord]
    /// Scheduler iterations (forward passes) run.
    public var iterations: Int
    /// Preemptions in total (a request preempted twice counts twice).
    public var preemptions: Int
    /// Preemptions of each request, by position in the request list.
    public var preemptionsPerRequest: [Int]
    /// Tokens the KV cache holds.
    public var kvCapacityTokens: Int
    /// First request sent → last request done, seconds.
    public var makespan: Double
    /// Seconds the engine spent in iterations (makespan minus idle time).
    public var busyTime: Double
    /// Most sequences running in one iteration.
    public var peakRunning: Int

    /// Inter-token latency over every token after a request's first: the same sample a
    /// measured run's chunk gaps give, counted per iteration so that no per-token
    /// array is needed (records carry chunk times only when asked).
    public var itl: LatencyStats?

    /// The run's figures, computed as for a measured run. Inter-token latency comes
    /// from the records' chunk times when they hold them (so that the summary of an
    /// exported and re-imported run is the same to the last bit), else from ``itl``.
    public var summary: RunSummary {
        var summary = RunSummary(records: records)
        if !records.contains(where: { $0.chunkTimes.count > 1 }) { summary.itl = itl }
        return summary
    }
}
