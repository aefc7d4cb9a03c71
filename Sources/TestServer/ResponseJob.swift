import NIOCore

/// A reply still in progress on a connection: a token stream, a delayed body, or a stall.
///
/// Jobs live on their channel's event loop. Each calls its `onEnd` exactly once: when it ends
/// by itself, or when ``cancel()`` is called because the connection went away.
protocol ResponseJob: AnyObject {
    /// Stops all scheduled work and reports ``StreamEnd/cancelled`` if the job had not ended.
    func cancel()
    /// The channel became writable again after backpressure.
    func resume()
}

/// How a generation reply deviates from the normal one (the faults that shape a reply's body).
enum ReplyPlan {
    case normal, reset, malformed, truncate

    init(_ fault: Fault.Kind?) {
        switch fault {
        case .reset?: self = .reset
        case .malformed?: self = .malformed
        case .truncate?: self = .truncate
        default: self = .normal
        }
    }
}

/// Absolute token deadlines for one reply, in uptime nanoseconds (NIO's monotonic clock).
///
/// Token i is due at received + ttft + i·itl, computed from the start every time, so lateness
/// in one write never shifts the ones after it.
struct TokenClock {
    let first: UInt64
    let spacing: UInt64

    init(received: NIODeadline, ttft: UInt64, itl: UInt64) {
        first = received.uptimeNanoseconds &+ ttft
        spacing = itl
    }

    func deadline(_ index: Int) -> UInt64 {
        first &+ UInt64(index) &* spacing
    }

    /// How many tokens from `index` on (at most `limit`) are due at `now`.
    func due(from index: Int, limit: Int, now: UInt64) -> Int {
        let start = deadline(index)
        guard now >= start else { return 0 }
        if spacing == 0 { return limit }
        return Int(min(UInt64(limit), (now - start) / spacing + 1))
    }
}

/// A job that writes nothing and ends only when cancelled: the `stall` fault.
final class StallJob: ResponseJob {
    private var onEnd: ((StreamEnd) -> Void)?

    init(onEnd: @escaping (StreamEnd) -> Void) {
        self.onEnd = onEnd
    }

    func cancel() {
        let callback = onEnd
        onEnd = nil
        callback?(.cancelled)
    }

    func resume() {}
}

extension ChannelHandlerContext {
    /// Resets the connection (RST instead of FIN) and closes it: the `reset` fault.
    func resetConnection() {
        // SO_LINGER with a zero timeout makes close() send RST and drop unsent data, which is
        // what a crashed upstream looks like to a client.
        if let socket = channel as? SocketOptionProvider {
            _ = socket.setSoLinger(NIOLinger(l_onoff: 1, l_linger: 0))
        }
        close(promise: nil)
    }
}
