import Cost
import FrontierMath
import LuaBridge
import Metrics
import Runs

/// `frontier.diagnose(runs, {…})`: the failure signatures of a sweep's runs, read from
/// their tables (and, for error bursts, their stored requests). The rules are
/// FrontierMath's `Diagnosis` (docs/frontier.md, "Diagnosis").
enum DiagnoseBinding {
    /// Every option; the thresholds map onto `DiagnosisThresholds`.
    static let fields: Set<String> = ["hardware", "cost", "sla", "quality", "ttft_jump", "ttft_min_rise", "min_fall",
                                      "quality_gain", "tokenizer_ratio", "error_rate", "burst_window", "burst_errors",
                                      "burst_rate", "client_cpu", "queueing"]

    static func diagnose(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let runs: [LuaValue]
        switch call.isTable(1) ? try call.table(1) : .nil {
        case .array(let a) where !a.isEmpty: runs = a
        case .array, .table([:]):
            throw call.argumentError(1, "a non-empty list of runs expected (e.g. what bench.sweep returns), got an empty list")
        case .table: throw call.argumentError(1, "a list of runs expected, got a table with named fields (one run? pass { run })")
        default: throw call.argumentError(1, "a non-empty list of runs expected (e.g. what bench.sweep returns), got \(call.typeName(1))")
        }
        let hasOptions = !call.isNil(2)
        // `cost` (a function) and `sla` (an object) are read apart: they are not data.
        let o = hasOptions ? Options(table: try call.fields(2, skipping: ["cost", "sla"]), call: call, position: 2)
                           : Options(table: [:], call: call, position: 2)
        try o.only(fields)
        let thresholds = try thresholds(o)
        let costFn = hasOptions ? try call.function(2, field: "cost") : nil
        let sla = hasOptions ? try call.object(2, field: "sla", as: SLABox.self) : nil
        if hasOptions, sla == nil, try call.typeName(2, field: "sla") != "nil" {
            throw call.argumentError(2, "field 'sla' must be an sla{} object, got \(try call.typeName(2, field: "sla"))")
        }
        if let q = o.table["quality"], !q.isNil, q.string == nil {
            throw o.error("quality", "the name of a stored score (a run's own 'quality' field is read without it)")
        }
        let fixed = try o.table["hardware"].map { try HardwareTable.read($0, call, 2, gpus: nil).0 }
        let reader = LevelReader(call: call, store: store, options: o, costFn: costFn, hardware: fixed, sla: sla)

        var order: [String] = []
        var groups: [String: (load: DiagnosisSweep.Load, levels: [(level: DiagnosisLevel, item: Int)])] = [:]
        for (k, v) in runs.enumerated() {
            guard case .table = v else { throw call.argumentError(1, "item \(k + 1) must be a run table, got \(v.typeName)") }
            let run = try RunView(call, 1, v)
            guard run.level != nil else { throw call.argumentError(1, "run \(k + 1) has no concurrency or rate") }
            let load: DiagnosisSweep.Load = run.table["rate"]?.number != nil ? .rate : .concurrency
            let key = sweepKey(run, load)
            if groups[key] == nil { order.append(key) }
            groups[key, default: (load, [])].levels.append((try reader.level(run, item: k + 1), k + 1))
        }
        let sweeps: [DiagnosisSweep] = try order.compactMap { groups[$0] }.map { group in
            let sorted = group.levels.sorted { $0.level.level < $1.level.level }
            for (a, b) in zip(sorted, sorted.dropFirst()) where a.level.level == b.level.level {
                throw call.argumentError(1, "items \(a.item) and \(b.item) are both at \(group.load.rawValue) \(number(a.level.level)) "
                    + "of one sweep: a sweep has one run per level (bench.sweeps{ tag = … } lists a tag's sweeps)")
            }
            return DiagnosisSweep(load: group.load, levels: sorted.map(\.level))
        }
        let findings = try FrontierModule.math(call) { try Diagnosis.findings(in: sweeps, thresholds: thresholds) }
        return .array(findings.map(table))
    }

    /// The options' thresholds over the defaults, checked (errors name argument 2).
    static func thresholds(_ o: Options) throws -> DiagnosisThresholds {
        var t = DiagnosisThresholds()
        let numbers: [(String, WritableKeyPath<DiagnosisThresholds, Double>)] = [
            ("ttft_jump", \.ttftJump), ("ttft_min_rise", \.ttftMinRise), ("min_fall", \.minFall),
            ("quality_gain", \.qualityGain), ("tokenizer_ratio", \.tokenizerRatio), ("error_rate", \.errorRate),
            ("burst_window", \.burstWindow), ("burst_rate", \.burstRate), ("client_cpu", \.clientCPU),
            ("queueing", \.queueing),
        ]
        for (name, path) in numbers { if let v = try o.number(name) { t[keyPath: path] = v } }
        if let n = try o.int("burst_errors") { t.burstErrors = n }
        do { try t.validate() } catch let FrontierError.outOfRange(name, value, expected) {
            throw o.call.argumentError(2, "field '\(name)' must be \(expected), got \(number(value))")
        }
        return t
    }

