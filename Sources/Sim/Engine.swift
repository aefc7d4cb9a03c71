import Metrics

/// The offline driver's records: what ``SchedulerCore`` reports, written into flat
/// per-request arrays at the virtual clock's time `now`.
struct OfflineRecorder: SchedulerEvents {
    let requests: [SimRequest]
    var now = 0.0
    var sent: [Double]
    var firstToken: [Double]
    var ended: [Double]
    /// Each token's time since send, kept only when asked (``Simulator/run``'s
    /// `chunkTimes`): a 100 k-request run streams tens of millions of tokens.
    let keepsChunkTimes: Bool
    var chunkTimes: [[Double]]
    /// When each request last streamed a token, for its inter-token gaps.
    var lastEmitted: [Double]
    /// Every inter-token gap of the run as (gap, how many), run-length encoded in
    /// emission order: the sequences decoding in one iteration share one gap, so this
    /// holds about one entry per iteration instead of one per token.
    var gaps: [(value: Double, count: Int)] = []
    var preempted: [Int]
    /// Requests finished in the current iteration (a closed loop sends as many new ones).
    var finishedNow = 0

    init(requests: [SimRequest], keepsChunkTimes: Bool) {
        self.requests = requests
        self.keepsChunkTimes = keepsChunkTimes
        let n = requests.count
        lastEmitted = [Double](repeating: 0, count: n)
        sent = [Double](repeating: 0, count: n)
        firstToken = [Double](repeating: 0, count: n)
        ended = [Double](repeating: 0, count: n)
        chunkTimes = [[Double]](repeating: [], count: n)
        preempted = [Int](repeating: 0, count: n)
    }

    @inline(__always)
    mutating func admitted(_ id: Int, generated: Int) {
        // Reserved once, at the first admission: the only allocation in the hot loop.
        if generated == 0, keepsChunkTimes { chunkTimes[id].reserveCapacity(requests[id].outputTokens) }
    }

    @inline(__always)
    mutating func preempted(_ id: Int) { preempted[id] += 1 }

    @inline(__always)
    mutating func emitted(_ id: Int, generated: Int, finished: Bool) {
        let t = now
        if generated == 1 {
            firstToken[id] = t
        } else {
            let gap = t - lastEmitted[id]
            if let last = gaps.last, last.value == gap {
                gaps[gaps.count - 1].count += 1
            } else {
                gaps.append((gap, 1))
            }
        }
        lastEmitted[id] = t
        if keepsChunkTimes { chunkTimes[id].append(t - sent[id]) }
        if finished {
            ended[id] = t
            finishedNow += 1
        }
    }
}

/// The offline simulator: ``SchedulerCore`` driven by a virtual clock that each
/// iteration advances by the roofline's time, with the load's arrivals fed in between.
struct Engine {
    let requests: [SimRequest]
    let roofline: Roofline
    /// Scatters iteration times when the efficiency asks for it.
    var jitter: StepJitter
    let closedLoop: Bool
    /// Open loop: send times. Closed loop: empty (send times follow finishes).
    let arrivalTimes: [Double]

    var core: SchedulerCore
    var recorder: OfflineRecorder
    /// Requests [0, arrived) have been sent (and queued in the core).
    var arrived = 0
    var busyTime = 0.0
    var peakRunning = 0

    init(requests: [SimRequest], load: SimLoad, roofline: Roofline, scheduler: SchedulerConfig, totalBlocks: Int,
         keepsChunkTimes: Bool) {
        self.requests = requests
        self.roofline = roofline
        self.jitter = StepJitter(roofline.efficiency.stepJitter)
        core = SchedulerCore(scheduler: scheduler, totalBlocks: totalBlocks)
        recorder = OfflineRecorder(requests: requests, keepsChunkTimes: keepsChunkTimes)
        var initial = 0
        switch load {
        case .closed(let c):
            closedLoop = true
            arrivalTimes = []
            initial = min(c, requests.count)
        case .open(let rate, let burstiness, let seed):
            closedLoop = false
            arrivalTimes = Simulator.arrivals(count: requests.count, rate: rate, burstiness: burstiness, seed: seed)
        }
        for _ in 0..<initial { send(at: 0) }  // a closed loop sends its first requests at 0
    }

    /// Sends the next request at `t`: it waits in the core's queue from now on.
    @inline(__always)
    mutating func send(at t: Double) {
        recorder.sent[arrived] = t
        core.enqueue(id: arrived, input: requests[arrived].inputTokens, output: requests[arrived].outputTokens)
        arrived += 1
    }

    mutating func run() throws {
        let n = requests.count
        while core.finished < n {
            if !closedLoop {
                while arrived < n, arrivalTimes[arrived] <= recorder.now { send(at: arrivalTimes[arrived]) }
            }
            if core.isIdle {
                // Idle until the next arrival (only an open loop can get here with work left).
                guard !closedLoop, arrived < n else { throw SimError.stalled(time: recorder.now, unfinished: n - core.finished) }
                recorder.now = arrivalTimes[arrived]
                continue
            }
            let batch = core.beginIteration(&recorder)
            // Unreachable by construction (the first running sequence can always
            // decode); stopping beats looping forever if that ever breaks.
            guard batch.tokens > 0 else { throw SimError.stalled(time: recorder.now, unfinished: n - core.finished) }
            let seconds = jitter.apply(roofline.seconds(batch))
            recorder.now += seconds
            busyTime += seconds
            peakRunning = max(peakRunning, core.running.count)
            core.endIteration(&recorder)
            if closedLoop {
                // Each freed client slot sends the next request at the iteration's end.
                while recorder.finishedNow > 0, arrived < n {
                    send(at: recorder.now)
                    recorder.finishedNow -= 1
                }
            }
            recorder.finishedNow = 0
        }
    }

    func result(kvCapacityTokens: Int) -> SimResult {
        var records: [RequestRecord] = []
        records.reserveCapacity(requests.count)
        var makespan = 0.0
        let r = recorder
        for (i, request) in requests.enumerated() {
            records.append(RequestRecord(
                index: i, intended: closedLoop ? nil : r.sent[i], sent: r.sent[i], firstToken: r.firstToken[i],
                ended: r.ended[i], chunkTimes: r.chunkTimes[i], inputTokens: request.inputTokens,
                outputTokens: request.outputTokens, tokensApproximate: false, httpStatus: 200, status: .ok,
                maxTokens: request.outputTokens))
            makespan = max(makespan, r.ended[i])
        }
        // Every load sends its first request at 0.
        return SimResult(records: records, iterations: core.iterations, preemptions: core.preemptions,
                         preemptionsPerRequest: r.preempted, kvCapacityTokens: kvCapacityTokens,
                         makespan: makespan, busyTime: busyTime, peakRunning: peakRunning,
                         itl: LatencyStats(counted: r.gaps))
    }
}
