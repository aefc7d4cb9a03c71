import Metrics

/// A sequence the engine is running: its place in the KV cache and its progress.
struct RunningSequence {
    var request: Int
    /// Tokens to compute before decoding: the input, plus the output so far after a preemption.
    var prompt: Int
    /// Tokens whose KV is in the cache.
    var computed: Int
    /// Output tokens emitted so far (across preemptions).
    var generated: Int
    var output: Int
    var blocks: Int
    var sent: Double
    /// Tokens scheduled in the current iteration (0: not scheduled).
    var step: Int
}

/// A preempted request waiting to be recomputed, with the output it already streamed.
struct Resumable {
    var request: Int
    var generated: Int
}

/// The scheduler's state and the event loop. Per-request state lives in flat arrays;
/// each iteration touches only the running sequences, and allocates nothing but the
/// chunk-time arrays' growth (reserved once per request).
struct Engine {
    let requests: [SimRequest]
    let roofline: Roofline
    let maxSequences: Int
    let maxBatchedTokens: Int
    let chunked: Bool
    let blockSize: Int
    let closedLoop: Bool
    /// Open loop: send times. Closed loop: empty (send times follow finishes).
    let arrivalTimes: [Double]

    var sent: [Double]
    var firstToken: [Double]
    var ended: [Double]
    var chunkTimes: [[Double]]
    var preempted: [Int]
    var running: [RunningSequence] = []
    /// Preempted requests; the last is the next to run (the earliest admitted of them).
    var resumeStack: [Resumable] = []
    /// Requests [0, arrived) have been sent; [nextFresh, arrived) wait for their first admission.
    var arrived = 0
    var nextFresh = 0
    var freeBlocks: Int
    var now = 0.0
    var finished = 0
    var iterations = 0
    var preemptions = 0
    var busyTime = 0.0
    var peakRunning = 0

    init(requests: [SimRequest], load: SimLoad, roofline: Roofline, scheduler: SchedulerConfig, totalBlocks: Int) {
        self.requests = requests
        self.roofline = roofline
        maxSequences = scheduler.maxSequences
        maxBatchedTokens = scheduler.maxBatchedTokens
        chunked = scheduler.chunkedPrefill
        blockSize = scheduler.blockSize
        freeBlocks = totalBlocks
        let n = requests.count
        sent = [Double](repeating: 0, count: n)
        firstToken = [Double](repeating: 0, count: n)
        ended = [Double](repeating: 0, count: n)
        chunkTimes = [[Double]](repeating: [], count: n)
        preempted = [Int](repeating: 0, count: n)
        switch load {
        case .closed(let c):
            closedLoop = true
            arrivalTimes = []
            arrived = min(c, n)  // all sent at 0
        case .open(let rate, let burstiness, let seed):
            closedLoop = false
            arrivalTimes = Simulator.arrivals(count: n, rate: rate, burstiness: burstiness, seed: seed)
        }
        running.reserveCapacity(maxSequences)
    }

    mutating func run() throws {
        let n = requests.count
        while finished < n {
            if !closedLoop {
                while arrived < n, arrivalTimes[arrived] <= now {
                    sent[arrived] = arrivalTimes[arrived]
                    arrived += 1
                }
            }
            if running.isEmpty, resumeStack.isEmpty, nextFresh == arrived {
                // Idle until the next arrival (only an open loop can get here with work left).
                guard !closedLoop, arrived < n else { throw SimError.stalled(time: now, unfinished: n - finished) }
                now = arrivalTimes[arrived]
                continue
            }
            var batch = BatchTotals()
            let hadPreemption = scheduleRunning(&batch)
            if !hadPreemption { admitWaiting(&batch) }
            // Unreachable by construction (the first running sequence can always
            // decode); stopping beats looping forever if that ever breaks.
            guard batch.tokens > 0 else { throw SimError.stalled(time: now, unfinished: n - finished) }
            let seconds = roofline.seconds(batch)
            now += seconds
            busyTime += seconds
            iterations += 1
            peakRunning = max(peakRunning, running.count)
            emitTokens()
        }
    }

