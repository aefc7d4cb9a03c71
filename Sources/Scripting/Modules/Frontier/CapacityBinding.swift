import Cost
import FrontierMath
import LuaBridge
import Metrics

/// `frontier.capacity`: the requests per second one replica serves within an SLA, read
/// off a sweep (repeated runs per level give a bootstrap interval).
enum CapacityBinding {
    static func run(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        guard case .array(let runs) = try call.table(1), !runs.isEmpty else {
            throw call.argumentError(1, "a non-empty list of runs expected (e.g. what bench.sweep or sim.sweep returns)")
        }
        let o = Options(table: try call.fields(2, skipping: ["sla"]), call: call, position: 2)
        try o.only(["sla", "hardware", "confidence", "resamples", "seed"])
        guard let sla = try call.object(2, field: "sla", as: SLABox.self) else {
            throw call.argumentError(2, "field 'sla' (an sla{} object) is required")
        }
        var byLevel: [Double: (runs: [CapacityRun], costs: [Double], ids: [LuaValue])] = [:]
        var openLoop: Bool?
        for (k, v) in runs.enumerated() {
            let run = try RunView(call, 1, v)
            guard let level = run.level else { throw call.argumentError(1, "run \(k + 1) has no concurrency or rate") }
            guard let rate = run.number("requests_per_s") else { throw call.argumentError(1, "run \(k + 1) has no requests_per_s") }
            // Open loop when the runs have a rate; a sweep is one or the other.
            let open = run.table["rate"]?.number != nil
            if let openLoop, openLoop != open {
                throw call.argumentError(1, "run \(k + 1) is \(open ? "open" : "closed") loop, the runs before it are not: a sweep varies rate or concurrency")
            }
            openLoop = open
            let verdict = try sla.evaluate(run, store: store).0
            var entry = byLevel[level] ?? ([], [], [])
            entry.runs.append(CapacityRun(requestsPerS: rate, margin: margin(verdict)))
            entry.ids.append(v["run_id"])
            if let hw = o.table["hardware"] {
                let (hardware, _) = try HardwareTable.read(hw, call, 2, gpus: nil)
                do {
                    if let per = try RunCost(usage: try run.usage(), hardware: hardware).perRequest { entry.costs.append(per) }
                } catch let e as CostError { throw call.argumentError(2, wrapping: e) }
            }
            byLevel[level] = entry
        }
        let levels = byLevel.keys.sorted().map { CapacityLevel(level: $0, runs: byLevel[$0]?.runs ?? []) }
        let (resamples, confidence, seed) = try UncertaintyBinding.settings(o)
        let found = try FrontierModule.math(call) {
            try ReplicaCapacity.find(levels, openLoop: openLoop ?? false, resamples: resamples, confidence: confidence, seed: seed)
        }
        let rows: [LuaValue] = levels.map { l in
            ["level": .double(l.level), "requests_per_s": .double(l.requestsPerS), "runs": .int(l.runs.count),
             "meets_sla": .bool(l.meetsSLA), "sla_margin": .double(l.margin)]
        }
        guard let found else { return .nil }
        var t: [String: LuaValue] = ["requests_per_s": .double(found.requestsPerS), "level": .double(found.level),
                                     "runs": .int(byLevel[found.level]?.runs.count ?? 0),
                                     "open_loop": .bool(openLoop ?? false), "at_sweep_end": .bool(found.atSweepEnd),
                                     "reason": .string(found.reason), "levels": .array(rows)]
        if let i = found.interval {
            t["lower"] = .double(i.lower)
            t["upper"] = .double(i.upper)
            t["confidence"] = .double(i.confidence)
        }
        if let costs = byLevel[found.level]?.costs, !costs.isEmpty {
            t["cost_per_request"] = .double(costs.reduce(0, +) / Double(costs.count))
        }
        if let ids = byLevel[found.level]?.ids, ids.allSatisfy({ !$0.isNil }) { t["run_ids"] = .array(ids) }
        return .table(t)
    }

    /// The largest relative excess over the SLA's clauses: ≤ 0 meets it (docs/cost.md).
    static func margin(_ r: SLAResult) -> Double {
        r.clauses.map { c in
            guard let excess = c.excess else { return .infinity }
            return c.clause.limit == 0 ? excess : excess / abs(c.clause.limit)
        }.max() ?? 0
    }
}
