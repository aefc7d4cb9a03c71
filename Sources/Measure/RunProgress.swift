import Foundation
import Metrics

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
        s += "  \(errors) error\(errors == 1 ? "" : "s")  \(Int(elapsed.rounded())) s"
        if let r = remaining { s += ", ~\(Int(r.rounded())) s left" }
        return s
    }

    public static func duration(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : String(format: "%.2f s", s)
    }
}

/// Collects finished records from event-loop threads (locked), and keeps
/// running counts so a progress snapshot costs little.
final class RecordCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var records: [RequestRecord] = []
    private var ttfts: [Double] = []
    private var succeeded = 0
    private var errors = 0
    private var outputTokens = 0
    private var firstSent: Double?
    private let sink: (@Sendable ([RequestRecord]) -> Void)?

    init(sink: (@Sendable ([RequestRecord]) -> Void)?) { self.sink = sink }

    /// After the summary is taken, stragglers are neither counted nor stored.
    private var closed = false

    func close() {
        lock.lock()
        closed = true
        lock.unlock()
    }

    func add(_ r: RequestRecord) {
        lock.lock()
        if closed { lock.unlock(); return }
        records.append(r)
        if r.status == .ok {
            succeeded += 1
            outputTokens += r.outputTokens ?? 0
            if let t = r.ttft { ttfts.append(t) }
        } else {
            errors += 1
        }
        lock.unlock()
        sink?([r])
    }

    func noteSent(_ t: Double) {
        lock.lock()
        if firstSent == nil { firstSent = t }
        lock.unlock()
    }

    func snapshot(total: Int, inFlight: Int, now: Double) -> RunProgress {
        lock.lock()
        let sample = ttfts
        let p = RunProgress(done: records.count, total: total, succeeded: succeeded, errors: errors, inFlight: inFlight,
                         elapsed: firstSent.map { now - $0 } ?? 0, outputTokens: outputTokens, ttftP50: nil)
        lock.unlock()
        var out = p
        if !sample.isEmpty { out.ttftP50 = LatencyStats.percentile(sample.sorted(), 50) }
        return out
    }

    func all() -> [RequestRecord] {
        lock.lock()
        defer { lock.unlock() }
        return records.sorted { $0.index < $1.index }
    }
}
