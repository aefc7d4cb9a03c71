#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Nanoseconds on the monotonic clock (the clock NIO's deadlines use on Linux).
public func monotonicNanos() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
}

/// A mutex with one condition variable whose timed waits take absolute monotonic
/// deadlines. Foundation's `NSCondition.wait(until:)` takes a wall-clock `Date`, which
/// jumps when the system clock is set; a real-time engine must not.
public final class MonotonicLock: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move, and Swift may move stored structs.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        mutex.initialize(to: pthread_mutex_t())
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        #if os(Linux)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
        #else
        pthread_cond_init(condition, nil)
        #endif
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }
    public func broadcast() { pthread_cond_broadcast(condition) }

    /// Waits (lock held) until signalled; may wake spuriously, so callers re-check.
    public func wait() { pthread_cond_wait(condition, mutex) }

    /// Waits (lock held) until signalled or the monotonic clock reaches `deadline`
    /// nanoseconds; may wake early, so callers re-check the time.
    public func wait(until deadline: UInt64) {
        #if os(Linux)
        var spec = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        _ = pthread_cond_timedwait(condition, mutex, &spec)
        #else
        let now = monotonicNanos()
        guard deadline > now else { return }
        let rest = deadline - now
        var spec = timespec(tv_sec: Int(rest / 1_000_000_000), tv_nsec: Int(rest % 1_000_000_000))
        _ = pthread_cond_timedwait_relative_np(condition, mutex, &spec)
        #endif
    }
}
