import MonotonicSync
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
    /// Puts each request on the wire (and resends on a fresh connection).
    private let sender: RequestSender
    private let group: MultiThreadedEventLoopGroup
    private let endpoint: Endpoint
    /// Explains TLS and proxy failures in sentences.
    private let context: ConnectionContext?
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
        /// Requests sent (a resend is not a second send).
        var sent = 0
        /// Open-loop requests sent after waiting for a slot at the in-flight cap.
        var late = 0
        /// Follow-ups and later session turns, at positions `order.count...`, and when each
        /// came due (open loop; nil in a closed loop).
        var extra: [WorkloadRequest] = []
        var extraDue: [Double?] = []
        /// Closed loop: follow-ups due and waiting for a free slot.
        var ready: [Int] = []
        /// Closed loop, held open: slots with nothing to send yet.
        var idle = 0
        /// Closed loop: slots kept for a session's next turn.
        var parked = 0
        /// Follow-ups waiting out their delay.
        var scheduled = 0
        /// While true the run does not end when its workload is done: follow-ups may still come.
        var held = false
    }

    /// What the closed loop does with a slot.
    private enum SlotUse {
        case send(Int)
        case idle
        case end
    }

    private let state = NIOLockedValueBox(State())
    private let done = Latch()
    /// Called once, when every request has finished (on whichever thread finished last).
    var onDone: (@Sendable () -> Void)?

    init(sender: RequestSender, group: MultiThreadedEventLoopGroup, endpoint: Endpoint,
         context: ConnectionContext?, requests: Workload, order: [Int], plan: LoadPlan, collector: RecordCollector,
         holdOpen: Bool = false) {
        state.withLockedValue { $0.held = holdOpen }
        self.sender = sender
        self.group = group
        self.endpoint = endpoint
        self.context = context
        self.requests = requests
        self.order = order
        self.plan = plan
        arrivals = plan.isTrace ? order.map { requests.arrival(at: $0) ?? 0 } : plan.arrivals(count: order.count)
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
        case .open, .trace:
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
            s.held = false
            s.ready.removeAll()
            s.parked = 0
            s.waiting.removeAll()
            return Array(s.active.values)
        }
        markSendingDone()
        for r in inflight { r.cancelFromOutside() }
        checkDone()
    }

    /// Requests sent again on a fresh connection so far.
    var resends: Int { state.withLockedValue { $0.resends } }

    /// Planned, sent, dropped and late requests so far.
    var offered: OfferedLoad {
        state.withLockedValue { s in OfferedLoad(planned: order.count + s.extra.count, sent: s.sent, dropped: s.dropped, late: s.late) }
    }

    // MARK: follow-ups (hooks and sessions, fed from the caller's thread)

    /// The request at a send position: the workload's, or a follow-up.
    private func request(at position: Int) -> WorkloadRequest {
        if position < order.count { return requests[order[position]] }
        return state.withLockedValue { $0.extra[position - order.count] }
    }

    /// What the workload says about the request at a send position.
    func labels(at position: Int) -> RequestLabels {
        if position < order.count { return requests.labels(at: order[position]) }
        return state.withLockedValue { s in
            position - order.count < s.extra.count ? RequestLabels(s.extra[position - order.count]) : RequestLabels()
        }
    }

    /// Whether the workload's requests are all sent and finished, no follow-up is waiting
    /// and no slot is kept for a session: a caller holding the run open may release it.
    var settled: Bool {
        state.withLockedValue { s in
            (s.sendingDone || s.nextPosition >= order.count) && s.inFlight == 0 && s.waiting.isEmpty
                && s.ready.isEmpty && s.scheduled == 0 && s.parked == 0
        }
    }

    /// Lets the run end once its requests are done (idempotent).
    func release() {
        let wake = state.withLockedValue { s -> Bool in
            s.held = false
            defer { s.idle = 0 }
            return s.idle > 0
        }
        if wake { markSendingDone() }
        checkDone()
    }

    /// Queues a follow-up `delay` seconds from now. `onKeptSlot`: a session's next turn,
    /// sent on the slot its previous turn kept (closed loop). Never waits on a send.
    func enqueue(_ r: WorkloadRequest, delay: Double, onKeptSlot: Bool) {
        let position = state.withLockedValue { s -> Int? in
            if s.stopped {
                if onKeptSlot { s.parked = max(0, s.parked - 1) }  // a stop already freed every kept slot
                return nil
            }
            s.extra.append(r)
            s.extraDue.append(nil)
            s.scheduled += 1
            return order.count + s.extra.count - 1
        }
        guard let position else { return checkDone() }
        let loop = group.next()
        let fire: @Sendable () -> Void = { [self] in followUpDue(position, onKeptSlot: onKeptSlot) }
        if delay > 0 {
            loop.scheduleTask(deadline: clock.deadline(atSeconds: clock.now() + delay)) { fire() }
        } else {
            loop.execute { fire() }
        }
    }

    /// A session ended: the slot its last turn kept takes the workload's next request.
    func releaseSlot() {
        state.withLockedValue { $0.parked = max(0, $0.parked - 1) }
        if case .closed = plan.shape { launchNext() } else { checkDone() }
    }

    private func followUpDue(_ position: Int, onKeptSlot: Bool) {
        let now = clock.now()
        let sendNow = state.withLockedValue { s -> Bool? in
            s.scheduled -= 1
            if onKeptSlot { s.parked = max(0, s.parked - 1) }
            if s.stopped || !withinDuration() { return nil }
            switch plan.shape {
            case .closed:
                if onKeptSlot { s.inFlight += 1; return true }
                if s.idle > 0 { s.idle -= 1; s.inFlight += 1; return true }
                s.ready.append(position)
                return false
            case .open, .trace:
                s.extraDue[position - order.count] = now
                if let cap = plan.shape.maxInFlight, s.inFlight >= cap {
                    s.waiting.append(position)
                    return false
                }
                s.inFlight += 1
                return true
            }
        }
        switch sendNow {
        case true?:
            if case .closed = plan.shape { send(position: position, intended: nil) } else { send(position: position, intended: now) }
        case false?: break
        case nil:
            // Not sent: a slot it would have used may now end the closed loop.
            if case .closed = plan.shape, onKeptSlot { launchNext() } else { checkDone() }
        }
    }

    /// When the request at a send position was due (open loop).
    private func due(_ position: Int) -> Double? {
        if position < order.count { return arrivals.isEmpty ? nil : arrivals[position] }
        return state.withLockedValue { $0.extraDue[position - order.count] }
    }

    func progress() -> RunProgress {
        let (n, dropped, late, waiting, extra) = state.withLockedValue { ($0.inFlight, $0.dropped, $0.late, $0.waiting.count, $0.extra.count) }
        // Follow-ups and later turns queued so far count in the total.
        var p = collector.snapshot(total: total + extra, inFlight: n, now: clock.now())
        p.dropped = dropped
        p.late = late
        p.waiting = waiting
        return p
    }

    // MARK: sending

    private func withinDuration() -> Bool {
        guard let d = plan.duration else { return true }
        return clock.now() < d
    }

    /// Closed loop: take the next position (a follow-up first), if any, and send it.
    private func launchNext() {
        let use = state.withLockedValue { s -> SlotUse in
            guard !s.stopped, withinDuration() else { return .end }
            if !s.ready.isEmpty {
                s.inFlight += 1
                return .send(s.ready.removeFirst())
            }
            guard s.nextPosition < order.count else {
                guard s.held else { return .end }
                s.idle += 1  // follow-ups may still come
                return .idle
            }
            defer {
                s.nextPosition += 1
                s.inFlight += 1
            }
            return .send(s.nextPosition)
        }
        switch use {
        case .send(let position): send(position: position, intended: nil)
        case .idle: break
        case .end:
            markSendingDone()
            checkDone()
        }
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
                if let cap = plan.shape.maxInFlight, s.inFlight >= cap {
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
        let req = request(at: position)
        let loop = group.next()
        let streamed = endpoint.stream
        let delegate = StreamingRequest(
            index: position, intended: intended, maxTokens: req.maxTokens, clock: clock, streamed: streamed,
            keepResponse: plan.keepResponses, eventLoop: loop, context: context) { [self] record in finished(position: position, record) }
        collector.noteSent(delegate.sentTime)
        let lateForStop = state.withLockedValue { s in
            s.sent += 1
            s.active[position] = delegate
            return s.stopped
        }
        let body = endpoint.body(for: req, extra: extraFields)
        // Called on the request's loop when its connection closed before any reply.
        if plan.resendUnanswered { delegate.resend = { [self] d in resend(d, body: body, loop: loop) } }
        sender.send(body, for: delegate, on: loop, fresh: false)
        loop.execute {
            delegate.armTimeouts(firstToken: self.endpoint.firstTokenTimeout, total: self.endpoint.totalTimeout)
            if lateForStop { delegate.abort(.cancelled, "cancelled") }
        }
    }

    /// Sends `delegate`'s request once more on a fresh connection (on its loop). Its timeouts
    /// keep counting from the first attempt; a stop cancels the new send as it would the old.
    private func resend(_ delegate: StreamingRequest, body: [UInt8], loop: EventLoop) {
        state.withLockedValue { $0.resends += 1 }
        sender.send(body, for: delegate, on: loop, fresh: true)
    }

    private func finished(position: Int, _ record: RequestRecord) {
        // Collected before the slot is freed, so a caller that sees nothing in flight has
        // every record (`settled`). Requests cut off by a stop are not results.
        let stoppedBefore = state.withLockedValue { $0.stopped }
        if !(stoppedBefore && record.errorKind == .cancelled) { collector.add(record) }
        let keepSlot: Bool
        if case .closed = plan.shape { keepSlot = labels(at: position).session?.continues ?? false } else { keepSlot = false }
        let (wasStopped, queued) = state.withLockedValue { s -> (Bool, Int?) in
            s.inFlight -= 1
            if keepSlot && !s.stopped { s.parked += 1 }
            s.active[position] = nil
            var queued: Int?
            if !s.stopped, !s.waiting.isEmpty, withinDuration() {
                queued = s.waiting.removeFirst()
                s.inFlight += 1
                s.late += 1
            }
            return (s.stopped, queued)
        }
        switch plan.shape {
        case .closed: if !wasStopped && !keepSlot { launchNext() }
        case .open, .trace: if let q = queued { send(position: q, intended: due(q)) }
        }
        checkDone()
    }

    private func markSendingDone() {
        state.withLockedValue { $0.sendingDone = true }  // called only when nothing more will be sent (all conditions are run-wide)
    }

    private func checkDone() {
        let first = state.withLockedValue { s -> Bool in
            let finishedAll = (s.sendingDone || s.nextPosition >= order.count) && s.inFlight == 0 && s.waiting.isEmpty
                && !s.held && s.ready.isEmpty && s.scheduled == 0 && s.parked == 0
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
