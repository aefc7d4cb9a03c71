import Foundation
import Interop
import LuaBridge
import Measure
import Metrics
import Runs
import TeamStore

/// `bench.run` and `bench.sweep`: parse the options, run with the Lua thread
/// blocked on the result (relaying progress, watching for Ctrl-C), return runs.
extension BenchModule {
    /// Field `target` of argument 1: a test server or a bench.openai{...} table (the
    /// other fields of argument 1 that cannot be read as values are named in `skipping`).
    static func target(_ call: LuaCall, skipping: Set<String>) throws -> Endpoint {
        if let server = try call.object(1, field: "target", as: TestServerBox.self) {
            return Endpoint(baseURL: server.server.baseURL, model: server.config.model)
        } else if call.isTable(1), try call.typeName(1, field: "target") == "table" {
            let t = try call.fields(1, skipping: skipping)
            guard case .table(let tt)? = t["target"] else { throw call.argumentError(1, "field 'target' must be a bench.openai{...} table") }
            return try endpoint(from: Options(table: tt, call: call, position: 1, path: "target."))
        }
        throw call.argumentError(1, "field 'target' must be a bench.openai{...} table or a test server, got \(try call.typeName(1, field: "target"))")
    }

    struct RunSpec {
        var endpoint: Endpoint
        var workload: Workload
        var plan: LoadPlan
        var tag: String?
        var onProgress: LuaFunction?
        var rules: ValidityRules
        var dbPath: String
        var quiet: Bool
        var serverMetrics: ServerMetricsOptions?
        var tokenizer: TokenizerMethod
        /// Called with each finished request, on this thread, from the progress poll; may return follow-ups.
        var onResponse: LuaFunction?
        /// Called with the run table when the run is over.
        var onDone: LuaFunction?
        /// A session workload's later turns.
        var sessions: SessionSource?

        /// Whether the run is held open for requests made during it.
        var followUps: Bool { onResponse != nil || sessions != nil }
    }

    /// Functions in a run's options table: read as functions, not values.
    static let callbackFields: Set<String> = ["target", "workload", "on_progress", "on_response", "on_done"]

    static let runFields: Set<String> = ["target", "workload", "concurrency", "rate", "burstiness", "max_in_flight", "tag",
                                         "warmup", "duration", "max_requests", "seed", "on_progress", "keep_responses",
                                         "keep_order", "client_threads", "validity", "db", "quiet", "server_metrics", "tokenizer",
                                         "on_response", "on_done"]

