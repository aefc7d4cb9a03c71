import XCTest
@testable import Report

final class HTMLReportTests: XCTestCase {
    static func makeReport() throws -> HTMLReport {
        let runs = ReportTable(columns: ["run", "concurrency", "TTFT p99 (s)", "cost per task"],
                               rows: (1...6).map { ["sweep-c\($0 * 8)", "\($0 * 8)", "0.\($0)2", "$0.00\($0)"] })
        let sweep = try Chart.sweep(title: "Cost per task", metricLabel: "cost per task ($)",
                                    lines: [SweepLine(name: "llama", levels: [8, 16, 24, 32, 40, 48], values: [6, 5, 4, 3.5, 3.4, 3.5].map { $0 / 1000 })],
                                    saturation: 32)
        let cdf = try Chart.latencyCDF(title: "TTFT distribution", quantityLabel: "TTFT (s)",
                                       samples: [LatencySample(name: "sweep-c8", values: [0.1, 0.2, 0.3])])
        return HTMLReport(
            title: "Sweep <one> & two",
            provenance: Provenance(programVersion: "0.6.0", scriptPath: "scripts/sweep.lua",
                                   scriptSHA256: SHA256.hex("print('hi')"), databasePath: "frontier.db",
                                   started: Date(timeIntervalSince1970: 1_700_000_000),
                                   ended: Date(timeIntervalSince1970: 1_700_000_125.5),
                                   target: "http://127.0.0.1:8000/v1", seed: 42),
            runs: runs,
            verdicts: [VerdictRow(run: "sweep-c8", passed: true), VerdictRow(run: "sweep-c48", passed: false, detail: "ttft_p99 1.4 s > 1 s")],
            costs: ReportTable(columns: ["item", "$"], rows: [["GPU-hours", "0.79"], ["total", "1,234.50"]]),
            charts: [sweep, cdf])
    }

