import LuaBridge
import Measure
import Metrics
import Runs

/// An SLA as Lua holds it: the Swift clauses plus the user's per-request function.
final class SLABox {
    let sla: SLA
    let perRequest: LuaFunction?
    let name: String?

    init(sla: SLA, perRequest: LuaFunction?, name: String?) {
        self.sla = sla
        self.perRequest = perRequest
        self.name = name
    }

    /// Whether a request is good: the Swift bounds, then the user's function.
    func isGood(_ s: StoredRequest) throws -> Bool {
        guard sla.isGood(s.record) else { return false }
        guard let perRequest else { return true }
        return Self.truthy(try perRequest.call(RequestTable.make(s)).first)
    }

    func goodput(_ run: RunView, store: StoreModule) throws -> Goodput {
        let stored = try run.requests(store)
        let byIndex = Dictionary(stored.map { ($0.record.index, $0) }) { a, _ in a }
        return try sla.goodput(stored.map(\.record), makespan: run.number("makespan") ?? 0) { record in
            guard let perRequest, let s = byIndex[record.index] else { return true }
            return Self.truthy(try perRequest.call(RequestTable.make(s)).first)
        }
    }

    /// Needs per-request goodness: a `good_fraction` clause.
    func evaluate(_ run: RunView, store: StoreModule) throws -> (SLAResult, Goodput?) {
        let goodput = sla.needsGoodput ? try goodput(run, store: store) : nil
        let result = sla.evaluate { clause in
            clause.quantity == .goodFraction ? goodput?.goodFraction : run.value(of: clause)
        }
        return (result, goodput)
    }

    static func truthy(_ v: LuaValue?) -> Bool {
        switch v {
        case nil, .nil?, .bool(false)?: return false
        default: return true
        }
    }

    var description: String {
        let clauses = sla.clauses.map { "\($0.name) \($0.isUpperBound ? "≤" : "≥") \(Figures.numbers($0.limit, $0.limit).0)" }
        let extra = perRequest == nil ? [] : ["per_request"]
        return "sla\(name.map { " '\($0)'" } ?? "")(\((clauses + extra).joined(separator: ", ")))"
    }
}

