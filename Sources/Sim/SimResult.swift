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

    /// The run's figures, computed exactly as for a measured run.
    public var summary: RunSummary { RunSummary(records: records) }
}
