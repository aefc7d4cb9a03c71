import HeapModule
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

/// A request on its way to the engine: sent at `time` (its slot freed or its scheduled
/// time, plus the client's delay). Ordered by time, then by id, so equal times keep the
/// load's order.
struct Send: Comparable {
    let time: Double
    let id: Int

    static func < (a: Send, b: Send) -> Bool { a.time != b.time ? a.time < b.time : a.id < b.id }
}

/// The offline simulator: ``SchedulerCore`` driven by a virtual clock that each
/// iteration advances by the roofline's time, with the load's sends fed in between.
struct Engine {
    let requests: [SimRequest]
    let roofline: Roofline
    let closedLoop: Bool
    /// Open loop: scheduled times (each request is sent its `sendDelay` later). Closed
    /// loop: empty (sends follow finishes).
    let arrivalTimes: [Double]

    var core: SchedulerCore
    var recorder: OfflineRecorder
    /// Requests due to be sent, earliest first. A heap, because a client's delays can
    /// reorder sends and a closed loop adds to it at every finish.
    var sends = Heap<Send>()
    /// Closed loop: the next request a freed slot sends.
    var nextToSchedule = 0
    var busyTime = 0.0
    var peakRunning = 0

    init(requests: [SimRequest], load: SimLoad, roofline: Roofline, scheduler: SchedulerConfig, totalBlocks: Int,
         keepsChunkTimes: Bool) {
        self.requests = requests
        self.roofline = roofline
        core = SchedulerCore(scheduler: scheduler, totalBlocks: totalBlocks)
        recorder = OfflineRecorder(requests: requests, keepsChunkTimes: keepsChunkTimes)
        switch load {
        case .closed(let c):
            closedLoop = true
            arrivalTimes = []
            // A closed loop's first requests go at 0 (each after its own delay).
            for _ in 0..<min(c, requests.count) { scheduleNext(at: 0) }
        case .open(let rate, let burstiness, let seed):
            closedLoop = false
            arrivalTimes = Simulator.arrivals(count: requests.count, rate: rate, burstiness: burstiness, seed: seed)
            sends = Heap(arrivalTimes.enumerated().map { Send(time: $1 + requests[$0].sendDelay, id: $0) })
            nextToSchedule = requests.count
        }
    }

    /// A closed loop's freed slot at `t`: the next request is sent its delay later.
    @inline(__always)
    mutating func scheduleNext(at t: Double) {
        let id = nextToSchedule
        sends.insert(Send(time: t + requests[id].sendDelay, id: id))
        nextToSchedule += 1
    }

    /// Hands every request sent by `now` to the core's queue (the network is perfect:
    /// a request arrives when it is sent).
    @inline(__always)
    mutating func deliver() {
        while let next = sends.min, next.time <= recorder.now {
            _ = sends.popMin()
            recorder.sent[next.id] = next.time
            core.enqueue(id: next.id, input: requests[next.id].inputTokens, output: requests[next.id].outputTokens)
        }
    }

    mutating func run() throws {
        let n = requests.count
        while core.finished < n {
            deliver()
            if core.isIdle {
                // Idle until the next send.
                guard let next = sends.min else { throw SimError.stalled(time: recorder.now, unfinished: n - core.finished) }
                recorder.now = max(recorder.now, next.time)
                continue
            }
            let batch = core.beginIteration(&recorder)
            // Unreachable by construction (the first running sequence can always
            // decode); stopping beats looping forever if that ever breaks.
            guard batch.tokens > 0 else { throw SimError.stalled(time: recorder.now, unfinished: n - core.finished) }
            let seconds = roofline.seconds(batch)
            recorder.now += seconds
            busyTime += seconds
            peakRunning = max(peakRunning, core.running.count)
            core.endIteration(&recorder)
            if closedLoop {
                // Each freed client slot sends the next request at the iteration's end.
                while recorder.finishedNow > 0, nextToSchedule < n {
                    scheduleNext(at: recorder.now)
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
                index: i, intended: closedLoop ? nil : arrivalTimes[i], sent: r.sent[i], firstToken: r.firstToken[i],
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
