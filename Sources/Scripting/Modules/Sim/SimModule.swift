import Foundation
import LuaBridge
import Measure
import Metrics
import Runs
import Sim
import SimRuns
import TeamStore

/// `sim.*`: GPU and model profiles, simulated runs and sweeps, calibration.
final class SimModule {
    let bench: BenchModule
    var store: StoreModule { bench.store }

    init(bench: BenchModule) { self.bench = bench }

    func register(in vm: LuaVM) throws {
        try vm.register(module: "sim", summary: "Plan without GPUs: a continuous-batching simulator with roofline iterations (docs/sim.md).", [
            LuaBinding("gpu", args: "{name=, tflops=, bandwidth_tb_per_s=, memory_gb=, power_w=}",
                       "A GPU profile: a preset by name, with any figure overridden, or every figure given.") { call in
                try call.returning(Self.gpuTable(try Self.gpu(try Options(call, 1), call)))
            },
            LuaBinding("model", args: "{name=, params_b=, active_params_b=, layers=, hidden=, heads=, kv_heads=, head_dim=, bytes_per_weight=2, bytes_per_kv=2, experts=1, experts_per_token=1, vocab=0, tied_embeddings=false}",
                       "A model profile: a preset by name, with any figure overridden, or every figure given.") { call in
                try call.returning(Self.modelTable(try Self.model(try Options(call, 1), call)))
            },
            LuaBinding("gpus", "The GPU presets as rows.") { call in
                try call.push(records: GPUProfile.all.map { Self.row(Self.gpuTable($0)) },
                              columns: ["name", "tflops", "bandwidth_tb_per_s", "memory_gb", "power_w", "source"])
                return 1
            },
            LuaBinding("models", "The model presets as rows.") { call in
                try call.push(records: ModelProfile.all.map { Self.row(Self.modelTable($0)) },
                              columns: ["name", "params_b", "active_params_b", "layers", "hidden", "heads", "kv_heads", "kv_kib_per_token"])
                return 1
            },
            LuaBinding("run", args: "{gpu=, gpus=1, model=, profile=, workload= | replay=run, concurrency= | rate=, burstiness=, seed=, efficiency={mfu=, decode_mfu=, decode_batch_half=, mbu=, overhead=, sequence_overhead=, batch_overhead=, step_jitter=0}, scheduler={policy='continuous'|'static', priority='decode'|'prefill', max_seqs=256, max_batched_tokens=8192, chunked_prefill=true}, memory_fraction=0.9, keep='requests'|'summary'|'chunks', tag=, db=}",
                       "Simulates one load level on a deployment; stores the run (source 'simulated') and its requests like a measured one; returns the run.") { [unowned self] call in
                let o = try Self.withProfile(Options(table: try Deprecations.apply(call.fields(1, skipping: ["workload"]), call: call, position: 1), call: call, position: 1), call, store: self.store)
                try o.only(Self.runFields)
                let (run, _) = try self.simulate(o, call, level: nil)
                return try self.bench.pushRun(run, call)
            },
            LuaBinding("sweep", args: "{..., concurrency={8, 16, ...} | rate={...}}",
                       "sim.run at each level; returns the list of runs.") { [unowned self] call in
                let o = try Self.withProfile(Options(table: try Deprecations.apply(call.fields(1, skipping: ["workload"]), call: call, position: 1), call: call, position: 1), call, store: self.store)
                try o.only(Self.runFields)
                let key = o.has("rate") ? "rate" : "concurrency"
                guard case .array(let levels)? = o.table[key], !levels.isEmpty else {
                    throw o.error(key, "a list of levels")
                }
                var runs: [[String: LuaValue]] = []
                let path = self.store.handle(path: try o.string("db")).path
                // A sweep call is a sweep of its own, even under a tag used before in this process.
                Sweeps.beginNew(path: path, tag: try o.string("tag"))
                let numbers = try levels.map { v -> Double in
                    guard let d = v.number else { throw o.error(key, "a list of numbers") }
                    return d
                }
                // Sharded (docs/scale.md): only this shard's levels not done yet, each pushed as it ends.
                let sharded = try ShardedSweeps.open(tag: try o.string("tag"), kind: key, levels: numbers, dbPath: path)
                defer { sharded?.close() }
                for k in try sharded?.pending() ?? Array(numbers.indices) {
                    // Another live shard claimed the level since pending(): it measures it, not this one.
                    guard sharded?.begin(k) ?? true else { continue }
                    let run = try self.simulate(o, call, level: (key, numbers[k])).0
                    try sharded?.finish(k, runID: run["run_id"]?.integer.map { Int64($0) })
                    runs.append(run)
                }
                try call.pushArray(count: runs.count) { i in _ = try self.bench.pushRun(runs[i], call) }
                return 1
            },
            LuaBinding("deployment", args: "{gpu=, gpus=1, model=, memory_fraction=0.9, efficiency=}",
                       "What a deployment holds: weights, KV-cache capacity in tokens, and one decode step's time at batch 1 and 64.") { call in
                let o = try Options(call, 1)
                try o.only(["gpu", "gpus", "model", "memory_fraction", "efficiency"])
                let d = try Self.deployment(o, call)
                let step1 = d.iterationTime(decodeContexts: [1024])
                let step64 = d.iterationTime(decodeContexts: Array(repeating: 1024, count: 64))
                return try call.returning(["gpu": .string(d.gpu.name), "gpus": .int(d.count), "model": .string(d.model.name),
                                           "weights_gb": .double(d.model.weightBytes / 1e9), "kv_tokens": .int(d.kvCapacityTokens),
                                           "decode_step_1": .double(step1.total), "decode_step_64": .double(step64.total)])
            },
            LuaBinding("server", args: "{gpu=, gpus=1, model=, efficiency=, scheduler=, memory_fraction=0.9, port=0, model_name=, max_tokens=16}",
                       "Starts the test server on 127.0.0.1 with its tokens paced in real time by the simulator; returns it like bench.test_server (bench.run{ target = srv }, srv:stop()).") { call in
                try Self.startServer(call)
            },
            LuaBinding("snapshot", args: "srv",
                       "A sim.server's engine now: running, waiting, kv_cache_usage, generated_tokens, preemptions, iterations, finished, cancelled.") { call in
                try Self.snapshot(call)
            },
            LuaBinding("calibrate", args: "{runs={...}, gpu=, gpus=, model=, profile=, scheduler=, efficiency=, fit={'mfu', 'decode_mfu', ...}, save=, db=}",
                       "Fits the performance model's terms to measured runs (several concurrencies or lengths pin more terms); returns the efficiency, each term with its standard error, every figure before and after, warnings, step_jitter (read from the runs' chunk gaps unless efficiency= gives it) and a profile for sim.run{ profile = }; save= stores it by name.") { [unowned self] call in
                try call.returning(try self.calibrate(call))
            },
        ])
    }

