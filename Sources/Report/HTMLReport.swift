import Foundation

/// One self-contained HTML file: inline CSS, inline SVG charts, one small inline script
/// (`script`: tooltips, legend toggles, sortable tables; the page reads fully without
/// it), no external fetches (no URL at all), so it opens offline and prints as it looks.
///
/// Sections, in order: title, the answer (one block per sweep), provenance, runs, figures
/// by request class and turn, SLA verdicts, cost breakdown, charts. Answers, verdicts, costs and charts are left out
/// when not given. All text is escaped.
public struct HTMLReport: Sendable, Equatable {
    /// Page title and heading.
    public var title: String
    /// Where the numbers came from.
    public var provenance: Provenance
    /// One row per run.
    public var runs: ReportTable
    /// SLA verdicts, one per run judged.
    public var verdicts: [VerdictRow]
    /// Cost breakdown (per run or per option); nil leaves the section out.
    public var costs: ReportTable?
    /// Charts, drawn in this order.
    public var charts: [Chart]
    /// What each sweep's runs say, shown first.
    public var answers: [SweepAnswer] = []
    /// Figures by request class (and session turn), one row per run and group; nil leaves
    /// the section out.
    public var groups: ReportTable?

    /// A report.
    public init(title: String, provenance: Provenance, runs: ReportTable, verdicts: [VerdictRow] = [],
                costs: ReportTable? = nil, charts: [Chart] = []) {
        self.title = title
        self.provenance = provenance
        self.runs = runs
        self.verdicts = verdicts
        self.costs = costs
        self.charts = charts
    }

    /// The HTML document.
    /// - Throws: ``ReportError`` for a table row of the wrong width or a chart that
    ///   cannot be drawn (the message names it).
    public func render() throws -> String {
        let title = Markup.escape(self.title)
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>\(title)</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <h1>\(title)</h1>

        """
        if !answers.isEmpty {
            out += "<section id=\"answer\">\n<h2>Answer</h2>\n" + answers.map { $0.html() }.joined() + "</section>\n"
        }
        out += "<section id=\"provenance\">\n<h2>Provenance</h2>\n<table class=\"provenance\">\n<tbody>\n"
        for (label, value) in provenance.rows {
            out += "<tr><th scope=\"row\">\(Markup.escape(label))</th><td><code>\(Markup.escape(value))</code></td></tr>\n"
        }
        out += "</tbody>\n</table>\n</section>\n"

        out += "<section id=\"runs\">\n<h2>Runs</h2>\n"
        out += runs.rows.isEmpty ? "<p>No runs.</p>\n" : try runs.html(caption: "runs")
        out += "</section>\n"

        if let groups {
            out += "<section id=\"groups\">\n<h2>By request class and turn</h2>\n" + (try groups.html(caption: "groups")) + "</section>\n"
        }

        if !verdicts.isEmpty {
            out += "<section id=\"sla\">\n<h2>SLA verdicts</h2>\n<table>\n<thead><tr><th>run</th><th>verdict</th><th>detail</th></tr></thead>\n<tbody>\n"
            for v in verdicts {
                // Words and a symbol, not only colour, so the verdict survives greyscale.
                let verdict = v.passed ? "<td class=\"pass\">✓ pass</td>" : "<td class=\"fail\">✗ fail</td>"
                out += "<tr><td>\(Markup.escape(v.run))</td>\(verdict)<td>\(Markup.escape(v.detail))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n</section>\n"
        }

        if let costs {
            out += "<section id=\"costs\">\n<h2>Cost breakdown</h2>\n" + (try costs.html(caption: "cost breakdown")) + "</section>\n"
        }

        if !charts.isEmpty {
            out += "<section id=\"charts\">\n<h2>Charts</h2>\n<div class=\"charts\">\n"
            for (i, chart) in charts.enumerated() {
                out += "<figure>\n" + (try chart.svg(standalone: false, idPrefix: "chart\(i + 1)"))
                out += "<figcaption>Figure \(i + 1). \(Markup.escape(chart.title))</figcaption>\n</figure>\n"
            }
            out += "</div>\n</section>\n"
        }
        out += "<script>\(Self.script)</script>\n</body>\n</html>\n"
        return out
    }

    /// Plain, print-friendly styling; system fonts only (nothing to fetch).
    static let css = """

    body { font-family: Helvetica, Arial, sans-serif; color: #111; margin: 2em auto; max-width: 1180px; padding: 0 1em; }
    h1 { font-size: 1.6em; border-bottom: 2px solid #333; padding-bottom: .3em; }
    h2 { font-size: 1.2em; margin-top: 1.8em; }
    .answer { border-left: 4px solid #2a6; padding: .2em 1em; margin: .8em 0; background: #f6fbf8; }
    .answer h3 { font-size: 1em; margin: .4em 0; }
    .answer ul { margin: .3em 0; padding-left: 1.2em; }
    .answer .warnings { color: #8a4b00; }
    table { border-collapse: collapse; margin: .5em 0; font-size: .9em; }
    th, td { border: 1px solid #bbb; padding: .25em .6em; text-align: left; vertical-align: top; }
    thead th { background: #eee; }
    td.num { text-align: right; font-variant-numeric: tabular-nums; }
    td.pass { font-weight: normal; }
    td.fail { font-weight: bold; }
    table.provenance th { background: #f5f5f5; font-weight: normal; }
    code { font-family: Menlo, Consolas, monospace; font-size: .95em; word-break: break-all; }
    .charts { display: flex; flex-wrap: wrap; gap: 1em; }
    figure { margin: 0; }
    figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
    figcaption { font-size: .85em; color: #333; margin-top: .3em; }
    p.note { font-size: .85em; color: #444; margin: .2em 0 .8em; }
    #tooltip { position: absolute; z-index: 10; background: #222; color: #fff; padding: .35em .6em; border-radius: 3px;
               font-size: .8em; line-height: 1.35; white-space: pre; pointer-events: none; }
    svg .pt:hover, svg .pt:focus { stroke: #000; stroke-width: 2.5; outline: none; }
    svg .legend-entry { cursor: pointer; }
    th.sortable { cursor: pointer; }
    th[aria-sort="ascending"]::after { content: " ▲"; }
    th[aria-sort="descending"]::after { content: " ▼"; }
    @media print { figure { break-inside: avoid; } #tooltip { display: none; } }

    """
}
