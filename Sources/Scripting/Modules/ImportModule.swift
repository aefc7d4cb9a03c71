import Foundation
import Interop
import LuaBridge
import Runs
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
        var format = given
        if format == nil, let name = try o.string("format") {
            guard let f = ImportFormat(rawValue: name) else {
                throw call.argumentError(2, "field 'format' must be one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", ")), got '\(name)'")
            }
            format = f
        }
        let handle = store.handle(path: try o.string("db"))
        let overrides = RunImport.Overrides(tag: try o.string("tag"), model: try o.string("model"), target: try o.string("target"),
                                            concurrency: try o.int("concurrency"), rate: try o.number("rate"))
        let runs: [StoredRun]
        do {
            runs = try RunImport.file(path, format: format, overrides: overrides, program: "frontier \(ScriptHost.version)",
                                      storePath: handle.path)
        } catch let e as ImportFailure {
            throw call.argumentError(1, e.message, code: e.luaCode)
        }
        let stored = try runs.map { try StoredRuns.table($0).merging(["db": .string(handle.path)]) { a, _ in a } }
        try call.pushArray(count: stored.count) { i in _ = try self.bench.pushRun(stored[i], call) }
        return 1
    }
}
