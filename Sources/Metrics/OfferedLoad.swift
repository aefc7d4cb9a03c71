/// What the load generator meant to send and what it did send (docs/metrics.md,
/// "Offered load"). An open loop that falls behind its schedule drops or delays
/// requests; a run that dropped load did not measure the rate it was asked for.
public struct OfferedLoad: Sendable, Equatable, Codable {
    /// Requests the run meant to send (the workload, cut to `max_requests`), plus
    /// follow-ups and later turns queued during the run.
    public var planned: Int
    /// Requests actually sent.
    public var sent: Int
    /// Open loop: requests that came due but were never sent, because every slot of
    /// `max_in_flight` stayed busy until the run's duration ended.
    public var dropped: Int
    /// Open loop: requests sent after waiting for a free slot at `max_in_flight`
    /// (their lateness is in `send_lag`).
    public var late: Int

    public init(planned: Int, sent: Int, dropped: Int, late: Int) {
        self.planned = planned
        self.sent = sent
        self.dropped = dropped
        self.late = late
    }

    /// The verdict's reason when load was dropped, else nil.
    public var droppedReason: String? {
        guard dropped > 0 else { return nil }
        return "dropped \(dropped) of \(planned) planned requests (due, but every slot of max_in_flight was busy "
            + "until the run ended): the run did not offer the load it was asked for"
    }
}