    func spec(_ call: LuaCall, level: LuaValue? = nil, levelKey: String? = nil) throws -> RunSpec {
        var data = try call.fields(1, skipping: Self.callbackFields)
        if let key = levelKey { data[key] = level }
        let o = Options(table: data, call: call, position: 1)
        try o.only(Self.runFields)  // the fields skipped above are valid too, and listed

        let endpoint = try Self.target(call, skipping: Self.callbackFields.subtracting(["target"]))
        guard let wl = try call.object(1, field: "workload", as: WorkloadBox.self) else {
            throw call.argumentError(1, "field 'workload' must be a workload (workload.synthetic/jsonl/generate), got \(try call.typeName(1, field: "workload"))")
        }

        let shape: LoadShape
        if let c = try o.int("concurrency") {
            guard !o.has("rate") else { throw call.argumentError(1, "give either 'concurrency' or 'rate', not both") }
            shape = .closed(concurrency: c)
        } else if let r = try o.number("rate") {
            shape = .open(rate: r, burstiness: try o.number("burstiness"), maxInFlight: try o.int("max_in_flight"))
        } else if wl.workload.hasArrivals, wl.sessions == nil {
            shape = .trace(maxInFlight: try o.int("max_in_flight"))
        } else {
            throw call.argumentError(1, "field 'concurrency' (requests in flight) or 'rate' (requests per second) is required")
        }
        var plan = LoadPlan(shape: shape)
        if let s = try o.int("seed") { plan.seed = UInt64(truncatingIfNeeded: s) }
        plan.warmup = try o.int("warmup") ?? 0
        plan.duration = try o.number("duration")
        plan.maxRequests = try o.int("max_requests")
        plan.keepResponses = try o.bool("keep_responses") ?? false
        if wl.sessions != nil {
            // The next turn carries the previous answer.
            if o.table["keep_responses"] == .bool(false) {
                throw call.argumentError(1, "field 'keep_responses' cannot be false for a session workload (each turn carries the previous answer)")
            }
            plan.keepResponses = true
        }
        plan.keepOrder = try o.bool("keep_order") ?? false
        if let t = try o.int("client_threads") { plan.clientThreads = t }
        do { try plan.validate() } catch { throw call.argumentError(1, "\(error)") }

        var rules = ValidityRules()
        if let v = try o.sub("validity", only: ["min_duration", "min_requests", "max_error_rate", "max_send_lag_p99", "max_client_cpu"]) {
            if let x = try v.number("min_duration") { rules.minDuration = x }
            if let x = try v.int("min_requests") { rules.minRequests = x }
            if let x = try v.number("max_error_rate") { rules.maxErrorRate = x }
            if let x = try v.number("max_send_lag_p99") { rules.maxSendLagP99 = x }
            if let x = try v.number("max_client_cpu") { rules.maxClientCPU = x }
        }
        // Server metrics: on by default (1 s), `false` turns them off, a table sets them.
        var serverMetrics: ServerMetricsOptions? = ServerMetricsOptions()
        switch o.table["server_metrics"] {
        case nil, .nil?, .bool(true)?: break
        case .bool(false)?: serverMetrics = nil
        case .table?:
            let m = try o.sub("server_metrics", only: ["interval", "url", "series", "max_unmapped"])
            var mapping: [String: String] = [:]
            if let entries = try m?.entries("series") {  // series names are data, checked below
                for (k, v) in entries.table {
                    guard let name = v.string else { throw entries.error(k, "a string (the server's metric name)") }
                    guard ServerMetrics.seriesNames.contains(k) else {
                        throw call.argumentError(1, "field 'server_metrics.series.\(k)' is not a series; expected one of "
                            + ServerMetrics.seriesNames.joined(separator: ", "))
                    }
                    mapping[k] = name
                }
            }
            serverMetrics = ServerMetricsOptions(url: try m?.string("url"), interval: try m?.positive("interval") ?? 1,
                                                 mapping: mapping, maxUnmapped: try m?.int("max_unmapped") ?? 64)
        case let v?: throw call.argumentError(1, "field 'server_metrics' must be a boolean or {interval=, url=, series=, max_unmapped=}, got \(v.typeName)")
        }
        var tokenizer = TokenizerMethod.auto
        if let t = try o.string("tokenizer") {
            guard let m = TokenizerMethod(rawValue: t) else {
                throw call.argumentError(1, "field 'tokenizer' must be 'auto', 'tokenize', 'probe' or 'none', got '\(t)'")
            }
            tokenizer = m
        }
        return RunSpec(endpoint: endpoint, workload: wl.workload, plan: plan, tag: try o.string("tag"),
                       onProgress: try call.function(1, field: "on_progress"), rules: rules,
                       dbPath: try o.string("db") ?? store.defaultHandle.path, quiet: try o.bool("quiet") ?? false,
                       serverMetrics: serverMetrics, tokenizer: tokenizer,
                       onResponse: try call.function(1, field: "on_response"), onDone: try call.function(1, field: "on_done"),
                       sessions: wl.sessions)
    }

    func run(call: LuaCall) throws -> Int {
        let s = try spec(call)
        let outcome = try execute(s, call: call)
        let fields = try runFields(outcome, s)
        // The run's figures as a plain table (run.wrap(t) adds the methods).
        if let done = s.onDone { _ = try done.call([.table(fields)]) }
        return try pushRun(fields, call)
    }

    func sweep(call: LuaCall) throws -> Int {
        let o = Options(table: try call.fields(1, skipping: Self.callbackFields), call: call, position: 1)
        let key: String
        let levels: [LuaValue]
        if case .array(let a)? = o.table["concurrency"] {
            key = "concurrency"; levels = a
        } else if case .array(let a)? = o.table["rate"] {
            key = "rate"; levels = a
        } else {
            throw call.argumentError(1, "field 'concurrency' or 'rate' must be a list of levels, e.g. concurrency = {8, 16, 32}")
        }
        guard !levels.isEmpty else { throw call.argumentError(1, "the list of levels is empty") }
        let first = try spec(call, level: levels[0], levelKey: key)
        // Sharded (docs/scale.md): only this shard's levels not done yet, each pushed as it ends.
        let sharded = try ShardedSweeps.open(tag: first.tag, kind: key, levels: levels.map { $0.number ?? .nan },
                                             dbPath: first.dbPath)
        defer { sharded?.close() }
        var runs: [[String: LuaValue]] = []
        for k in try sharded?.pending() ?? Array(levels.indices) {
            let s = try spec(call, level: levels[k], levelKey: key)
            // Another live shard claimed the level since pending(): it measures it, not this one.
            guard sharded?.begin(k) ?? true else { continue }
            if runs.isEmpty { Sweeps.beginNew(path: s.dbPath, tag: s.tag) }  // a sweep call is a sweep of its own
            let outcome = try execute(s, call: call)
            try sharded?.finish(k, runID: outcome.runID)
            runs.append(try runFields(outcome, s))
            if let done = s.onDone { _ = try done.call([.table(runs[runs.count - 1])]) }
            if outcome.status != .completed { break }  // stopped by on_progress: the sweep ends here
        }
        try call.pushArray(count: runs.count) { i in _ = try pushRun(runs[i], call) }
        return 1
    }

