import FrontierMath
import LuaBridge

/// `frontier.*`: Pareto sets, the efficient frontier, knee and optimal zone,
/// saturation of a sweep, bootstrap intervals and frontier frequency.
enum FrontierModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(module: "frontier", summary: "The quality-vs-cost frontier: Pareto sets, hull, knee, optimal zone, saturation, uncertainty.", [
            LuaBinding("pareto", args: "points, {metric='min'|'max', ...}",
                       "The Pareto set over two or more metrics: front (the points on it) and, for every other point, the ids that dominate it.") { call in
                try call.returning(try pareto(call))
            },
            LuaBinding("hull", args: "points, [{cost='cost', quality='quality'}]",
                       "The efficient frontier: the upper convex hull of quality against cost, ascending cost.") { call in
                try options(call, 2).only(["cost", "quality"])
                let (frontier, index) = try hull(call)
                return try call.returning(.array(frontier.points.map { p in
                    ["id": .string(p.id), "index": index[p.id] ?? .nil, "cost": .double(p.cost), "quality": .double(p.quality)]
                }))
            },
            LuaBinding("knee", args: "points, [{cost='cost', quality='quality', sensitivity=1}]",
                       "The knee of the efficient frontier (Kneedle): where more spending stops buying much quality; nil for none.") { call in
                try options(call, 2).only(["cost", "quality", "sensitivity"])
                let (frontier, index) = try hull(call)
                // A hull of one or two points has no bend: no knee, not an error.
                guard frontier.points.count >= 3 else { return call.pushNil() }
                let knee = try math(call) { try Knee.find(on: frontier, sensitivity: try options(call, 2).number("sensitivity") ?? 1) }
                guard let knee, let id = knee.id else { return call.pushNil() }
                return try call.returning(["index": index[id] ?? .nil, "id": .string(id), "cost": .double(knee.x), "quality": .double(knee.y)])
            },
            LuaBinding("zone", args: "points, [{cost='cost', quality='quality', tolerance=0.2}]",
                       "The optimal cost-effectiveness zone: frontier points whose quality per dollar and marginal quality per dollar are within tolerance of the best.") { call in
                try call.returning(try zone(call))
            },
            LuaBinding("saturation", args: "runs, {hardware= | cost=function(run), min_fall=0.05, sla=}",
                       "Where a concurrency sweep saturates: cost per task falls by less than min_fall, or the SLA breaks.") { call in
                try call.returning(try SweepBinding.saturation(call, store: store))
            },
            LuaBinding("cheapest", args: "runs, {hardware= | cost=function(run), sla=}",
                       "The run with the lowest cost per task among those meeting the SLA; nil when none does.") { call in
                try call.returning(try SweepBinding.cheapest(call, store: store))
            },
            LuaBinding("bootstrap", args: "values | runs, [{metric=, statistic='mean'|'median'|p, confidence=0.95, resamples=10000, seed=1}]",
                       "A bootstrap percentile interval: estimate, lower, upper (of numbers, or of a run metric across repeated runs).") { call in
                try call.returning(try UncertaintyBinding.bootstrap(call))
            },
            LuaBinding("intervals", args: "runs, [{metrics={...}, hardware=, confidence=0.95, resamples=10000, seed=1}]",
                       "Mean and bootstrap interval of every summary metric (and cost per request with hardware) across repeated runs.") { call in
                try call.returning(try UncertaintyBinding.intervals(call, store: store))
            },
            LuaBinding("frequency", args: "points, {metric='min'|'max', ...}, [{resamples=1000, seed=1}]",
                       "For each point with samples ({id=, cost={...}, quality={...}}), how often it is on the Pareto front across bootstrap resamples.") { call in
                try call.returning(try UncertaintyBinding.frequency(call))
            },
        ])
    }

    static func options(_ call: LuaCall, _ i: Int) throws -> Options { try Options(call, i, optional: true) }

    /// Runs FrontierMath code, turning its errors into argument errors of argument 1.
    static func math<T>(_ call: LuaCall, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as FrontierError { throw call.argumentError(1, wrapping: e) }
    }

    /// A point's id: its `id`, `name`, `model`, `run_id`, else its position.
    static func id(of t: [String: LuaValue], at i: Int) -> String {
        for key in ["id", "name", "model"] { if let s = t[key]?.string { return s } }
        if let r = t["run_id"]?.integer { return "run \(r)" }
        return String(i + 1)
    }

    /// The points argument: tables with the named metrics (dotted paths allowed), and
    /// each id's 1-based position in the list (results name points by id and index,
    /// so `points[r.index]` is the caller's own table).
    static func points(_ call: LuaCall, _ i: Int, metrics: [String]) throws -> ([Point], [String: LuaValue]) {
        guard case .array(let a) = try call.table(i) else {
            throw call.argumentError(i, "a list of point tables expected")
        }
        var out: [Point] = [], byID: [String: LuaValue] = [:]
        for (k, v) in a.enumerated() {
            guard case .table(let t) = v else { throw call.argumentError(i, "point \(k + 1) must be a table, got \(v.typeName)") }
            let view = try RunView(call, i, v)
            var pid = id(of: t, at: k)
            if byID[pid] != nil { pid = "\(pid)#\(k + 1)" }
            var values: [String: Double] = [:]
            for m in metrics {
                guard let d = view.number(m) else {
                    throw call.argumentError(i, "point \(k + 1) (\(pid)) has no number '\(m)'")
                }
                values[m] = d
            }
            out.append(Point(id: pid, values: values))
            byID[pid] = .int(k + 1)
        }
        return (out, byID)
    }

    /// `{cost='min', quality='max'}` or `{{'cost','min'}, {'quality','max'}}`.
    static func objectives(_ call: LuaCall, _ i: Int) throws -> [Objective] {
        let v = try call.table(i)
        do {
            switch v {
            case .table(let t):
                return try t.keys.sorted().map { k in
                    guard let d = t[k]?.string else { throw call.argumentError(i, "direction of '\(k)' must be 'min' or 'max'") }
                    return try Objective(metric: k, direction: direction(d))
                }
            case .array(let a):
                return try a.map { pair in
                    guard case .array(let p) = pair, p.count == 2, let m = p[0].string, let d = p[1].string else {
                        throw call.argumentError(i, "objectives must be {metric = 'min'|'max'} or a list of {metric, 'min'|'max'}")
                    }
                    return try Objective(metric: m, direction: direction(d))
                }
            default:
                throw call.argumentError(i, "objectives table expected")
            }
        } catch let e as FrontierError { throw call.argumentError(i, wrapping: e) }
    }

    /// Scripts write "min" / "max"; FrontierMath spells them out.
    static func direction(_ d: String) -> String {
        switch d {
        case "min": return "minimize"
        case "max": return "maximize"
        default: return d
        }
    }

    static func pareto(_ call: LuaCall) throws -> LuaValue {
        let objectives = try objectives(call, 2)
        let (points, _) = try points(call, 1, metrics: objectives.map(\.metric))
        let result = try math(call) { try Pareto.front(points, objectives: objectives, dominators: .ids(limit: 50)) }
        var dominated: [LuaValue] = []
        for (k, ids) in (result.dominatorIds ?? []).enumerated() where !result.onFront[k] {
            dominated.append(["id": .string(result.ids[k]), "index": .int(k + 1),
                              "by": .array(ids.map { .string($0) }), "count": .int(result.dominatorCounts?[k] ?? ids.count)])
        }
        return ["front": .array(result.frontIds.map { .string($0) }),
                "indices": .array(result.frontIndices.map { .int($0 + 1) }), "dominated": .array(dominated)]
    }

    static func hull(_ call: LuaCall) throws -> (EfficientFrontier, [String: LuaValue]) {
        let o = try options(call, 2)
        let cost = try o.string("cost") ?? "cost", quality = try o.string("quality") ?? "quality"
        let (points, byID) = try points(call, 1, metrics: [cost, quality])
        return (try math(call) { try EfficientFrontier(points: points, cost: cost, quality: quality) }, byID)
    }

    static func zone(_ call: LuaCall) throws -> LuaValue {
        let o = try options(call, 2)
        try o.only(["cost", "quality", "tolerance"])
        let (frontier, index) = try hull(call)
        let z = try math(call) { try CostEffectivenessZone(frontier: frontier, tolerance: try o.number("tolerance") ?? 0.2) }
        let entries: [LuaValue] = z.entries.map { e in
            ["id": .string(e.point.id), "index": index[e.point.id] ?? .nil, "cost": .double(e.point.cost),
             "quality": .double(e.point.quality), "quality_per_dollar": .double(e.qualityPerDollar),
             "marginal": .double(e.marginalQualityPerDollar), "in_zone": .bool(e.inZone)]
        }
        return ["ids": .array(z.ids.map { .string($0) }), "best": .string(z.bestId),
                "best_quality_per_dollar": .double(z.bestQualityPerDollar), "tolerance": .double(z.tolerance),
                "frontier": .array(entries)]
    }
}