    func testReportHoldsEveryRunChartAndSection() throws {
        let html = try Self.makeReport().render()
        for i in 1...6 { XCTAssertTrue(html.contains("<td>sweep-c\(i * 8)</td>"), "run \(i)") }
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2)
        XCTAssertEqual(html.components(separatedBy: "</svg>").count - 1, 2)
        for text in ["Figure 1. Cost per task", "Figure 2. TTFT distribution", "Provenance", "SLA verdicts",
                     "Cost breakdown", "✗ fail", "✓ pass", "ttft_p99 1.4 s &gt; 1 s", "frontier 0.6.0",
                     "scripts/sweep.lua", "2023-11-14T22:13:20Z", "2023-11-14T22:15:25Z", "125.5 s", "frontier.db",
                     "<td><code>42</code></td>", "Sweep &lt;one&gt; &amp; two", "<td class=\"num\">1,234.50</td>",
                     "<td class=\"num\">$0.001</td>", "saturation (32)"] {
            XCTAssertTrue(html.contains(text), "missing \(text)")
        }
        XCTAssertTrue(html.contains(SHA256.hex("print('hi')")))
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        // One inline script and nothing it could fetch.
        XCTAssertEqual(html.components(separatedBy: "<script>").count - 1, 1)
        XCTAssertFalse(html.contains("<script src"))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.lowercased().contains("src="))
        XCTAssertFalse(html.lowercased().contains("href="))
        XCTAssertFalse(html.contains("url(http"))
    }

    /// What the script works on is in the page without it: every drawn point carries its
    /// exact values as an SVG title, every legend entry names its series' group, every
    /// table has a header row to sort by.
    func testInteractivityHooksAreInThePageAndReadWithoutScript() throws {
        let html = try Self.makeReport().render()
        let script = try XCTUnwrap(html.range(of: "<script>")), end = try XCTUnwrap(html.range(of: "</script>"))
        XCTAssertGreaterThan(script.lowerBound, try XCTUnwrap(html.range(of: "</svg>", options: .backwards)).lowerBound,
                             "the script runs after the page it changes")
        XCTAssertFalse(html[script.upperBound..<end.lowerBound].contains("</"), "nothing in the script closes a tag early")
        // Cost per task at concurrency 16 is 0.005 $: its marker's tooltip says so with both axis titles.
        XCTAssertTrue(html.contains("<title>llama\nconcurrency: 16\ncost per task ($): 0.005</title>"), "point tooltip")
        XCTAssertTrue(html.contains("<g class=\"series\" data-series=\"0\">"))
        XCTAssertTrue(html.contains("<g class=\"legend-entry\" data-series=\"0\" role=\"button\" tabindex=\"0\">"))
        for hook in ["tooltip", "legend-entry", "aria-sort", "aria-pressed"] {
            XCTAssertTrue(html[script.upperBound..<end.lowerBound].contains(hook), hook)
        }
        XCTAssertEqual(html.components(separatedBy: "<thead>").count - 1, 3, "runs, verdicts and costs sort by a column")
    }

    /// A table's notes follow it, escaped.
    func testTableNotesFollowTheTable() throws {
        let table = ReportTable(columns: ["run"], rows: [["1"]], notes: ["Not costed: run <1>."])
        XCTAssertTrue(try table.html(caption: "t").hasSuffix("</table>\n<p class=\"note\">Not costed: run &lt;1&gt;.</p>\n"))
        XCTAssertEqual(ReportTable(columns: ["a"], rows: []).notes, [])
    }

    /// The answer comes first, escaped, with its warnings marked in words.
    func testTheAnswerOpensTheReport() throws {
        var report = try Self.makeReport()
        report.answers = [SweepAnswer(title: "llama · sweep 3 · measured", findings: ["Run at concurrency 32 <cheapest>."],
                                      warnings: ["run 6 is interrupted"])]
        let html = try report.render()
        let answer = try XCTUnwrap(html.range(of: "<section id=\"answer\">")), provenance = try XCTUnwrap(html.range(of: "<section id=\"provenance\">"))
        XCTAssertLessThan(answer.lowerBound, provenance.lowerBound, "the answer before everything else")
        for text in ["<h3>llama · sweep 3 · measured</h3>", "<li>Run at concurrency 32 &lt;cheapest&gt;.</li>", "<li>⚠ run 6 is interrupted</li>"] {
            XCTAssertTrue(html.contains(text), text)
        }
        XCTAssertEqual(report.answers[0].text(), "llama · sweep 3 · measured\n  - Run at concurrency 32 <cheapest>.\n  ! run 6 is interrupted")
        XCTAssertFalse(try Self.makeReport().render().contains("id=\"answer\""), "no answers, no section")
    }

    /// Dollars as people compare them: no scientific notation, three significant digits under a dollar.
    func testMoneyReadsInDollars() {
        XCTAssertEqual([0.000118, 0.0451, 0.123, 0.5, 1.588, 12.3, 1234.5, 1_234_567.891, 0, -0.25, .nan].map(Money.dollars),
                       ["$0.000118", "$0.0451", "$0.123", "$0.5", "$1.59", "$12.30", "$1,234.50", "$1,234,567.89", "$0", "-$0.25", "–"])
    }

    func testNoExternalURLsBesidesTheTargetText() throws {
        // The target is data (escaped text in a cell); nothing else may name a URL.
        var report = try Self.makeReport()
        report.provenance.target = "local"
        let html = try report.render()
        XCTAssertFalse(html.contains("http://"))
        XCTAssertFalse(html.contains("https://"))
    }

    func testChartsParseInsideTheReport() throws {
        let html = try Self.makeReport().render()
        var rest = Substring(html)
        var count = 0
        while let start = rest.range(of: "<svg "), let end = rest.range(of: "</svg>") {
            _ = parseXML(String(rest[start.lowerBound..<end.upperBound]))
            rest = rest[end.upperBound...]
            count += 1
        }
        XCTAssertEqual(count, 2)
        XCTAssertTrue(html.contains("id=\"chart1-title\"") && html.contains("id=\"chart2-title\""))
    }

    func testRowOfWrongWidthIsAnError() {
        let report = HTMLReport(title: "t", provenance: Provenance(programVersion: "1"),
                                runs: ReportTable(columns: ["a", "b"], rows: [["1"]]))
        XCTAssertThrowsError(try report.render()) {
            XCTAssertEqual("\($0)", "table 'runs': row 1 has 1 cells for 2 columns")
        }
    }

    func testMissingProvenanceReadsDash() throws {
        let html = try HTMLReport(title: "t", provenance: Provenance(programVersion: "1"),
                                  runs: ReportTable(columns: ["a"], rows: [])).render()
        XCTAssertTrue(html.contains("<th scope=\"row\">seed</th><td><code>—</code></td>"))
        XCTAssertTrue(html.contains("No runs."))
        XCTAssertFalse(html.contains("SLA verdicts"))
    }
}
