import Cost
import FrontierMath
import LuaBridge
import Report
import Runs

/// `frontier.trend`: a figure of one tag's stored runs by date (cost per 1M tokens,
/// quality, SLA pass rate, any run figure), with its change points (docs/cost.md, "Trends").
enum TrendBinding {
    static let optionFields: Set<String> = ["tag", "metric", "metrics", "hardware", "hardware_of", "sla", "quality", "by", "level",
                                            "source", "min_shift_sd", "min_change", "min_segment", "db"]

    /// The fields of a trend table, which `report.html{ trend = }` reads back.
    static let resultFields: Set<String> = ["metric", "label", "quality", "tag", "by", "points", "change_points", "rule", "left_out", "text"]

    /// What a trend follows: its name in sentences, its axis label and how its values print.
    struct Metric {
        let key: String
        /// The stored score a `quality` trend reads.
        let score: String?

        init(_ key: String, score: String? = nil) {
            self.key = key
            self.score = key == "quality" ? score : nil
        }

        /// As sentences say it: "cost per 1M tokens rose 25 % …".
        var name: String {
            switch key {
            case "cost_per_1m_tokens": return "cost per 1M tokens"
            case "cost_per_task": return "cost per task"
            case "sla_pass_rate": return "SLA pass rate"
            case "quality": return score.map { "quality (\($0))" } ?? "quality"
            default: return key
            }
        }

        /// The axis label, with the unit.
        var label: String {
            switch key {
            case "cost_per_1m_tokens", "cost_per_task": return name + " ($)"
            case "sla_pass_rate": return "SLA pass rate (share of runs)"
            case "quality": return name
            default: return ReportCharts.label(key)
            }
        }

        func format(_ v: Double) -> String {
            switch key {
            case "cost_per_1m_tokens", "cost_per_task": return Money.dollars(v)
            case "sla_pass_rate": return percent(v)
            default: return NumberFormat.exact(v)
            }
        }
    }

    /// 0.25 → "25 %", 0.226 → "22.6 %" (three significant digits).
    static func percent(_ fraction: Double) -> String { NumberFormat.short(fraction * 100) + " %" }

    /// The one sentence a change point is said in, in the REPL text and the report's
    /// answer: "cost per 1M tokens rose 25 % from 2026-11-05 (mean $10.00 → $12.50)".
    static func sentence(_ m: Metric, date: String, before: Double, after: Double) -> String {
        let direction = after > before ? "rose" : "fell"
        // From a mean of 0 a relative change means nothing; the means say it.
        let by = before == 0 ? "" : " " + percent(abs(after - before) / abs(before))
        return "\(m.name) \(direction)\(by) from \(date) (mean \(m.format(before)) → \(m.format(after)))"
    }

    /// How the rule reads, for "no change point" lines.
    static func describe(_ rule: ChangePointRule) -> String {
        "a shift of at least \(NumberFormat.short(rule.minimumShift)) pooled sd and \(percent(rule.minimumChange)), "
            + "at least \(rule.minimumSegment) points a side"
    }

    // MARK: - The binding

