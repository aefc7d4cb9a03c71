/// A sequence in the running batch: its place in the KV cache and its progress.
struct RunningSequence {
    /// The driver's name for the request (offline: its position; real time: its ticket).
    var id: Int
    var input: Int
    /// Tokens to compute before decoding: the input, plus the output so far after a preemption.
    var prompt: Int
    /// Tokens whose KV is in the cache.
    var computed: Int
    /// Output tokens emitted so far (across preemptions).
    var generated: Int
    var output: Int
    var blocks: Int
    /// Tokens scheduled in the current iteration (0: not scheduled). 0 between iterations.
    var step: Int
}

/// A request waiting for admission: new (`generated` 0) or preempted, with the output it
/// already streamed.
struct WaitingRequest {
    var id: Int
    var input: Int
    var output: Int
    var generated: Int
}

/// What ``SchedulerCore`` tells its driver while it builds and completes an iteration.
/// The core's methods are generic over it, so the offline simulator's recorder is
/// specialised in (no closure or existential call per token). That takes whole-module
/// optimisation, as `swift build -c release` and scripts/bench/sim.sh compile; without
/// it each event is a witness-table call (measured about 10 % slower at 100 k requests).
protocol SchedulerEvents {
    /// `id` joined the running batch with `generated` output tokens already streamed
    /// (0 on its first admission).
    mutating func admitted(_ id: Int, generated: Int)
    /// `id` was preempted (recompute mode) and went back to the front of the queue.
    mutating func preempted(_ id: Int)
    /// At the iteration's end `id` streamed its `generated`-th output token; `finished`
    /// when that was its last (its blocks are already free).
    mutating func emitted(_ id: Int, generated: Int, finished: Bool)
}

/// The one scheduler both engines run (docs/sim.md, "Scheduler"): the waiting queue, the
/// preempted requests, the running batch in admission order and the KV blocks.
///
/// An iteration has two halves, so that a driver can let time pass between them:
/// ``beginIteration(_:)`` picks each sequence's tokens (preempting and admitting as the
/// policy says) and returns the batch for the roofline; ``endIteration(_:)`` advances the
/// scheduled sequences and streams their tokens. `Simulator` advances a virtual clock in
/// between; `RealTimeEngine` sleeps until the iteration's deadline with its lock released,
/// so a cancel may land in between (the cancelled sequence then streams nothing).
///
/// Per-iteration work is O(running); nothing is allocated per iteration once the arrays
/// have grown to the batch and queue sizes.
struct SchedulerCore {
    let maxSequences: Int
    let maxBatchedTokens: Int
    let chunked: Bool
    let blockSize: Int
    let totalBlocks: Int
    let policy: BatchingPolicy
    let priority: SchedulingPriority

    private(set) var running: [RunningSequence] = []
    /// New requests, first come first served; [head...] are still waiting.
    private var queue: [WaitingRequest] = []
    private var head = 0
    /// Preempted requests; the last is the next to run (the earliest admitted of them).
    private var resumeStack: [WaitingRequest] = []
    private(set) var freeBlocks: Int
    private(set) var iterations = 0
    private(set) var preemptions = 0
    private(set) var finished = 0
    private(set) var generatedTokens = 0

    init(scheduler: SchedulerConfig, totalBlocks: Int) {
        maxSequences = scheduler.maxSequences
        maxBatchedTokens = scheduler.maxBatchedTokens
        chunked = scheduler.chunkedPrefill
        blockSize = scheduler.blockSize
        policy = scheduler.policy
        priority = scheduler.priority
        self.totalBlocks = totalBlocks
        freeBlocks = totalBlocks
        running.reserveCapacity(scheduler.maxSequences)
    }

    /// Requests waiting for admission, new and preempted.
    var waitingCount: Int { queue.count - head + resumeStack.count }

    /// Nothing running and nothing waiting.
    var isIdle: Bool { running.isEmpty && head == queue.count && resumeStack.isEmpty }

    /// Queues a new request behind every waiting one.
    mutating func enqueue(id: Int, input: Int, output: Int) {
        // Drop the admitted prefix now and then, so the queue does not grow forever.
        if head >= 64, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
        queue.append(WaitingRequest(id: id, input: input, output: output, generated: 0))
    }

    /// Removes `id` wherever it is (running, preempted or waiting), freeing its blocks.
    /// Returns whether it was found. O(requests held); for the real-time engine's cancels.
    mutating func cancel(_ id: Int) -> Bool {
        if let i = running.firstIndex(where: { $0.id == id }) {
            freeBlocks += running.remove(at: i).blocks  // keeps admission order, which preemption relies on
            return true
        }
        if let i = resumeStack.firstIndex(where: { $0.id == id }) {
            resumeStack.remove(at: i)
            return true
        }
        if let i = queue[head...].firstIndex(where: { $0.id == id }) {
            queue.remove(at: i)
            return true
        }
        return false
    }

    /// Drops every request and frees every block; the counts stay.
    mutating func removeAll() {
        running.removeAll()
        queue.removeAll()
        head = 0
        resumeStack.removeAll()
        freeBlocks = totalBlocks
    }