    private func runFields(_ o: RunOutcome, _ s: RunSpec) throws -> [String: LuaValue] {
        guard case .table(let t) = try RunTable.make(outcome: o, tag: s.tag, endpoint: s.endpoint, plan: s.plan, db: s.dbPath) else { return [:] }
        return t
    }

    /// Runs one spec to the end. Ctrl-C stops it (status interrupted, finished
    /// requests kept) and raises an error saying so; `on_progress` returning
    /// false stops it (status stopped).
    func execute(_ s: RunSpec, call: LuaCall) throws -> RunOutcome {
        let runStore = try RunStore(path: s.dbPath)
        defer { runStore.close() }
        // Which engine answers, and the prompts in its tokens: before the load, on this thread.
        let prepared = try RunPreparation.prepare(endpoint: s.endpoint, workload: s.workload, tokenizer: s.tokenizer,
                                                  store: runStore)
        let m = try MeasureRun(endpoint: s.endpoint, workload: s.workload, plan: s.plan, tag: s.tag, store: runStore,
                               rules: s.rules, settings: ["program": "frontier \(ScriptHost.version)"],
                               serverMetrics: s.serverMetrics, preparation: prepared, followUps: s.followUps)
        let sessions = s.sessions.map { SessionDriver(source: $0, workload: m.workload) }
        let label = Self.label(s.plan)
        let line = ProgressLine(enabled: !quiet && !s.quiet && isatty(STDERR_FILENO) != 0)
        try m.start()
        var lastProgress = Date()
        var ended: RunStatus?
        var callbackError: Error?
        var lastLine = Date.distantPast
        // Hooks and session turns are answered from this poll, so it runs more often with them.
        while !m.wait(timeout: s.followUps ? 0.01 : 0.05) {
            if LuaVM.takeInterrupt() { ended = .interrupted; break }
            if runStore.writeFailure != nil { ended = .failed; break }
            if s.followUps {
                do {
                    try Self.deliver(m, s, sessions, call)
                    if m.settled { m.release() }
                } catch {
                    callbackError = error
                    ended = .failed
                    break
                }
            }
            let lineDue = line.enabled && Date().timeIntervalSince(lastLine) >= 0.5
            let callbackDue = s.onProgress != nil && Date().timeIntervalSince(lastProgress) >= 1
            guard lineDue || callbackDue else { continue }  // progress sorts the TTFTs so far: only when shown
            let (p, warming) = m.progress()
            if lineDue {
                lastLine = Date()
                line.update(label + (warming ? " warming up  " : " ") + p.line)
            }
            if let fn = s.onProgress, callbackDue {
                lastProgress = Date()
                do {
                    let r = try fn.call([Self.progressTable(p, warming: warming, label: label)])
                    if r.first == LuaValue.bool(false) { ended = .stopped; break }
                } catch {
                    callbackError = error
                    ended = .failed
                    break
                }
            }
        }
        if let ended { m.stop(ended) }
        line.clear()
        let outcome = try m.finish()
        line.finalLine(Self.completion(outcome, label: label))
        // Not failures: the run is complete; the user should still hear of them.
        for w in outcome.warnings { FileHandle.standardError.write(Data("warning: \(w)\n".utf8)) }
        if let callbackError { throw callbackError }
        if outcome.status == .interrupted {
            let id = outcome.runID.map { "run \($0)" } ?? "the run"
            throw LuaScriptError("interrupted: \(id) stopped after \(outcome.summary.requests) finished requests"
                + " (all stored, status 'interrupted'); bench.load(\(outcome.runID ?? 0)) reads it back", code: "interrupted")
        }
        return outcome
    }

