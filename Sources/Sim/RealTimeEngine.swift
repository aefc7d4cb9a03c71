import MonotonicSync
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The simulator's scheduler run online, in real time, on its own thread: requests
/// arrive whenever a caller submits them, and each iteration lasts as long as the
/// roofline says (`Deployment.iterationTime`) on the wall clock.
///
/// The scheduler is `Simulator`'s own (`SchedulerCore`, docs/sim.md "Scheduler"), with
/// the same policies: each iteration is built by the same rules, lasts the roofline's
/// time, and at its end the tokens it produced are handed to their callbacks.
///
/// Iterations are timed with absolute deadlines on the monotonic clock: iteration k + 1
/// starts where iteration k was due to end, so sleep error does not accumulate; after an
/// idle spell the next iteration starts at once.
///
/// ```swift
/// let engine = RealTimeEngine(deployment: deployment)
/// engine.start()
/// let ticket = try engine.submit(inputTokens: 500, outputTokens: 100) { n in print("+\(n)") }
/// engine.cancel(ticket)   // frees its KV cache if it is still running
/// engine.stop()
/// ```
public final class RealTimeEngine: Sendable {
    /// Identifies one submitted request (for ``cancel(_:)``).
    public struct Ticket: Hashable, Sendable {
        /// Submission number, from 0.
        public let id: UInt64
    }

    /// What the engine holds right now; from ``snapshot()``.
    public struct Snapshot: Sendable, Equatable {
        /// Sequences in the running batch.
        public var running: Int
        /// Requests waiting for admission (new ones and preempted ones).
        public var waiting: Int
        /// KV-cache blocks held by running sequences.
        public var kvBlocksUsed: Int
        /// KV-cache blocks in all: ⌊kvCapacityTokens ÷ blockSize⌋.
        public var kvBlocksTotal: Int
        /// Output tokens produced so far (all requests, cancelled ones included).
        public var generatedTokens: Int
        /// Recompute preemptions so far.
        public var preemptions: Int
        /// Iterations run so far.
        public var iterations: Int
        /// Requests that produced all their tokens.
        public var finished: Int
        /// Requests cancelled before they finished.
        public var cancelled: Int

        /// Share of the KV cache in use, 0...1 (vLLM's `gpu_cache_usage_perc` is this fraction).
        public var kvCacheUsage: Double {
            kvBlocksTotal > 0 ? Double(kvBlocksUsed) / Double(kvBlocksTotal) : 0
        }
    }

    /// Thrown by ``submit(inputTokens:outputTokens:onTokens:)`` after ``stop()``.
    public struct Stopped: Error, CustomStringConvertible {
        /// The message a caller sees.
        public var description: String { "the simulated engine has stopped" }
    }

    /// The deployment whose roofline times the iterations.
    public let deployment: Deployment
    /// The batching limits.
    public let scheduler: SchedulerConfig
    private let core: RealTimeCore

    /// An engine, not yet running (submissions wait until ``start()``).
    public convenience init(deployment: Deployment, scheduler: SchedulerConfig = .standard) {
        self.init(deployment: deployment, scheduler: scheduler, paced: true)
    }

    /// An engine whose iterations take no wall-clock time (`paced` false): for tests that
    /// compare its schedule with `Simulator`'s on the virtual timeline (``simulatedTime``).
    init(deployment: Deployment, scheduler: SchedulerConfig, paced: Bool) {
        self.deployment = deployment
        self.scheduler = scheduler
        core = RealTimeCore(roofline: Roofline(deployment), scheduler: scheduler,
                            totalBlocks: deployment.kvCapacityTokens / scheduler.blockSize, paced: paced)
    }

    /// Seconds of iterations run so far by the roofline (the virtual clock while busy).
    var simulatedTime: Double { core.simulatedTime }

    deinit {
        // The thread holds only the core, so dropping the engine ends it.
        core.stop()
    }

    /// Tokens one request may hold at most (input + output): the whole cache in whole blocks.
    public var capacityTokens: Int { core.totalBlocks * scheduler.blockSize }

    /// Starts the scheduler thread; later calls do nothing.
    public func start() { core.start() }

