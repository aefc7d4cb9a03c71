import Cost
import Foundation
import LuaBridge
import Metrics
import Runs
import Report

/// `report.*`: SVG charts, the self-contained HTML report, terminal plots.
enum ReportModule {
    static func register(in vm: LuaVM, store: StoreModule) throws {
        try vm.register(module: "report", summary: "Pictures of runs and frontiers: SVG charts, a self-contained HTML report, terminal plots.", [
            LuaBinding("svg", args: "{kind='sweep'|'cdf'|'frontier'|'tornado'|'breakeven'|'burstiness', out=, title=, runs=, series=, metric=, hardware= | hardware_of=function(run), sla=, points=, data=, log_x=}",
                       "Draws one chart as SVG; writes it to out (if given) and returns the SVG text.") { call in
                let o = Options(table: try call.fields(1, skipping: ["sla", "hardware_of"]), call: call, position: 1)
                try o.only(["kind", "out", "title", "runs", "series", "metric", "hardware", "hardware_of", "sla", "points", "data", "log_x",
                            "log_y", "name", "cost", "quality", "tolerance", "cost_label", "quality_label", "metric_label"])
                let sla = try call.object(1, field: "sla", as: SLABox.self)
                let charts = ReportCharts(call: call, store: store, hardwareOf: try call.function(1, field: "hardware_of"))
                let chart: Chart
                do {
                    switch try o.string("kind") ?? "sweep" {
                    case "sweep": chart = try charts.sweep(o, sla: sla)
                    case "cdf": chart = try charts.cdf(o, sla: sla)
                    case "frontier": chart = try charts.frontier(o)
                    case "tornado": chart = try charts.tornado(o)
                    case "breakeven": chart = try charts.breakEven(o)
                    case "burstiness": chart = try charts.burstiness(o)
                    case let other:
                        throw call.argumentError(1, "field 'kind' must be 'sweep', 'cdf', 'frontier', 'tornado', 'breakeven' or 'burstiness', got '\(other)'")
                    }
                    let svg = try chart.svg()
                    if let out = try o.string("out") { try write(svg, to: out, call) }
                    return try call.returning(.string(svg))
                } catch let e as ReportError {
                    throw call.argumentError(1, e.message)
                }
            },
            LuaBinding("html", args: "{runs=, out=, title=, hardware= | hardware_of=function(run), sla=, points= | frontier={points=, cost_label=, quality_label=, title=}, tornado=, breakeven=, trend=}",
                       "Writes one self-contained HTML file: the answer per sweep first (report.answers), then provenance, runs table, SLA verdicts, cost breakdown and charts (trend= adds a frontier.trend result or a list of them; runs= is then optional); returns the path.") { call in
                let o = Options(table: try call.fields(1, skipping: ["sla", "hardware_of"]), call: call, position: 1)
                try o.only(["runs", "out", "title", "hardware", "hardware_of", "sla", "points", "frontier", "tornado", "breakeven", "trend", "script"])
                let sla = try call.object(1, field: "sla", as: SLABox.self)
                let out = try o.required("out", o.string, "the HTML file to write")
                do {
                    let charts = ReportCharts(call: call, store: store, hardwareOf: try call.function(1, field: "hardware_of"))
                    let html = try HTMLBuilder(call: call, store: store, options: o, sla: sla, charts: charts).render()
                    try write(html, to: out, call)
                } catch let e as ReportError {
                    throw call.argumentError(1, e.message)
                }
                return try call.returning(.string(out))
            },
            LuaBinding("answers", args: "{runs=, hardware= | hardware_of=function(run), sla=, frontier={points=, ...}, trend=}",
                       "What each sweep among the runs says (the report's first section), and the quality-vs-cost frontier and trends when given: {title=, findings={…}, warnings={…}, text=} per block.") { call in
                let o = Options(table: try call.fields(1, skipping: ["sla", "hardware_of"]), call: call, position: 1)
                try o.only(["runs", "hardware", "hardware_of", "sla", "frontier", "trend"])
                let charts = ReportCharts(call: call, store: store, hardwareOf: try call.function(1, field: "hardware_of"))
                // A trend alone needs no runs: it carries its own.
                let runs = o.has("runs") || !o.has("trend") ? try charts.runs(o.table["runs"], "runs") : []
                let answers = try SweepAnswers(store: store, hardware: try charts.hardware(o),
                                               sla: try call.object(1, field: "sla", as: SLABox.self)).make(runs)
                    + (try Self.frontierOption(o, charts).map { [$0.answer] } ?? [])
                    + (try charts.trendFigures(o.table["trend"]).map(\.answer))
                return try call.returning(.array(answers.map { a in
                    ["title": .string(a.title), "findings": .array(a.findings.map(LuaValue.string)),
                     "warnings": .array(a.warnings.map(LuaValue.string)), "text": .string(a.text())]
                }))
            },
            LuaBinding("plot", args: "runs | points, x, y, [{hardware=, width=, height=, title=, log_x=, log_y=}]",
                       "A scatter-and-line chart of y against x drawn with Unicode braille, fitted to the terminal width; returns the text (plot() prints it).") { call in
                try call.returning(.string(try plot(call)))
            },
        ])
    }

