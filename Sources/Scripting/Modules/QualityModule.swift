import Foundation
import LuaBridge
import Measure
import Quality
import Runs
import Store

/// `quality.*`: scores for runs and models, stored in the `quality` table.
enum QualityModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(module: "quality", summary: "Quality scores of runs and models: set, import from lm-eval, compute with scorers.", [
            LuaBinding("set", args: "{run=, model=, name=, score=, n=, stderr=}",
                       "Stores a score for a run (or run_id) or a model under a name (replacing an earlier one); returns it.") { call in
                let o = try Options(call, 1)
                try o.only(["run", "model", "name", "score", "n", "stderr"])
                let (runID, dbPath) = try runRef(o, call)
                let model = try o.string("model")
                guard runID != nil || model != nil else { throw call.argumentError(1, "give 'run' (a run or run_id) or 'model'") }
                let score = try checked(call) {
                    try QualityScore(name: try o.required("name", o.string, "what was scored, e.g. 'wineval-3.0'"),
                                     value: try o.required("score", o.number, "the score"),
                                     count: try o.int("n"), stderr: try o.number("stderr"))
                }
                let db = try store.handle(path: dbPath).db()
                try save(score, run: runID, model: model, source: "set", db: db)
                return try call.returning(table(score, run: runID, model: model, source: "set"))
            },
            LuaBinding("get", args: "run | run_id | model, [name]",
                       "The latest score of a run or model (by name, or any); nil when none.") { call in
                let rows = try find(call, store: store)
                return try call.returning(rows.first ?? .nil)
            },
            LuaBinding("list", args: "[run | run_id | model]", "Every stored score (of a run or model), newest first.") { call in
                return try call.returning(.array(try find(call, store: store, all: true)))
            },
            LuaBinding("lm_eval", args: "path, [{model=, run=}]",
                       "Imports an lm-evaluation-harness results JSON as scores named task/metric; returns them.") { call in
                let path = try call.string(1)
                let o = try Options(call, 2, optional: true)
                try o.only(["model", "run"])
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                    throw call.unreadableFile(1, path: path, error)
                }
                let results = try checked(call, "\(path): ") { try LMEvalResults(json: data) }
                let (runID, dbPath) = try runRef(o, call)
                let model = try o.string("model") ?? results.model
                guard runID != nil || model != nil else {
                    throw call.argumentError(2, "\(path) names no model: give {model=} or {run=}")
                }
                let db = try store.handle(path: dbPath).db()
                var out: [LuaValue] = []
                try db.transaction {
                    for s in results.scores {
                        let score = try QualityScore(name: s.name, value: s.value, count: s.count, stderr: s.stderr)
                        try save(score, run: runID, model: model, source: "lm-eval", db: db)
                        out.append(table(score, run: runID, model: model, source: "lm-eval"))
                    }
                }
                return try call.returning(.array(out))
            },
            LuaBinding("score", args: "run, scorer, [{name=}]",
                       "Scores a stored run's responses against expected answers ('exact', 'contains', quality.regex/numeric/choice/code, or a Lua function(response, expected, request) returning 0–1 or a boolean); stores per-request and mean scores.") { call in
                try call.returning(try ScoreBinding.run(call, store: store))
            },
            LuaBinding("exact", args: "[{normalize=true}]", "A scorer: response equals expected (trimmed, case and spacing ignored unless normalize=false).") { call in
                let o = try Options(call, 1, optional: true)
                try o.only(["normalize"])
                return try call.returning(scorerTable(.exact(normalize: try o.bool("normalize") ?? true)))
            },
            LuaBinding("contains", args: "[{case_sensitive=false}]", "A scorer: response contains expected.") { call in
                let o = try Options(call, 1, optional: true)
                try o.only(["case_sensitive"])
                return try call.returning(scorerTable(.contains(caseSensitive: try o.bool("case_sensitive") ?? false)))
            },
            LuaBinding("regex", args: "pattern", "A scorer: the pattern's first capture group equals expected (or, without a group, the pattern matches).") { call in
                let s = Scorer.regex(pattern: try call.string(1))
                try checked(call) { try s.validate() }
                return try call.returning(scorerTable(s))
            },
            LuaBinding("choice", "A scorer: the letter a multiple-choice response chose (a final \\boxed{X}, else 'Answer: X', else the first standalone letter) equals the expected letter.") { call in
                let o = try Options(call, 1, optional: true)
                try o.only([])
                return try call.returning(scorerTable(.choice))
            },
            LuaBinding("code", args: "[{timeout=10, cpu_s=10, memory_mb=1024, interpreter='python3'}]",
                       "A scorer: runs the response's code with the problem's tests (workload.humaneval) in a sandboxed child process; 1 when every test passes. Outcomes are stored per request.") { call in
                let o = try Options(call, 1, optional: true)
                try o.only(["timeout", "cpu_s", "memory_mb", "interpreter"])
                let box = try checked(call) {
                    try CodeSandbox(interpreter: try o.string("interpreter") ?? "python3", timeout: try o.number("timeout") ?? 10,
                                    cpuSeconds: try o.int("cpu_s") ?? 10, memoryMB: try o.int("memory_mb") ?? 1024)
                }
                return try call.returning(["kind": "scorer", "type": "code", "name": "code", "timeout": .double(box.timeout),
                                           "cpu_s": .int(box.cpuSeconds), "memory_mb": .int(box.memoryMB),
                                           "interpreter": .string(box.interpreter)])
            },
            LuaBinding("pass_at_k", args: "run, [{k=1, scorer='code'}]",
                       "pass@k from a run's stored code scores: 1 − C(n−c, k)/C(n, k) per problem (n samples, c passed), averaged over problems with its standard error; stored as 'pass@k:<scorer>'.") { call in
                try call.returning(try ScoreBinding.passAtK(call, store: store))
            },
            LuaBinding("numeric", args: "[{tolerance=0, relative=false}]", "A scorer: the response's last number is within tolerance of the expected number.") { call in
                let o = try Options(call, 1, optional: true)
                try o.only(["tolerance", "relative"])
                let s = Scorer.numeric(tolerance: try o.number("tolerance") ?? 0, relative: try o.bool("relative") ?? false)
                try checked(call) { try s.validate() }
                return try call.returning(scorerTable(s))
            },
        ])
    }

    /// Runs `body`, turning a `QualityError` into an argument error of argument 1.
    @discardableResult
    static func checked<T>(_ call: LuaCall, _ prefix: String = "", _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as QualityError { throw call.argumentError(1, wrapping: e, prefix: prefix) }
    }

    static func scorerTable(_ s: Scorer) -> LuaValue {
        var t: [String: LuaValue] = ["kind": "scorer", "name": .string(s.name)]
        switch s {
        case .exact(let n): t["type"] = "exact"; t["normalize"] = .bool(n)
        case .contains(let c): t["type"] = "contains"; t["case_sensitive"] = .bool(c)
        case .regex(let p): t["type"] = "regex"; t["pattern"] = .string(p)
        case .numeric(let tol, let rel): t["type"] = "numeric"; t["tolerance"] = .double(tol); t["relative"] = .bool(rel)
        case .choice: t["type"] = "choice"
        }
        return .table(t)
    }

    /// `run` as a run table or a run_id, with the store it lives in.
    static func runRef(_ o: Options, _ call: LuaCall) throws -> (Int64?, String?) {
        switch o.table["run"] {
        case nil, .nil?: return (nil, nil)
        case .table(let t)?:
            guard let id = t["run_id"]?.integer else { throw o.error("run", "a stored run (with run_id)") }
            return (Int64(id), t["db"]?.string)
        case let v?:
            guard let id = v.integer else { throw o.error("run", "a run or a run_id") }
            return (Int64(id), nil)
        }
    }

    static func save(_ s: QualityScore, run: Int64?, model: String?, source: String, db: Database) throws {
        try QualityRecords.save(stored(s, run: run, model: model, source: source), db: db)
    }

    static func stored(_ s: QualityScore, run: Int64?, model: String?, source: String) -> StoredScore {
        StoredScore(runID: run, model: model, name: s.name, score: s.value, n: s.count, stderr: s.stderr, source: source)
    }

    static func table(_ s: QualityScore, run: Int64?, model: String?, source: String) -> LuaValue {
        var t: [String: LuaValue] = ["name": .string(s.name), "score": .double(s.value), "source": .string(source)]
        if let run { t["run_id"] = .int(Int(run)) }
        if let model { t["model"] = .string(model) }
        if let n = s.count { t["n"] = .int(n) }
        if let e = s.stderr { t["stderr"] = .double(e) }
        return .table(t)
    }

    /// Scores of the run / run_id / model at argument 1 (all when absent), by name at 2.
    static func find(_ call: LuaCall, store: StoreModule, all: Bool = false) throws -> [LuaValue] {
        var run: Int64?, model: String?, path: String?
        if !call.isNil(1) {
            let v = try call.value(1)
            switch v {
            case .table(let t):
                guard let id = t["run_id"]?.integer else { throw call.argumentError(1, "a stored run (with run_id) expected") }
                (run, path) = (Int64(id), t["db"]?.string)
            case .string(let s): model = s
            default:
                guard let id = v.integer else { throw call.argumentError(1, "run, run_id or model name expected, got \(v.typeName)") }
                run = Int64(id)
            }
        } else if !all {
            throw call.argumentError(1, "run, run_id or model name expected, got no value")
        }
        let name = try call.optString(2)
        return try QualityRecords.find(run: run, model: model, name: name, db: store.handle(path: path).db()).map { q in
            var t: [String: LuaValue] = ["name": .string(q.name), "score": .double(q.score), "source": .string(q.source)]
            t["run_id"] = q.runID.map { .int(Int($0)) }
            t["model"] = q.model.map(LuaValue.string)
            t["n"] = q.n.map(LuaValue.int)
            t["stderr"] = q.stderr.map(LuaValue.double)
            t["created"] = q.created.map(LuaValue.string)
            return .table(t)
        }
    }

    /// `cost.of`'s `quality` option: a number, or a score name looked up for the run
    /// (then for its model).
    static func resolve(_ o: Options, run: RunView, store: StoreModule) throws -> Double? {
        switch o.table["quality"] {
        case nil, .nil?: return nil
        case .string(let name)?:
            let db = try store.handle(path: run.dbPath).db()
            guard let d = try QualityRecords.score(named: name, run: run.runID, model: run.table["model"]?.string, db: db) else {
                throw o.call.argumentError(o.position, "no quality score '\(name)' for \(run.label) or its model (quality.set or quality.score stores one)")
            }
            return d
        case let v?:
            guard let d = v.number else { throw o.error("quality", "a number or the name of a stored score") }
            return d
        }
    }
}