    /// Runs group into sweeps by their stored sweep, else by tag, target and model; open
    /// and closed loops never share one.
    static func sweepKey(_ run: RunView, _ load: DiagnosisSweep.Load) -> String {
        let sweep = run.table["sweep"]?.integer.map { "sweep \($0)" }
            ?? [run.table["tag"]?.string, run.table["target"]?.string, run.table["model"]?.string]
                .map { $0 ?? "" }.joined(separator: "\u{0}")
        return load.rawValue + "\u{0}" + sweep
    }

    static func number(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }

    static func table(_ f: Finding) -> LuaValue {
        var t: [String: LuaValue] = ["kind": .string(f.kind.rawValue), "evidence": .string(f.evidence),
                                     "advice": .string(f.advice), "text": .string(f.text)]
        if let level = f.level { t["level"] = .double(level) }
        if let id = f.runID { t["run_id"] = .int(Int(id)) }
        if let model = f.model { t["model"] = .string(model) }
        return .table(t)
    }
}

/// Reads one run table into a `DiagnosisLevel`: its figures by the names of
/// docs/metrics.md, cost and quality when known, SLA verdict, and request outcomes.
private struct LevelReader {
    let call: LuaCall
    let store: StoreModule
    let options: Options
    let costFn: LuaFunction?
    let hardware: Hardware?
    let sla: SLABox?

    func level(_ run: RunView, item k: Int) throws -> DiagnosisLevel {
        var l = DiagnosisLevel(level: run.level ?? 0, runID: run.runID, model: run.table["model"]?.string,
                               workload: run.table["settings"]?["workload"].string)
        l.ttftP50 = run.number("ttft.p50")
        l.ttftP99 = run.number("ttft.p99")
        l.ttftFromIntendedP50 = run.number("ttft_from_intended.p50")
        l.sendLagP50 = run.number("send_lag.p50")
        l.requests = try count(run, "requests", k) ?? 0
        l.errors = try (count(run, "failed", k) ?? 0) + (count(run, "truncated", k) ?? 0)
        l.clientCPU = run.number("client_cpu.busiest_thread")
        l.tokensPerWord = run.number("settings.tokens_per_word")
        l.inputTokensRequested = run.number("input_length.requested.mean")
        l.inputTokensServed = run.number("input_length.served.mean")
        if let input = run.number("input_tokens"), let ok = run.number("succeeded"), ok > 0 { l.inputTokensPerRequest = input / ok }
        l.quality = try quality(run)
        if l.quality != nil { l.costPerRequest = try costPerRequest(run, k) }
        l.meetsSLA = try sla.map { try $0.evaluate(run, store: store).0.passed }
        if l.errors > 0, let id = run.runID {
            // Chunk times are not needed to place errors in time: leave them in the store.
            l.outcomes = try StoredRequests.load(run: id, chunks: false, db: store.handle(path: run.dbPath).db()).map { s in
                let r = s.record
                let kind = r.status == .truncated ? "truncated" : (r.errorKind?.rawValue ?? "other")
                return RequestOutcome(time: r.ended ?? r.sent, failed: r.status != .ok, kind: r.status == .ok ? nil : kind)
            }
        }
        return l
    }

    /// A count field as an Int, refusing what is not a whole number ≥ 0 (Int(nan) would trap).
    func count(_ run: RunView, _ key: String, _ k: Int) throws -> Int? {
        guard let d = run.number(key) else { return nil }
        guard d.isFinite, d >= 0, d == d.rounded(), d < 1e15 else {
            throw call.argumentError(1, "run \(k): field '\(key)' must be a whole number ≥ 0, got \(d)")
        }
        return Int(d)
    }

    /// The option `quality = 'name'` (a stored score), else the run's own `quality`.
    func quality(_ run: RunView) throws -> Double? {
        if options.has("quality") { return try QualityModule.resolve(options, run: run, store: store) }
        return run.number("quality")
    }

    /// `cost(run)`, else the run's own simulated deployment, else `hardware`; nil when none is known.
    func costPerRequest(_ run: RunView, _ k: Int) throws -> Double? {
        if let costFn {
            guard let d = try costFn.call(.table(run.table)).first?.number else {
                throw call.argumentError(2, "field 'cost': the function must return a number for run \(k)")
            }
            return d
        }
        guard let hw = ReportCharts.ownDeployment(run) ?? hardware else { return nil }
        do {
            return try RunCost(usage: run.usage(), hardware: hw).perRequest
        } catch let e as CostError { throw call.argumentError(2, wrapping: e) }
    }
}