    /// Stops the thread and drops every request (no callback runs after this returns,
    /// except one already running). Idempotent; do not call it from an `onTokens` callback
    /// expecting the thread to have ended (it cannot wait for itself).
    public func stop() { core.stop() }

    /// Queues a request. `onTokens(n)` is called on the engine's thread, outside its lock,
    /// after each iteration that produced tokens for this request, with the number of new
    /// tokens (1 per iteration); the request is done when their sum reaches `outputTokens`.
    /// A callback may still arrive just after ``cancel(_:)`` returns (it was already on
    /// its way); callers ignore it.
    ///
    /// Throws `SimError.invalid` for counts below 1, `SimError.requestTooLong` when input
    /// + output exceeds the whole KV cache (the request could never run; numbered by its
    /// ticket), `SimError.promptOverBudget` without chunked prefill, and ``Stopped``
    /// after ``stop()``. A request that throws is not queued and never called back.
    public func submit(inputTokens: Int, outputTokens: Int,
                       onTokens: @escaping @Sendable (Int) -> Void) throws -> Ticket {
        try core.submit(input: inputTokens, output: outputTokens, onTokens: onTokens)
    }

    /// Removes a request wherever it is (running, waiting or preempted) and frees its KV
    /// blocks. Unknown or finished tickets are ignored.
    public func cancel(_ ticket: Ticket) { core.cancel(ticket.id) }

    /// The engine's state now. Safe from any thread.
    public func snapshot() -> Snapshot { core.snapshot() }
}

/// The engine's state and its thread's loop, behind one lock: `SchedulerCore` plus the
/// callbacks by ticket, the thread and its clock.
private final class RealTimeCore: @unchecked Sendable {
    typealias Callback = @Sendable (Int) -> Void

    /// Collects one iteration's tokens while the core ends it (under the lock).
    struct Emitted: SchedulerEvents {
        var tokens: [(id: Int, finished: Bool)] = []
        mutating func admitted(_ id: Int, generated: Int) {}
        mutating func preempted(_ id: Int) {}
        mutating func emitted(_ id: Int, generated: Int, finished: Bool) { tokens.append((id, finished)) }
    }

    let roofline: Roofline
    let totalBlocks: Int
    let blockSize: Int
    let maxBatchedTokens: Int
    let chunked: Bool
    /// Sleep until each iteration's deadline (false: run iterations back to back, for tests).
    let paced: Bool

    // Everything below is guarded by `lock`.
    private let lock = MonotonicLock()
    private var core: SchedulerCore
    /// The callback of every request the core holds, by ticket.
    private var callbacks: [Int: Callback] = [:]
    private var nextTicket: UInt64 = 0
    private var started = false
    private var stopped = false
    private var exited = false
    private var loopThread: pthread_t?
    private var cancelled = 0
    private var simulatedSeconds = 0.0
    /// The same scatter of iteration times as the offline engine, drawn in the same order.
    private var jitter: StepJitter

    init(roofline: Roofline, scheduler: SchedulerConfig, totalBlocks: Int, paced: Bool) {
        self.roofline = roofline
        self.jitter = StepJitter(roofline.efficiency.stepJitter)
        self.totalBlocks = totalBlocks
        blockSize = scheduler.blockSize
        maxBatchedTokens = scheduler.maxBatchedTokens
        chunked = scheduler.chunkedPrefill
        self.paced = paced
        core = SchedulerCore(scheduler: scheduler, totalBlocks: totalBlocks)
    }

    var simulatedTime: Double {
        lock.lock()
        defer { lock.unlock() }
        return simulatedSeconds
    }

