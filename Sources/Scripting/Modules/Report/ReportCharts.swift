import Cost
import FrontierMath
import LuaBridge
import Measure
import Metrics
import Runs
import Report

/// Builds `Report` charts from Lua tables: runs, points, and cost analyses.
struct ReportCharts {
    let call: LuaCall
    let store: StoreModule
    /// `hardware_of = function(run) return cost.gpu{…} end`: each run's own hardware
    /// (a report over several deployments).
    var hardwareOf: LuaFunction? = nil

    /// Run tables at `value` (a list), read as `RunView`s.
    func runs(_ value: LuaValue?, _ what: String) throws -> [RunView] {
        guard case .array(let a)? = value, !a.isEmpty else {
            throw call.argumentError(1, "field '\(what)' must be a non-empty list of runs")
        }
        return try a.map { try RunView(call, 1, $0) }
    }

    /// What a run is costed on: `hardware_of(run)` (nil: not costed), else the one `hardware` table.
    typealias HardwareFor = (RunView) throws -> Hardware?

    /// The hardware options, when given.
    func hardware(_ o: Options) throws -> HardwareFor? {
        if let fn = hardwareOf {
            return { run in
                let v = try fn.call(.table(run.table)).first ?? .nil
                return v.isNil ? nil : try HardwareTable.read(v, call, 1, gpus: nil).0
            }
        }
        guard let hw = o.table["hardware"] else { return nil }
        let fixed = try HardwareTable.read(hw, call, 1, gpus: nil).0
        // A simulated run ran on its own deployment (GPU and count): costing it on other
        // hardware would price a machine it never ran on, and fail on a count that differs.
        return { run in Self.ownDeployment(run) ?? fixed }
    }

    /// A figure of a run by path; "cost_per_task" and "cost" need hardware.
    func value(_ run: RunView, _ metric: String, _ hardware: HardwareFor?) throws -> Double? {
        switch metric {
        case "cost_per_task", "cost", "cost_total", "cost_per_1k":
            guard let hw = try hardware?(run) ?? Self.ownDeployment(run) else {
                if hardware != nil { return nil }
                throw call.argumentError(1, "'\(metric)' needs 'hardware' (cost.gpu/cloud/api) or 'hardware_of'")
            }
            let cost = try RunCost(usage: run.usage(), hardware: hw)
            switch metric {
            case "cost_per_task": return cost.perRequest
            case "cost_per_1k": return cost.perRequest.map { $0 * 1000 }
            default: return cost.total
            }
        case "makespan_per_1k":
            guard let m = run.number("makespan"), let n = run.number("requests"), n > 0 else { return nil }
            return m / n * 1000
        case "level": return run.level
        default: return run.number(metric)
        }
    }

    /// A simulated run's own deployment at its GPU preset's price (docs/cost.md), so
    /// `plot(sim_runs, "concurrency", "cost_per_task")` needs no hardware argument.
    static func ownDeployment(_ run: RunView) -> Hardware? {
        guard run.table["source"]?.string == "simulated", let name = run.table["gpu"]?.string,
              let count = run.table["gpus"]?.integer, let preset = try? GPUPreset.named(name) else { return nil }
        return .owned(preset.baseline, count: count)
    }

    /// What a run's metric is called on an axis, with its unit.
    static func label(_ metric: String) -> String {
        let units: [String: String] = [
            "makespan": "total completion time (s)", "cost_per_task": "cost per task ($)", "cost": "run cost ($)",
            "cost_per_1k": "cost per 1,000 requests ($)", "makespan_per_1k": "completion time per 1,000 requests (s)",
            "requests_per_s": "requests/s", "output_tokens_per_s": "output tokens/s", "total_tokens_per_s": "tokens/s",
            "concurrency": "concurrency", "rate": "request rate (req/s)", "level": "load level", "success_rate": "success rate",
        ]
        if let u = units[metric] { return u }
        let parts = metric.split(separator: ".")
        if parts.count == 2, ["ttft", "tpot", "itl", "e2e"].contains(String(parts[0])) {
            return "\(parts[0].uppercased()) \(parts[1]) (s)"
        }
        if parts.first == "tokens_per_s" { return "tokens/s per request (\(parts.last ?? ""))" }
        return metric
    }

    /// SLA clauses bounding `metric` as threshold lines ("ttft.p50" ↔ ttft_p50).
    static func thresholds(_ sla: SLABox?, metric: String) -> [Threshold] {
        guard let sla else { return [] }
        let key = metric.replacingOccurrences(of: ".", with: "_")
        return sla.sla.clauses.filter { $0.name == key }.map { Threshold(value: $0.limit, label: "SLA \($0.name)") }
    }