    static let runFields: Set<String> = ["gpu", "gpus", "model", "workload", "replay", "concurrency", "rate", "burstiness", "seed",
                                         "efficiency", "scheduler", "memory_fraction", "tag", "db", "keep"]

    /// Turns a `SimError` into an argument error naming the argument.
    static func checked<T>(_ call: LuaCall, _ position: Int = 1, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SimError { throw call.argumentError(position, wrapping: e) }
    }

    // MARK: profiles

    static func gpu(_ given: Options, _ call: LuaCall) throws -> GPUProfile {
        let o = try given.renaming("bandwidth_tbs", to: "bandwidth_tb_per_s")
        try o.only(["name", "tflops", "bandwidth_tb_per_s", "memory_gb", "power_w", "kind", "source"])
        let base = try o.string("name").flatMap { n in try? GPUProfile.named(n) }
        if base == nil, let n = try o.string("name"), !o.has("tflops") {
            _ = try checked(call) { try GPUProfile.named(n) }  // the error lists the presets
        }
        func pick(_ key: String, _ scale: Double, _ fallback: Double?) throws -> Double {
            if let d = try o.number(key) { return d * scale }
            guard let fallback else { throw call.argumentError(1, "field '\(key)' is required without a preset name") }
            return fallback
        }
        return try checked(call) {
            try GPUProfile(name: try o.string("name") ?? "custom", aliases: base?.aliases ?? [],
                           denseFLOPS: try pick("tflops", 1e12, base?.denseFLOPS),
                           memoryBandwidth: try pick("bandwidth_tb_per_s", 1e12, base?.memoryBandwidth),
                           memoryBytes: try pick("memory_gb", 1e9, base?.memoryBytes),
                           powerWatts: try pick("power_w", 1, base?.powerWatts),
                           source: base?.source ?? "user-defined")
        }
    }

