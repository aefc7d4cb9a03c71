import Metrics

extension SimRequest {
    /// A measured run's requests as the simulator replays them: in the order they were
    /// sent, with the token counts the server counted and the client's measured send
    /// delays. Returns the records in the same order, so request i of the replay is
    /// record i.
    ///
    /// A closed loop at concurrency c sends its first c requests at 0 and request k ≥ c
    /// when the (k − c + 1)-th request ends (in end order): the delay is `sent` minus
    /// that time. An open loop's delay is `sent − intended`. Negative values count as 0.
    public static func replaying(_ records: [RequestRecord], load: SimLoad) -> (records: [RequestRecord], requests: [SimRequest]) {
        let ordered = records.enumerated().sorted { a, b in
            a.element.sent != b.element.sent ? a.element.sent < b.element.sent : a.offset < b.offset
        }.map(\.element)
        var freed: [Double] = []
        if case .closed = load {
            // A request with no end (failed before one) is taken to free its slot when sent.
            freed = ordered.map { $0.ended ?? $0.sent }.sorted()
        }
        let requests = ordered.enumerated().map { k, r -> SimRequest in
            let delay: Double
            switch load {
            case .closed(let c):
                delay = r.sent - (k < c ? 0 : freed[k - c])
            case .open:
                delay = r.intended.map { r.sent - $0 } ?? 0
            }
            return SimRequest(inputTokens: max(1, r.inputTokens ?? 1), outputTokens: max(1, r.outputTokens ?? r.maxTokens ?? 1),
                              sendDelay: delay.isFinite ? max(0, delay) : 0)
        }
        return (ordered, requests)
    }
}