/// `quality.score(run, scorer)`.
enum ScoreBinding {
    static func run(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let run = try RunView(call, 1)
        guard let id = run.runID else { throw call.argumentError(1, "a stored run (with run_id) expected") }
        let o = try Options(call, 3, optional: true)
        try o.only(["name"])
        // Each item's score and how it was scored (JSON for request_scores.detail).
        let scoreOne: (StoredRequest) throws -> (Double, String?)
        var name: String
        if call.isFunction(2) {
            let fn = try call.function(2)
            name = try o.string("name") ?? "lua"
            scoreOne = { s in
                let result = try fn.call(s.record.response.map(LuaValue.string) ?? .nil,
                                         s.expected.map(LuaValue.string) ?? .nil, RequestTable.make(s)).first
                switch result {
                case .bool(let b)?: return (b ? 1 : 0, nil)
                case let v?:
                    guard let d = v.number, d.isFinite else {
                        throw LuaScriptError("quality.score: the scorer returned \(v.typeName) for request \(s.record.index); expected a number or a boolean")
                    }
                    return (d, nil)
                case nil: return (0, nil)
                }
            }
        } else if let sandbox = try codeSandbox(call) {
            name = try o.string("name") ?? "code"
            let scorer = CodeScorer(sandbox: sandbox)
            scoreOne = { s in
                let outcome = scorer.score(response: s.record.response, expected: s.expected, stop: { LuaVM.interruptPending })
                if LuaVM.interruptPending { throw LuaScriptError("quality.score: interrupted") }
                let task = s.expected.flatMap { try? CodeScorer.problem(fromExpected: $0).taskID }
                return (outcome.score, CodeScorer.detail(outcome, taskID: task))
            }
        } else {
            let scorer = try self.scorer(call)
            name = try o.string("name") ?? scorer.name
            scoreOne = { s in
                let score = try scorer.score(response: s.record.response, expected: s.expected)
                var detail: [String: LuaValue] = ["version": .int(scorer.version)]
                if case .choice = scorer, let r = s.record.response, let l = ChoiceAnswer.letter(in: r) { detail["letter"] = .string(String(l)) }
                return (score, try JSON.encode(.table(detail)))
            }
        }
        let db = try store.handle(path: run.dbPath).db()
        let requests = try StoredRequests.load(run: id, db: db).filter { $0.record.status == .ok }
        guard !requests.isEmpty else { throw call.argumentError(1, "\(run.label) has no completed requests to score") }
        guard requests.contains(where: { $0.record.response != nil }) else {
            throw call.argumentError(1, "\(run.label) stored no response texts (run with keep_responses = true to score them)")
        }
        let scored = try requests.map(scoreOne)
        let scores = scored.map { $0.0 }
        let mean = try QualityModule.checked(call) { try QualityScore.mean(of: scores, name: name) }
        try QualityRecords.saveRequestScores(run: id, scorer: name,
                                             scores: zip(requests, scores).map { (index: $0.record.index, score: $1) },
                                             details: scored.map { $0.1 },
                                             mean: QualityModule.stored(mean, run: id, model: nil, source: "scorer"), db: db)
        return QualityModule.table(mean, run: id, model: nil, source: "scorer")
    }