    static func gpuTable(_ g: GPUProfile) -> LuaValue {
        ["kind": "sim_gpu", "name": .string(g.name), "tflops": .double(g.denseFLOPS / 1e12),
         "bandwidth_tb_per_s": .double(g.memoryBandwidth / 1e12), "memory_gb": .double(g.memoryBytes / 1e9),
         "power_w": .double(g.powerWatts), "source": .string(g.source)]
    }

    static func model(_ o: Options, _ call: LuaCall) throws -> ModelProfile {
        try o.only(["name", "params_b", "active_params_b", "layers", "hidden", "heads", "kv_heads", "head_dim",
                    "bytes_per_weight", "bytes_per_kv", "experts", "experts_per_token", "vocab", "tied_embeddings",
                    "kind", "source", "kv_kib_per_token"])
        let base = try o.string("name").flatMap { n in try? ModelProfile.named(n) }
        if base == nil, let n = try o.string("name"), !o.has("params_b") {
            _ = try checked(call) { try ModelProfile.named(n) }
        }
        func int(_ key: String, _ fallback: Int?) throws -> Int {
            if let i = try o.int(key) { return i }
            guard let fallback else { throw call.argumentError(1, "field '\(key)' is required without a preset name") }
            return fallback
        }
        func number(_ key: String, _ scale: Double, _ fallback: Double?) throws -> Double {
            if let d = try o.number(key) { return d * scale }
            guard let fallback else { throw call.argumentError(1, "field '\(key)' is required without a preset name") }
            return fallback
        }
        let total = try number("params_b", 1e9, base?.totalParams)
        return try checked(call) {
            try ModelProfile(name: try o.string("name") ?? "custom", aliases: base?.aliases ?? [], totalParams: total,
                             activeParams: try o.number("active_params_b").map { $0 * 1e9 } ?? (o.has("params_b") ? nil : base?.activeParams),
                             layers: try int("layers", base?.layers), hiddenSize: try int("hidden", base?.hiddenSize),
                             attentionHeads: try int("heads", base?.attentionHeads), kvHeads: try int("kv_heads", base?.kvHeads),
                             headDim: try o.int("head_dim") ?? base?.headDim,
                             bytesPerWeight: try number("bytes_per_weight", 1, base?.bytesPerWeight ?? 2),
                             bytesPerKVElement: try number("bytes_per_kv", 1, base?.bytesPerKVElement ?? 2),
                             experts: try int("experts", base?.experts ?? 1),
                             expertsPerToken: try int("experts_per_token", base?.expertsPerToken ?? 1),
                             vocabSize: try int("vocab", base?.vocabSize ?? 0),
                             tiedEmbeddings: try o.bool("tied_embeddings") ?? base?.tiedEmbeddings ?? false,
                             source: base?.source ?? "user-defined")
        }
    }

    static func modelTable(_ m: ModelProfile) -> LuaValue {
        ["kind": "sim_model", "name": .string(m.name), "params_b": .double(m.totalParams / 1e9),
         "active_params_b": .double(m.activeParams / 1e9), "layers": .int(m.layers), "hidden": .int(m.hiddenSize),
         "heads": .int(m.attentionHeads), "kv_heads": .int(m.kvHeads), "head_dim": .int(m.headDim),
         "bytes_per_weight": .double(m.bytesPerWeight), "bytes_per_kv": .double(m.bytesPerKVElement),
         "experts": .int(m.experts), "experts_per_token": .int(m.expertsPerToken),
         "vocab": .int(m.vocabSize), "tied_embeddings": .bool(m.tiedEmbeddings),
         "kv_kib_per_token": .double(m.kvBytesPerToken / 1024), "source": .string(m.source)]
    }

    static func row(_ v: LuaValue) -> [String: LuaValue] {
        if case .table(let t) = v { return t }
        return [:]
    }

