import Foundation
import NIOCore
import NIOPosix

/// CPU time of the client's own event-loop threads: what the client spent,
/// apart from a server or the Lua thread in the same process.
enum ThreadCPU {
    /// This thread's CPU seconds.
    static func current() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// CPU seconds of each event loop of `group`, read on the loop itself.
    static func perLoop(_ group: MultiThreadedEventLoopGroup) -> [Double] {
        var out: [Double] = []
        for loop in group.makeIterator() {
            out.append((try? loop.submit { current() }.wait()) ?? 0)
        }
        return out
    }
}