    /// The `frontier = { points =, … }` option of report.html and report.answers: the
    /// quality-vs-cost chart and its answer block; nil when not given.
    static func frontierOption(_ options: Options, _ charts: ReportCharts) throws -> (chart: Chart, answer: SweepAnswer)? {
        guard let f = try options.entries("frontier") else { return nil }
        try f.only(["points", "cost", "quality", "title", "cost_label", "quality_label", "tolerance", "log_x"])
        return try charts.frontierFigure(Options(table: f.table, call: options.call, position: 1))
    }

    static func write(_ text: String, to path: String, _ call: LuaCall) throws {
        do { try OutputFile.write(text, to: path) } catch {
            throw call.argumentError(1, "field 'out': \(error)")
        }
    }

    static func plot(_ call: LuaCall) throws -> String {
        let x = try call.string(2), y = try call.string(3)
        let o = try Options(call, 4, optional: true)
        try o.only(["hardware", "width", "height", "title", "log_x", "log_y"])
        let charts = ReportCharts(call: call, store: StoreModule(defaultPath: ":memory:"))
        guard case .array(let items) = try call.table(1), !items.isEmpty else {
            throw call.argumentError(1, "a non-empty list of runs or points expected")
        }
        let hardware = try charts.hardware(o)
        // One series per target (a sweep per deployment), in the order first seen.
        var groups: [(name: String, points: [ChartPoint])] = []
        for (k, v) in items.enumerated() {
            let view = try RunView(call, 1, v)
            guard let px = try charts.value(view, x, hardware), let py = try charts.value(view, y, hardware) else {
                throw call.argumentError(1, "item \(k + 1) has no number '\(x)' or '\(y)'")
            }
            let name = view.table["target"]?.string ?? y
            if let i = groups.firstIndex(where: { $0.name == name }) {
                groups[i].points.append(ChartPoint(x: px, y: py))
            } else {
                groups.append((name, [ChartPoint(x: px, y: py)]))
            }
        }
        let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 80
        let width = try o.int("width") ?? max(40, min(columns, 160))
        let height = try o.int("height") ?? max(10, width / 4)
        let plot = TerminalPlot(title: try o.string("title") ?? "\(ReportCharts.label(y)) by \(ReportCharts.label(x))",
                                x: Axis(label: ReportCharts.label(x), scale: try o.bool("log_x") == true ? .log : .linear),
                                y: Axis(label: ReportCharts.label(y), scale: try o.bool("log_y") == true ? .log : .linear),
                                series: groups.map { Series(name: $0.name, points: $0.points.sorted { $0.x < $1.x }, style: .line) })
        do { return try plot.render(width: width, height: height) } catch let e as ReportError {
            throw call.argumentError(1, e.message)
        }
    }
}

/// The HTML report of a set of runs.
struct HTMLBuilder {
    let call: LuaCall
    let store: StoreModule
    let options: Options
    let sla: SLABox?
    let charts: ReportCharts

    /// "run 7, run 8 and run 9"; past six names, the first five and how many more.
    static func list(_ names: [String]) -> String {
        let shown = names.count > 6 ? Array(names.prefix(5)) + ["\(names.count - 5) more"] : names
        guard shown.count > 1 else { return shown.first ?? "" }
        return shown.dropLast().joined(separator: ", ") + " and " + (shown.last ?? "")
    }