    // MARK: - One iteration

    /// Builds one iteration: gives running sequences their tokens and admits waiting
    /// requests, in the order `priority` says, admitting only into an empty engine under
    /// static batching. Returns the batch's totals (no tokens: nothing could run).
    mutating func beginIteration<E: SchedulerEvents>(_ events: inout E) -> BatchTotals {
        var batch = BatchTotals()
        var budget = maxBatchedTokens
        // Static batching: a batch, once formed, runs until its last member finishes.
        let admits = policy == .continuous || running.isEmpty
        switch priority {
        case .decode:
            let preempted = scheduleRunning(&batch, &budget, &events)
            if !preempted, admits { admitWaiting(&batch, &budget, &events) }
        case .prefill:
            // Prompts first; decodes wait for an iteration with no prompt to compute.
            schedulePrefills(&batch, &budget)
            if admits { admitWaiting(&batch, &budget, &events) }
            if batch.tokens == 0 { _ = scheduleRunning(&batch, &budget, &events) }
        }
        return batch
    }

    /// Ends the iteration built by ``beginIteration(_:)``: advances every scheduled
    /// sequence, streams a token for each that finished its prompt or decoded, and
    /// retires finished ones (keeping admission order, which preemption relies on).
    mutating func endIteration<E: SchedulerEvents>(_ events: inout E) {
        iterations += 1
        var kept = 0
        for r in running.indices {
            var s = running[r]
            if s.step > 0 {
                s.computed += s.step
                s.step = 0
                if s.computed >= s.prompt {
                    s.generated += 1
                    generatedTokens += 1
                    let done = s.generated == s.output
                    if done {
                        freeBlocks += s.blocks
                        finished += 1
                    }
                    events.emitted(s.id, generated: s.generated, finished: done)
                    if done { continue }
                }
            }
            running[kept] = s
            kept += 1
        }
        running.removeLast(running.count - kept)
    }

    /// Gives each running sequence (in admission order) its tokens for this iteration:
    /// one per decode, a chunk of the budget per unfinished prefill. A decode that needs
    /// a KV block when none is free preempts the most recently admitted sequence
    /// (possibly itself). Returns whether anything was preempted.
    private mutating func scheduleRunning<E: SchedulerEvents>(_ batch: inout BatchTotals, _ budget: inout Int,
                                                              _ events: inout E) -> Bool {
        var hadPreemption = false
        var i = 0
        while i < running.count {
            var s = running[i]
            if s.computed >= s.prompt {
                if budget > 0 {
                    if s.computed + 1 > s.blocks * blockSize {
                        while freeBlocks == 0, running.count - 1 > i {
                            preempt(running.removeLast(), &events)
                            hadPreemption = true
                        }
                        if freeBlocks == 0 {
                            running.removeLast()  // s itself: it is the last one left
                            preempt(s, &events)
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

    /// Prefill priority's first pass: the next chunk of every running sequence whose
    /// prompt is unfinished (their blocks were taken at admission, so nothing preempts).
    private mutating func schedulePrefills(_ batch: inout BatchTotals, _ budget: inout Int) {
        for i in running.indices where budget > 0 {
            let s = running[i]
            guard s.computed < s.prompt else { continue }
            let chunk = min(s.prompt - s.computed, budget)
            running[i].step = chunk
            budget -= chunk
            batch.addPrefill(tokens: chunk, prior: s.computed, completes: s.computed + chunk >= s.prompt)
        }
    }

    private mutating func preempt<E: SchedulerEvents>(_ s: RunningSequence, _ events: inout E) {
        freeBlocks += s.blocks
        resumeStack.append(WaitingRequest(id: s.id, input: s.input, output: s.output, generated: s.generated))
        preemptions += 1
        events.preempted(s.id)
    }

    /// Admits waiting requests first come, first served (preempted ones first) while
    /// there is a sequence slot, token budget, and KV blocks for the whole prompt.
    private mutating func admitWaiting<E: SchedulerEvents>(_ batch: inout BatchTotals, _ budget: inout Int,
                                                           _ events: inout E) {
        while running.count < maxSequences, budget > 0 {
            let next: WaitingRequest, resumed: Bool
            if let top = resumeStack.last {
                (next, resumed) = (top, true)
            } else if head < queue.count {
                (next, resumed) = (queue[head], false)
            } else {
                break
            }
            let prompt = next.input + next.generated
            let blocks = (prompt + blockSize - 1) / blockSize
            guard blocks <= freeBlocks else { break }
            let chunk = chunked ? min(prompt, budget) : prompt
            guard chunk <= budget else { break }  // head-of-line: FCFS does not skip ahead
            if resumed { resumeStack.removeLast() } else { head += 1 }
            freeBlocks -= blocks
            budget -= chunk
            batch.addPrefill(tokens: chunk, prior: 0, completes: chunk >= prompt)
            running.append(RunningSequence(id: next.id, input: next.input, prompt: prompt, computed: 0,
                                           generated: next.generated, output: next.output, blocks: blocks,
                                           step: chunk))
            events.admitted(next.id, generated: next.generated)
        }
    }
}
