/// A one-shot signal: closed until `open()`, then open for every waiter, for good.
///
/// Timed waits run on the monotonic clock (as `DispatchSemaphore` did), so a change of
/// the wall clock never stretches the Lua thread's 50 ms polling slices. NIO's
/// `ConditionLock` would do, but its timed wait goes by `gettimeofday`.
public final class Latch: @unchecked Sendable {
    // `isOpen` is only read or written with `lock` held: that makes this type Sendable.
    private let lock = MonotonicLock()
    private var isOpen = false

    public init() {}

    /// Opens the latch and wakes every waiter; later calls do nothing.
    public func open() {
        lock.lock()
        isOpen = true
        lock.broadcast()
        lock.unlock()
    }

    /// Waits up to `timeout` seconds (none when not positive); true once the latch is open.
    public func wait(timeout: Double) -> Bool {
        let deadline = monotonicNanos() &+ UInt64(max(0, min(timeout, 1e9)) * 1e9)
        lock.lock()
        defer { lock.unlock() }
        // Wake-ups may be spurious or early: re-check the flag and the clock each time.
        while !isOpen, monotonicNanos() < deadline {
            lock.wait(until: deadline)
        }
        return isOpen
    }
}