    func render() throws -> String {
        // A trend alone needs no runs: it carries its own.
        let runs = options.has("runs") || !options.has("trend") ? try charts.runs(options.table["runs"], "runs") : []
        let hardware = try charts.hardware(options)
        func f(_ v: Double?) -> String {
            guard let v else { return "–" }
            // Small figures keep three significant digits, never in scientific notation.
            if v != 0, abs(v) < 0.01 { return NumberFormat.short(v) }
            return Figures.numbers(v, v).0
        }
        func money(_ v: Double?) -> String { v.map(Money.dollars) ?? "–" }
        let runRows: [[String]] = runs.map { r in
            // A run that did not finish its workload says so beside its number.
            let status = r.table["status"]?.string.flatMap { $0 == "completed" ? nil : " (\($0))" } ?? ""
            return [(r.runID.map { String($0) } ?? "–") + status, r.table["source"]?.string ?? "–", r.table["target"]?.string ?? "–",
             r.table["model"]?.string ?? "–", f(r.level), f(r.number("requests")), f(r.number("succeeded")), f(r.number("makespan")),
             f(r.number("requests_per_s")), f(r.number("output_tokens_per_s")), f(r.number("ttft.p50")), f(r.number("ttft.p99")),
             f(r.number("tpot.p50")), f(r.number("e2e.p50")), r.table["valid"]?.bool.map { $0 ? "yes" : "no" } ?? "–"]
        }
        // "–" under valid must not read as "unknown": say which runs have no verdict and why.
        let unjudged = runs.filter { $0.table["valid"]?.bool == nil }.map(\.label)
        let runTable = ReportTable(columns: ["run", "source", "target", "model", "level", "requests", "ok", "makespan s",
                                                 "req/s", "out tok/s", "TTFT p50 s", "TTFT p99 s", "TPOT p50 s", "E2E p50 s", "valid"],
                                       rows: runRows,
                                       notes: unjudged.isEmpty ? [] : ["valid “–”: \(Self.list(unjudged)) have no validity verdict: it judges a measurement (duration, errors, an open loop falling behind, the client's CPU), and simulated or imported runs have none to judge."])
        // Each run judged once: the verdict table and the answers share the results.
        let judged = try sla.map { sla in try runs.map { try sla.evaluate($0, store: store).0 } }
        let verdicts = zip(runs, judged ?? []).map { r, result in
            VerdictRow(run: r.label, passed: result.passed, detail: SLAModule.summary(result))
        }
        var costs: ReportTable?
        if let hardware {
            var uncosted: [String] = []
            costs = try ReportTable(columns: ["run", "level", "total", "per 1,000 requests", "per 1M tokens", "per 1M output tokens"],
                                    rows: runs.compactMap { r in
                guard let hw = try hardware(r) else { uncosted.append(r.label); return nil }
                let c = try RunCost(usage: r.usage(), hardware: hw)
                return [r.label, f(r.level), money(c.total), money(c.perRequest.map { $0 * 1000 }), money(c.perMillionTokens),
                        money(c.perMillionOutputTokens)]
            })
            if !uncosted.isEmpty {
                costs?.notes = ["Not costed: \(Self.list(uncosted)) (no hardware for them: give report.html{ hardware = … } or hardware_of, or frontier report --gpu/--hourly)."]
            }
        }
        // Sweep charts: one line per sweep, named by tag and what ran it; simulated ones dashed.
        let swept = SweepAnswers.sweeps(runs.filter { $0.level != nil })
        var chartList: [Chart] = []
        // Totals of runs with different request counts do not compare: per 1,000 requests then.
        let sameSize = Set(runs.compactMap { $0.number("requests") }).count <= 1
        let costed = hardware != nil || runs.contains { ReportCharts.ownDeployment($0) != nil }
        let metrics = [sameSize ? "makespan" : "makespan_per_1k", "ttft.p50", "output_tokens_per_s", "tokens_per_s.mean"]
            + (costed ? ["cost_per_1k"] : [])
        if !swept.isEmpty {
            let series: LuaValue = .array(swept.map { g in
                ["name": .string(SweepAnswers.seriesName(g[0])), "runs": .array(g.map { .table($0.table) }),
                 "predicted": .bool(g[0].table["source"]?.string == "simulated")]
            })
            for m in metrics {
                var t = options.table
                t["series"] = series
                t["metric"] = .string(m)
                t["title"] = nil
                let o = Options(table: t, call: call, position: 1)
                if m == "cost_per_1k" {
                    // Cost where a sweep has it (a test server has none); no chart when none has.
                    if let chart = try? charts.sweep(o, sla: sla) { chartList.append(chart) }
                } else {
                    chartList.append(try charts.sweep(o, sla: sla))
                }
            }
        }
        // TTFT distributions: one chart per sweep (the first three), a line per level.
        for group in SweepAnswers.sweeps(runs.filter { $0.runID != nil }).prefix(3) {
            let cdfRuns: LuaValue = .array(group.sorted { ($0.level ?? 0) < ($1.level ?? 0) }.prefix(8).map { .table($0.table) })
            chartList.append(try charts.cdf(Options(table: ["runs": cdfRuns, "metric": "ttft", "by_level": true,
                                                            "title": .string("TTFT distribution · \(SweepAnswers.seriesName(group[0]))")],
                                                    call: call, position: 1), sla: sla))
        }
        if options.has("points") {
            chartList.append(try charts.frontier(Options(table: ["points": options.table["points"] ?? .nil], call: call, position: 1)))
        }
        let frontierFigure = try ReportModule.frontierOption(options, charts)
        if let frontierFigure { chartList.append(frontierFigure.chart) }
        if let t = options.table["tornado"] {
            chartList.append(try charts.tornado(Options(table: ["data": t], call: call, position: 1)))
        }
        if let b = options.table["breakeven"] {
            chartList.append(try charts.breakEven(Options(table: ["data": b], call: call, position: 1)))
        }
        let trends = try charts.trendFigures(options.table["trend"])
        chartList += trends.map(\.chart)
        let script = try options.string("script") ?? (try? call.vm.run("return type(arg) == 'table' and arg[0] or nil"))?.first?.string
        let started = runs.compactMap { $0.number("started_at") }.min()
        let ended = runs.compactMap { $0.number("ended_at") }.max()
        let targets = Array(Set(runs.compactMap { $0.table["target"]?.string })).sorted()
        let seed = runs.compactMap { $0.number("settings.seed") }.first
        let provenance = Provenance(
            programVersion: ScriptHost.version, scriptPath: script.flatMap { $0.isEmpty ? nil : $0 },
            scriptSHA256: script.flatMap { try? SHA256.hex(fileAt: $0) },
            databasePath: runs.first?.dbPath ?? store.defaultHandle.path,
            started: started.map { Date(timeIntervalSince1970: $0) }, ended: ended.map { Date(timeIntervalSince1970: $0) },
            target: targets.isEmpty ? nil : targets.joined(separator: ", "), seed: seed.map { Int64($0) })
        var report = HTMLReport(title: try options.string("title") ?? "frontier report", provenance: provenance, runs: runTable,
                                verdicts: verdicts, costs: costs, charts: chartList)
        report.groups = Self.groupTable(runs, f)
        report.answers = try SweepAnswers(store: store, hardware: hardware, sla: sla).make(runs, verdicts: judged)
            + (frontierFigure.map { [$0.answer] } ?? []) + trends.map(\.answer)
        return try report.render()
    }

