import MonotonicSync
import AsyncHTTPClient
import Foundation
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// Offers one load (closed or open loop) to an endpoint and collects the
/// records. Sending, reading and deciding what to send next all happen on the
/// client's event loops; the caller only waits, polls progress, or stops it.
final class LoadRunner: @unchecked Sendable {
    private let client: HTTPClient
    /// Sends the resends, each with `Connection: close`, so this pool never holds an idle
    /// connection and a resend always gets a fresh one.
    private let freshClient: HTTPClient
    /// `headers` plus `Connection: close`, for resends.
    private let freshHeaders: HTTPHeaders
    private let group: MultiThreadedEventLoopGroup
    private let endpoint: Endpoint
    /// Where requests are posted (the endpoint's URL, with server_name as its host).
    private let url: String
    /// Explains TLS and proxy failures in sentences.
    private let context: ConnectionContext?
    private let headers: HTTPHeaders
    private let requests: Workload
    /// Workload index to send at each position.
    private let order: [Int]
    private let arrivals: [Double]
    private let plan: LoadPlan
    /// `extraBody` encoded once, spliced into every body.
    private let extraFields: [UInt8]?
    let clock: RunClock
    let collector: RecordCollector

    /// What the event loops and the caller share, taken once per operation (per request, never per chunk).
    private struct State {
        var nextPosition = 0
        var inFlight = 0
        var active: [Int: StreamingRequest] = [:]
        var waiting: [Int] = []        // open loop: positions due but over the in-flight cap
        var sendingDone = false
        var stopped = false
        var signalled = false
        /// Open-loop requests that were due but never sent before the duration ended.
        var dropped = 0
        /// Requests sent again on a fresh connection after their connection closed unanswered.
        var resends = 0
    }

    private let state = NIOLockedValueBox(State())
    private let done = Latch()
    /// Called once, when every request has finished (on whichever thread finished last).
    var onDone: (@Sendable () -> Void)?

