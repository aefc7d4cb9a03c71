import Cost
import FrontierMath
import LuaBridge

/// `frontier.saturation` and `frontier.cheapest`: a sweep's runs, costed and judged.
enum SweepBinding {
    struct Level {
        /// 1-based position in the caller's list.
        let index: Int
        let run: LuaValue
        let level: Double
        let costPerTask: Double
        let meetsSLA: Bool?
    }

    /// The runs at argument 1 costed per task (by `cost=function(run)` or `hardware=`)
    /// and judged by `sla=`, in ascending load.
    static func levels(_ call: LuaCall, store: StoreModule, needSLA: Bool) throws -> [Level] {
        guard case .array(let runs) = try call.table(1), !runs.isEmpty else {
            throw call.argumentError(1, "a non-empty list of runs expected (e.g. what bench.sweep returns)")
        }
        let o = Options(table: try call.fields(2, skipping: ["cost", "sla"]), call: call, position: 2)
        try o.only(["hardware", "cost", "sla", "min_fall"])
        let costFn = try call.function(2, field: "cost")
        let sla = try call.object(2, field: "sla", as: SLABox.self)
        if needSLA, sla == nil { throw call.argumentError(2, "field 'sla' (an sla{} object) is required") }
        let hardware = o.table["hardware"]
        guard costFn != nil || hardware != nil else {
            throw call.argumentError(2, "give 'hardware' (cost.gpu/cloud/api) or 'cost' (a function of a run returning dollars per task)")
        }
        var out: [Level] = []
        for (k, v) in runs.enumerated() {
            let run = try RunView(call, 1, v)
            guard let level = run.level else { throw call.argumentError(1, "run \(k + 1) has no concurrency or rate") }
            let cost: Double
            if let costFn {
                guard let d = try costFn.call(v).first?.number else {
                    throw call.argumentError(2, "field 'cost': the function must return a number for run \(k + 1)")
                }
                cost = d
            } else {
                let (hw, _) = try HardwareTable.read(hardware ?? .nil, call, 2, gpus: nil)
                do {
                    guard let per = try RunCost(usage: try run.usage(), hardware: hw).perRequest else {
                        throw call.argumentError(1, "run \(k + 1) has no requests to cost")
                    }
                    cost = per
                } catch let e as CostError { throw call.argumentError(2, wrapping: e) }
            }
            let meets = try sla.map { try $0.evaluate(run, store: store).0.passed }
            out.append(Level(index: k + 1, run: v, level: level, costPerTask: cost, meetsSLA: meets))
        }
        out.sort { $0.level < $1.level }
        for (a, b) in zip(out, out.dropFirst()) where a.level == b.level {
            throw call.argumentError(1, "two runs at level \(a.level == a.level.rounded() && abs(a.level) < 1e15 ? String(Int(a.level)) : String(a.level)) (\(describe(a)) and \(describe(b))): a sweep has one run per level. "
                + "Runs of one tag written by different invocations are different sweeps: bench.runs{ tag = … } gives the latest, bench.sweeps{ tag = … } lists them")
        }
        return out
    }

    private static func describe(_ l: Level) -> String {
        let id = l.run["run_id"].integer.map { "run \($0)" } ?? "item \(l.index)"
        return l.run["sweep"].integer.map { "\(id) of sweep \($0)" } ?? id
    }

    static func rows(_ levels: [Level]) -> LuaValue {
        .array(levels.map { l in
            var t: [String: LuaValue] = ["level": .double(l.level), "cost_per_task": .double(l.costPerTask), "index": .int(l.index)]
            if let m = l.meetsSLA { t["meets_sla"] = .bool(m) }
            if let id = l.run["run_id"].integer { t["run_id"] = .int(id) }
            return .table(t)
        })
    }

    static func saturation(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let levels = try levels(call, store: store, needSLA: false)
        let minFall = try Options(table: try call.fields(2, skipping: ["cost", "sla"]), call: call, position: 2).number("min_fall") ?? 0.05
        let r = try FrontierModule.math(call) {
            try Saturation.find(levels.map { SweepLevel(level: $0.level, costPerTask: $0.costPerTask, meetsSLA: $0.meetsSLA) },
                                minimumFall: minFall)
        }
        var t: [String: LuaValue] = ["rule": .string(r.rule.rawValue), "reason": .string(r.reason), "levels": rows(levels)]
        if let i = r.index {
            t["index"] = .int(levels[i].index)
            if let id = levels[i].run["run_id"].integer { t["run_id"] = .int(id) }
            t["level"] = .double(levels[i].level)
            t["cost_per_task"] = .double(levels[i].costPerTask)
        }
        return .table(t)
    }

    static func cheapest(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let levels = try levels(call, store: store, needSLA: true)
        let best = try FrontierModule.math(call) {
            try Saturation.cheapestMeeting(levels.map { SweepLevel(level: $0.level, costPerTask: $0.costPerTask, meetsSLA: $0.meetsSLA) })
        }
        guard let best, let pick = levels.first(where: { $0.level == best.level }) else { return .nil }
        return ["index": .int(pick.index), "run_id": pick.run["run_id"], "level": .double(pick.level), "cost_per_task": .double(pick.costPerTask), "levels": rows(levels)]
    }
}

