/// What a ``TestServer`` has done so far; a snapshot from ``TestServer/stats()`` or `GET /stats`.
///
/// A "stream" here is a streamed generation response (`"stream": true`); non-streamed replies
/// show up in ``requestsByEndpoint`` and ``tokensSent`` only.
public struct TestServerStats: Sendable, Equatable, Codable {
    /// Complete HTTP requests received, of any kind.
    public var requests: Int = 0
    /// Requests by path (`/v1/completions`, `/v1/chat/completions`, `/v1/models`, `/health`,
    /// `/stats`); anything else counts under `other`.
    public var requestsByEndpoint: [String: Int] = [:]
    /// Injected faults by ``Fault/Kind`` raw value (`429`, `reset`, …).
    public var faultsInjected: [String: Int] = [:]
    /// Generation requests rejected with status 400.
    public var badRequests: Int = 0
    /// Tokens written, streamed or in non-streamed bodies.
    public var tokensSent: Int = 0
    /// Streams whose response head went out.
    public var streamsStarted: Int = 0
    /// Streams that ended with `data: [DONE]` (normal, `malformed` and `truncate`).
    public var streamsCompleted: Int = 0
    /// Streams ended early by the client closing, or by ``TestServer/stop()``.
    public var streamsCancelled: Int = 0
    /// Streams the server cut off on purpose (the `reset` fault).
    public var streamsAborted: Int = 0
    /// Streams still running.
    public var streamsActive: Int = 0
    /// TCP connections accepted.
    public var connectionsOpened: Int = 0
    /// TCP connections open now.
    public var connectionsActive: Int = 0
    /// How late the scheduled writes were: time just after the write's flush minus its deadline;
    /// one sample per streamed token and one per non-streamed body. With a ``TokenPacer`` a token
    /// has no deadline, so the sample is the server's own delay instead: write time minus when
    /// the pacer delivered the oldest token of that write.
    public var lateness: Lateness = .init()

    /// A summary of write lateness, in seconds.
    public struct Lateness: Sendable, Equatable, Codable {
        /// Samples (tokens written on a schedule).
        public var count: Int = 0
        /// Mean lateness.
        public var mean: Double = 0
        /// Median lateness (within about 1.6 %).
        public var p50: Double = 0
        /// 99th percentile lateness (within about 1.6 %).
        public var p99: Double = 0
        /// Largest lateness, exact.
        public var max: Double = 0

        /// An empty summary.
        public init() {}
    }

    /// Empty statistics.
    public init() {}
}