    /// One row per run and group of its requests (`by_class`, `by_turn`): the figures a
    /// mixed workload is judged by per class. nil when no run has groups.
    static func groupTable(_ runs: [RunView], _ f: (Double?) -> String) -> ReportTable? {
        var rows: [[String]] = []
        for r in runs {
            for key in ["class", "turn"] {
                guard case .table(let groups)? = r.table["by_" + key] else { continue }
                let names = groups.keys.sorted { a, b in
                    if let x = Int(a), let y = Int(b) { return x < y }
                    return a < b
                }
                for name in names {
                    guard case .table(let figures)? = groups[name] else { continue }
                    let g = RunView(table: figures, call: r.call, position: r.position)
                    rows.append([r.label, "\(key) \(name)", f(g.number("requests")), f(g.number("succeeded")),
                                 f(g.number("ttft.p50")), f(g.number("ttft.p99")), f(g.number("tpot.p50")),
                                 f(g.number("e2e.p50")), f(g.number("e2e.p99")), f(g.number("output_tokens_per_s")),
                                 g.number("cost_share").map { String(format: "%.1f%%", $0 * 100) } ?? "–"])
                }
            }
        }
        guard !rows.isEmpty else { return nil }
        return ReportTable(columns: ["run", "group", "requests", "ok", "TTFT p50 s", "TTFT p99 s", "TPOT p50 s",
                                    "E2E p50 s", "E2E p99 s", "out tok/s", "cost share"], rows: rows,
                           notes: ["Throughputs are over the whole run's makespan; cost share is the group's share of the run's input + output tokens."])
    }
}