    /// Gives each running sequence (in admission order) its tokens for this
    /// iteration: one per decode, a chunk of the budget per unfinished prefill.
    /// A decode that needs a KV block when none is free preempts the most recently
    /// admitted sequence (possibly itself). Returns whether anything was preempted.
    mutating func scheduleRunning(_ batch: inout BatchTotals) -> Bool {
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

    mutating func preempt(_ s: RunningSequence) {
        freeBlocks += s.blocks
        resumeStack.append(Resumable(request: s.request, generated: s.generated))
        preemptions += 1
        preempted[s.request] += 1
    }

    /// Admits waiting requests first come, first served (preempted ones first) while
    /// there is a sequence slot, token budget, and KV blocks for the whole prompt.
    mutating func admitWaiting(_ batch: inout BatchTotals) {
        var budget = maxBatchedTokens - batch.tokens
        while running.count < maxSequences, budget > 0 {
            let request: Int, generated: Int, resumed: Bool
            if let top = resumeStack.last {
                (request, generated, resumed) = (top.request, top.generated, true)
            } else if nextFresh < arrived {
                (request, generated, resumed) = (nextFresh, 0, false)
            } else {
                break
            }
            let prompt = requests[request].inputTokens + generated
            let blocks = (prompt + blockSize - 1) / blockSize
            guard blocks <= freeBlocks else { break }
            let chunk = chunked ? min(prompt, budget) : prompt
            guard chunk <= budget else { break }  // head-of-line: FCFS does not skip ahead
            if resumed { resumeStack.removeLast() } else { nextFresh += 1 }
            if generated == 0 { chunkTimes[request].reserveCapacity(requests[request].outputTokens) }
            freeBlocks -= blocks
            budget -= chunk
            batch.addPrefill(tokens: chunk, prior: 0, completes: chunk >= prompt)
            running.append(RunningSequence(request: request, prompt: prompt, computed: 0, generated: generated,
                                           output: requests[request].outputTokens, blocks: blocks,
                                           sent: sent[request], step: chunk))
        }
    }

    /// At the iteration's end: advances every scheduled sequence, streams a token for
    /// each that finished its prompt or decoded, and retires finished ones (keeping
    /// admission order, which preemption relies on).
    mutating func emitTokens() {
        let t = now
        var kept = 0
        for r in running.indices {
            var s = running[r]
            if s.step > 0 {
                s.computed += s.step
                if s.computed >= s.prompt {
                    if s.generated == 0 { firstToken[s.request] = t }
                    s.generated += 1
                    chunkTimes[s.request].append(t - s.sent)
                    if s.generated == s.output {
                        finish(s, at: t)
                        continue
                    }
                }
            }
            running[kept] = s
            kept += 1
        }
        running.removeLast(running.count - kept)
    }

    mutating func finish(_ s: RunningSequence, at t: Double) {
        freeBlocks += s.blocks
        ended[s.request] = t
        finished += 1
        // Closed loop: the freed client slot sends the next request now.
        if closedLoop, arrived < requests.count {
            sent[arrived] = t
            arrived += 1
        }
    }

    func result(kvCapacityTokens: Int) -> SimResult {
        var records: [RequestRecord] = []
        records.reserveCapacity(requests.count)
        var makespan = 0.0
        for (i, request) in requests.enumerated() {
            records.append(RequestRecord(
                index: i, intended: closedLoop ? nil : sent[i], sent: sent[i], firstToken: firstToken[i],
                ended: ended[i], chunkTimes: chunkTimes[i], inputTokens: request.inputTokens,
                outputTokens: request.outputTokens, tokensApproximate: false, httpStatus: 200, status: .ok,
                maxTokens: request.outputTokens))
            makespan = max(makespan, ended[i])
        }
        // Every load sends its first request at 0.
        return SimResult(records: records, iterations: iterations, preemptions: preemptions,
                         preemptionsPerRequest: preempted, kvCapacityTokens: kvCapacityTokens,
                         makespan: makespan, busyTime: busyTime, peakRunning: peakRunning)
    }
}
