import FrontierMath
import LuaBridge

/// `frontier.*`: Pareto sets, the efficient frontier, knee and optimal zone,
/// saturation of a sweep, bootstrap intervals and frontier frequency.
enum FrontierModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(module: "frontier", summary: "The quality-vs-cost frontier: Pareto sets, hull, knee, optimal zone, saturation, uncertainty.", [
            LuaBinding("pareto", args: "points | {metric={...}, id={...}}, {metric='min'|'max', ...}, [{dominators='none'|'count'|'ids', limit=50}]",
                       "The Pareto set over two or more metrics: front (ids) and indices of the points on it; with dominators='count' or 'ids', also dominated: each other point with its dominator count (and up to limit dominator ids).") { call in
                try call.returning(try pareto(call))
            },
            LuaBinding("hull", args: "points, [{cost='cost', quality='quality'}]",
                       "The efficient frontier: the upper convex hull of quality against cost, ascending cost.") { call in
                try options(call, 2).only(["cost", "quality"])
                let (frontier, names) = try hull(call)
                return try call.returning(.array(zip(frontier.points, names).map { p, name in
                    ["id": .string(name), "index": .int(p.index + 1), "cost": .double(p.cost), "quality": .double(p.quality)]
                }))
            },
            LuaBinding("knee", args: "points, [{cost='cost', quality='quality', sensitivity=1}]",
                       "The knee of the efficient frontier (Kneedle): where more spending stops buying much quality; nil for none.") { call in
                try options(call, 2).only(["cost", "quality", "sensitivity"])
                let (frontier, names) = try hull(call)
                // A hull of one or two points has no bend: no knee, not an error.
                guard frontier.points.count >= 3 else { return call.pushNil() }
                let knee = try math(call) { try Knee.find(on: frontier, sensitivity: try options(call, 2).number("sensitivity") ?? 1) }
                guard let knee, let k = frontier.points.firstIndex(where: { $0.cost == knee.x && $0.quality == knee.y }) else {
                    return call.pushNil()
                }
                return try call.returning(["index": .int(frontier.points[k].index + 1), "id": .string(names[k]),
                                           "cost": .double(knee.x), "quality": .double(knee.y)])
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
            LuaBinding("capacity", args: "runs, {sla=, hardware=, confidence=0.95, resamples=10000, seed=1}",
                       "The requests per second one replica serves within the SLA: open loop, the rate where the SLA margin crosses 0 past the highest level meeting it (every lower level too); closed loop, the achieved rate there; with a bootstrap interval over repeated runs and the cost per request; nil when the first level fails.") { call in
                try call.returning(try CapacityBinding.run(call, store: store))
            },
            LuaBinding("diagnose", args: "runs, [{hardware= | cost=function(run), sla=, quality='score', ttft_jump=3, ttft_min_rise=0.01, min_fall=0.05, quality_gain=0.01, tokenizer_ratio=1.3, error_rate=0.05, burst_window=5, burst_errors=5, burst_rate=0.5, client_cpu=0.9, queueing=2}]",
                       "What is wrong with a sweep: findings (kind, level, run_id, evidence, advice, text) for TTFT jumps, past the optimal zone, tokenizer mismatch, error bursts, a busy client and queueing; empty when nothing is.") { call in
                try call.returning(try DiagnoseBinding.diagnose(call, store: store))
            },
            LuaBinding("bootstrap", args: "values | runs, [{metric=, statistic='mean'|'median'|p, confidence=0.95, resamples=10000, seed=1}]",
                       "A bootstrap percentile interval: estimate, lower, upper (of numbers, or of a run metric across repeated runs).") { call in
                try call.returning(try UncertaintyBinding.bootstrap(call))
            },
            LuaBinding("intervals", args: "runs, [{metrics={...}, hardware=, confidence=0.95, resamples=10000, seed=1}]",
                       "Mean and bootstrap interval of every summary metric (and cost per request with hardware) across repeated runs.") { call in
                try call.returning(try UncertaintyBinding.intervals(call, store: store))
            },
            LuaBinding("trend", args: "{tag=, metric='cost_per_1m_tokens'|'cost_per_task'|'quality'|'sla_pass_rate'|figure | metrics={...}, hardware= | hardware_of=function(run), sla=, quality=, by='day'|'week'|'run', level=, source=, min_shift_sd=2, min_change=0.05, min_segment=2, db=}",
                       "A tag's stored runs by date (all its sweeps): cost per 1M tokens, quality, SLA pass rate or a run figure per day, week or run, with change points (binary segmentation); prints as a table.") { call in
                try TrendBinding.run(call, store: store)
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

    /// The same for points read as anonymous columns: an error about a point names it by its id.
    static func math<T>(_ call: LuaCall, _ ids: PointIDs, _ body: () throws -> T) throws -> T {
        do { return try body() } catch FrontierError.nonFiniteValue(let metric, let index, _, let value) {
            throw call.argumentError(1, wrapping: FrontierError.nonFiniteValue(metric: metric, index: index, id: ids[index], value: value))
        } catch let e as FrontierError { throw call.argumentError(1, wrapping: e) }
    }

    /// A point's id: its `id`, `name` or `model` string, else `run <run_id>`, else its position.
    static func pointID(_ name: String?, runID: Int?, at i: Int) -> String {
        name ?? runID.map { "run \($0)" } ?? String(i + 1)
    }

    /// The id of a point given as a table (the same rule).
    static func id(of t: [String: LuaValue], at i: Int) -> String {
        pointID(t["id"]?.string ?? t["name"]?.string ?? t["model"]?.string, runID: t["run_id"]?.integer, at: i)
    }

    /// The ids of points read from Lua. Strings are read in place and made into Swift
    /// strings only for the points a result names (a million ids cost nothing until then);
    /// a point without a string id is `run <run_id>`, a number written out, or its position.
    struct PointIDs {
        enum Source {
            /// No ids given: positions, all distinct.
            case positions
            /// An `id` column of strings and numbers.
            case column(LuaCall.StringColumn)
            /// Point tables: the first of id, name, model holding a string, else run_id.
            case records(LuaCall.StringColumn, runIDs: LuaCall.NumberColumn)
        }
        let source: Source

        subscript(_ k: Int) -> String {
            switch source {
            case .positions: return String(k + 1)
            case .column(let c): return c[k] ?? String(k + 1)
            case .records(let names, let runs): return FrontierModule.pointID(names[k], runID: runs.integer(k), at: k)
            }
        }

        /// The names results give points: a point whose id an earlier point already has is
        /// `id#position`, so every name in a result is unique. Only `wanted` positions are named.
        func names(_ wanted: [Int]) -> [Int: String] {
            let rows = Array(Set(wanted)).sorted()
            let ids = rows.map { self[$0] }
            let strings: LuaCall.StringColumn
            switch source {
            case .positions: return Dictionary(uniqueKeysWithValues: zip(rows, ids))
            case .column(let c): strings = c
            case .records(let names, _): strings = names
            }
            var first = rows
            let upTo = (rows.last ?? -1) + 1
            // Points whose id is a string: found by their bytes, in one pass in C.
            let from = rows.map { strings.isString($0) ? $0 : nil }
            for (k, f) in strings.firstEqual(ids, rows: from, upTo: upTo).enumerated() {
                if let f, f < first[k] { first[k] = f }
            }
            // Points whose id is made (run_id, a number, a position): few in any large input.
            var made: [String: Int] = [:]
            for k in 0..<upTo where !strings.isString(k) {
                let id = self[k]
                if made[id] == nil { made[id] = k }
            }
            for k in rows.indices {
                if let f = made[ids[k]], f < first[k] { first[k] = f }
            }
            var out: [Int: String] = [:]
            for k in rows.indices { out[rows[k]] = first[k] == rows[k] ? ids[k] : "\(ids[k])#\(rows[k] + 1)" }
            return out
        }
    }

    /// The points argument, read through the bridge's record path (no table copied, no
    /// string per point): a list of tables with the named metrics (dotted paths allowed),
    /// or a table of columns `{ cost = {…}, quality = {…}, id = {…} }`.
    static func points(_ call: LuaCall, _ i: Int, metrics: [String]) throws -> (PointColumns, PointIDs) {
        guard call.isTable(i) else { throw call.argumentError(i, "a list of point tables (or a table of columns) expected, got \(call.typeName(i))") }
        if !call.isList(i), let first = metrics.first, let column = try call.numberColumn(i, field: first) {
            return try columns(call, i, metrics: metrics, first: column)
        }
        let r = try call.records(i, numbers: metrics, name: ["id", "name", "model"], unnamed: ["run_id"], what: "point")
        let ids = PointIDs(source: .records(r.names, runIDs: r.unnamed[0]))
        var values: [String: [Double]] = [:]
        for (m, metric) in metrics.enumerated() {
            let column = r.numbers[m]
            if let k = column.firstMissing {
                throw call.argumentError(i, "point \(k + 1) (\(ids[k])) has no number '\(metric)'")
            }
            values[metric] = column.values
        }
        return (try math(call) { try PointColumns(count: r.count, values: values) }, ids)
    }

    /// `{ cost = {…}, quality = {…}, id = {…} }`: every metric a list of numbers, ids optional;
    /// `first` is the first metric's column, already read.
    static func columns(_ call: LuaCall, _ i: Int, metrics: [String], first: [Double]) throws -> (PointColumns, PointIDs) {
        var values: [String: [Double]] = [metrics[0]: first]
        for m in metrics.dropFirst() {
            guard let column = try call.numberColumn(i, field: m) else {
                throw call.argumentError(i, "column '\(m)' (a list of numbers) is missing")
            }
            values[m] = column
        }
        guard let ids = try call.stringColumn(i, field: "id") else {
            return (try math(call) { try PointColumns(count: first.count, values: values) }, PointIDs(source: .positions))
        }
        // The id column sets the count, as when ids were strings: a metric column of another length is the error.
        return (try math(call) { try PointColumns(count: ids.count, values: values) }, PointIDs(source: .column(ids)))
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
        let o = try options(call, 3)
        try o.only(["dominators", "limit"])
        let detail: DominatorDetail
        switch try o.string("dominators") ?? "none" {
        case "none": detail = .none
        case "count": detail = .count
        case "ids": detail = .ids(limit: try o.int("limit") ?? 50)
        case let other:
            throw call.argumentError(3, "field 'dominators' must be 'none', 'count' or 'ids', got '\(other)'")
        }
        let (points, ids) = try points(call, 1, metrics: objectives.map(\.metric))
        let result = try math(call, ids) { try Pareto.front(points, objectives: objectives, dominators: detail) }
        let front = result.frontIndices
        let off = detail == .none ? [] : result.onFront.indices.filter { !result.onFront[$0] }
        let byList = result.dominatorIndices.map { lists in off.flatMap { lists[$0] } } ?? []
        let named = ids.names(front + off + byList)
        var t: [String: LuaValue] = ["front": .array(front.map { .string(named[$0] ?? "") }),
                                     "indices": .array(front.map { .int($0 + 1) })]
        if detail != .none {
            t["dominated"] = .array(off.map { k in
                var d: [String: LuaValue] = ["id": .string(named[k] ?? ""), "index": .int(k + 1),
                                             "count": .int(result.dominatorCounts?[k] ?? 0)]
                if let lists = result.dominatorIndices { d["by"] = .array(lists[k].map { .string(named[$0] ?? "") }) }
                return .table(d)
            })
        }
        return .table(t)
    }

    static func hull(_ call: LuaCall) throws -> (EfficientFrontier, [String]) {
        let o = try options(call, 2)
        let cost = try o.string("cost") ?? "cost", quality = try o.string("quality") ?? "quality"
        let (points, ids) = try points(call, 1, metrics: [cost, quality])
        let frontier = try math(call, ids) { try EfficientFrontier(points: points, cost: cost, quality: quality) }
        let named = ids.names(frontier.points.map(\.index))
        return (frontier, frontier.points.map { named[$0.index] ?? $0.id })
    }

    static func zone(_ call: LuaCall) throws -> LuaValue {
        let o = try options(call, 2)
        try o.only(["cost", "quality", "tolerance"])
        let (frontier, names) = try hull(call)
        let z = try math(call) { try CostEffectivenessZone(frontier: frontier, tolerance: try o.number("tolerance") ?? 0.2) }
        var nameOf: [Int: String] = [:]
        for (p, name) in zip(frontier.points, names) { nameOf[p.index] = name }
        let entries: [LuaValue] = z.entries.map { e in
            ["id": .string(nameOf[e.point.index] ?? e.point.id), "index": .int(e.point.index + 1), "cost": .double(e.point.cost),
             "quality": .double(e.point.quality), "quality_per_dollar": .double(e.qualityPerDollar),
             "marginal": .double(e.marginalQualityPerDollar), "in_zone": .bool(e.inZone)]
        }
        let best = z.entries.first { $0.qualityPerDollar == z.bestQualityPerDollar }.flatMap { nameOf[$0.point.index] } ?? z.bestId
        return ["ids": .array(z.entries.filter(\.inZone).map { .string(nameOf[$0.point.index] ?? $0.point.id) }), "best": .string(best),
                "best_quality_per_dollar": .double(z.bestQualityPerDollar), "tolerance": .double(z.tolerance),
                "frontier": .array(entries)]
    }
}
