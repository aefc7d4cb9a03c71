import Foundation

/// The endpoints ``TestServerStats/requestsByEndpoint`` counts separately.
enum Endpoint: String {
    case completions = "/v1/completions"
    case chatCompletions = "/v1/chat/completions"
    case models = "/v1/models"
    case health = "/health"
    case stats = "/stats"
    case metrics = "/metrics"
    case other
}

/// How a stream ended, for the stream counters.
enum StreamEnd {
    case completed, cancelled, aborted
}

/// Collects ``TestServerStats`` from every event loop behind one lock.
///
/// Callers batch their updates (one call per write, not per token), so the lock is taken a few
/// times per write at most and stays uncontended with the default single loop.
final class StatsRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stats = TestServerStats()  // guarded by lock; lateness lives in the histogram
    private var histogram = LatenessHistogram()  // guarded by lock

    func request(_ endpoint: Endpoint) {
        lock.withLock {
            stats.requests += 1
            stats.requestsByEndpoint[endpoint.rawValue, default: 0] += 1
        }
    }

    func fault(_ kind: Fault.Kind) {
        lock.withLock { stats.faultsInjected[kind.rawValue, default: 0] += 1 }
    }

    func badRequest() {
        lock.withLock { stats.badRequests += 1 }
    }

    func connectionOpened() {
        lock.withLock {
            stats.connectionsOpened += 1
            stats.connectionsActive += 1
        }
    }

    func connectionClosed() {
        lock.withLock { stats.connectionsActive -= 1 }
    }

    func streamStarted() {
        lock.withLock {
            stats.streamsStarted += 1
            stats.streamsActive += 1
        }
    }

    func streamEnded(_ end: StreamEnd) {
        lock.withLock {
            stats.streamsActive -= 1
            switch end {
            case .completed: stats.streamsCompleted += 1
            case .cancelled: stats.streamsCancelled += 1
            case .aborted: stats.streamsAborted += 1
            }
        }
    }

    /// Records `tokens` tokens written at `written`, token j of them due at
    /// `firstDeadline + j·spacing` (all nanoseconds on the same monotonic clock).
    func tokensWritten(_ tokens: Int, written: UInt64, firstDeadline: UInt64, spacing: UInt64) {
        guard tokens > 0 else { return }
        lock.withLock {
            stats.tokensSent += tokens
            if spacing == 0 {
                histogram.record(Self.lateness(written, firstDeadline), count: tokens)
            } else {
                for j in 0..<UInt64(tokens) {
                    histogram.record(Self.lateness(written, firstDeadline &+ j &* spacing))
                }
            }
        }
    }

    /// Records a non-streamed body of `tokens` tokens: one lateness sample for its one write.
    func bodyWritten(tokens: Int, written: UInt64, deadline: UInt64) {
        lock.withLock {
            stats.tokensSent += tokens
            histogram.record(Self.lateness(written, deadline))
        }
    }

    func snapshot() -> TestServerStats {
        lock.withLock {
            var copy = stats
            copy.lateness.count = histogram.count
            copy.lateness.mean = histogram.mean / 1e9
            copy.lateness.p50 = Double(histogram.quantile(0.5)) / 1e9
            copy.lateness.p99 = Double(histogram.quantile(0.99)) / 1e9
            copy.lateness.max = Double(histogram.max) / 1e9
            return copy
        }
    }

    /// Write time minus deadline, clamped at 0 (a write is never early, but clocks are read
    /// at slightly different moments).
    private static func lateness(_ written: UInt64, _ deadline: UInt64) -> UInt64 {
        written > deadline ? written - deadline : 0
    }
}