    /// The sandbox of a quality.code{} scorer at argument 2, nil for any other scorer.
    static func codeSandbox(_ call: LuaCall) throws -> CodeSandbox? {
        let v = try call.value(2)
        guard case .table(let t) = v, t["kind"]?.string == "scorer", t["type"]?.string == "code" else { return nil }
        do {
            return try CodeSandbox(interpreter: t["interpreter"]?.string ?? "python3", timeout: t["timeout"]?.number ?? 10,
                                   cpuSeconds: t["cpu_s"]?.integer ?? 10, memoryMB: t["memory_mb"]?.integer ?? 1024)
        } catch let e as QualityError { throw call.argumentError(2, wrapping: e) }
    }

    /// `quality.pass_at_k(run, {k=, scorer=})`: problems are the task ids of the run's
    /// requests (from their expected answers), samples the requests of each.
    static func passAtK(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let run = try RunView(call, 1)
        guard let id = run.runID else { throw call.argumentError(1, "a stored run (with run_id) expected") }
        let o = try Options(call, 2, optional: true)
        try o.only(["k", "scorer"])
        let k = try o.int("k") ?? 1
        let scorer = try o.string("scorer") ?? "code"
        let db = try store.handle(path: run.dbPath).db()
        let stored = try QualityRecords.requestScores(run: id, scorer: scorer, db: db)
        guard !stored.isEmpty else {
            throw call.argumentError(1, "\(run.label) has no '\(scorer)' scores (score it first: quality.score(run, quality.code()))")
        }
        let expected = Dictionary(try StoredRequests.load(run: id, chunks: false, db: db).map { ($0.record.index, $0.expected) },
                                  uniquingKeysWith: { a, _ in a })
        var order: [String] = []
        var counts: [String: (n: Int, c: Int)] = [:]
        for s in stored {
            let task = expected[s.index].flatMap { $0 }.flatMap { try? CodeScorer.problem(fromExpected: $0).taskID } ?? "request \(s.index)"
            if counts[task] == nil { order.append(task); counts[task] = (0, 0) }
            counts[task]?.n += 1
            if s.score >= 1 { counts[task]?.c += 1 }
        }
        let problems = order.compactMap { counts[$0] }
        let name = "pass@\(k):\(scorer)"
        let score = try QualityModule.checked(call) { try PassAtK.score(problems: problems, k: k, name: name) }
        try QualityModule.save(score, run: id, model: nil, source: "scorer", db: db)
        guard case .table(var t) = QualityModule.table(score, run: id, model: nil, source: "scorer") else { return .nil }
        t["k"] = .int(k)
        t["problems"] = .int(problems.count)
        t["samples"] = .int(problems.reduce(0) { $0 + $1.n })
        return .table(t)
    }

    static func scorer(_ call: LuaCall) throws -> Scorer {
        let v = try call.value(2)
        switch v {
        case .string("exact"): return .exact(normalize: true)
        case .string("contains"): return .contains(caseSensitive: false)
        case .table(let t) where t["kind"]?.string == "scorer":
            switch t["type"]?.string {
            case "exact": return .exact(normalize: t["normalize"]?.bool ?? true)
            case "contains": return .contains(caseSensitive: t["case_sensitive"]?.bool ?? false)
            case "regex": return .regex(pattern: t["pattern"]?.string ?? "")
            case "numeric": return .numeric(tolerance: t["tolerance"]?.number ?? 0, relative: t["relative"]?.bool ?? false)
            case "choice": return .choice
            default: break
            }
        default: break
        }
        throw call.argumentError(2, "scorer must be 'exact', 'contains', a quality.* scorer or a function, got \(v.typeName == "string" ? "'\(v.string ?? "")'" : v.typeName)")
    }
}
