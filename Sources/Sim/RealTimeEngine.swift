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
/// The scheduling rules are `Simulator`'s (docs/sim.md, "Scheduler"): running
/// sequences first in admission order (one token per decode, a chunk of the budget per
/// unfinished prefill), then first-come-first-served admission while there is a sequence
/// slot, token budget and KV blocks for the whole prompt; recompute preemption of the
/// most recently admitted sequence when a decode needs a block and none is free, and no
/// admission in an iteration that preempted. At each iteration's end a sequence that
/// finished its prompt streams its first token, each decoding sequence one more, and
/// finished sequences free their blocks.
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
    public init(deployment: Deployment, scheduler: SchedulerConfig = .standard) {
        self.deployment = deployment
        self.scheduler = scheduler
        core = RealTimeCore(roofline: Roofline(deployment), scheduler: scheduler,
                            totalBlocks: deployment.kvCapacityTokens / scheduler.blockSize)
    }

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

/// The engine's state and its thread's loop, behind one lock.
private final class RealTimeCore: @unchecked Sendable {
    typealias Callback = @Sendable (Int) -> Void

    struct Live {
        var ticket: UInt64
        var input: Int
        /// Tokens to compute before decoding: the input, plus the output so far after a preemption.
        var prompt: Int
        var computed = 0
        var generated: Int
        var output: Int
        var blocks: Int
        /// Tokens scheduled in the current iteration (0: not scheduled).
        var step: Int
        var onTokens: Callback
    }

    struct Pending {
        var ticket: UInt64
        var input: Int
        var output: Int
        var generated: Int
        var onTokens: Callback
    }

    let roofline: Roofline
    let maxSequences: Int
    let maxBatchedTokens: Int
    let chunked: Bool
    let blockSize: Int
    let totalBlocks: Int

    // Everything below is guarded by `lock`.
    private let lock = MonotonicLock()
    private var running: [Live] = []
    /// New requests, first come first served; [head...] are still waiting.
    private var fresh: [Pending] = []
    private var head = 0
    /// Preempted requests; the last is the next to run (the earliest admitted of them).
    private var resumeStack: [Pending] = []
    private var freeBlocks: Int
    private var nextTicket: UInt64 = 0
    private var started = false
    private var stopped = false
    private var exited = false
    private var loopThread: pthread_t?
    private var generatedTotal = 0
    private var preemptions = 0
    private var iterations = 0
    private var finished = 0
    private var cancelled = 0

    init(roofline: Roofline, scheduler: SchedulerConfig, totalBlocks: Int) {
        self.roofline = roofline
        maxSequences = scheduler.maxSequences
        maxBatchedTokens = scheduler.maxBatchedTokens
        chunked = scheduler.chunkedPrefill
        blockSize = scheduler.blockSize
        self.totalBlocks = totalBlocks
        freeBlocks = totalBlocks
    }

