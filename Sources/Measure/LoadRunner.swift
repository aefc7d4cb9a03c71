import AsyncHTTPClient
import Foundation
import Metrics
import NIOCore
import NIOHTTP1
import NIOPosix

/// Offers one load (closed or open loop) to an endpoint and collects the
/// records. Sending, reading and deciding what to send next all happen on the
/// client's event loops; the caller only waits, polls progress, or stops it.
final class LoadRunner: @unchecked Sendable {
    private let client: HTTPClient
    private let group: MultiThreadedEventLoopGroup
    private let endpoint: Endpoint
    private let headers: HTTPHeaders
    private let requests: [WorkloadRequest]
    /// Workload index to send at each position.
    private let order: [Int]
    private let arrivals: [Double]
    private let plan: LoadPlan
    /// `extraBody` encoded once, spliced into every body.
    private let extraFields: [UInt8]?
    let clock: RunClock
    let collector: RecordCollector

    private let lock = NSLock()
    private var nextPosition = 0
    private var inFlight = 0
    private var active: [Int: StreamingRequest] = [:]
    private var waiting: [Int] = []        // open loop: positions due but over the in-flight cap
    private var sendingDone = false
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)
    private var signalled = false
    /// Called once, when every request has finished (on whichever thread finished last).
    var onDone: (@Sendable () -> Void)?

    init(client: HTTPClient, group: MultiThreadedEventLoopGroup, endpoint: Endpoint, apiKey: String?,
         requests: [WorkloadRequest], order: [Int], plan: LoadPlan, collector: RecordCollector) {
        self.client = client
        self.group = group
        self.endpoint = endpoint
        var h = HTTPHeaders([("Content-Type", "application/json"), ("Accept", endpoint.stream ? "text/event-stream" : "application/json")])
        if let apiKey { h.add(name: "Authorization", value: "Bearer \(apiKey)") }
        for (k, v) in endpoint.headers.sorted(by: { $0.key < $1.key }) { h.replaceOrAdd(name: k, value: v) }
        headers = h
        self.requests = requests
        self.order = order
        self.plan = plan
        arrivals = plan.arrivals(count: order.count)
        extraFields = endpoint.extraBodyFields
        clock = RunClock()
        self.collector = collector
    }

    var total: Int { order.count }

    // MARK: control

    func start() {
        guard !order.isEmpty else { return markSendingDone() }
        switch plan.shape {
        case .closed(let concurrency):
            for _ in 0..<min(concurrency, order.count) { launchNext() }
        case .open:
            scheduleArrival(0)
            // At the duration, stop sending: drop what waits for a slot, so a run
            // never sends past its end however sparse or capped its arrivals.
            if let d = plan.duration {
                group.next().scheduleTask(deadline: clock.deadline(atSeconds: d)) { [self] in
                    lock.lock()
                    dropped += waiting.count
                    waiting.removeAll()
                    lock.unlock()
                    markSendingDone()
                    checkDone()
                }
            }
        }
    }

    /// Open-loop requests that were due but never sent before the duration ended.
    private(set) var dropped = 0

    /// Waits up to `timeout` seconds; true once every request has finished.
    func wait(timeout: Double) -> Bool {
        if done.wait(timeout: .now() + timeout) == .success {
            done.signal()  // stay signalled for later waits
            return true
        }
        return false
    }

    /// Stops sending and cancels what is in flight; cancelled requests are not recorded.
    func stop() {
        lock.lock()
        stopped = true
        waiting.removeAll()
        let inflight = Array(active.values)
        lock.unlock()
        markSendingDone()
        for r in inflight { r.cancelFromOutside() }
        checkDone()
    }

    func progress() -> RunProgress {
        lock.lock()
        let n = inFlight
        lock.unlock()
        return collector.snapshot(total: total, inFlight: n, now: clock.now())
    }

    // MARK: sending

    private func withinDuration() -> Bool {
        guard let d = plan.duration else { return true }
        return clock.now() < d
    }

    /// Closed loop: take the next position, if any, and send it.
    private func launchNext() {
        lock.lock()
        guard !stopped, nextPosition < order.count, withinDuration() else {
            lock.unlock()
            markSendingDone()
            checkDone()
            return
        }
        let position = nextPosition
        nextPosition += 1
        inFlight += 1
        lock.unlock()
        send(position: position, intended: nil)
    }

    /// Open loop: at each intended time, send (or queue when at the cap), then schedule the next.
    private func scheduleArrival(_ position: Int) {
        guard position < order.count else { return markSendingDone() }
        let loop = group.next()
        loop.scheduleTask(deadline: clock.deadline(atSeconds: arrivals[position])) { [self] in
            lock.lock()
            if stopped || !withinDuration() {
                lock.unlock()
                markSendingDone()
                checkDone()
                return
            }
            nextPosition = position + 1
            var sendNow = true
            if case .open(_, _, let cap?) = plan.shape, inFlight >= cap {
                waiting.append(position)
                sendNow = false
            } else {
                inFlight += 1
            }
            lock.unlock()
            if sendNow { send(position: position, intended: arrivals[position]) }
            scheduleArrival(position + 1)
        }
    }

    private func send(position: Int, intended: Double?) {
        let req = requests[order[position]]
        let loop = group.next()
        let streamed = endpoint.stream
        let delegate = StreamingRequest(
            index: position, intended: intended, maxTokens: req.maxTokens, clock: clock, streamed: streamed,
            keepResponse: plan.keepResponses, eventLoop: loop) { [self] record in finished(position: position, record) }
        collector.noteSent(delegate.sentTime)
        lock.lock()
        active[position] = delegate
        let lateForStop = stopped
        lock.unlock()
        if lateForStop { delegate.cancelFromOutside() }
        do {
            let request = try HTTPClient.Request(url: endpoint.url, method: .POST, headers: headers,
                                                 body: .bytes(endpoint.body(for: req, extra: extraFields)))
            let task = client.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop))
            loop.execute {
                delegate.task = task
                delegate.armTimeouts(firstToken: self.endpoint.firstTokenTimeout, total: self.endpoint.totalTimeout)
            }
        } catch {
            loop.execute { delegate.failBeforeSending(error) }
        }
    }

    private func finished(position: Int, _ record: RequestRecord) {
        lock.lock()
        inFlight -= 1
        active[position] = nil
        let wasStopped = stopped
        var queued: Int?
        if !stopped, !waiting.isEmpty, withinDuration() { queued = waiting.removeFirst(); inFlight += 1 }
        lock.unlock()
        // Requests cut off by a stop are not results; everything that finished is.
        if !(wasStopped && record.errorKind == .cancelled) { collector.add(record) }
        switch plan.shape {
        case .closed: if !wasStopped { launchNext() }
        case .open: if let q = queued { send(position: q, intended: arrivals[q]) }
        }
        checkDone()
    }

    private func markSendingDone() {
        lock.lock()
        sendingDone = true  // called only when nothing more will be sent (all conditions are run-wide)
        lock.unlock()
    }

    private func checkDone() {
        lock.lock()
        let finishedAll = (sendingDone || nextPosition >= order.count) && inFlight == 0 && waiting.isEmpty
        let first = finishedAll && !signalled
        if first { signalled = true }
        lock.unlock()
        if first {
            done.signal()
            onDone?()
        }
    }
}