    init(client: HTTPClient, freshClient: HTTPClient, group: MultiThreadedEventLoopGroup, transport: ClientTransport,
         context: ConnectionContext?, apiKey: String?, requests: Workload, order: [Int], plan: LoadPlan, collector: RecordCollector) {
        self.client = client
        self.freshClient = freshClient
        self.group = group
        let endpoint = transport.endpoint
        self.endpoint = endpoint
        url = transport.requestURL
        self.context = context
        var h = HTTPHeaders([("Content-Type", "application/json"), ("Accept", endpoint.stream ? "text/event-stream" : "application/json")])
        if endpoint.connection == .close { h.add(name: "Connection", value: "close") }
        for (name, value) in endpoint.requestHeaders(apiKey: apiKey) { h.replaceOrAdd(name: name, value: value) }
        headers = h
        var fresh = h
        fresh.replaceOrAdd(name: "Connection", value: "close")
        freshHeaders = fresh
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
                    state.withLockedValue { s in
                        s.dropped += s.waiting.count
                        s.waiting.removeAll()
                    }
                    markSendingDone()
                    checkDone()
                }
            }
        }
    }

    /// Waits up to `timeout` seconds; true once every request has finished.
    func wait(timeout: Double) -> Bool {
        done.wait(timeout: timeout)
    }

    /// Stops sending and cancels what is in flight; cancelled requests are not recorded.
    func stop() {
        let inflight = state.withLockedValue { s in
            s.stopped = true
            s.waiting.removeAll()
            return Array(s.active.values)
        }
        markSendingDone()
        for r in inflight { r.cancelFromOutside() }
        checkDone()
    }

    /// Requests sent again on a fresh connection so far.
    var resends: Int { state.withLockedValue { $0.resends } }

    func progress() -> RunProgress {
        let n = state.withLockedValue { $0.inFlight }
        return collector.snapshot(total: total, inFlight: n, now: clock.now())
    }

    // MARK: sending

    private func withinDuration() -> Bool {
        guard let d = plan.duration else { return true }
        return clock.now() < d
    }

    /// Closed loop: take the next position, if any, and send it.
    private func launchNext() {
        let next = state.withLockedValue { s -> Int? in
            guard !s.stopped, s.nextPosition < order.count, withinDuration() else { return nil }
            defer {
                s.nextPosition += 1
                s.inFlight += 1
            }
            return s.nextPosition
        }
        guard let position = next else {
            markSendingDone()
            checkDone()
            return
        }
        send(position: position, intended: nil)
    }

    /// Open loop: at each intended time, send (or queue when at the cap), then schedule the next.
    private func scheduleArrival(_ position: Int) {
        guard position < order.count else { return markSendingDone() }
        let loop = group.next()
        loop.scheduleTask(deadline: clock.deadline(atSeconds: arrivals[position])) { [self] in
            // nil: stopped or past the duration; otherwise whether to send now (false: queued at the cap).
            let decision = state.withLockedValue { s -> Bool? in
                if s.stopped || !withinDuration() { return nil }
                s.nextPosition = position + 1
                if case .open(_, _, let cap?) = plan.shape, s.inFlight >= cap {
                    s.waiting.append(position)
                    return false
                }
                s.inFlight += 1
                return true
            }
            guard let sendNow = decision else {
                markSendingDone()
                checkDone()
                return
            }
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
            keepResponse: plan.keepResponses, eventLoop: loop, context: context) { [self] record in finished(position: position, record) }
        collector.noteSent(delegate.sentTime)
        let lateForStop = state.withLockedValue { s in
            s.active[position] = delegate
            return s.stopped
        }
        if lateForStop { delegate.cancelFromOutside() }
        do {
            let body = endpoint.body(for: req, extra: extraFields)
            let request = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .bytes(body))
            // Called on the request's loop when its connection closed before any reply.
            if plan.resendUnanswered { delegate.resend = { [self] d in resend(d, body: body, loop: loop) } }
            let task = client.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop))
            loop.execute {
                delegate.task = task
                delegate.armTimeouts(firstToken: self.endpoint.firstTokenTimeout, total: self.endpoint.totalTimeout)
            }
        } catch {
            loop.execute { delegate.failBeforeSending(error) }
        }
    }

    /// Sends `delegate`'s request once more on a fresh connection (on its loop). Its timeouts
    /// keep counting from the first attempt; a stop cancels the new task as it would the old.
    private func resend(_ delegate: StreamingRequest, body: [UInt8], loop: EventLoop) {
        state.withLockedValue { $0.resends += 1 }
        do {
            let request = try HTTPClient.Request(url: url, method: .POST, headers: freshHeaders, body: .bytes(body))
            delegate.task = freshClient.execute(request: request, delegate: delegate, eventLoop: .delegate(on: loop))
        } catch {
            delegate.failBeforeSending(error)
        }
    }

    private func finished(position: Int, _ record: RequestRecord) {
        let (wasStopped, queued) = state.withLockedValue { s -> (Bool, Int?) in
            s.inFlight -= 1
            s.active[position] = nil
            var queued: Int?
            if !s.stopped, !s.waiting.isEmpty, withinDuration() { queued = s.waiting.removeFirst(); s.inFlight += 1 }
            return (s.stopped, queued)
        }
        // Requests cut off by a stop are not results; everything that finished is.
        if !(wasStopped && record.errorKind == .cancelled) { collector.add(record) }
        switch plan.shape {
        case .closed: if !wasStopped { launchNext() }
        case .open: if let q = queued { send(position: q, intended: arrivals[q]) }
        }
        checkDone()
    }

    private func markSendingDone() {
        state.withLockedValue { $0.sendingDone = true }  // called only when nothing more will be sent (all conditions are run-wide)
    }

    private func checkDone() {
        let first = state.withLockedValue { s -> Bool in
            let finishedAll = (s.sendingDone || s.nextPosition >= order.count) && s.inFlight == 0 && s.waiting.isEmpty
            guard finishedAll, !s.signalled else { return false }
            s.signalled = true
            return true
        }
        if first {
            done.open()
            onDone?()
        }
    }
}
