import Foundation
import LuaBridge
import Measure

/// A workload as Lua holds it: the Swift data stays in Swift.
final class WorkloadBox {
    let workload: Workload
    /// A session workload's plan: later turns are made during the run.
    let sessions: SessionSource?
    init(_ w: Workload, sessions: SessionSource? = nil) {
        workload = w
        self.sessions = sessions
    }
}

/// The seeded generator handed to `workload.generate`'s function.
final class RNGBox {
    var rng: SeededRNG
    init(seed: UInt64) { rng = SeededRNG(seed: seed) }
}

/// `dist.*` (length distributions as plain tables) and `workload.*`.
enum WorkloadModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(module: "dist", summary: "Token-length distributions for synthetic workloads (plain tables).", [
            LuaBinding("fixed", args: "{n=}", "Always n tokens (a plain number n where a dist is expected means the same).") { call in
                if !call.isTable(1) {
                    Deprecations.warn("dist.fixed(n) is deprecated; use dist.fixed{ n = n } or the number itself (docs/lua-style.md)")
                    return try push(.fixed(try call.integer(1)), call)
                }
                let o = try Options(call, 1)
                try o.only(["n"])
                return try push(.fixed(try o.required("n", o.int, "tokens")), call)
            },
            LuaBinding("uniform", args: "{min=, max=}", "Whole numbers from min to max, equally likely.") { call in
                let o = try Options(call, 1)
                try o.only(["min", "max"])
                return try push(.uniform(min: try o.required("min", o.int, "smallest length"),
                                         max: try o.required("max", o.int, "largest length")), call)
            },
            LuaBinding("normal", args: "{mean=, sd=}", "Normal lengths, rounded, at least 1.") { call in
                let o = try Options(call, 1)
                try o.only(["mean", "sd"])
                return try push(.normal(mean: try o.required("mean", o.number, "mean length"),
                                        sd: try o.required("sd", o.number, "standard deviation")), call)
            },
            LuaBinding("lognormal", args: "{median=, sigma=}", "Long-tailed lengths: median·e^(sigma·N(0,1)), rounded, at least 1.") { call in
                let o = try Options(call, 1)
                try o.only(["median", "sigma"])
                return try push(.lognormal(median: try o.required("median", o.number, "median length"),
                                           sigma: try o.required("sigma", o.number, "log-space standard deviation")), call)
            },
            LuaBinding("empirical", args: "{values=, weights=}", "Lengths drawn from observed values (optionally weighted).") { call in
                let o = try Options(call, 1)
                try o.only(["values", "weights"])
                let values = try wholeNumbers(o, "values")
                let weights = o.has("weights") ? try numbers(o, "weights") : []
                return try push(.empirical(values: values, weights: weights), call)
            },
            LuaBinding("long_tail", args: "{median=, sigma=, tail=0.05, alpha=1.5, cap=}",
                       "Served traffic's lengths: a lognormal body and, for a share tail of draws, a Pareto tail (shape alpha, smaller is heavier) from the body's 95th percentile; every draw capped at cap.") { call in
                let o = try Options(call, 1)
                try o.only(["median", "sigma", "tail", "alpha", "cap"])
                return try push(.longTail(median: try o.required("median", o.number, "median length"),
                                          sigma: try o.required("sigma", o.number, "log-space standard deviation"),
                                          tail: try o.number("tail") ?? 0.05, alpha: try o.number("alpha") ?? 1.5,
                                          cap: try o.required("cap", o.int, "longest length")), call)
            },
            LuaBinding("thinking", args: "{answer=dist|n, ratio=6 | {min=, max=}}",
                       "A reasoning model's output length: the answer's length plus reasoning tokens ratio times it (ratio fixed, or uniform from min to max: the 4–8× of long chain-of-thought).") { call in
                let o = try Options(call, 1)
                try o.only(["answer", "ratio"])
                let (lo, hi) = try ratio(o)
                return try push(.thinking(answer: try distribution(o.table["answer"] ?? .nil, call, 1, field: "answer"),
                                          ratioMin: lo, ratioMax: hi), call)
            },
            LuaBinding("from_run", args: "run, 'output_tokens'|'input_tokens'",
                       "The served token counts of a stored run's successful requests as an empirical distribution (values with their counts as weights).") { call in
                let run = try RunView(call, 1)
                let figure = try call.string(2)
                guard figure == "output_tokens" || figure == "input_tokens" else {
                    throw call.argumentError(2, "'output_tokens' or 'input_tokens' expected, got '\(figure)'")
                }
                var counts: [Int: Int] = [:]
                for s in try run.requests(store) where s.record.status == .ok {
                    guard let n = figure == "output_tokens" ? s.record.outputTokens : s.record.inputTokens, n >= 1 else { continue }
                    counts[n, default: 0] += 1
                }
                guard !counts.isEmpty else {
                    throw call.argumentError(1, "\(run.label) has no successful request with a served \(figure) count")
                }
                let values = counts.keys.sorted()
                return try push(.empirical(values: values, weights: values.map { Double(counts[$0] ?? 0) }), call)
            },
        ])

        try vm.register(type: LuaType<WorkloadBox>(
            "workload", summary: "The requests of a run (workload.synthetic/jsonl/generate); a synthetic one makes each request when it is sent.",
            methods: [
                LuaBinding("get", args: "i", "Request i (1-based) as a table: prompt or messages, max_tokens, expected, meta, class.") { call in
                    let w = try call.object(1, as: WorkloadBox.self).workload
                    let i = try call.integer(2)
                    guard i >= 1, i <= w.count else { throw call.argumentError(2, "index out of range 1..\(w.count)") }
                    return try call.returning(try requestTable(w[i - 1]))
                },
                LuaBinding("origin", "How the workload was made (stored with each run).") { call in
                    try call.returning(.string(try call.object(1, as: WorkloadBox.self).workload.origin))
                },
            ],
            tostring: { "workload(\($0.workload.count) requests: \($0.workload.origin))" },
            length: { $0.workload.count },
            field: { box, key, call in key == "n" ? try call.returning(.int(box.workload.count)) : nil }))

        try vm.register(type: LuaType<RNGBox>(
            "rng", summary: "A seeded random generator (given to workload.generate's function).",
            methods: [
                LuaBinding("uniform", "A number in [0, 1).") { call in
                    try call.returning(.double(try call.object(1, as: RNGBox.self).rng.uniform()))
                },
                LuaBinding("int", args: "lo, hi", "A whole number from lo to hi.") { call in
                    let b = try call.object(1, as: RNGBox.self)
                    let lo = try call.integer(2), hi = try call.integer(3)
                    guard hi >= lo else { throw call.argumentError(3, "hi must be at least lo") }
                    return try call.returning(.int(b.rng.int(lo, hi)))
                },
                LuaBinding("normal", args: "[mean, sd]", "A normal sample (default mean 0, sd 1).") { call in
                    let b = try call.object(1, as: RNGBox.self)
                    let m = try call.optNumber(2, 0) ?? 0, s = try call.optNumber(3, 1) ?? 1
                    return try call.returning(.double(m + s * b.rng.normal()))
                },
                LuaBinding("length", args: "dist", "A length drawn from a dist.* table.") { call in
                    let b = try call.object(1, as: RNGBox.self)
                    let d = try distribution(try call.value(2), call, 2)
                    return try call.returning(.int(d.sample(&b.rng)))
                },
                LuaBinding("words", args: "n", "Prompt text of about n tokens (deterministic for the seed).") { call in
                    let b = try call.object(1, as: RNGBox.self)
                    let n = try call.integer(2)
                    guard n >= 1, n <= 1_000_000 else { throw call.argumentError(2, "n must be 1 to 1e6 tokens, got \(n)") }
                    return try call.returning(.string(PromptText.make(tokens: n, tag: String(b.rng.next() % 1_000_000), rng: &b.rng)))
                },
            ],
            tostring: { _ in "rng" }))

        try vm.register(module: "workload", summary: "Workloads: the requests of a run, decided before it starts.", [
            LuaBinding("synthetic", args: "{n=, seed=, input=dist|n, output=dist|n, chat=false}",
                       "n requests with unique prompts and lengths drawn from the distributions; the same for the same seed. Each request is made when it is used, so memory does not grow with n.") { call in
                let o = try Options(call, 1)
                try o.only(["n", "seed", "input", "output", "chat"])
                let n = try o.required("n", o.int, "number of requests")
                guard n >= 1, n <= Workload.maxRequests else {
                    throw call.argumentError(1, "field 'n' must be 1 to \(Workload.maxRequests), got \(n)")
                }
                let w = try Workload.synthetic(
                    n: n, seed: UInt64(truncatingIfNeeded: try o.int("seed") ?? 0),
                    input: try distribution(o.table["input"] ?? .nil, call, 1, field: "input"),
                    output: try distribution(o.table["output"] ?? .nil, call, 1, field: "output"),
                    chat: try o.bool("chat") ?? false)
                try call.push(object: WorkloadBox(w))
                return 1
            },
            LuaBinding("jsonl", args: "path, [{max_tokens=, fields={...}}]",
                       "Reads one request per line: prompt or messages, max_tokens, optional expected, meta and class; other fields are an error unless declared.") { call in
                let path = try call.string(1)
                let o = try Options(call, 2, optional: true)
                try o.only(["max_tokens", "fields"])
                let w = try JSONLWorkload.read(path: path, defaultMaxTokens: try o.int("max_tokens"),
                                               declared: try fieldNames(o, "fields"))
                try call.push(object: WorkloadBox(w))
                return 1
            },
            LuaBinding("generate", args: "n, fn(i, rng), [seed]",
                       "Builds n requests by calling fn(i, rng), which returns {prompt= or messages=, max_tokens=, expected=, meta=, class=}; run figures are broken down by class (run:by('class')).") { call in
                let n = try call.integer(1)
                guard n >= 1, n <= Workload.maxRequests else {
                    throw call.argumentError(1, "n must be 1 to \(Workload.maxRequests) (workload.generate builds every request in memory), got \(n)")
                }
                let fn = try call.function(2)
                let seed = UInt64(truncatingIfNeeded: try call.optInteger(3, 0) ?? 0)
                let w = try generate(n: n, seed: seed, fn: fn, call: call)
                try call.push(object: WorkloadBox(w))
                return 1
            },
        ] + QualityWorkloads.bindings + TraceWorkloads.bindings + SessionWorkloads.bindings)
    }

    /// A list of field names (`fields = {"user", "ts"}`), empty when absent.
    static func fieldNames(_ o: Options, _ key: String) throws -> Set<String> {
        guard let v = o.table[key], !v.isNil else { return [] }
        guard case .array(let a) = v else { throw o.error(key, "a list of field names") }
        return Set(try a.map { x in
            guard let s = x.string else { throw o.error(key, "a list of field names (strings)") }
            return s
        })
    }

    static func push(_ d: LengthDistribution, _ call: LuaCall) throws -> Int {
        try d.validate()
        return try call.returning(table(d))
    }

    static func table(_ d: LengthDistribution) -> LuaValue {
        switch d {
        case .fixed(let n): return ["kind": "fixed", "n": .int(n)]
        case .uniform(let lo, let hi): return ["kind": "uniform", "min": .int(lo), "max": .int(hi)]
        case .normal(let m, let s): return ["kind": "normal", "mean": .double(m), "sd": .double(s)]
        case .lognormal(let m, let s): return ["kind": "lognormal", "median": .double(m), "sigma": .double(s)]
        case .empirical(let v, let w):
            return ["kind": "empirical", "values": .array(v.map { .int($0) }), "weights": .array(w.map { .double($0) })]
        case .longTail(let m, let s, let t, let a, let c):
            return ["kind": "long_tail", "median": .double(m), "sigma": .double(s), "tail": .double(t), "alpha": .double(a), "cap": .int(c)]
        case .thinking(let answer, let lo, let hi):
            return ["kind": "thinking", "answer": table(answer), "ratio": ["min": .double(lo), "max": .double(hi)]]
        }
    }

    /// `ratio = 6` or `ratio = {min = 4, max = 8}` of dist.thinking.
    static func ratio(_ o: Options) throws -> (Double, Double) {
        switch o.table["ratio"] {
        case nil, .nil?: return (6, 6)
        case let v? where v.number != nil: return (v.number ?? 6, v.number ?? 6)
        case .table?:
            guard let r = try o.sub("ratio", only: ["min", "max"]) else { return (6, 6) }
            return (try r.required("min", r.number, "smallest ratio"), try r.required("max", r.number, "largest ratio"))
        case let v?: throw o.error("ratio", "a number or {min=, max=}, got \(v.typeName)")
        }
    }

    /// A dist.* table (or a plain number, meaning fixed) back to a distribution.
    static func distribution(_ v: LuaValue, _ call: LuaCall, _ position: Int, field: String? = nil) throws -> LengthDistribution {
        let name = field.map { "field '\($0)'" } ?? "distribution"
        if let n = v.integer { return .fixed(n) }
        guard case .table(let t) = v, let kind = t["kind"]?.string else {
            throw call.argumentError(position, "\(name) must be a number or a dist.* table, got \(v.typeName)")
        }
        let o = Options(table: t, call: call, position: position, path: field.map { $0 + "." } ?? "")
        // The fields dist.* gives each kind (Self.table), so a misspelt one is an error.
        let fields: [String: Set<String>] = ["fixed": ["n"], "uniform": ["min", "max"], "normal": ["mean", "sd"],
                                             "lognormal": ["median", "sigma"], "empirical": ["values", "weights"],
                                             "long_tail": ["median", "sigma", "tail", "alpha", "cap"], "thinking": ["answer", "ratio"]]
        if let allowed = fields[kind] { try o.only(allowed.union(["kind"])) }
        let d: LengthDistribution
        switch kind {
        case "fixed": d = .fixed(try o.required("n", o.int, "length"))
        case "uniform": d = .uniform(min: try o.required("min", o.int, "min"), max: try o.required("max", o.int, "max"))
        case "normal": d = .normal(mean: try o.required("mean", o.number, "mean"), sd: try o.required("sd", o.number, "sd"))
        case "lognormal": d = .lognormal(median: try o.required("median", o.number, "median"), sigma: try o.required("sigma", o.number, "sigma"))
        case "empirical":
            d = .empirical(values: try wholeNumbers(o, "values"),
                           weights: o.has("weights") ? try numbers(o, "weights") : [])
        case "long_tail":
            d = .longTail(median: try o.required("median", o.number, "median"), sigma: try o.required("sigma", o.number, "sigma"),
                          tail: try o.required("tail", o.number, "tail share"), alpha: try o.required("alpha", o.number, "Pareto shape"),
                          cap: try o.required("cap", o.int, "longest length"))
        case "thinking":
            let (lo, hi) = try ratio(o)
            d = .thinking(answer: try distribution(t["answer"] ?? .nil, call, position, field: (field.map { $0 + "." } ?? "") + "answer"),
                          ratioMin: lo, ratioMax: hi)
        default: throw call.argumentError(position, "\(name) has unknown kind '\(kind)'")
        }
        do { try d.validate() } catch { throw call.argumentError(position, "\(name): \(error)") }
        return d
    }

    static func wholeNumbers(_ o: Options, _ key: String) throws -> [Int] {
        try numbers(o, key).map { v in
            guard v.isFinite, abs(v) < 1e15, let i = Int(exactly: v.rounded()) else { throw o.error(key, "a list of whole numbers") }
            return i
        }
    }

    static func numbers(_ o: Options, _ key: String) throws -> [Double] {
        guard case .array(let a)? = o.table[key] else { throw o.error(key, "a list of numbers") }
        return try a.map { v in
            guard let d = v.number else { throw o.error(key, "a list of numbers") }
            return d
        }
    }

    static func requestTable(_ r: WorkloadRequest) throws -> LuaValue {
        var t: [String: LuaValue] = ["max_tokens": .int(r.maxTokens)]
        switch r.prompt {
        case .text(let s): t["prompt"] = .string(s)
        case .messages(let ms): t["messages"] = .array(ms.map { ["role": .string($0.role), "content": .string($0.content)] })
        }
        if let e = r.expected { t["expected"] = .string(e) }
        if let m = r.meta { t["meta"] = try JSON.decode(m) }
        if let h = r.inputTokensHint { t["input_tokens"] = .int(h) }
        if let c = r.requestClass { t["class"] = .string(c) }
        return .table(t)
    }

    static func generate(n: Int, seed: UInt64, fn: LuaFunction, call: LuaCall) throws -> Workload {
        let rng = RNGBox(seed: seed)
        var requests: [WorkloadRequest] = []
        requests.reserveCapacity(n)
        for i in 1...n {
            let results = try fn.callWithObject(rng, prefix: [.int(i)], in: call)
            guard case .table(let t)? = results.first else {
                throw LuaScriptError("workload.generate: the function returned \(results.first?.typeName ?? "nothing") for request \(i); expected a table {prompt=..., max_tokens=...}")
            }
            do { requests.append(try JSONLWorkload.request(from: t, defaultMaxTokens: nil)) }
            catch { throw LuaScriptError("workload.generate: request \(i): \(error)") }
        }
        return Workload(requests: requests, origin: "generated n=\(n) seed=\(seed)")
    }
}
