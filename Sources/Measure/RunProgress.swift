import Foundation
import Metrics
import NIOConcurrencyHelpers

/// Figures so far, for a progress line and `on_progress`.
public struct RunProgress: Sendable, Equatable {
    /// Requests finished (any status) and planned.
    public var done: Int
    public var total: Int
    public var succeeded: Int
    public var errors: Int
    public var inFlight: Int
    /// Seconds since the first send.
    public var elapsed: Double
    public var outputTokens: Int
    /// Median TTFT of successful requests so far, seconds.
    public var ttftP50: Double?
    /// Open loop: requests due but never sent (the in-flight cap was full when the run ended).
    public var dropped = 0
    /// Open loop: requests sent after waiting for a slot at the in-flight cap.
    public var late = 0
    /// Open loop: requests due now and waiting for a slot.
    public var waiting = 0

    public var requestsPerSecond: Double { elapsed > 0 ? Double(done) / elapsed : 0 }
    public var outputTokensPerSecond: Double { elapsed > 0 ? Double(outputTokens) / elapsed : 0 }
    /// Seconds left at the current pace, when it can be told.
    public var remaining: Double? {
        guard done > 0, total > done, elapsed > 0 else { return nil }
        return Double(total - done) * elapsed / Double(done)
    }

    /// One line: "1234/2993  45.2 req/s  3210 tok/s  p50 TTFT 231 ms  0 errors  12 s, ~15 s left".
    public var line: String {
        var s = "\(done)/\(total)  \(String(format: "%.1f", requestsPerSecond)) req/s  "
            + "\(Int(outputTokensPerSecond.rounded())) tok/s"
        if let t = ttftP50 { s += "  p50 TTFT \(Self.duration(t))" }
        s += "  \(errors) error\(errors == 1 ? "" : "s")"
        // Only when the open loop fell behind: these say the rate was not offered as asked.
        if waiting > 0 { s += "  \(waiting) waiting" }
        if late > 0 { s += "  \(late) late" }
        if dropped > 0 { s += "  \(dropped) dropped" }
        s += "  \(Int(elapsed.rounded())) s"
        if let r = remaining { s += ", ~\(Int(r.rounded())) s left" }
        return s
    }

    public static func duration(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : String(format: "%.2f s", s)
    }
}

/// Collects finished records from event-loop threads (locked), and keeps
/// running counts so a progress snapshot costs little.
final class RecordCollector: Sendable {
    /// Everything shared, taken once per record, per send and per snapshot.
    private struct State {
        var records: [RequestRecord] = []
        var ttfts: [Double] = []
        var succeeded = 0
        var errors = 0
        var outputTokens = 0
        var firstSent: Double?
        /// After the summary is taken, stragglers are neither counted nor stored.
        var closed = false
    }

    private let state = NIOLockedValueBox(State())
    private let sink: (@Sendable ([RequestRecord]) -> Void)?

    init(sink: (@Sendable ([RequestRecord]) -> Void)?) { self.sink = sink }

    func close() {
        state.withLockedValue { $0.closed = true }
    }

    func add(_ r: RequestRecord) {
        // The sink is called under the lock: once close() returns, every kept record has
        // reached the store, so the run's final flush (or spill) holds all of them.
        state.withLockedValue { s in
            if s.closed { return }
            s.records.append(r)
            if r.status == .ok {
                s.succeeded += 1
                s.outputTokens += r.outputTokens ?? 0
                if let t = r.ttft { s.ttfts.append(t) }
            } else {
                s.errors += 1
            }
            sink?([r])
        }
    }

    func noteSent(_ t: Double) {
        state.withLockedValue { s in
            if s.firstSent == nil { s.firstSent = t }
        }
    }

    func snapshot(total: Int, inFlight: Int, now: Double) -> RunProgress {
        let (p, sample) = state.withLockedValue { s in
            (RunProgress(done: s.records.count, total: total, succeeded: s.succeeded, errors: s.errors, inFlight: inFlight,
                         elapsed: s.firstSent.map { now - $0 } ?? 0, outputTokens: s.outputTokens, ttftP50: nil), s.ttfts)
        }
        var out = p
        // Sorted outside the lock, so the event loops never wait on it.
        if !sample.isEmpty { out.ttftP50 = LatencyStats.percentile(sample.sorted(), 50) }
        return out
    }

    /// Records from the `from`-th collected on, in the order they finished.
    func records(from: Int) -> [RequestRecord] {
        state.withLockedValue { s in from < s.records.count ? Array(s.records[from...]) : [] }
    }

    /// Records collected so far.
    var count: Int { state.withLockedValue { $0.records.count } }

    func all() -> [RequestRecord] {
        state.withLockedValue { $0.records }.sorted { $0.index < $1.index }
    }
}
