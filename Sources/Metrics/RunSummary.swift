/// A run's aggregate figures, computed from its request records by ``init(records:)``.
///
/// All times are seconds; throughputs are per second of makespan. Latency statistics
/// cover successful (`ok`) requests only, as vLLM's `bench serve` does; counts,
/// makespan and achieved concurrency cover every record. A statistic is nil when it
/// has no sample. docs/metrics.md defines every figure.
///
/// Stored as JSON in `runs.summary` (``json()``, ``init(json:)``) under the names of
/// ``Field``, e.g. `json_extract(summary, '$.ttft.p50')`.
public struct RunSummary: Sendable, Equatable, Codable {
    // MARK: Counts

    /// All records.
    public var requests: Int
    /// Records with status `ok`.
    public var succeeded: Int
    /// Records with status `error`.
    public var failed: Int
    /// Records with status `truncated`.
    public var truncated: Int
    /// Failed records by `ErrorKind` raw value (`"other"` when the kind is unknown),
    /// plus truncated records under `"truncated"`.
    public var errorsByKind: [String: Int]
    /// succeeded / requests; 0 when there are no requests.
    public var successRate: Double

    // MARK: Time and throughput

    /// Total completion time: latest end − earliest `sent` over all records, where a
    /// record's end is `ended`, or `sent` when it has none. 0 without records.
    public var makespan: Double
    /// succeeded / makespan (requests per second); 0 when makespan is 0.
    public var requestThroughput: Double
    /// outputTokens / makespan (tokens per second); 0 when makespan is 0.
    public var outputThroughput: Double
    /// (inputTokens + outputTokens) / makespan (tokens per second); 0 when makespan is 0.
    public var totalThroughput: Double
    /// Σ (end − sent) over all records / makespan: the time-averaged number of
    /// requests in flight. 0 when makespan is 0.
    public var achievedConcurrency: Double

    // MARK: Tokens (ok requests)

    /// Sum of prompt tokens over ok requests (a missing count adds 0).
    public var inputTokens: Int
    /// Sum of completion tokens over ok requests (a missing count adds 0).
    public var outputTokens: Int
    /// True when any ok request's token counts were counted from chunks.
    public var tokensApproximate: Bool

    // MARK: Latency (ok requests)

    /// Time to first token: firstToken − sent.
    public var ttft: LatencyStats?
    /// End-to-end latency: ended − sent.
    public var e2e: LatencyStats?
    /// Time per output token, one sample per request with more than one output token:
    /// (e2e − ttft) / (outputTokens − 1).
    public var tpot: LatencyStats?
    /// Inter-token latency: gaps between consecutive chunk arrivals, pooled over
    /// requests (every gap is one sample).
    public var itl: LatencyStats?
    /// Per-request output rate: outputTokens / e2e, for requests with e2e > 0 and a
    /// token count (tokens per second).
    public var tokensPerSecond: LatencyStats?

    // MARK: Open loop (records with `intended`)

    /// firstToken − intended, ok requests.
    public var ttftFromIntended: LatencyStats?
    /// ended − intended, ok requests.
    public var e2eFromIntended: LatencyStats?
    /// sent − intended, all records: how late the client sent.
    public var sendLag: LatencyStats?

    /// (failed + truncated) / requests; 0 when there are no requests. Stored for
    /// readers (Lua, export) and recomputed when read back.
    public var errorRate: Double {
        requests > 0 ? Double(failed + truncated) / Double(requests) : 0
    }

    /// True when the run was open loop (some record has an intended send time). Not stored.
    public var isOpenLoop: Bool { sendLag != nil }

    /// The name of every stored figure: the one name a user meets in Lua run tables,
    /// the `runs.summary` JSON, CSV/JSON Lines export and SLA clauses (docs/lua-style.md).
    /// Declaration order is export column order.
    public enum Field: String, CodingKey, CaseIterable, Sendable {
        case requests, succeeded, failed, truncated
        case errorsByKind = "errors_by_kind"
        case successRate = "success_rate"
        case errorRate = "error_rate"
        case makespan
        case requestsPerS = "requests_per_s"
        case outputTokensPerS = "output_tokens_per_s"
        case totalTokensPerS = "total_tokens_per_s"
        case achievedConcurrency = "achieved_concurrency"
        case inputTokens = "input_tokens"
        case outputTokens = "output_tokens"
        case tokensApprox = "tokens_approx"
        case ttft, tpot, itl, e2e
        case tokensPerS = "tokens_per_s"
        case ttftFromIntended = "ttft_from_intended"
        case e2eFromIntended = "e2e_from_intended"
        case sendLag = "send_lag"

        /// True for a distribution (a ``LatencyStats`` object with count, mean, p50…).
        public var isDistribution: Bool {
            switch self {
            case .ttft, .tpot, .itl, .e2e, .tokensPerS, .ttftFromIntended, .e2eFromIntended, .sendLag: return true
            default: return false
            }
        }

        /// Names used before schema 5 (and in Lua before this release), new name first.
        public static let renamed: [(old: String, new: Field)] = [
            ("request_throughput", .requestsPerS), ("output_throughput", .outputTokensPerS),
            ("total_throughput", .totalTokensPerS), ("tokens_per_second", .tokensPerS),
            ("tokens_approximate", .tokensApprox),
        ]
    }
}