    static func run(_ call: LuaCall, store: StoreModule) throws -> Int {
        let o = Options(table: try call.fields(1, skipping: ["sla", "hardware_of"]), call: call, position: 1)
        try o.only(optionFields)
        let tag = try o.required("tag", o.string, "the tag whose runs make the history")
        let byText = try o.string("by") ?? "day"
        guard let by = TrendPeriod(rawValue: byText) else {
            throw call.argumentError(1, "field 'by' must be 'day', 'week' or 'run', got '\(byText)'")
        }
        let sla = try call.object(1, field: "sla", as: SLABox.self)
        if sla == nil, try call.typeName(1, field: "sla") != "nil" {
            throw call.argumentError(1, "field 'sla' must be an sla{} object, got \(try call.typeName(1, field: "sla"))")
        }
        let hardwareOf = try call.function(1, field: "hardware_of")
        if hardwareOf != nil, o.has("hardware") { throw call.argumentError(1, "give 'hardware' or 'hardware_of', not both") }
        let fixed = try o.table["hardware"].map { try HardwareTable.read($0, call, 1, gpus: nil).0 }
        let score = try o.string("quality")
        let rule = ChangePointRule(minimumShift: try o.number("min_shift_sd") ?? 2, minimumChange: try o.number("min_change") ?? 0.05,
                                   minimumSegment: try o.int("min_segment") ?? 2)
        // Checked now, so a bad rule is an error even for a history too short to test.
        try FrontierModule.math(call) { try rule.validate() }

        let keys = try metricKeys(o, hardware: fixed != nil || hardwareOf != nil, sla: sla != nil, quality: score != nil)
        let handle = store.handle(path: try o.string("db"))
        let rows = try StoredRuns.list(tag: tag, source: try o.string("source"), sweep: .all, db: handle.db())
        guard !rows.isEmpty else {
            throw call.argumentError(1, "no runs tagged '\(tag)'\(try o.string("source").map { " from source '\($0)'" } ?? "") in \(handle.path)",
                                     code: "not_found")
        }
        // Runs that cannot join any trend: unfinished, undated, at another load level.
        let level = try o.number("level")
        var leftOut: [(id: Int, reason: String)] = []
        var runs: [(view: RunView, id: Int, time: Double)] = []
        for row in rows {
            let view = try RunView(call, 1, .table(row.merging(["db": .string(handle.path)]) { a, _ in a }))
            let id = Int(view.runID ?? 0)
            if let level, view.level != level {
                continue  // not left out: another load level is not part of this history
            } else if let status = row["status"]?.string, status != "completed" {
                leftOut.append((id, "status \(status)"))
            } else if let time = view.number("started_at") {
                runs.append((view, id, time))
            } else {
                leftOut.append((id, "no started_at"))
            }
        }
        guard !runs.isEmpty else {
            let why = level.map { " at level \(NumberFormat.short($0))" } ?? ""
            let out = leftOut.first.map { " (\(leftOut.count) left out, e.g. run \($0.id): \($0.reason))" } ?? ""
            throw call.argumentError(1, "no completed run tagged '\(tag)'\(why) to follow\(out)", code: "not_found")
        }

        func hardware(_ run: RunView) throws -> Hardware? {
            if let fn = hardwareOf {
                let v = try fn.call(.table(run.table)).first ?? .nil
                return v.isNil ? nil : try HardwareTable.read(v, call, 1, gpus: nil).0
            }
            // As in plot() and the report: a simulated run is priced on its own deployment.
            return fixed ?? ReportCharts.ownDeployment(run)
        }

        var results: [LuaValue] = []
        for key in keys {
            let metric = Metric(key, score: score)
            var samples: [TrendSample] = []
            var missing = leftOut
            for r in runs {
                if let c = try contribution(metric, r.view, hardware: hardware, sla: sla, store: store, handle: handle, call) {
                    samples.append(TrendSample(time: r.time, id: Int64(r.id), numerator: c.numerator, denominator: c.denominator))
                } else {
                    missing.append((r.id, try reason(metric, r.view, hardware: hardware)))
                }
            }
            guard !samples.isEmpty else {
                throw call.argumentError(1, "no run tagged '\(tag)' has '\(key)': \(missing.last?.reason ?? "no runs")")
            }
            let points = try FrontierModule.math(call) { try Trend.points(samples, by: by) }
            let changes = try FrontierModule.math(call) { try ChangePoints.find(points.map(\.value), rule: rule) }
            results.append(table(metric, tag: tag, by: by, points: points, changes: changes, rule: rule, leftOut: missing.sorted { $0.id < $1.id }))
        }
        let many = !o.has("metric")
        // stdlib/trend.lua gives the result a __tostring (its text); the data stays plain fields.
        let wrap = try call.vm.function(evaluating: "require('trend').wrap")
        return try wrap.callReturningResults(in: call, [many ? .array(results) : results[0], .bool(many)])
    }

