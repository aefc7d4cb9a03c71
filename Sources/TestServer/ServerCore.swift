import Foundation
import NIOCore

/// What every connection of one server shares: configuration, counters, fault schedule.
final class ServerCore: Sendable {
    let config: TestServerConfig
    let stats = StatsRecorder()
    let faults: FaultSchedule
    /// Time to first token and between tokens, in nanoseconds.
    let ttftNanos: UInt64
    let itlNanos: UInt64
    private let ids = IDCounter()

    /// Request bodies above this size get 413: the server only needs small JSON bodies.
    static let maxBodyBytes = 16 << 20

    init(config: TestServerConfig) {
        self.config = config
        self.faults = FaultSchedule(faults: config.faults)
        self.ttftNanos = UInt64((config.ttft * 1e9).rounded())
        self.itlNanos = UInt64((config.itl * 1e9).rounded())
    }

    /// A fresh reply id number, unique within this server.
    func nextID() -> Int {
        ids.next()
    }
}

/// A counter shared across event loops.
private final class IDCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0  // guarded by lock

    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
