import NIOCore

/// The run's clock: monotonic nanoseconds, reported as seconds since the run started.
struct RunClock: Sendable {
    let startNanos: UInt64

    init() { startNanos = NIODeadline.now().uptimeNanoseconds }

    static func nowNanos() -> UInt64 { NIODeadline.now().uptimeNanoseconds }

    func seconds(_ nanos: UInt64) -> Double {
        nanos >= startNanos ? Double(nanos - startNanos) / 1e9 : -Double(startNanos - nanos) / 1e9
    }

    func now() -> Double { seconds(Self.nowNanos()) }

    func deadline(atSeconds s: Double) -> NIODeadline {
        .uptimeNanoseconds(startNanos &+ UInt64(min(max(0, s), 1e9) * 1e9))  // clamped: no trap on absurd times
    }
}
