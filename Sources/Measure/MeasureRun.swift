import MonotonicSync
import AsyncHTTPClient
import NIOHTTP1
import Foundation
import Metrics
import NIOConcurrencyHelpers
import Runs
import NIOCore
import NIOPosix

/// How a run ended.
public enum RunStatus: String, Sendable {
    case running, completed, stopped, interrupted, failed
}

/// The client's own cost: CPU of its event-loop threads over the run.
public struct ClientCPU: Sendable, Equatable, Codable {
    /// CPU seconds of all client threads.
    public var seconds: Double
    /// The busiest client thread's CPU time as a fraction of the run's wall time.
    public var busiestThread: Double
    /// Client CPU seconds per streamed chunk.
    public var perChunk: Double?

    /// The names the Lua run table uses too.
    enum CodingKeys: String, CodingKey {
        case seconds, busiestThread = "busiest_thread", perChunk = "per_chunk"
    }
}

/// What a finished run returns.
public struct RunOutcome: Sendable {
    public var runID: Int64?
    public var status: RunStatus
    public var summary: RunSummary
    public var verdict: Verdict
    public var clientCPU: ClientCPU
    public var records: [RequestRecord]
    /// JSON text of the settings stored with the run.
    public var settings: String
    public var startedAt: Double
    public var endedAt: Double
    /// Server series sampled during the run (empty when off or unavailable).
    public var serverMetrics: [ServerMetricSample] = []
    /// Things the user should know that did not fail the run (server metrics unavailable).
    public var warnings: [String] = []
    /// Requests sent again on a fresh connection because their pooled connection closed
    /// before any reply (not errors; each request is recorded once).
    public var resends: Int = 0
    /// Requested vs served input tokens, when any request has both.
    public var inputLength: InputLengthCheck?
    /// Planned, sent, dropped and late requests of the measured load (not the warm-up).
    public var offered: OfferedLoad?
    /// Figures per request class, when the workload gave classes.
    public var byClass: [String: GroupFigures] = [:]
    /// Figures per turn index ("1", "2", …) of a session workload.
    public var byTurn: [String: GroupFigures] = [:]
}

/// One measured run: warm-up (not counted), then the load, records written
/// as they finish, then the summary and verdict. The caller (the Lua thread)
/// starts it, waits in short slices while relaying progress, may stop it,
/// and finishes it.
public final class MeasureRun: Sendable {
    public let endpoint: Endpoint
    public let workload: Workload
    public let plan: LoadPlan
    public let rules: ValidityRules
    private let store: RunStore?
    private let meta: RunMeta
    private let apiKey: String?
    private let order: [Int]
    private let serverMetrics: ServerMetricsOptions?
    /// Warnings from preparing the run (engine, prompt fitting), reported with its outcome.
    private let preparationWarnings: [String]
    /// TLS, proxy and the request URL, resolved from the target and the environment.
    private let transport: ClientTransport
    /// The caller feeds follow-ups (hooks, session turns): the run ends only when it says so (`release`).
    private let holdOpen: Bool
    /// Which client sends the requests.
    private let httpClient: HTTPClientChoice
    /// How many finished records the caller has taken (`newRecords`); only the caller's thread uses it.
    private let delivered = NIOLockedValueBox(0)

    /// What the caller's thread and the event loops share; each operation takes it once
    /// (`startMain` twice, since reading the loops' CPU clocks waits on them).
    private struct State {
        var group: MultiThreadedEventLoopGroup?
        /// AsyncHTTPClient: the server-metrics sampler's, and the requests' when they go through it.
        var client: HTTPClient?
        /// Resends' client with AsyncHTTPClient: fresh connections only.
        var freshClient: HTTPClient?
        var sender: RequestSender?
        var sampler: ServerMetricsSampler?
        var main: LoadRunner?
        var warm: LoadRunner?
        var stopStatus: RunStatus?
        var runID: Int64?
        var startedAt = 0.0
        var cpuAtStart: [Double] = []
        var context: ConnectionContext?
    }

    private let state = NIOLockedValueBox(State())
    /// Opens once the main load has started, or will never start (stopped first).
    private let mainStarted = Latch()