    /// A profile field: a preset name or a table from sim.gpu / sim.model (or one like it).
    static func profile<T>(_ o: Options, _ key: String, _ call: LuaCall, _ read: (Options, LuaCall) throws -> T) throws -> T {
        switch o.table[key] {
        case .string(let name)?:
            return try read(Options(table: ["name": .string(name)], call: call, position: o.position, path: o.path + key + "."), call)
        case .table(let t)?:
            return try read(Options(table: t.filter { $0.key != "kind" && $0.key != "source" && $0.key != "kv_kib_per_token" },
                                    call: call, position: o.position, path: o.path + key + "."), call)
        default:
            throw o.error(key, "a preset name or a sim.\(key){} table")
        }
    }

    /// The fields of an efficiency table, as `sim.run{ efficiency = {…} }` and
    /// `sim.calibrate` write them.
    static let efficiencyFields = ["mfu", "decode_mfu", "decode_batch_half", "mbu", "overhead", "sequence_overhead", "batch_overhead",
                                   "step_jitter", "allreduce_gb_per_s", "allreduce_latency"]

    /// What an `efficiency = {…}` option may hold: the fields, and `allreduce_gbs`, the
    /// retired name read for one release.
    static let efficiencyInput = Set(efficiencyFields + ["allreduce_gbs"])

    /// The efficiency fields by their Swift names (in `SimError.invalid`), as a script writes them.
    static let efficiencyFieldNames = ["decodeMFU": "decode_mfu", "decodeBatchHalf": "decode_batch_half",
                                       "iterationOverhead": "overhead", "sequenceOverhead": "sequence_overhead",
                                       "batchOverhead": "batch_overhead", "stepJitter": "step_jitter",
                                       "allReduceLatency": "allreduce_latency"]

    static func efficiency(_ e: Options, _ call: LuaCall) throws -> Efficiency {
        let d = Efficiency.standard
        return try checked(call) {
            do { return try efficiency(e, d) } catch SimError.invalid(let name, let expected, let got) {
                throw SimError.invalid(name: "efficiency." + (efficiencyFieldNames[name] ?? name), expected: expected, got: got)
            }
        }
    }

    private static func efficiency(_ e: Options, _ d: Efficiency) throws -> Efficiency {
        try Efficiency(mfu: try e.number("mfu") ?? d.mfu, mbu: try e.number("mbu") ?? d.mbu,
                           iterationOverhead: try e.number("overhead") ?? d.iterationOverhead,
                           allReduceBandwidth: try e.number("allreduce_gb_per_s").map { $0 * 1e9 } ?? d.allReduceBandwidth,
                           allReduceLatency: try e.number("allreduce_latency") ?? d.allReduceLatency,
                           decodeMFU: try e.number("decode_mfu"), decodeBatchHalf: try e.number("decode_batch_half") ?? 0,
                           sequenceOverhead: try e.number("sequence_overhead") ?? 0,
                           batchOverhead: try e.number("batch_overhead") ?? 0,
                           stepJitter: try e.number("step_jitter") ?? 0)
    }

    static func efficiencyTable(_ e: Efficiency) -> LuaValue {
        var t: [String: LuaValue] = ["mfu": .double(e.mfu), "mbu": .double(e.mbu), "overhead": .double(e.iterationOverhead),
                                     "decode_batch_half": .double(e.decodeBatchHalf), "sequence_overhead": .double(e.sequenceOverhead),
                                     "batch_overhead": .double(e.batchOverhead), "step_jitter": .double(e.stepJitter),
                                     "allreduce_gb_per_s": .double(e.allReduceBandwidth / 1e9),
                                     "allreduce_latency": .double(e.allReduceLatency)]
        if let dm = e.decodeMFU { t["decode_mfu"] = .double(dm) }
        return .table(t)
    }

    static func deployment(_ o: Options, _ call: LuaCall) throws -> Deployment {
        let gpu = try profile(o, "gpu", call, Self.gpu)
        let model = try profile(o, "model", call, Self.model)
        var efficiency = Efficiency.standard
        if let e = try o.sub("efficiency", only: efficiencyInput)?
            .renaming("allreduce_gbs", to: "allreduce_gb_per_s") {
            efficiency = try Self.efficiency(e, call)
        }
        return try checked(call) {
            try Deployment(gpu: gpu, count: try o.int("gpus") ?? 1, model: model, efficiency: efficiency,
                           memoryFraction: try o.number("memory_fraction") ?? 0.9)
        }
    }