/// `sla{…}`: SLAs as callable objects.
enum SLAModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(type: LuaType<SLABox>(
            "sla", summary: "A service-level agreement: call it on a run for a verdict; methods for requests and goodput.",
            methods: [
                LuaBinding("check", args: "run", "The verdict on a run: passed, each clause's actual value and excess, failures.") { call in
                    let box = try call.object(1, as: SLABox.self)
                    return try call.returning(verdict(box, try RunView(call, 2), store))
                },
                LuaBinding("good", args: "request", "Whether one request (as run:each_request() yields it) is good under the SLA.") { call in
                    let box = try call.object(1, as: SLABox.self)
                    return try call.returning(.bool(box.isGood(try storedRequest(call, 2))))
                },
                LuaBinding("goodput", args: "run", "Good requests and good output tokens per second of makespan (needs a stored run).") { call in
                    let box = try call.object(1, as: SLABox.self)
                    return try call.returning(goodputTable(try box.goodput(try RunView(call, 2), store: store)))
                },
            ],
            tostring: { $0.description },
            field: { box, key, call in
                switch key {
                case "clauses":
                    return try call.returning(.table(Dictionary(uniqueKeysWithValues: box.sla.clauses.map { ($0.name, LuaValue.double($0.limit)) })))
                case "request_bounds":
                    return try call.returning(.table(Dictionary(uniqueKeysWithValues: box.sla.requestBounds.map { ($0.key.rawValue, LuaValue.double($0.value)) })))
                case "name": return try call.returning(box.name.map(LuaValue.string) ?? .nil)
                default: return nil
                }
            },
            call: { box, call in try call.returning(verdict(box, try RunView(call, 2), store)) }))

        try vm.register(global: LuaBinding(
            "sla", args: "{ttft_p50=, ttft_p95=, tpot_p99=, e2e_p99=, tokens_per_s_mean=, success_rate=, good_fraction=, request={ttft=, tpot=, e2e=, tokens_per_s=}, per_request=function(r) ... end, name=}",
            "Makes an SLA from bounds on run figures (<quantity>_<mean|p50|p90|p95|p99|min|max>, success_rate, …) and an optional per-request Lua predicate.") { call in
            try call.push(object: try make(call))
            return 1
        })
    }

    static func make(_ call: LuaCall) throws -> SLABox {
        let o = Options(table: try call.fields(1, skipping: ["per_request"]), call: call, position: 1)
        var clauses: [String: Double] = [:]
        for key in o.table.keys.sorted() where !["request", "per_request", "name"].contains(key) {
            guard let d = o.table[key]?.number else { throw o.error(key, "a number") }
            clauses[key] = d
        }
        var bounds: [String: Double]?
        if let r = try o.entries("request") {  // bound names are checked by SLA
            bounds = [:]
            for key in r.table.keys.sorted() {
                guard let d = r.table[key]?.number else { throw call.argumentError(1, "field 'request.\(key)' must be a number, got \(r.table[key]?.typeName ?? "nil")") }
                bounds?[key] = d
            }
        }
        let fn = try call.function(1, field: "per_request")
        do {
            return SLABox(sla: try SLA(clauses: clauses, requestBounds: bounds), perRequest: fn, name: try o.string("name"))
        } catch let e as SLAError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    static func verdict(_ box: SLABox, _ run: RunView, _ store: StoreModule) throws -> LuaValue {
        let (result, goodput) = try box.evaluate(run, store: store)
        let clauses: [LuaValue] = result.clauses.map { r in
            var t: [String: LuaValue] = ["clause": .string(r.clause.name), "limit": .double(r.clause.limit),
                                         "passed": .bool(r.passed), "bound": .string(r.clause.isUpperBound ? "max" : "min")]
            if let a = r.actual { t["actual"] = .double(a) }
            if let e = r.excess { t["excess"] = .double(e) }
            if let e = r.relativeExcess { t["relative"] = .double(e) }
            return .table(t)
        }
        var t: [String: LuaValue] = [
            "passed": .bool(result.passed), "clauses": .array(clauses),
            "failures": .array(result.failures.map { .string($0.clause.name) }),
            "summary": .string(summary(result)),
        ]
        if let goodput { t["goodput"] = goodputTable(goodput) }
        if let id = run.runID { t["run_id"] = .int(Int(id)) }
        return .table(t)
    }

    /// "passed" or "failed: ttft_p99 1.98 > 1.5 (+32%); success_rate 0.6 < 0.9 (-33%)".
    static func summary(_ r: SLAResult) -> String {
        guard !r.passed else { return "passed" }
        let parts = r.failures.map { f -> String in
            guard let a = f.actual else { return "\(f.clause.name): the run has no such figure" }
            let op = f.clause.isUpperBound ? ">" : "<"
            let rel = f.relativeExcess.map { String(format: " (%@%.0f%%)", f.clause.isUpperBound ? "+" : "-", abs($0) * 100) } ?? ""
            let (shown, limit) = Figures.numbers(a, f.clause.limit)
            return "\(f.clause.name) \(shown) \(op) \(limit)\(rel)"
        }
        return "failed: " + parts.joined(separator: "; ")
    }

    static func goodputTable(_ g: Goodput) -> LuaValue {
        ["good_requests": .int(g.goodRequests), "good_tokens": .int(g.goodTokens), "total": .int(g.total),
         "requests_per_s": .double(g.requestsPerSecond), "tokens_per_s": .double(g.tokensPerSecond),
         "good_fraction": .double(g.goodFraction)]
    }

    /// A request table back to a record (the fields `run:each_request()` gives).
    static func storedRequest(_ call: LuaCall, _ position: Int) throws -> StoredRequest {
        guard case .table(let t) = try call.table(position) else {
            throw call.argumentError(position, "request table expected")
        }
        let o = Options(table: t, call: call, position: position)
        guard let status = RequestStatus(rawValue: try o.string("status") ?? "") else {
            throw call.argumentError(position, "request needs 'status' ('ok', 'error' or 'truncated'), as run:each_request() yields it")
        }
        var chunks: [Double] = []
        if case .array(let a)? = t["chunk_times"] { chunks = a.compactMap(\.number) }
        let sent = try o.number("sent") ?? 0
        let record = RequestRecord(
            index: try o.int("idx") ?? 0, intended: try o.number("intended"), sent: sent,
            firstToken: try o.number("first_token") ?? o.number("ttft").map { sent + $0 },
            ended: try o.number("ended") ?? o.number("e2e").map { sent + $0 }, chunkTimes: chunks,
            inputTokens: try o.int("input_tokens"), outputTokens: try o.int("output_tokens"),
            status: status, response: try o.string("response"), maxTokens: try o.int("max_tokens"))
        return StoredRequest(record: record, expected: try o.string("expected"), workloadIndex: try o.int("workload_index"))
    }
}