    func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !started, !stopped else { return }
        started = true
        let thread = Thread { [self] in loop() }
        thread.name = "frontier.sim.realtime"
        thread.start()
    }

    func stop() {
        lock.lock()
        stopped = true
        // Moved out so the callbacks (which may own NIO jobs) are released without the lock.
        let dropped = callbacks
        callbacks = [:]
        core.removeAll()
        lock.broadcast()
        let onLoopThread = loopThread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
        if started, !onLoopThread {
            while !exited { lock.wait() }
        }
        lock.unlock()
        withExtendedLifetime(dropped) {}
    }

    func submit(input: Int, output: Int, onTokens: @escaping Callback) throws -> RealTimeEngine.Ticket {
        try Check.count(input, in: 1...100_000_000, "inputTokens")
        try Check.count(output, in: 1...100_000_000, "outputTokens")
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { throw RealTimeEngine.Stopped() }
        let ticket = nextTicket
        nextTicket += 1
        let tokens = input + output
        let capacity = totalBlocks * blockSize
        guard tokens <= capacity else {
            throw SimError.requestTooLong(index: Int(ticket), tokens: tokens, capacity: capacity)
        }
        // A recomputed prompt includes the output so far, so it can reach input + output − 1.
        if !chunked, tokens - 1 > maxBatchedTokens {
            throw SimError.promptOverBudget(index: Int(ticket), tokens: tokens - 1, maxBatchedTokens: maxBatchedTokens)
        }
        let id = Int(truncatingIfNeeded: ticket)
        callbacks[id] = onTokens
        core.enqueue(id: id, input: input, output: output)
        lock.broadcast()
        return RealTimeEngine.Ticket(id: ticket)
    }

    func cancel(_ ticket: UInt64) {
        lock.lock()
        let id = Int(truncatingIfNeeded: ticket)
        var removed: Callback?
        if core.cancel(id) {
            removed = callbacks.removeValue(forKey: id)
            cancelled += 1
        }
        lock.unlock()
        withExtendedLifetime(removed) {}  // released here, outside the lock
    }

    func snapshot() -> RealTimeEngine.Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return RealTimeEngine.Snapshot(running: core.running.count, waiting: core.waitingCount,
                                       kvBlocksUsed: totalBlocks - core.freeBlocks, kvBlocksTotal: totalBlocks,
                                       generatedTokens: core.generatedTokens, preemptions: core.preemptions,
                                       iterations: core.iterations, finished: core.finished, cancelled: cancelled)
    }

    // MARK: - The loop

    /// Lag beyond which the loop stops catching up (a suspended process, a debugger):
    /// running a second of missed iterations back to back would be a burst no engine makes.
    private static let maxLagNanos: UInt64 = 1_000_000_000

    private func loop() {
        lock.lock()
        loopThread = pthread_self()
        /// When the previous iteration was due to end, while the engine stays busy.
        var lastEnd: UInt64?
        var emitted = Emitted()
        var ignored = Emitted()
        var deliveries: [(Callback, Int)] = []
        while !stopped {
            if core.isIdle {
                lastEnd = nil
                lock.wait()
                continue
            }
            let batch = core.beginIteration(&ignored)
            guard batch.tokens > 0 else {
                // Unreachable by construction (the first running sequence can always run, and
                // an empty cache admits any request that passed submit's check); waiting
                // for a change beats spinning if that ever breaks.
                lastEnd = nil
                lock.wait(until: monotonicNanos() + 10_000_000)
                continue
            }
            let seconds = jitter.apply(roofline.seconds(batch))
            if paced {
                let now = monotonicNanos()
                var start = lastEnd ?? now
                if now > start, now - start > Self.maxLagNanos { start = now }
                let end = start + UInt64((seconds * 1e9).rounded())
                // The lock is released while waiting: submissions and cancels change nothing
                // scheduled for this iteration except that a cancelled sequence streams nothing.
                while !stopped, monotonicNanos() < end { lock.wait(until: end) }
                if stopped { break }
                lastEnd = end
            }
            simulatedSeconds += seconds
            core.endIteration(&emitted)
            for (id, finished) in emitted.tokens {
                if let callback = finished ? callbacks.removeValue(forKey: id) : callbacks[id] {
                    deliveries.append((callback, 1))
                }
            }
            emitted.tokens.removeAll(keepingCapacity: true)
            if !deliveries.isEmpty {
                lock.unlock()
                for (callback, n) in deliveries { callback(n) }
                deliveries.removeAll(keepingCapacity: true)
                lock.lock()
            }
        }
        exited = true
        lock.broadcast()
        lock.unlock()
    }
}
