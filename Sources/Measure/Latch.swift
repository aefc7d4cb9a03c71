#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-shot signal: closed until `open()`, then open for every waiter, for good.
///
/// Timed waits run on the monotonic clock (as `DispatchSemaphore` did), so a change of
/// the wall clock never stretches the Lua thread's 50 ms polling slices. NIO's
/// `ConditionLock` would do, but its timed wait goes by `gettimeofday`.
final class Latch: @unchecked Sendable {
    // Heap-allocated: pthread objects must not move. `isOpen` is guarded by `mutex`,
    // which is what makes this type Sendable.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isOpen = false

    init() {
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

    /// Opens the latch and wakes every waiter; later calls do nothing.
    func open() {
        pthread_mutex_lock(mutex)
        isOpen = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Waits up to `timeout` seconds (none when not positive); true once the latch is open.
    func wait(timeout: Double) -> Bool {
        let deadline = Self.now() &+ UInt64(max(0, min(timeout, 1e9)) * 1e9)
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        // Wake-ups may be spurious or early: re-check the flag and the clock each time.
        while !isOpen {
            let now = Self.now()
            guard now < deadline else { break }
            #if os(Linux)
            var spec = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
            _ = pthread_cond_timedwait(condition, mutex, &spec)
            #else
            let rest = deadline - now
            var spec = timespec(tv_sec: Int(rest / 1_000_000_000), tv_nsec: Int(rest % 1_000_000_000))
            _ = pthread_cond_timedwait_relative_np(condition, mutex, &spec)
            #endif
        }
        return isOpen
    }

    /// Nanoseconds on the monotonic clock (the one the condition waits on, on Linux).
    private static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