    /// One metric of one or more sweeps against load, with the saturation level marked.
    func sweep(_ o: Options, sla: SLABox?) throws -> Chart {
        let metric = try o.string("metric") ?? "makespan"
        let hardware = try hardware(o)
        var lines: [SweepLine] = []
        var groups: [(String, [RunView])] = []
        var predicted: Set<Int> = []
        if case .array(let series)? = o.table["series"] {
            for (i, s) in series.enumerated() {
                guard case .table(let t) = s else { throw call.argumentError(1, "field 'series' must be a list of {name=, runs=}") }
                groups.append((t["name"]?.string ?? "series \(i + 1)", try runs(t["runs"], "series[\(i + 1)].runs")))
                if t["predicted"]?.bool == true { predicted.insert(groups.count - 1) }
            }
        } else {
            let rs = try runs(o.table["runs"], "runs")
            groups.append((try o.string("name") ?? rs.first?.table["target"]?.string ?? "runs", rs))
        }
        var saturation: Double?
        for (k, (name, rs)) in groups.enumerated() {
            let points = try rs.compactMap { r -> (Double, Double, String)? in
                guard let level = r.level, let v = try value(r, metric, hardware) else { return nil }
                return (level, v, r.label)
            }.sorted { $0.0 < $1.0 }
            // A group without the figure (a test server has no cost) is left out of this chart.
            if !points.isEmpty {
                lines.append(SweepLine(name: name, levels: points.map(\.0), values: points.map(\.1), predicted: predicted.contains(k),
                                       notes: points.map(\.2)))
            }
        }
        guard !lines.isEmpty else { throw call.argumentError(1, "no run has both a load level and '\(metric)'") }
        if let hardware, groups.count == 1 {
            let levels = try groups[0].1.compactMap { r -> SweepLevel? in
                guard let level = r.level, let hw = try hardware(r),
                      let per = try RunCost(usage: r.usage(), hardware: hw).perRequest, per > 0 else { return nil }
                return SweepLevel(level: level, costPerTask: per, meetsSLA: try sla.map { try $0.evaluate(r, store: store).0.passed })
            }.sorted { $0.level < $1.level }
            if levels.count >= 2, let s = try? Saturation.find(levels) { saturation = s.level?.level }
        }
        let levelKey = groups.first?.1.first?.table["rate"] != nil ? "rate" : "concurrency"
        return try Chart.sweep(title: try o.string("title") ?? Self.label(metric) + " by " + levelKey,
                               metricLabel: Self.label(metric), lines: lines, levelLabel: Self.label(levelKey),
                               saturation: saturation, thresholds: Self.thresholds(sla, metric: metric),
                               logLevels: try o.bool("log_x") ?? false)
    }

    /// Empirical CDFs of a per-request latency for each run.
    func cdf(_ o: Options, sla: SLABox?) throws -> Chart {
        let quantity = try o.string("metric") ?? "ttft"
        let pick: (RequestRecord) -> Double?
        switch quantity {
        case "ttft": pick = { $0.ttft }
        case "tpot": pick = { $0.timePerOutputToken }
        case "e2e": pick = { $0.e2e }
        default: throw call.argumentError(1, "field 'metric' must be 'ttft', 'tpot' or 'e2e' for a CDF, got '\(quantity)'")
        }
        let byLevel = o.table["by_level"]?.bool == true
        let samples: [LatencySample] = try runs(o.table["runs"], "runs").map { r in
            let values = try r.requests(store).map(\.record).filter { $0.status == .ok }.compactMap(pick)
            let level = r.level.map { r.table["rate"] != nil ? "rate \(Figures.numbers($0, $0).0)" : "c=\(Int($0))" } ?? ""
            // Within one sweep's chart the level names a line; across sweeps the run does too.
            let name = byLevel && !level.isEmpty ? level : "\(r.label) \(level)"
            return LatencySample(name: name.trimmingCharacters(in: .whitespaces), values: values)
        }
        let thresholds = Self.thresholds(sla, metric: "\(quantity).p50") + Self.thresholds(sla, metric: "\(quantity).p99")
            + Self.thresholds(sla, metric: "\(quantity).p95")
        return try Chart.latencyCDF(title: try o.string("title") ?? "\(quantity.uppercased()) distribution",
                                    quantityLabel: "\(quantity.uppercased()) (s)", samples: samples,
                                    thresholds: thresholds, logLatency: try o.bool("log_x") ?? false)
    }

    /// Quality against cost with the efficient frontier and the optimal zone.
    func frontier(_ o: Options) throws -> Chart { try frontierFigure(o).chart }

