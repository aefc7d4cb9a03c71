import Cost
import FrontierMath
import LuaBridge

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
        var byLevel: [Double: (rates: [Double], meets: Bool, costs: [Double], ids: [LuaValue])] = [:]
        for (k, v) in runs.enumerated() {
            let run = try RunView(call, 1, v)
            guard let level = run.level else { throw call.argumentError(1, "run \(k + 1) has no concurrency or rate") }
            guard let rate = run.number("requests_per_s") else { throw call.argumentError(1, "run \(k + 1) has no requests_per_s") }
            let meets = try sla.evaluate(run, store: store).0.passed
            var entry = byLevel[level] ?? ([], true, [], [])
            entry.rates.append(rate)
            entry.meets = entry.meets && meets
            entry.ids.append(v["run_id"])
            if let hw = o.table["hardware"] {
                let (hardware, _) = try HardwareTable.read(hw, call, 2, gpus: nil)
                do {
                    if let per = try RunCost(usage: try run.usage(), hardware: hardware).perRequest { entry.costs.append(per) }
                } catch let e as CostError { throw call.argumentError(2, wrapping: e) }
            }
            byLevel[level] = entry
        }
        let levels = byLevel.keys.sorted()
        let (resamples, confidence, seed) = try UncertaintyBinding.settings(o)
        let found = try FrontierModule.math(call) {
            try ReplicaCapacity.find(levels.map { CapacityLevel(level: $0, requestsPerS: byLevel[$0]?.rates ?? [],
                                                                meetsSLA: byLevel[$0]?.meets ?? false) },
                                     resamples: resamples, confidence: confidence, seed: seed)
        }
        let rows: [LuaValue] = levels.map { l in
            let e = byLevel[l]
            let mean = (e?.rates.reduce(0, +) ?? 0) / Double(max(1, e?.rates.count ?? 1))
            return ["level": .double(l), "requests_per_s": .double(mean), "runs": .int(e?.rates.count ?? 0),
                    "meets_sla": .bool(e?.meets ?? false)]
        }
        guard let found else { return .nil }
        var t: [String: LuaValue] = ["requests_per_s": .double(found.requestsPerS), "level": .double(found.level),
                                     "runs": .int(byLevel[found.level]?.rates.count ?? 0), "at_sweep_end": .bool(found.atSweepEnd),
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
}
