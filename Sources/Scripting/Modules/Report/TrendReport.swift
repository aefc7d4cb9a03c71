import LuaBridge
import Report

extension ReportCharts {
    /// The `trend` option of report.html and report.answers: a `frontier.trend` result or
    /// a list of them, each as its chart (the figure by date, change points marked) and
    /// an answer block saying the change. Empty when not given.
    func trendFigures(_ value: LuaValue?) throws -> [(chart: Chart, answer: SweepAnswer)] {
        guard let value, !value.isNil else { return [] }
        switch value {
        case .table(let t):
            return [try trendFigure(t, path: "trend")]
        case .array(let list) where !list.isEmpty:
            return try list.enumerated().map { k, v in
                guard case .table(let t) = v else {
                    throw call.argumentError(1, "field 'trend'[\(k + 1)] must be a frontier.trend{} result, got \(v.typeName)")
                }
                return try trendFigure(t, path: "trend[\(k + 1)]")
            }
        default:
            throw call.argumentError(1, "field 'trend' must be a frontier.trend{} result or a list of them, got \(value.typeName)")
        }
    }

    /// One trend's chart and answer.
    func trendFigure(_ t: [String: LuaValue], path: String) throws -> (chart: Chart, answer: SweepAnswer) {
        let o = Options(table: t, call: call, position: 1, path: path + ".")
        try o.only(TrendBinding.resultFields)
        let metric = TrendBinding.Metric(try o.required("metric", o.string, "the figure followed, as frontier.trend returns it"),
                                         score: try o.string("quality"))
        let by = try o.string("by") ?? "day"
        guard case .array(let rows)? = t["points"], !rows.isEmpty else {
            throw o.error("points", "a non-empty list of {date=, start=, value=}, as frontier.trend returns it")
        }
        var points: [TrendChartPoint] = []
        var starts: [Double] = []
        for (k, row) in rows.enumerated() {
            guard let date = row["date"].string, let start = row["start"].number, let value = row["value"].number else {
                throw call.argumentError(1, "field '\(path).points'[\(k + 1)] needs 'date', 'start' and 'value'")
            }
            let runs = row["runs"].integer ?? 0
            let ids: [String]
            if case .array(let a) = row["run_ids"] { ids = a.compactMap(\.integer).map { "run \($0)" } } else { ids = [] }
            // By run, the tick is the day and the tooltip the time.
            points.append(TrendChartPoint(date: by == "run" ? String(date.prefix(10)) : date, day: 0, value: value,
                                          note: (by == "run" ? date + " · " : "") + "\(runs) run\(runs == 1 ? "" : "s")"
                                              + (ids.isEmpty ? "" : ": " + HTMLBuilder.list(ids))))
            starts.append(start)
        }
        for k in points.indices { points[k].day = (starts[k] - starts[0]) / 86_400 }
        var changes: [TrendChartChange] = []
        var findings: [String] = []
        if case .array(let list)? = t["change_points"] {
            for (k, c) in list.enumerated() {
                guard let index = c["index"].integer, rows.indices.contains(index - 1), let before = c["before"].number,
                      let after = c["after"].number else {
                    throw call.argumentError(1, "field '\(path).change_points'[\(k + 1)] needs 'index' (a position in points), 'before' and 'after'")
                }
                let relative = c["change"].number
                let mark = relative.map { ($0 > 0 ? "+" : "−") + TrendBinding.percent(abs($0)) } ?? (after > before ? "up" : "down")
                changes.append(TrendChartChange(index: index - 1, label: "change \(mark)"))
                let date = rows[index - 1]["date"].string ?? ""
                findings.append(TrendBinding.sentence(metric, date: date, before: before, after: after) + ".")
            }
        }
        let first = rows[0]["date"].string ?? "", last = rows[rows.count - 1]["date"].string ?? ""
        let unit = by == "run" ? "run" : by == "week" ? "week" : "date"
        if findings.isEmpty {
            findings.append("No change point in \(metric.name) over \(rows.count) \(unit)\(rows.count == 1 ? "" : "s"), \(first) to \(last).")
        }
        if let value = rows[rows.count - 1]["value"].number {
            findings.append("Latest: \(metric.format(value)) on \(last).")
        }
        var warnings: [String] = []
        if case .array(let out)? = t["left_out"], !out.isEmpty {
            let named = out.map { e in "run \(e["run_id"].integer.map(String.init) ?? "?") (\(e["reason"].string ?? "?"))" }
            warnings.append("Left out of this trend: \(HTMLBuilder.list(named)).")
        }
        let tag = try o.string("tag")
        let title = "\(metric.name) by \(by)" + (tag.map { " · tag '\($0)'" } ?? "")
        let chart: Chart
        do {
            chart = try Chart.trend(title: title, valueLabel: metric.label, seriesName: metric.name, points: points, changes: changes,
                                    firstDate: first)
        } catch let e as ReportError {
            throw call.argumentError(1, "field '\(path)': \(e.message)")
        }
        return (chart, SweepAnswer(title: "Trend · " + title, findings: findings, warnings: warnings))
    }
}
