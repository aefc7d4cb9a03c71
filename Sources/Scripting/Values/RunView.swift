import Cost
import LuaBridge
import Measure
import Metrics
import Runs
import Store

/// A run table (from bench.*, sim.* or the store) read for cost, SLA and frontier
/// code: its figures by dotted path, its usage, and its stored requests.
struct RunView {
    let table: [String: LuaValue]
    let call: LuaCall
    let position: Int

    /// A view of a table already read (a group of a run's figures).
    init(table: [String: LuaValue], call: LuaCall, position: Int) {
        self.table = table
        self.call = call
        self.position = position
    }

    init(_ call: LuaCall, _ position: Int, _ v: LuaValue? = nil) throws {
        let value = try v ?? call.table(position)
        guard case .table(let t) = value else {
            throw call.argumentError(position, "run table expected, got \(value.typeName)")
        }
        table = t
        self.call = call
        self.position = position
    }

    /// A figure by dotted path ("makespan", "ttft.p50"); nil when absent or not a number.
    func number(_ path: String) -> Double? {
        var v: LuaValue = .table(table)
        for part in path.split(separator: ".") { v = v[String(part)] }
        return v.number
    }

    var runID: Int64? { table["run_id"]?.integer.map(Int64.init) }
    var dbPath: String? { table["db"]?.string }
    /// What the run's load was: concurrency, or the rate of an open-loop run.
    var level: Double? { table["rate"]?.number ?? table["concurrency"]?.number }
    var label: String {
        if let id = runID { return "run \(id)" }
        return table["name"]?.string ?? table["model"]?.string ?? "run"
    }

    /// Reads a field the cost needs, naming it when missing.
    func required(_ key: String) throws -> Double {
        guard let d = number(key) else {
            throw call.argumentError(position, "run has no '\(key)' (a run from bench.run, bench.runs or sim.run has it)")
        }
        return d
    }

    /// The run's usage for `RunCost`. Token counts a hand-written run leaves out count
    /// as 0 here; `cost.of` drops the per-token figures they would distort.
    func usage(goodRequests: Int? = nil, quality: Double? = nil) throws -> RunUsage {
        do {
            return try RunUsage(wallSeconds: required("makespan"), gpus: table["gpus"]?.integer,
                                requests: Int(required("requests")),
                                succeeded: Int(required("succeeded")), inputTokens: Int(number("input_tokens") ?? 0),
                                outputTokens: Int(number("output_tokens") ?? 0), goodRequests: goodRequests,
                                qualityScore: quality)
        } catch let e as CostError {
            throw call.argumentError(position, wrapping: e, prefix: "run: ")
        }
    }

    /// The run's stored requests (needs `run_id`; the run's own store, else the default).
    func requests(_ store: StoreModule) throws -> [StoredRequest] {
        guard let id = runID else {
            throw call.argumentError(position, "per-request figures need a stored run (a table with run_id)")
        }
        let all = try StoredRequests.load(run: id, db: store.handle(path: dbPath).db())
        // A group of a run (run:by): only its requests.
        guard case .table(let g)? = table["group"] else { return all }
        if let c = g["class"]?.string { return all.filter { $0.requestClass == c } }
        if let t = g["turn"]?.integer { return all.filter { $0.turn == t } }
        return all
    }

    /// The value an SLA clause bounds, from the table's fields (names in docs/metrics.md).
    func value(of clause: SLAClause) -> Double? {
        if let statistic = clause.statistic {
            return number("\(clause.quantity.rawValue).\(statistic.rawValue)")
        }
        switch clause.quantity {
        case .errorRate:
            guard let count = number("requests"), count > 0 else { return nil }
            return ((number("failed") ?? 0) + (number("truncated") ?? 0)) / count
        case .goodFraction: return nil
        default: return number(clause.quantity.rawValue)
        }
    }
}