    /// `metric = '…'` (one trend), `metrics = {…}` (a list), or by default a list of
    /// what the options make possible: cost with hardware, quality with a score, SLA pass rate with an SLA.
    static func metricKeys(_ o: Options, hardware: Bool, sla: Bool, quality: Bool) throws -> [String] {
        let call = o.call
        if o.has("metric"), o.has("metrics") { throw call.argumentError(1, "give 'metric' (one) or 'metrics' (a list), not both") }
        var keys: [String]
        if o.has("metric") {
            keys = [try o.required("metric", o.string, "what to follow")]
        } else if o.has("metrics") {
            guard case .array(let list)? = o.table["metrics"], !list.isEmpty else { throw o.error("metrics", "a non-empty list of metric names") }
            keys = try list.enumerated().map { k, v in
                guard let s = v.string else { throw call.argumentError(1, "field 'metrics'[\(k + 1)] must be a string, got \(v.typeName)") }
                return s
            }
        } else {
            keys = (hardware ? ["cost_per_1m_tokens"] : []) + (quality ? ["quality"] : []) + (sla ? ["sla_pass_rate"] : [])
            guard !keys.isEmpty else {
                throw call.argumentError(1, "give 'metric' or 'metrics': 'cost_per_1m_tokens' (with hardware), 'quality' (with quality = a score name), "
                                         + "'sla_pass_rate' (with sla) or a run figure such as 'ttft.p50'")
            }
        }
        for key in keys {
            switch key {
            case "quality" where !quality:
                throw call.argumentError(1, "metric 'quality' needs field 'quality': the name of a stored score (quality.set or quality.score stores one)")
            case "sla_pass_rate" where !sla:
                throw call.argumentError(1, "metric 'sla_pass_rate' needs field 'sla' (an sla{} object)")
            default: break
            }
        }
        return keys
    }

    /// A run's numerator and denominator for the metric; nil when the run has no value.
    static func contribution(_ m: Metric, _ run: RunView, hardware: (RunView) throws -> Hardware?, sla: SLABox?,
                             store: StoreModule, handle: DBHandle, _ call: LuaCall) throws -> (numerator: Double, denominator: Double)? {
        switch m.key {
        case "cost_per_1m_tokens", "cost_per_task":
            guard let hw = try hardware(run) else { return nil }
            let cost: RunCost
            do { cost = try RunCost(usage: try run.usage(), hardware: hw) } catch let e as CostError {
                throw call.argumentError(1, "\(run.label): \(e)")
            }
            if m.key == "cost_per_task" { return (cost.total, Double(cost.usage.requests)) }
            // The date's bill over its tokens: Σ dollars / Σ millions of tokens.
            guard let input = run.number("input_tokens"), let output = run.number("output_tokens") else { return nil }
            return (cost.total, (input + output) / 1e6)
        case "quality":
            guard let name = m.score,
                  let s = try QualityRecords.score(named: name, run: run.runID, model: run.table["model"]?.string, db: handle.db()) else { return nil }
            return (s, 1)
        case "sla_pass_rate":
            guard let sla else { return nil }
            return (try sla.evaluate(run, store: store).0.passed ? 1 : 0, 1)
        default:
            return run.number(m.key).map { ($0, 1) }
        }
    }

    /// Why a run has no value for the metric (for `left_out`).
    static func reason(_ m: Metric, _ run: RunView, hardware: (RunView) throws -> Hardware?) throws -> String {
        switch m.key {
        case "cost_per_1m_tokens", "cost_per_task":
            return try hardware(run) == nil ? "not costed (no hardware for it: give hardware or hardware_of)" : "no token counts"
        case "quality": return "no quality score '\(m.score ?? "")' for it or its model"
        default: return "no number '\(m.key)'"
        }
    }