/// `frontier.bootstrap`, `frontier.intervals` and `frontier.frequency`.
enum UncertaintyBinding {
    static func settings(_ o: Options) throws -> (resamples: Int, confidence: Double, seed: UInt64) {
        (try o.int("resamples") ?? 10_000, try o.number("confidence") ?? 0.95,
         UInt64(bitPattern: Int64(try o.int("seed") ?? 1)))
    }

    static func intervalTable(_ i: BootstrapInterval, n: Int) -> LuaValue {
        ["estimate": .double(i.estimate), "lower": .double(i.lower), "upper": .double(i.upper),
         "confidence": .double(i.confidence), "resamples": .int(i.resamples), "n": .int(n)]
    }

    static func bootstrap(_ call: LuaCall) throws -> LuaValue {
        let o = try Options(call, 2, optional: true)
        try o.only(["metric", "statistic", "confidence", "resamples", "seed"])
        guard case .array(let a) = try call.table(1), !a.isEmpty else { throw call.argumentError(1, "a non-empty list of numbers or runs expected") }
        let samples: [Double] = try a.enumerated().map { k, v in
            if let d = v.number { return d }
            guard let metric = try o.string("metric") else {
                throw call.argumentError(2, "field 'metric' is required when the list holds runs (e.g. metric = 'ttft.p50')")
            }
            guard let d = try RunView(call, 1, v).number(metric) else { throw call.argumentError(1, "item \(k + 1) has no number '\(metric)'") }
            return d
        }
        let statistic: BootstrapStatistic
        switch o.table["statistic"] {
        case nil, .nil?, .string("mean")?: statistic = .mean
        case .string("median")?: statistic = .median
        case let v?:
            guard let p = v.number else { throw o.error("statistic", "'mean', 'median' or a percentile 0–100") }
            statistic = .percentile(p)
        }
        let (resamples, confidence, seed) = try settings(o)
        let i = try FrontierModule.math(call) {
            try Bootstrap.interval(samples: samples, statistic: statistic, resamples: resamples, confidence: confidence, seed: seed)
        }
        return intervalTable(i, n: samples.count)
    }

    static let defaultMetrics = ["makespan", "requests_per_s", "output_tokens_per_s", "total_tokens_per_s", "success_rate",
                                 "ttft.mean", "ttft.p50", "ttft.p99", "tpot.mean", "tpot.p50", "tpot.p99",
                                 "itl.mean", "itl.p99", "e2e.mean", "e2e.p50", "e2e.p99", "tokens_per_s.mean"]

    static func intervals(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        guard case .array(let runs) = try call.table(1), runs.count >= 2 else {
            throw call.argumentError(1, "a list of at least two repeated runs expected")
        }
        let o = try Options(call, 2, optional: true)
        try o.only(["metrics", "hardware", "confidence", "resamples", "seed"])
        var metrics = defaultMetrics
        if case .array(let m)? = o.table["metrics"] { metrics = m.compactMap(\.string) }
        let views = try runs.map { try RunView(call, 1, $0) }
        var columns: [String: [Double]] = [:]
        for m in metrics {
            let values = views.compactMap { $0.number(m) }
            if values.count == views.count { columns[m] = values }
        }
        if let hw = o.table["hardware"] {
            let (hardware, _) = try HardwareTable.read(hw, call, 2, gpus: nil)
            columns["cost.total"] = try views.map { try RunCost(usage: $0.usage(), hardware: hardware).total }
            columns["cost.per_request"] = try views.map { try RunCost(usage: $0.usage(), hardware: hardware).perRequest ?? 0 }
        }
        let (resamples, confidence, seed) = try settings(o)
        var out: [String: LuaValue] = [:]
        for (m, values) in columns {
            let i = try FrontierModule.math(call) {
                try Bootstrap.interval(samples: values, statistic: .mean, resamples: resamples, confidence: confidence, seed: seed)
            }
            out[m] = intervalTable(i, n: values.count)
        }
        return .table(out)
    }

    static func frequency(_ call: LuaCall) throws -> LuaValue {
        let objectives = try FrontierModule.objectives(call, 2)
        let o = try Options(call, 3, optional: true)
        try o.only(["resamples", "seed"])
        guard case .array(let a) = try call.table(1) else { throw call.argumentError(1, "a list of points with samples expected") }
        let points: [SampledPoint] = try a.enumerated().map { k, v in
            guard case .table(let t) = v else { throw call.argumentError(1, "point \(k + 1) must be a table") }
            var samples: [String: [Double]] = [:]
            for obj in objectives {
                guard case .array(let s)? = t[obj.metric], s.allSatisfy({ $0.number != nil }) else {
                    throw call.argumentError(1, "point \(k + 1) needs '\(obj.metric)' as a list of samples")
                }
                samples[obj.metric] = s.compactMap(\.number)
            }
            return SampledPoint(id: FrontierModule.id(of: t, at: k), samples: samples)
        }
        let seed = UInt64(bitPattern: Int64(try o.int("seed") ?? 1))
        let f = try FrontierModule.math(call) {
            try Bootstrap.frontierFrequency(points, objectives: objectives, resamples: try o.int("resamples") ?? 1000, seed: seed)
        }
        let rows: [LuaValue] = f.ids.indices.map { i in
            ["id": .string(f.ids[i]), "fraction": .double(f.fractions[i]), "on_front": .bool(f.onObservedFront[i])]
        }
        return .array(rows)
    }
}