    static func scheduler(_ o: Options, _ call: LuaCall) throws -> SchedulerConfig {
        guard let s = try o.sub("scheduler", only: ["policy", "priority", "max_seqs", "max_batched_tokens",
                                                    "chunked_prefill", "block_size"]) else { return .standard }
        let d = SchedulerConfig.standard
        let policy = try choice(s, "policy", BatchingPolicy.self) ?? d.policy
        let priority = try choice(s, "priority", SchedulingPriority.self) ?? d.priority
        return try checked(call) {
            try SchedulerConfig(maxSequences: try s.int("max_seqs") ?? d.maxSequences,
                                maxBatchedTokens: try s.int("max_batched_tokens") ?? d.maxBatchedTokens,
                                chunkedPrefill: try s.bool("chunked_prefill") ?? d.chunkedPrefill,
                                blockSize: try s.int("block_size") ?? d.blockSize,
                                policy: policy, priority: priority)
        }
    }

    /// A string field naming one of `T`'s cases; anything else is an error listing them.
    static func choice<T: RawRepresentable & CaseIterable>(_ o: Options, _ key: String, _: T.Type) throws -> T?
        where T.RawValue == String {
        guard let name = try o.string(key) else { return nil }
        guard let value = T(rawValue: name) else {
            let names = T.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            throw o.call.argumentError(o.position, "field '\(o.path)\(key)' must be one of \(names), got '\(name)'")
        }
        return value
    }

    // MARK: runs

    /// Simulates and stores one run; returns its table (as bench.load gives it) and the result.
    func simulate(_ o: Options, _ call: LuaCall, level: (String, Double)?) throws -> ([String: LuaValue], SimResult) {
        let deployment = try Self.deployment(o, call)
        let scheduler = try Self.scheduler(o, call)
        let requests: [SimRequest], expected: [String?], origin: String
        var classes: [String?] = []
        var concurrency: Int?, rate: Double?
        if let replayed = o.table["replay"], !replayed.isNil {
            // A stored run's requests as the server counted them, at its load: a prediction
            // of that run, comparable figure by figure (scripts/fidelity.lua).
            guard try call.typeName(1, field: "workload") == "nil" else {
                throw call.argumentError(1, "give 'workload' or 'replay', not both")
            }
            let run = try RunView(call, 1, replayed)
            let measured = try run.requests(store).map(\.record)
            guard !measured.isEmpty else { throw call.argumentError(1, "field 'replay': \(run.label) has no stored requests") }
            requests = measured.map { SimRequest(inputTokens: max(1, $0.inputTokens ?? 1), outputTokens: max(1, $0.outputTokens ?? $0.maxTokens ?? 1)) }
            expected = Array(repeating: nil, count: requests.count)
            origin = "replay of \(run.label)"
            concurrency = run.table["concurrency"]?.integer
            rate = concurrency == nil ? run.table["rate"]?.number : nil
        } else {
            guard let box = try call.object(1, field: "workload", as: WorkloadBox.self) else {
                throw o.error("workload", "a workload (workload.synthetic, jsonl or generate), or replay = a stored run")
            }
            // Later turns are made from the server's answers; the simulator has none to give.
            guard box.sessions == nil else {
                throw o.error("workload", "a workload the simulator can plan (a session workload needs a server: bench.run)")
            }
            let w = box.workload
            requests = w.indices.map { i in let s = w.sizes(at: i); return SimRequest(inputTokens: s.inputTokens, outputTokens: s.maxTokens) }
            expected = w.indices.map(w.expected(at:))
            classes = w.hasClasses ? w.indices.map { w.labels(at: $0).requestClass } : []
            origin = box.workload.origin
        }
        let seed = UInt64(bitPattern: Int64(try o.int("seed") ?? 0))
        if let (key, value) = level {
            if key == "rate" { (rate, concurrency) = (value, nil) } else { (concurrency, rate) = (Int(value), nil) }
        } else if o.has("concurrency") || o.has("rate") {
            concurrency = try o.int("concurrency")
            rate = try o.number("rate")
        }
        let load: SimLoad
        switch (concurrency, rate) {
        case (let c?, nil):
            guard c >= 1 else { throw call.argumentError(1, "field 'concurrency' must be at least 1, got \(c)") }
            load = .closed(concurrency: c)
        case (nil, let r?):
            guard r > 0, r.isFinite else { throw call.argumentError(1, "field 'rate' must be a positive number, got \(r)") }
            // Poisson unless told otherwise: what open-loop planning usually means.
            load = .open(rate: r, burstiness: try o.number("burstiness") ?? 1, seed: seed)
        default:
            throw call.argumentError(1, "give one of 'concurrency' or 'rate'")
        }
        let handle = store.handle(path: try o.string("db"))
        var plan = SimulatedRuns.Plan(deployment: deployment, scheduler: scheduler, requests: requests,
                                      expected: expected, workloadOrigin: origin,
                                      load: load, seed: seed, tag: try o.string("tag"), program: "frontier \(ScriptHost.version)",
                                      keep: try Self.keep(o, call))
        plan.classes = classes
        let (stored, result) = try Self.checked(call) { try SimulatedRuns.run(plan, path: handle.path) }
        var table = try StoredRuns.table(stored)
        table["db"] = .string(handle.path)
        table["preemptions"] = .int(result.preemptions)
        return (table, result)
    }