    /// The quality-vs-cost chart and what it says, in words: the frontier cheapest first,
    /// the knee, the optimal zone and the dominated configurations (the report's answer
    /// block for the `frontier` option).
    func frontierFigure(_ o: Options) throws -> (chart: Chart, answer: SweepAnswer) {
        let costKey = try o.string("cost") ?? "cost", qualityKey = try o.string("quality") ?? "quality"
        guard case .array(let a)? = o.table["points"], !a.isEmpty else { throw o.error("points", "a non-empty list of points") }
        var points: [Point] = [], chart: [CostQualityPoint] = []
        for (k, v) in a.enumerated() {
            guard case .table(let t) = v else { throw call.argumentError(1, "point \(k + 1) must be a table") }
            let view = try RunView(call, 1, v)
            guard let c = view.number(costKey), let q = view.number(qualityKey) else {
                throw call.argumentError(1, "point \(k + 1) needs numbers '\(costKey)' and '\(qualityKey)'")
            }
            let id = FrontierModule.id(of: t, at: k) + "#\(k)"
            points.append(Point(id: id, values: ["cost": c, "quality": q]))
            chart.append(CostQualityPoint(label: FrontierModule.id(of: t, at: k), cost: c, quality: q))
        }
        let ef = try FrontierModule.math(call) { try EfficientFrontier(points: points) }
        let position = Dictionary(uniqueKeysWithValues: points.enumerated().map { ($1.id, $0) })
        let hull = ef.points.compactMap { position[$0.id] }
        let tolerance = try o.number("tolerance") ?? 0.2
        var zone: [Int] = []
        if let z = try? CostEffectivenessZone(frontier: ef, tolerance: tolerance) {
            zone = z.ids.compactMap { position[$0] }
        }
        // As frontier.knee: a hull of fewer than three points has no bend.
        let knee = ef.points.count >= 3 ? try FrontierModule.math(call) { try Knee.find(on: ef) } : nil
        let kneeAt = knee.flatMap { k in ef.points.first { $0.cost == k.x && $0.quality == k.y } }.flatMap { position[$0.id] }
        let costLabel = try o.string("cost_label") ?? "cost per task ($)"
        let qualityLabel = try o.string("quality_label") ?? "quality"
        let title = try o.string("title") ?? "Quality vs cost"
        let figure = try Chart.qualityVsCost(title: title, points: chart, frontier: hull, zone: zone, knee: kneeAt,
                                             costLabel: costLabel, qualityLabel: qualityLabel,
                                             logCost: try o.bool("log_x") ?? false)
        func named(_ i: Int) -> String {
            "\(chart[i].label) (\(NumberFormat.short(chart[i].quality)) at \(NumberFormat.short(chart[i].cost)))"
        }
        var findings = ["Efficient frontier, cheapest first, as \(qualityLabel) at \(costLabel): "
                        + hull.sorted { chart[$0].cost < chart[$1].cost }.map(named).joined(separator: ", ") + "."]
        if let kneeAt {
            findings.append("The knee: \(named(kneeAt)); beyond it more spending buys little \(qualityLabel).")
        }
        if !zone.isEmpty {
            findings.append("Optimal cost-effectiveness zone (quality per dollar within \(NumberFormat.short(tolerance * 100)) % of the best): "
                            + zone.map(named).joined(separator: ", ") + ".")
        }
        let onHull = Set(hull)
        let dominated = chart.indices.filter { !onHull.contains($0) }
        if !dominated.isEmpty {
            findings.append("Off the frontier (something cheaper is at least as good): " + dominated.map(named).joined(separator: ", ") + ".")
        }
        return (figure, SweepAnswer(title: title, findings: findings))
    }

    /// A cost.tornado result as a chart.
    func tornado(_ o: Options) throws -> Chart {
        guard let d = try o.entries("data"), let baseline = d.table["baseline"]?.number, case .array(let bars)? = d.table["bars"] else {
            throw o.error("data", "a cost.tornado{} result")
        }
        let rows: [Report.TornadoBar] = try bars.map { b in
            guard let p = b["parameter"].string, let lo = b["at_low"].number, let hi = b["at_high"].number else {
                throw call.argumentError(1, "field 'data.bars' must hold cost.tornado bars")
            }
            return Report.TornadoBar(parameter: p, low: b["low"].number, high: b["high"].number, atLow: lo, atHigh: hi)
        }
        return try Chart.tornado(title: try o.string("title") ?? "Sensitivity", metricLabel: try o.string("metric_label") ?? "$ per GPU-hour",
                                 baseline: baseline, bars: rows)
    }

    /// A cost.breakeven result as a chart.
    func breakEven(_ o: Options) throws -> Chart {
        guard let d = try o.entries("data"), case .array(let rows)? = d.table["rows"], !rows.isEmpty else {
            throw o.error("data", "a cost.breakeven{} result")
        }
        let volumes = rows.compactMap { $0["monthly_tokens"].number }
        let options = [("self-hosted", "self_hosted"), ("cloud", "cloud"), ("API", "api")].map { name, key in
            BreakEvenOption(name: name, monthlyCosts: rows.map { $0[key].number })
        }
        var crossovers: [Crossover] = []
        if let v = d.table["self_hosted_vs_cloud"]?.number { crossovers.append(Crossover(label: "self-hosted = cloud", volume: v)) }
        if let v = d.table["self_hosted_vs_api"]?.number { crossovers.append(Crossover(label: "self-hosted = API", volume: v)) }
        return try Chart.breakEven(title: try o.string("title") ?? "Self-hosted vs cloud vs API", volumes: volumes,
                                   options: options, crossovers: crossovers, capacity: d.table["capacity"]?.number,
                                   logVolume: try o.bool("log_x") ?? false, logCost: try o.bool("log_y") ?? false)
    }
}
