import Foundation
import NIOConcurrencyHelpers
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
    /// The `Server` header of every reply, as the imitated engine sends it.
    var serverHeader: String? { config.engine == .llamacpp ? "llama.cpp" : nil }

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
private final class IDCounter: Sendable {
    private let value = NIOLockedValueBox(0)

    func next() -> Int {
        value.withLockedValue { v in
            v += 1
            return v
        }
    }
}