    public init(endpoint: Endpoint, workload: Workload, plan: LoadPlan, tag: String?, store: RunStore?,
                rules: ValidityRules = ValidityRules(), settings extra: [String: String] = [:],
                serverMetrics: ServerMetricsOptions? = nil, preparation: RunPreparation? = nil,
                environment: [String: String] = ProcessInfo.processInfo.environment, followUps: Bool = false) throws {
        holdOpen = followUps
        if let m = serverMetrics, !(m.interval.isFinite && m.interval > 0) {
            throw MeasureError.invalidArgument("server metrics interval must be a positive number of seconds, got \(m.interval)")
        }
        try serverMetrics?.validate()
        self.serverMetrics = serverMetrics
        try endpoint.validate()
        try plan.validate()
        guard workload.count > 0 else { throw MeasureError.invalidArgument("the workload is empty") }
        if case .trace = plan.shape, !workload.hasArrivals {
            throw MeasureError.invalidArgument("a replay needs a workload with arrival times (workload.trace), got \(workload.origin)")
        }
        self.endpoint = endpoint
        // The prepared workload has the same requests, its synthetic prompts fitted to the server's tokens.
        self.workload = preparation?.workload ?? workload
        preparationWarnings = preparation?.warnings ?? []
        self.plan = plan
        self.rules = rules
        self.store = store
        apiKey = try endpoint.apiKey(environment: environment)
        // A control character in a header would make every request fail with the
        // value in the error text, which is stored: refuse it here, naming only the source.
        if let key = apiKey, key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw MeasureError.invalidArgument("the API key in \(endpoint.apiKeyEnv ?? "the environment") contains a control character (a stray newline?)")
        }
        for (name, value) in endpoint.headers where value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw MeasureError.invalidArgument("header '\(name)' has a control character in its value")
        }
        order = plan.order(count: workload.count)
        // Its warnings (insecure TLS) go with every outcome, which the caller prints.
        transport = try ClientTransport(endpoint, environment: environment)
        httpClient = HTTPClientChoice(transport, environment: environment)

        var settings: [String: Any] = endpoint.storedSettings
        settings["http_client"] = httpClient.rawValue
        for (k, v) in transport.storedSettings { settings[k] = v }
        if endpoint.tls.insecure { settings["insecure"] = true }  // a JSON boolean, for reports to test
        settings["workload"] = workload.origin
        settings["requests_planned"] = order.count
        settings["seed"] = plan.seed
        settings["warmup"] = plan.warmup
        settings["client_threads"] = plan.clientThreads
        settings["keep_responses"] = plan.keepResponses
        if let d = plan.duration { settings["duration"] = d }
        if let m = plan.maxRequests { settings["max_requests"] = m }
        var concurrency: Int?, rate: Double?
        switch plan.shape {
        case .closed(let c):
            concurrency = c
            settings["load"] = "closed"
        case .open(let r, let b, let cap):
            rate = r
            settings["load"] = "open"
            settings["arrivals"] = b.map { "gamma(shape \($0))" } ?? "constant"
            if let b { settings["burstiness"] = b }
            if let cap { concurrency = cap; settings["max_in_flight"] = cap }
        case .trace(let cap):
            settings["load"] = "trace"
            settings["arrivals"] = "trace"
            if let cap { concurrency = cap; settings["max_in_flight"] = cap }
        }
        if let m = serverMetrics {
            settings["server_metrics_url"] = m.resolvedURL(for: endpoint)
            settings["server_metrics_interval"] = m.interval
            if !m.mapping.isEmpty { settings["server_metrics_series"] = m.mapping }
        }
        for (k, v) in preparation?.settings ?? [:] { settings[k] = v }
        for (k, v) in extra { settings[k] = v }
        let json = (try? JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        meta = RunMeta(tag: tag, target: endpoint.storedURL, model: endpoint.model, concurrency: concurrency,
                       rate: rate, settings: json)

    }

    deinit { shutdown() }

    /// Releases the client's threads and connections (idempotent; never on an event loop).
    private func shutdown() {
        let (c, f, g, sender) = state.withLockedValue { s in
            defer {
                s.client = nil
                s.freshClient = nil
                s.group = nil
                s.sender = nil
            }
            return (s.client, s.freshClient, s.group, s.sender)
        }
        sender?.shutdown()
        try? c?.syncShutdown()
        try? f?.syncShutdown()
        try? g?.syncShutdownGracefully()
    }

    /// Creates the run row and starts sending (warm-up first, if any).
    public func start() throws {
        let startedAt = Date().timeIntervalSince1970
        let runID = try store.map { try $0.createRun(meta, startedAt: startedAt) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: plan.clientThreads)
        // The server's certificate, read once before the load, explains TLS failures precisely.
        let context = ConnectionContext(transport, probe: true)
        var config = HTTPClient.Configuration()
        transport.apply(to: &config)
        config.timeout = .init(connect: .nanoseconds(Int64(endpoint.connectTimeout * 1e9)))
        // One connection per stream: the pool must never make a request wait.
        config.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 100_000)
        config.decompression = .disabled
        // As the own client: a redirect is recorded, saying where it points, not followed.
        config.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: config)
        let freshClient = HTTPClient(eventLoopGroupProvider: .shared(group), configuration: config)
        let sender = sender(client: client, freshClient: freshClient, group: group)
        var warmRunner: LoadRunner?
        if plan.warmup > 0 {
            let n = plan.warmup
            let warmRequests = (0..<n).map { i -> WorkloadRequest in
                var r = workload[order[i % order.count]]
                r.prompt = Self.warmupPrompt(r.prompt, i)
                r.session = nil  // a warm-up request is one request: it keeps no slot for a next turn
                return r
            }
            let c: Int
            switch plan.shape {
            case .closed(let k): c = k
            case .open(_, _, let cap), .trace(let cap): c = cap ?? 8
            }
            var warmPlan = plan
            warmPlan.shape = .closed(concurrency: min(c, n))
            warmPlan.duration = nil
            let runner = LoadRunner(sender: sender, group: group, endpoint: endpoint,
                                    context: context, requests: Workload(requests: warmRequests, origin: "warm-up"), order: Array(0..<n), plan: warmPlan,
                                    collector: RecordCollector(sink: nil))
            // Off the event loop: starting the main load reads each loop's CPU clock and waits.
            runner.onDone = { [weak self] in
                guard let run = self else { return }
                DispatchQueue.global().async { run.startMain() }
            }
            warmRunner = runner
        }
        // Published before anything starts: the warm-up's end starts the main load, which reads these.
        state.withLockedValue { s in
            s.startedAt = startedAt
            s.runID = runID
            s.group = group
            s.client = client
            s.freshClient = freshClient
            s.sender = sender
            s.warm = warmRunner
            s.context = context
        }
        if let warmRunner {
            warmRunner.start()
        } else {
            startMain()
        }
    }

    /// The run's sender: our own HTTP/1.1 client where it serves (plain http, no proxy), else AsyncHTTPClient.
    private func sender(client: HTTPClient, freshClient: HTTPClient, group: MultiThreadedEventLoopGroup) -> RequestSender {
        let template = RequestTemplate(transport: transport, apiKey: apiKey)
        if httpClient == .nio, let own = HTTP1Client(group: group, template: template, connectTimeout: endpoint.connectTimeout) {
            return own
        }
        return AsyncHTTPClientSender(client: client, freshClient: freshClient, template: template)
    }

    private func startMain() {
        let ready = state.withLockedValue { s -> (HTTPClient, RequestSender, MultiThreadedEventLoopGroup, Int64?, ConnectionContext?)? in
            guard s.stopStatus == nil, s.main == nil, let client = s.client, let sender = s.sender,
                  let group = s.group else { return nil }
            return (client, sender, group, s.runID, s.context)
        }
        guard let (client, sender, group, runID, context) = ready else { mainStarted.open(); return }
        let store = self.store, workload = self.workload, order = self.order
        // Follow-ups' labels live in the runner, made after the collector that stores them.
        let lookup = NIOLockedValueBox<LoadRunner?>(nil)
        let collector = RecordCollector(sink: store.map { s in
            { @Sendable records in
                guard let id = runID else { return }
                let runner = lookup.withLockedValue { $0 }
                s.append(run: id, records.map { r in
                    let w = r.index < order.count ? order[r.index] : nil
                    let labels = runner?.labels(at: r.index) ?? RequestLabels()
                    return (r, RunStore.RequestExtra(workloadIndex: w, expected: w.flatMap { workload.expected(at: $0) },
                                                     requestClass: labels.requestClass, meta: labels.meta,
                                                     session: labels.session?.session, turn: labels.session?.turn))
                })
            }
        })
        let runner = LoadRunner(sender: sender, group: group, endpoint: endpoint,
                                context: context, requests: workload, order: order, plan: plan, collector: collector,
                                holdOpen: holdOpen)
        lookup.withLockedValue { $0 = runner }
        // Made before the lock (it only reads settings); started only once published.
        let sampler = serverMetrics.map { m in
            let headers = HTTPHeaders(endpoint.requestHeaders(apiKey: apiKey))
            return ServerMetricsSampler(client: client, url: transport.url(for: m.resolvedURL(for: endpoint)), interval: m.interval,
                                        mapping: m.mapping, maxUnmapped: m.maxUnmapped,
                                        headers: headers, origin: runner.clock.startNanos)
        }
        let cpu = ThreadCPU.perLoop(group)
        let published = state.withLockedValue { s -> Bool in
            if s.stopStatus != nil { return false }  // stopped while the CPU clocks were read
            s.cpuAtStart = cpu
            s.main = runner  // published with cpuAtStart, which finish() reads
            s.sampler = sampler
            return true
        }
        if published {
            runner.start()
            sampler?.start(on: group.next())
        }
        mainStarted.open()
    }

    /// Waits up to `timeout` seconds; true once the run has finished.
    public func wait(timeout: Double) -> Bool {
        if let runner = state.withLockedValue({ $0.main }) { return runner.wait(timeout: timeout) }
        // Warming up (or stopped during it): wait for the main load to start.
        let start = DispatchTime.now()
        guard mainStarted.wait(timeout: timeout) else { return false }
        guard let started = state.withLockedValue({ $0.main }) else { return true }  // stopped before the main load began
        let left = timeout - Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return started.wait(timeout: max(0, left))
    }

    /// Figures so far; `warmingUp` while the warm-up runs.
    public func progress() -> (progress: RunProgress, warmingUp: Bool) {
        let (runner, w) = state.withLockedValue { ($0.main, $0.warm) }
        if let runner { return (runner.progress(), false) }
        return (w?.progress() ?? RunProgress(done: 0, total: order.count, succeeded: 0, errors: 0, inFlight: 0,
                                          elapsed: 0, outputTokens: 0, ttftP50: nil), true)
    }

    // MARK: follow-ups (the caller's thread: hooks and session turns)

    /// Records finished since the last call, in the order they finished, with what the
    /// workload said about each. Empty during the warm-up.
    public func newRecords() -> [(record: RequestRecord, labels: RequestLabels)] {
        guard let runner = state.withLockedValue({ $0.main }) else { return [] }
        let from = delivered.withLockedValue { $0 }
        let fresh = runner.collector.records(from: from)
        delivered.withLockedValue { $0 = from + fresh.count }
        return fresh.map { ($0, runner.labels(at: $0.index)) }
    }

    /// Queues a request `delay` seconds from now (`onKeptSlot`: a session's next turn, on
    /// the slot its previous turn kept). Returns at once; nothing waits on a send.
    public func enqueue(_ r: WorkloadRequest, delay: Double = 0, onKeptSlot: Bool = false) {
        state.withLockedValue { $0.main }?.enqueue(r, delay: max(0, delay), onKeptSlot: onKeptSlot)
    }

    /// A session ended early or failed: the slot its last turn kept is free again.
    public func releaseSlot() {
        state.withLockedValue { $0.main }?.releaseSlot()
    }

    /// With follow-ups: true once every request is finished, every record taken by
    /// `newRecords` and nothing more is queued; then `release` lets the run end.
    public var settled: Bool {
        guard let runner = state.withLockedValue({ $0.main }) else { return false }
        return runner.settled && runner.collector.count == delivered.withLockedValue { $0 }
    }

    /// Lets a run held open for follow-ups end once its requests are done.
    public func release() {
        state.withLockedValue { $0.main }?.release()
    }

    /// Stops sending and cancels requests in flight; the run ends with `status`.
    public func stop(_ status: RunStatus) {
        let (runner, w) = state.withLockedValue { s in
            if s.stopStatus == nil { s.stopStatus = status }
            return (s.main, s.warm)
        }
        w?.stop()
        runner?.stop()
        if runner == nil { mainStarted.open() }  // nothing more will start
    }

    /// Waits for the run to settle, summarises it, stores the outcome and
    /// releases the client. Call once, after `wait` returned true or after `stop`.
    public func finish() throws -> RunOutcome {
        // One read: after `wait` returned true or after `stop`, nothing more is published
        // (startMain publishes before opening `mainStarted`, and not at all once stopped).
        let s = state.withLockedValue { $0 }
        let runner = s.main, status = s.stopStatus ?? .completed, runID = s.runID, startedAt = s.startedAt
        _ = runner?.wait(timeout: 30)
        let cpuAtEnd = s.group.map(ThreadCPU.perLoop) ?? []
        let cpuAtStart = s.cpuAtStart
        let sampled = s.sampler?.stop()
        runner?.collector.close()
        let records = runner?.collector.all() ?? []
        let summary = RunSummary(records: records)
        let resends = runner?.resends ?? 0
        let byClass = runner.map { run in RunSummary.grouped(records, by: { run.labels(at: $0.index).requestClass }) } ?? [:]
        let byTurn = runner.map { run in RunSummary.grouped(records, by: { run.labels(at: $0.index).session.map { String($0.turn) } }) } ?? [:]
        let offered = runner?.offered ?? OfferedLoad(planned: order.count, sent: 0, dropped: 0, late: 0)
        let inputLength = InputLengthCheck(pairs: records.compactMap { r in
            guard let served = r.inputTokens, r.index < order.count,
                  let asked = workload.inputTokensHint(at: order[r.index]) else { return nil }
            return (asked, served)
        })
        let chunks = records.reduce(0) { $0 + $1.chunkTimes.count }
        let spent = zip(cpuAtEnd, cpuAtStart).map { $0 - $1 }
        let cpu = ClientCPU(seconds: spent.reduce(0, +),
                            busiestThread: summary.makespan > 0 ? (spent.max() ?? 0) / summary.makespan : 0,
                            perChunk: chunks > 0 ? spent.reduce(0, +) / Double(chunks) : nil)
        var verdict = Verdict.evaluate(summary: summary, rules: rules, clientCPUFraction: cpu.busiestThread, offered: offered)
        if status != .completed {
            verdict.valid = false
            let how: String
            switch status {
            case .failed: how = "failed"
            case .interrupted: how = "was interrupted"
            case .stopped: how = "was stopped"
            case .running, .completed: how = "ended"
            }
            verdict.reasons.insert("the run \(how) before its workload was done", at: 0)
        }
        shutdown()
        let endedAt = Date().timeIntervalSince1970
        var summaryJSON = try summary.json()
        if let cpuJSON = try? JSONEncoder().encode(cpu), var obj = try JSONSerialization.jsonObject(with: Data(summaryJSON.utf8)) as? [String: Any],
           let cpuObj = try JSONSerialization.jsonObject(with: cpuJSON) as? [String: Any] {
            obj["client_cpu"] = cpuObj
            obj["resends"] = resends
            obj["offered"] = ["planned": offered.planned, "sent": offered.sent, "dropped": offered.dropped, "late": offered.late]
            if let inputLength { obj["input_length"] = inputLength.json }
            if !byClass.isEmpty { obj["by_class"] = try byClass.mapValues { try $0.jsonObject() } }
            if !byTurn.isEmpty { obj["by_turn"] = try byTurn.mapValues { try $0.jsonObject() } }
            summaryJSON = String(decoding: try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]), as: UTF8.self)
        }
        let verdictJSON = try verdict.json()
        if let store, let id = runID {
            // The run is closed (and its requests flushed or spilled) even when the server
            // series cannot be written, say on a full disk: requests matter most, so a
            // failure to store them is the error reported.
            var metricsError: Error?
            do { try store.appendServerMetrics(run: id, sampled?.samples ?? []) } catch { metricsError = error }
            try store.finishRun(id, status: status.rawValue, endedAt: endedAt, summary: summaryJSON, verdict: verdictJSON)
            if let metricsError { throw RunsError.serverMetricsNotStored(run: id, reason: "\(metricsError)") }
        }
        var warnings: [String] = transport.warnings + preparationWarnings
        warnings += sampled?.warnings ?? []
        if let w = inputLength?.warning { warnings.append(w) }
        return RunOutcome(runID: runID, status: status, summary: summary, verdict: verdict, clientCPU: cpu,
                          records: records, settings: meta.settings, startedAt: startedAt, endedAt: endedAt,
                          serverMetrics: sampled?.samples ?? [],
                          warnings: warnings,
                          resends: resends, inputLength: inputLength, offered: offered, byClass: byClass, byTurn: byTurn)
    }

    /// Warm-up prompts differ from the measured ones, so they warm connections
    /// and the server, not its prefix cache for the prompts that follow.
    static func warmupPrompt(_ p: Prompt, _ i: Int) -> Prompt {
        switch p {
        case .text(let t): return .text("Warm-up \(i). " + t)
        case .messages(var ms):
            if !ms.isEmpty { ms[0].content = "Warm-up \(i). " + ms[0].content }
            return .messages(ms)
        }
    }
}