    /// The trend as Lua sees it.
    static func table(_ m: Metric, tag: String, by: TrendPeriod, points: [TrendPoint], changes: [ChangePoint],
                      rule: ChangePointRule, leftOut: [(id: Int, reason: String)]) -> LuaValue {
        var t: [String: LuaValue] = [
            "metric": .string(m.key), "label": .string(m.label), "tag": .string(tag), "by": .string(by.rawValue),
            "points": .array(points.map { p in
                ["date": .string(p.date), "start": .double(p.start), "value": .double(p.value), "runs": .int(p.ids.count),
                 "run_ids": .array(p.ids.map { .int(Int($0)) })]
            }),
            "change_points": .array(changes.map { c in
                var e: [String: LuaValue] = ["date": .string(points[c.index].date), "index": .int(c.index + 1),
                                             "before": .double(c.before), "after": .double(c.after), "shift": .double(c.shift),
                                             "pooled_sd": .double(c.pooledStdev)]
                e["change"] = c.change.map(LuaValue.double)
                e["shift_sd"] = c.shiftInStdevs.map(LuaValue.double)
                return .table(e)
            }),
            "rule": ["min_shift_sd": .double(rule.minimumShift), "min_change": .double(rule.minimumChange),
                     "min_segment": .int(rule.minimumSegment)],
        ]
        t["quality"] = m.score.map(LuaValue.string)
        if !leftOut.isEmpty {
            t["left_out"] = .array(leftOut.map { ["run_id": .int($0.id), "reason": .string($0.reason)] })
        }
        t["text"] = .string(text(m, tag: tag, by: by, points: points, changes: changes, rule: rule, leftOut: leftOut.count))
        return .table(t)
    }

    /// What the REPL prints: a heading, a date/value/runs table with each change
    /// flagged on its first date, and the change in a sentence.
    static func text(_ m: Metric, tag: String, by: TrendPeriod, points: [TrendPoint], changes: [ChangePoint],
                     rule: ChangePointRule, leftOut: Int) -> String {
        let runs = points.reduce(0) { $0 + $1.ids.count }
        let unit = by == .run ? "run" : by == .week ? "week" : "date"
        var lines = ["\(m.name) · tag '\(tag)' · by \(by.rawValue) · \(points.count) \(unit)\(points.count == 1 ? "" : "s"), \(runs) run\(runs == 1 ? "" : "s")"
                     + (leftOut > 0 ? " (\(leftOut) left out: see left_out)" : "")]
        let values = points.map { m.format($0.value) }
        let dateWidth = max(4, points.map(\.date.count).max() ?? 0)
        let valueWidth = max(5, values.map(\.count).max() ?? 0)
        func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return right ? fill + s : s + fill
        }
        lines.append(pad("date", dateWidth) + "  " + pad("value", valueWidth, right: true) + "  runs")
        let flagged = Dictionary(changes.map { ($0.index, $0) }) { a, _ in a }
        for (k, p) in points.enumerated() {
            var line = pad(p.date, dateWidth) + "  " + pad(values[k], valueWidth, right: true) + "  " + pad(String(p.ids.count), 4, right: true)
            if let c = flagged[k] {
                line += "  ← change " + (c.change.map { ($0 > 0 ? "+" : "−") + percent(abs($0)) } ?? (c.shift > 0 ? "up" : "down"))
            }
            lines.append(line)
        }
        if changes.isEmpty {
            lines.append(points.count < 2 * rule.minimumSegment
                ? "Too few \(unit)s to look for a change: \(points.count) (needs \(2 * rule.minimumSegment), \(rule.minimumSegment) a side)."
                : "No change point (rule: \(describe(rule))).")
        } else {
            lines += changes.map { c in sentence(m, date: points[c.index].date, before: c.before, after: c.after) + "." }
        }
        return lines.joined(separator: "\n")
    }
}