    private var waitingCount: Int { fresh.count - head + resumeStack.count }

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
        // Moved out so their callbacks (which may own NIO jobs) are released without the lock.
        let dropped = (running, fresh, resumeStack)
        running = []
        fresh = []
        head = 0
        resumeStack = []
        freeBlocks = totalBlocks
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
        fresh.append(Pending(ticket: ticket, input: input, output: output, generated: 0, onTokens: onTokens))
        lock.broadcast()
        return RealTimeEngine.Ticket(id: ticket)
    }

    func cancel(_ ticket: UInt64) {
        var removed: Callback?
        lock.lock()
        if let i = running.firstIndex(where: { $0.ticket == ticket }) {
            let s = running.remove(at: i)  // keeps admission order, which preemption relies on
            freeBlocks += s.blocks
            removed = s.onTokens
        } else if let i = resumeStack.firstIndex(where: { $0.ticket == ticket }) {
            removed = resumeStack.remove(at: i).onTokens
        } else if let i = fresh[head...].firstIndex(where: { $0.ticket == ticket }) {
            removed = fresh.remove(at: i).onTokens
        }
        if removed != nil { cancelled += 1 }
        lock.unlock()
        withExtendedLifetime(removed) {}  // released here, outside the lock
    }

    func snapshot() -> RealTimeEngine.Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return RealTimeEngine.Snapshot(running: running.count, waiting: waitingCount,
                                       kvBlocksUsed: totalBlocks - freeBlocks, kvBlocksTotal: totalBlocks,
                                       generatedTokens: generatedTotal, preemptions: preemptions,
                                       iterations: iterations, finished: finished, cancelled: cancelled)
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
        var deliveries: [(Callback, Int)] = []
        while !stopped {
            if running.isEmpty, waitingCount == 0 {
                lastEnd = nil
                lock.wait()
                continue
            }
            var batch = BatchTotals()
            if !scheduleRunning(&batch) { admitWaiting(&batch) }
            guard batch.tokens > 0 else {
                // Unreachable by construction (the first running sequence can always run, and
                // an empty cache admits any request that passed submit's check); waiting
                // for a change beats spinning if that ever breaks.
                lastEnd = nil
                lock.wait(until: monotonicNanos() + 10_000_000)
                continue
            }
            let now = monotonicNanos()
            var start = lastEnd ?? now
            if now > start, now - start > Self.maxLagNanos { start = now }
            let end = start + UInt64((roofline.seconds(batch) * 1e9).rounded())
            // Submissions and cancels wake the wait; they change nothing scheduled for this iteration.
            while !stopped, monotonicNanos() < end { lock.wait(until: end) }
            if stopped { break }
            iterations += 1
            emitTokens(into: &deliveries)
            lastEnd = end
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

    /// Engine.scheduleRunning: each running sequence (admission order) gets one decode
    /// token or a prefill chunk of the budget; a decode needing a block when none is free
    /// preempts the most recently admitted sequence (possibly itself).
    private func scheduleRunning(_ batch: inout BatchTotals) -> Bool {
        var budget = maxBatchedTokens
        var hadPreemption = false
        var i = 0
        while i < running.count {
            var s = running[i]
            s.step = 0
            if s.computed >= s.prompt {
                if budget > 0 {
                    if s.computed + 1 > s.blocks * blockSize {
                        while freeBlocks == 0, running.count - 1 > i {
                            preempt(running.removeLast())
                            hadPreemption = true
                        }
                        if freeBlocks == 0 {
                            running.removeLast()  // s itself: it is the last one left
                            preempt(s)
                            hadPreemption = true
                            break
                        }
                        freeBlocks -= 1
                        s.blocks += 1
                    }
                    s.step = 1
                    budget -= 1
                    batch.addDecode(context: s.computed)
                }
            } else if budget > 0 {
                let chunk = min(s.prompt - s.computed, budget)
                s.step = chunk
                budget -= chunk
                batch.addPrefill(tokens: chunk, prior: s.computed, completes: s.computed + chunk >= s.prompt)
            }
            running[i] = s
            i += 1
        }
        return hadPreemption
    }

    private func preempt(_ s: Live) {
        freeBlocks += s.blocks
        resumeStack.append(Pending(ticket: s.ticket, input: s.input, output: s.output, generated: s.generated,
                                   onTokens: s.onTokens))
        preemptions += 1
    }

    /// Engine.admitWaiting: preempted requests first, then new ones in arrival order, while
    /// there is a slot, budget, and blocks for the whole prompt; never skips ahead.
    private func admitWaiting(_ batch: inout BatchTotals) {
        var budget = maxBatchedTokens - batch.tokens
        while running.count < maxSequences, budget > 0 {
            let next: Pending, resumed: Bool
            if let top = resumeStack.last {
                (next, resumed) = (top, true)
            } else if head < fresh.count {
                (next, resumed) = (fresh[head], false)
            } else {
                break
            }
            let prompt = next.input + next.generated
            let blocks = (prompt + blockSize - 1) / blockSize
            guard blocks <= freeBlocks else { break }
            let chunk = chunked ? min(prompt, budget) : prompt
            guard chunk <= budget else { break }
            if resumed {
                resumeStack.removeLast()
            } else {
                head += 1
                // Drop the admitted prefix now and then, so the queue does not grow forever.
                if head >= 64, head * 2 >= fresh.count {
                    fresh.removeFirst(head)
                    head = 0
                }
            }
            freeBlocks -= blocks
            budget -= chunk
            batch.addPrefill(tokens: chunk, prior: 0, completes: chunk >= prompt)
            running.append(Live(ticket: next.ticket, input: next.input, prompt: prompt, generated: next.generated,
                                output: next.output, blocks: blocks, step: chunk, onTokens: next.onTokens))
        }
    }

    /// Engine.emitTokens at the iteration's end; collects the callbacks to run.
    private func emitTokens(into deliveries: inout [(Callback, Int)]) {
        var kept = 0
        for r in running.indices {
            var s = running[r]
            if s.step > 0 {
                s.computed += s.step
                s.step = 0
                if s.computed >= s.prompt {
                    s.generated += 1
                    generatedTotal += 1
                    deliveries.append((s.onTokens, 1))
                    if s.generated == s.output {
                        freeBlocks += s.blocks
                        finished += 1
                        continue
                    }
                }
            }
            running[kept] = s
            kept += 1
        }
        running.removeLast(running.count - kept)
    }
}