    static func keep(_ o: Options, _ call: LuaCall) throws -> SimulatedRuns.Keep {
        guard let name = try o.string("keep") else { return .requests }
        guard let keep = SimulatedRuns.Keep(rawValue: name) else {
            throw call.argumentError(o.position, "field 'keep' must be one of \(SimulatedRuns.Keep.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")), got '\(name)'")
        }
        return keep
    }

    // MARK: calibration

    static let calibrateFields: Set<String> = ["runs", "gpu", "gpus", "model", "scheduler", "memory_fraction", "efficiency",
                                               "fit", "save", "profile", "db"]

    /// `sim.calibrate{ runs = {…}, gpu =, model =, … }`, or the older `sim.calibrate(run, {…})`.
    func calibrate(_ call: LuaCall) throws -> LuaValue {
        let o: Options
        var views: [RunView] = []
        let raw: Options
        if call.isTable(1), try call.typeName(1, field: "runs") != "nil" {
            raw = try Options(call, 1)
            o = try Self.withProfile(raw, call, store: store)
            guard case .array(let list)? = o.table["runs"], !list.isEmpty else {
                throw o.error("runs", "a non-empty list of stored runs")
            }
            views = try list.map { try RunView(call, 1, $0) }
        } else {
            views = [try RunView(call, 1)]
            raw = try Options(call, 2)
            o = try Self.withProfile(raw, call, store: store)
        }
        try o.only(Self.calibrateFields)
        let deployment = try Self.deployment(o, call)
        let scheduler = try Self.scheduler(o, call)
        var terms = CalibrationTerm.allCases
        if let list = o.table["fit"] {
            guard case .array(let names) = list, !names.isEmpty else { throw o.error("fit", "a list of term names") }
            terms = try names.map { v in
                guard let name = v.string, let t = CalibrationTerm(rawValue: name) else {
                    throw call.argumentError(o.position, "field 'fit' names an unknown term \(v.string.map { "'\($0)'" } ?? v.typeName); "
                        + "expected some of: \(CalibrationTerm.allCases.map(\.rawValue).joined(separator: ", "))", code: "bad_argument")
                }
                return t
            }
        }
        let runs = try views.map { run -> CalibrationRun in
            let measured = try run.requests(store).map(\.record)
            guard measured.contains(where: { $0.status == .ok }) else {
                throw call.argumentError(1, "\(run.label) has no completed requests to fit")
            }
            // The simulator replays what the server counted: served input and output tokens.
            let requests = measured.map { SimRequest(inputTokens: max(1, $0.inputTokens ?? 1), outputTokens: max(1, $0.outputTokens ?? 1)) }
            let load: SimLoad
            if let rate = run.table["rate"]?.number {
                load = .open(rate: rate, burstiness: 1, seed: 0)
            } else if let c = run.table["concurrency"]?.integer {
                load = .closed(concurrency: c)
            } else {
                throw call.argumentError(1, "\(run.label) has no concurrency or rate")
            }
            return CalibrationRun(measured: measured, requests: requests, load: load)
        }
        // A step_jitter given in efficiency= is kept; otherwise the runs' chunk gaps set it (a profile's is
        // an earlier estimate, replaced like its other terms).
        let givenJitter = try raw.sub("efficiency", only: Self.efficiencyInput)?.number("step_jitter") != nil
        let fit = try Self.checked(call) {
            try Calibration.fit(runs: runs, deployment: deployment, scheduler: scheduler, terms: terms,
                                estimateStepJitter: !givenJitter)
        }
        let rows: [LuaValue] = fit.figures.map { f in
            var t: [String: LuaValue] = ["run": .int(f.run + 1), "figure": .string(f.name), "measured": .double(f.measured),
                                         "before": .double(f.before), "after": .double(f.after),
                                         "error_before": .double(f.errorBefore), "error_after": .double(f.errorAfter)]
            t["run_id"] = views[f.run].runID.map { .int(Int($0)) }
            return .table(t)
        }
        let termRows: [LuaValue] = fit.terms.map { t in
            var row: [String: LuaValue] = ["term": .string(t.term.rawValue), "value": .double(t.value),
                                           "at_bound": .bool(t.atBound), "identified": .bool(t.identified)]
            row["stderr"] = t.stderr.map(LuaValue.double)
            return .table(row)
        }
        let profile: LuaValue = ["gpu": Self.gpuTable(deployment.gpu), "model": Self.modelTable(deployment.model),
                                 "gpus": .int(deployment.count), "memory_fraction": .double(deployment.memoryFraction),
                                 "efficiency": Self.efficiencyTable(fit.efficiency)]
        var out: [String: LuaValue] = [
            "efficiency": Self.efficiencyTable(fit.efficiency), "terms": .array(termRows), "figures": .array(rows),
            "rms_error_before": .double(fit.rmsErrorBefore), "rms_error_after": .double(fit.rmsErrorAfter),
            "evaluations": .int(fit.evaluations), "warnings": .array(fit.warnings.map(LuaValue.string)), "profile": profile,
            "step_jitter": .double(fit.efficiency.stepJitter), "step_jitter_gaps": .int(fit.stepJitterGaps),
        ]
        if let name = try o.string("save") {
            let handle = store.handle(path: try o.string("db"))
            try SimProfileRecords.save(name: name, profile: try JSON.encode(profile), db: handle.db())
            out["saved"] = .string(name)
        }
        // Said where the user looks, not only returned: a fit at a bound misleads quietly.
        for w in fit.warnings { FileHandle.standardError.write(Data("warning: sim.calibrate: \(w)\n".utf8)) }
        return .table(out)
    }

    /// `profile = name | table` merged under the options: a stored or returned
    /// calibration's GPU, model, GPU count and efficiency, which the options override.
    static func withProfile(_ o: Options, _ call: LuaCall, store: StoreModule) throws -> Options {
        let profile: [String: LuaValue]
        switch o.table["profile"] {
        case nil, .nil?: return o
        case .string(let name)?:
            let json = try SimProfileRecords.load(name: name, db: store.handle(path: try o.string("db")).db())
            guard case .table(let t) = try JSON.decode(json) else { throw o.error("profile", "a stored profile (a table)") }
            profile = t
        case .table(let t)?: profile = t
        case let v?: throw call.argumentError(o.position, "field 'profile' must be a profile name or a sim.calibrate(...).profile table, got \(v.typeName)")
        }
        let known: Set<String> = ["gpu", "model", "gpus", "memory_fraction", "efficiency"]
        if let unknown = profile.keys.first(where: { !known.contains($0) }) {
            throw call.argumentError(o.position, "field 'profile' has an unknown field '\(unknown)' (expected one of: \(known.sorted().joined(separator: ", ")))")
        }
        var merged = o.table
        merged["profile"] = nil
        for (k, v) in profile where merged[k] == nil { merged[k] = v }
        return Options(table: merged, call: call, position: o.position, path: o.path)
    }
}
