/// The bounds a run must meet for its figures to be trusted, in the spirit of
/// MLPerf LoadGen's validity checks (minimum duration and query count, and a load
/// generator that kept up). Defaults are documented per field and in docs/metrics.md.
public struct ValidityRules: Sendable, Equatable, Codable {
    /// Minimum makespan, seconds. Default 10: shorter runs are dominated by
    /// ramp-up and ramp-down, and their tail percentiles rest on few samples.
    public var minDuration: Double
    /// Minimum number of requests (all records). Default 100: the fewest for which a
    /// p99 is interpolated between two samples that are not the maximum
    /// (rank 0.99 · 99 = 98.01).
    public var minRequests: Int
    /// Maximum fraction of requests that failed or were truncated,
    /// (failed + truncated) / requests. Default 0.05.
    public var maxErrorRate: Double
    /// Open loop only: maximum p99 of the send lag (sent − intended), seconds.
    /// Default 0.010: beyond it the client, not the server, shapes the arrival process.
    public var maxSendLagP99: Double
    /// Maximum CPU the client used, as a fraction of all the machine's cores
    /// (1 = every core busy). Default 0.9: a saturated client delays chunk reads and
    /// inflates the latencies it reports.
    public var maxClientCPU: Double

    /// Rules with the given bounds; each defaults to the documented value.
    public init(minDuration: Double = 10, minRequests: Int = 100, maxErrorRate: Double = 0.05,
                maxSendLagP99: Double = 0.010, maxClientCPU: Double = 0.9) {
        self.minDuration = minDuration
        self.minRequests = minRequests
        self.maxErrorRate = maxErrorRate
        self.maxSendLagP99 = maxSendLagP99
        self.maxClientCPU = maxClientCPU
    }

    /// The default rules.
    public static let standard = ValidityRules()
}