    /// Hands the requests finished since the last poll to the session driver and to
    /// `on_response`, and queues what they return. Runs on the Lua thread; the load
    /// generator never waits for it.
    static func deliver(_ m: MeasureRun, _ s: RunSpec, _ sessions: SessionDriver?, _ call: LuaCall) throws {
        for (record, labels) in m.newRecords() {
            var table: LuaValue?
            func view() -> LuaValue {
                if let table { return table }
                let t = RequestTable.make(StoredRequest(record: record, requestClass: labels.requestClass, meta: labels.meta,
                                                         session: labels.session?.session, turn: labels.session?.turn))
                table = t
                return t
            }
            try sessions?.finished(record, labels, previous: view(), run: m)
            guard let hook = s.onResponse else { continue }
            let out = try hook.call([view()]).first ?? .nil
            for r in try followUps(out, defaultMaxTokens: record.maxTokens) { m.enqueue(r) }
        }
    }

    /// What `on_response` returned: nothing, one request table, or a list of them.
    static func followUps(_ v: LuaValue, defaultMaxTokens: Int?) throws -> [WorkloadRequest] {
        func one(_ t: [String: LuaValue], _ what: String) throws -> WorkloadRequest {
            do { return try JSONLWorkload.request(from: t, defaultMaxTokens: defaultMaxTokens) }
            catch { throw LuaScriptError("on_response: \(what): \(error)") }
        }
        switch v {
        case .nil, .bool(false): return []
        case .table(let t): return [try one(t, "the request it returned")]
        case .array(let a):
            return try a.enumerated().map { i, x in
                guard case .table(let t) = x else { throw LuaScriptError("on_response: item \(i + 1) of the list it returned is \(x.typeName), expected a request table") }
                return try one(t, "request \(i + 1) of the list it returned")
            }
        default: throw LuaScriptError("on_response returned \(v.typeName); expected nil, a request table or a list of them")
        }
    }

    static func label(_ p: LoadPlan) -> String {
        switch p.shape {
        case .closed(let c): return "[c=\(c)]"
        case .open(let r, _, _): return "[rate=\(r)]"
        case .trace: return "[trace]"
        }
    }

    static func progressTable(_ p: RunProgress, warming: Bool, label: String) -> LuaValue {
        var t: [String: LuaValue] = ["done": .int(p.done), "total": .int(p.total), "succeeded": .int(p.succeeded),
                                     "errors": .int(p.errors), "in_flight": .int(p.inFlight), "elapsed": .double(p.elapsed),
                                     "requests_per_s": .double(p.requestsPerSecond), "output_tokens_per_s": .double(p.outputTokensPerSecond),
                                     "warming_up": .bool(warming), "level": .string(label)]
        if let t50 = p.ttftP50 { t["ttft_p50"] = .double(t50) }
        t["dropped"] = .int(p.dropped)
        t["late"] = .int(p.late)
        t["waiting"] = .int(p.waiting)
        if let r = p.remaining { t["remaining"] = .double(r) }
        return .table(t)
    }

    static func completion(_ o: RunOutcome, label: String) -> String {
        let s = o.summary
        var line = "\(o.runID.map { "run \($0) " } ?? "")\(label): \(s.requests) requests in "
            + String(format: "%.1f s, %.1f req/s, %.0f tok/s", s.makespan, s.requestThroughput, s.outputThroughput)
        if let t = s.ttft { line += ", p50 TTFT \(RunProgress.duration(t.p50))" }
        if s.failed + s.truncated > 0 { line += ", \(s.failed + s.truncated) errors" }
        // Not errors, but a sign the server drops keep-alive connections (connection = "close" avoids them).
        if o.resends > 0 { line += ", \(o.resends) resent on a fresh connection" }
        if let l = o.offered, l.dropped > 0 || l.late > 0 {
            line += ", \(l.sent) of \(l.planned) planned sent (\(l.dropped) dropped, \(l.late) late)"
        }
        line += o.status == .completed ? "" : " (\(o.status.rawValue))"
        line += o.verdict.valid ? " — valid" : " — invalid: " + o.verdict.reasons.joined(separator: "; ")
        return line
    }
}

/// The live line on a terminal (stderr); nothing when disabled.
struct ProgressLine {
    let enabled: Bool

    func update(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data(("\r\u{1B}[2K" + text).utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    func finalLine(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
