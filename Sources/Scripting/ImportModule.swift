import Foundation
import Interop
import LuaBridge
import Measure
import Metrics
import Store

/// `import.*`: other tools' results into the store, as runs with `source = 'imported'`.
final class ImportModule {
    let bench: BenchModule
    var store: StoreModule { bench.store }

    init(bench: BenchModule) { self.bench = bench }

    func register(in vm: LuaVM) throws {
        var bindings: [LuaBinding] = ImportFormat.allCases.map { format in
            LuaBinding(format.rawValue, args: "path, [{tag=, model=, target=, concurrency=, rate=, db=}]",
                       "Imports a \(format.label) file as runs (source 'imported'); returns them. A file that does not match imports nothing.") { [unowned self] call in
                try self.importFile(call, format: format)
            }
        }
        bindings.append(LuaBinding("file", args: "path, [{format=, tag=, model=, target=, concurrency=, rate=, db=}]",
                                   "Imports a file, detecting its format (vllm, guidellm, aiperf) unless format= names it; returns the runs.") { [unowned self] call in
            try self.importFile(call, format: nil)
        })
        bindings.append(LuaBinding("lm_eval", args: "path, [{model=, run=}]",
                                   "Imports lm-evaluation-harness results as quality scores (the same as quality.lm_eval).") { call in
            let fn = try call.vm.function(evaluating: "quality.lm_eval")
            return try fn.callReturningResults(in: call, [try call.value(1), call.isNil(2) ? .nil : try call.value(2)])
        })
        try vm.register(module: "import", summary: "Bring in other tools' results: vLLM bench serve, guidellm, aiperf, lm-eval.", bindings)
    }

    func importFile(_ call: LuaCall, format given: ImportFormat?) throws -> Int {
        let path = try call.string(1)
        let o = try Options(call, 2, optional: true)
        try o.only(["format", "tag", "model", "target", "concurrency", "rate", "db"])
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw call.unreadableFile(1, path: path, error)
        }
        var format = given
        if format == nil, let name = try o.string("format") {
            guard let f = ImportFormat(rawValue: name) else {
                throw call.argumentError(2, "field 'format' must be one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")), got '\(name)'")
            }
            format = f
        }
        let runs: [ImportedRun]
        do {
            let f = try format ?? FormatDetector.detect(data: data, filename: path)
            runs = try f.importRuns(from: data)
        } catch let e as InteropError {
            throw call.argumentError(1, "\(path): \(e)")
        }
        let stored = try Self.store(runs, file: path, options: o, handle: store.handle(path: try o.string("db")))
        try call.pushArray(count: stored.count) { i in _ = try self.bench.pushRun(stored[i], call) }
        return 1
    }

    /// Writes imported runs and their records; returns the runs as stored.
    static func store(_ runs: [ImportedRun], file: String, options o: Options, handle: DBHandle) throws -> [[String: LuaValue]] {
        let runStore = try RunStore(path: handle.path)
        defer { runStore.close() }
        var out: [[String: LuaValue]] = []
        for var run in runs {
            if let m = try o.string("model") { run.model = m }
            if let t = try o.string("target") { run.target = t }
            if let c = try o.int("concurrency") { run.concurrency = c }
            if let r = try o.number("rate") { run.rate = r }
            var settings: [String: LuaValue] = run.settings.mapValues { .string($0) }
            settings["tool"] = .string(run.tool)
            settings["file"] = .string(file)
            settings["program"] = .string("frontier \(ScriptHost.version)")
            if !run.notes.isEmpty { settings["notes"] = .array(run.notes.map { .string($0) }) }
            var reported: [String: LuaValue] = [:]
            for (name, s) in run.reported where !s.isEmpty {
                var t: [String: LuaValue] = [:]
                for (k, v) in [("mean", s.mean), ("stdev", s.stdev), ("min", s.min), ("p50", s.p50), ("p90", s.p90),
                               ("p95", s.p95), ("p99", s.p99), ("max", s.max)] { if let v { t[k] = .double(v) } }
                if let n = s.count { t["count"] = .int(n) }
                reported[name] = .table(t)
            }
            if !reported.isEmpty { settings["reported"] = .table(reported) }
            let id = try runStore.createRun(RunMeta(tag: try o.string("tag"), source: "imported", target: run.target,
                                                    model: run.model, concurrency: run.concurrency, rate: run.rate,
                                                    settings: try JSON.encode(.table(settings))),
                                            startedAt: Date().timeIntervalSince1970)
            runStore.append(run: id, run.records.map { ($0, RunStore.RequestExtra(workloadIndex: nil, expected: nil)) })
            try runStore.finishRun(id, status: "completed", endedAt: Date().timeIntervalSince1970,
                                   summary: try run.summary.json(), verdict: nil)
            guard var t = try StoredRuns.load(id: Int(id), db: handle.db()) else { continue }
            t["db"] = .string(handle.path)
            out.append(t)
        }
        return out
    }
}
