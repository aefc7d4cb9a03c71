import Foundation
import NIOConcurrencyHelpers

/// The endpoints ``TestServerStats/requestsByEndpoint`` counts separately.
enum Endpoint: String {
    case completions = "/v1/completions"
    case chatCompletions = "/v1/chat/completions"
    case models = "/v1/models"
    case health = "/health"
    case stats = "/stats"
    case metrics = "/metrics"
    case tokenize = "/tokenize"
    case version = "/version"
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
final class StatsRecorder: Sendable {
    private struct State {
        var stats = TestServerStats()  // lateness lives in the histogram
        var histogram = LatenessHistogram()
    }

    private let state = NIOLockedValueBox(State())

    func request(_ endpoint: Endpoint) {
        state.withLockedValue { s in
            s.stats.requests += 1
            s.stats.requestsByEndpoint[endpoint.rawValue, default: 0] += 1
        }
    }

    func fault(_ kind: Fault.Kind) {
        state.withLockedValue { s in s.stats.faultsInjected[kind.rawValue, default: 0] += 1 }
    }

    func badRequest() {
        state.withLockedValue { s in s.stats.badRequests += 1 }
    }

    func connectionOpened() {
        state.withLockedValue { s in
            s.stats.connectionsOpened += 1
            s.stats.connectionsActive += 1
        }
    }

    func connectionClosed() {
        state.withLockedValue { s in s.stats.connectionsActive -= 1 }
    }

    func streamStarted() {
        state.withLockedValue { s in
            s.stats.streamsStarted += 1
            s.stats.streamsActive += 1
        }
    }

    func streamEnded(_ end: StreamEnd) {
        state.withLockedValue { s in
            s.stats.streamsActive -= 1
            switch end {
            case .completed: s.stats.streamsCompleted += 1
            case .cancelled: s.stats.streamsCancelled += 1
            case .aborted: s.stats.streamsAborted += 1
            }
        }
    }

    /// Records `tokens` tokens written at `written`, token j of them due at
    /// `firstDeadline + j·spacing` (all nanoseconds on the same monotonic clock).
    func tokensWritten(_ tokens: Int, written: UInt64, firstDeadline: UInt64, spacing: UInt64) {
        guard tokens > 0 else { return }
        state.withLockedValue { s in
            s.stats.tokensSent += tokens
            if spacing == 0 {
                s.histogram.record(Self.lateness(written, firstDeadline), count: tokens)
            } else {
                for j in 0..<UInt64(tokens) {
                    s.histogram.record(Self.lateness(written, firstDeadline &+ j &* spacing))
                }
            }
        }
    }

    /// Records a non-streamed body of `tokens` tokens: one lateness sample for its one write.
    func bodyWritten(tokens: Int, written: UInt64, deadline: UInt64) {
        state.withLockedValue { s in
            s.stats.tokensSent += tokens
            s.histogram.record(Self.lateness(written, deadline))
        }
    }

    func snapshot() -> TestServerStats {
        state.withLockedValue { s in
            var copy = s.stats
            copy.lateness.count = s.histogram.count
            copy.lateness.mean = s.histogram.mean / 1e9
            copy.lateness.p50 = Double(s.histogram.quantile(0.5)) / 1e9
            copy.lateness.p99 = Double(s.histogram.quantile(0.99)) / 1e9
            copy.lateness.max = Double(s.histogram.max) / 1e9
            return copy
        }
    }

    /// Write time minus deadline, clamped at 0 (a write is never early, but clocks are read
    /// at slightly different moments).
    private static func lateness(_ written: UInt64, _ deadline: UInt64) -> UInt64 {
        written > deadline ? written - deadline : 0
    }
}
