import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest
import LuaBridge
import Report
@testable import Scripting

/// report.* and plot() from Lua, on simulated sweeps stored in the test store.
final class ReportModuleTests: HostTestCase {
    /// Element names and text of an SVG or XHTML document; fails the test if it does not parse.
    func parse(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> (elements: [String], text: String) {
        final class Collector: NSObject, XMLParserDelegate {
            var elements: [String] = []
            var text = ""
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                        qualifiedName: String?, attributes: [String: String] = [:]) { elements.append(name) }
            func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
                        qualifiedName: String?) { text += " " }
        }
        let parser = XMLParser(data: Data(text.utf8))
        let collector = Collector()
        parser.delegate = collector
        XCTAssertTrue(parser.parse(), "does not parse as XML: \(parser.parserError.map { "\($0)" } ?? "")", file: file, line: line)
        return (collector.elements, collector.text)
    }

    func makeSweeps() throws {
        try lua("""
            wl = workload.synthetic{ n = 40, seed = 3, input = 200, output = 30 }
            a800 = sim.sweep{ gpu = 'A800', gpus = 2, model = 'Llama-3.1-8B', workload = wl, concurrency = {1, 4, 16}, tag = 'r' }
            h100 = sim.sweep{ gpu = 'H100', gpus = 2, model = 'Llama-3.1-8B', workload = wl, concurrency = {1, 4, 16}, tag = 'r' }
            bed = cost.gpu{ name = 'A800', gpus = 2 }
            ok = sla{ ttft_p50 = 0.5, e2e_p99 = 30 }
            """)
    }

    func testEveryChartKindIsValidSVGWithItsSeriesAndLabels() throws {
        try makeSweeps()
        let sweep = try XCTUnwrap(lua("""
            return report.svg{ kind = 'sweep', series = { { name = 'two A800', runs = a800 }, { name = 'two H100', runs = h100 } },
                               metric = 'ttft.p50', sla = ok }
            """).first?.string)
        let s = parse(sweep)
        XCTAssertTrue(s.elements.contains("svg") && s.elements.contains("title"))
        XCTAssertTrue(s.text.contains("two A800") && s.text.contains("two H100"), s.text)
        XCTAssertTrue(s.text.contains("TTFT p50 (s)") && s.text.contains("SLA ttft_p50"), s.text)
        // Cost per task needs hardware; with it the saturation level is marked.
        let cost = try XCTUnwrap(lua("return report.svg{ kind = 'sweep', runs = a800, metric = 'cost_per_task', hardware = bed }").first?.string)
        XCTAssertTrue(parse(cost).text.contains("cost per task ($)"))
        // Without hardware, simulated runs are costed on their own deployment's preset.
        XCTAssertNil(luaError("report.svg{ kind = 'sweep', runs = a800, metric = 'cost_per_task' }"))

        let cdf = try XCTUnwrap(lua("return report.svg{ kind = 'cdf', runs = a800, metric = 'ttft' }").first?.string)
        XCTAssertTrue(parse(cdf).text.contains("TTFT (s)"))
        let frontier = try XCTUnwrap(lua("""
            return report.svg{ kind = 'frontier', points = { { name = 'cheap & good', cost = 0.34, quality = 76.2 },
              { name = 'thinking', cost = 3.47, quality = 69.6 }, { name = 'mid', cost = 1.0, quality = 78 } } }
            """).first?.string)
        let f = parse(frontier)
        XCTAssertTrue(f.text.contains("cheap & good") && f.text.contains("thinking"), f.text)
        let tornado = try XCTUnwrap(lua("""
            return report.svg{ kind = 'tornado', data = cost.tornado{ gpu = cost.gpu{ name = 'A800' },
              ranges = { price = {12000, 18000}, utilization = {0.5, 1} } } }
            """).first?.string)
        XCTAssertTrue(parse(tornado).text.contains("utilization"))
        let breakEven = try XCTUnwrap(lua("""
            return report.svg{ kind = 'breakeven', data = cost.breakeven{ gpu = cost.gpu{ name = 'A800' },
              cloud = cost.cloud{ hourly = 2.82 }, api = cost.api{ input = 0.5, output = 1.5 }, tokens_per_s = 2000, input_share = 0.6 } }
            """).first?.string)
        XCTAssertTrue(parse(breakEven).text.contains("self-hosted"))
        // Written to a file when asked.
        let out = dir.appendingPathComponent("c.svg").path
        try host.vm.run("report.svg{ kind = 'cdf', runs = a800, out = ... }", args: [.string(out)])
        XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        XCTAssertEqual(luaError("report.svg{ kind = 'pie', runs = a800 }")?.contains("field 'kind' must be 'sweep', 'cdf', 'frontier', 'tornado', 'breakeven' or 'burstiness', got 'pie'"), true)
    }

    /// A path that is not a regular file is refused, never replaced; a link is written through.
    func testOutputPathsThatAreNotFilesAreRefused() throws {
        try lua("wl = workload.synthetic{ n = 4, seed = 1, input = 20, output = 4 } r = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 2 }")
        let e = luaError("report.html{ runs = { r }, out = '/dev/full' }") ?? ""
        XCTAssertTrue(e.contains("field 'out': cannot write '/dev/full': it is a device, not a regular file"), e)
        var info = stat()
        XCTAssertEqual(stat("/dev/full", &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFCHR, "/dev/full is still the device")
        let e2 = luaError("bench.export{ runs = { r }, out = '\(dir.path)' }") ?? ""
        XCTAssertTrue(e2.contains("it is a directory"), e2)
        let real = dir.appendingPathComponent("real.html").path, link = dir.appendingPathComponent("link.html").path
        try "old".write(toFile: real, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: real)
        try host.vm.run("report.html{ runs = { r }, out = ... }", args: [.string(link)])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), real, "the link stays a link")
        XCTAssertTrue(try String(contentsOfFile: real, encoding: .utf8).contains("<html"), "the file it points at holds the report")
    }

    func testTheHTMLReportHoldsEveryRunAndChartAndFetchesNothing() throws {
        try makeSweeps()
        let out = dir.appendingPathComponent("report.html").path
        try host.vm.run("""
            local all = {}
            for _, r in ipairs(a800) do all[#all + 1] = r end
            for _, r in ipairs(h100) do all[#all + 1] = r end
            report.html{ runs = all, out = ..., sla = ok, title = 'two deployments',
                         hardware_of = function(r) return cost.gpu{ name = r.gpu, gpus = r.gpus } end }
            """, args: [.string(out)])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("two deployments"))
        for id in 1...6 { XCTAssertTrue(html.contains(">run \(id)<"), "run \(id) in the verdicts/costs") }
        XCTAssertTrue(html.contains("sim:2xA800") && html.contains("sim:2xH100"))
        XCTAssertGreaterThanOrEqual(html.components(separatedBy: "<svg").count - 1, 6, "sweep charts and a CDF")
        XCTAssertTrue(html.contains("cost per 1,000 requests ($)"), "costed through hardware_of")
        XCTAssertTrue(html.contains("r · 2 × A800 (simulated)") && html.contains("r · 2 × H100 (simulated)"), "series named by tag and deployment")
        XCTAssertTrue(html.contains("<p class=\"note\">valid “–”: run 1, run 2, run 3, run 4, run 5 and run 6 have no validity verdict"),
                      "a simulated run's blank verdict is explained")
        // A sweep point's tooltip names its run, level and figure.
        XCTAssertTrue(html.contains("<title>r · 2 × A800 (simulated)\nrun 1\nconcurrency: 1\n"), "tooltip of run 1")
        for bad in ["http://", "https://", "<script src", "src=", "href="] { XCTAssertFalse(html.contains(bad), bad) }
    }

    /// report.answers{ frontier = … } says what frontier.hull, knee and zone say, in words;
    /// report.html draws the same points with the knee marked.
    func testTheFrontierOptionAnswersWhichConfiguration() throws {
        // Hull A (1, 0.5), B (2, 0.8), C (3, 0.88), E (5, 0.92); D (3.5, 0.6) is dominated by B.
        try makeSweeps()
        try lua("""
            pts = { { id = 'A', cost = 1, quality = 0.5 }, { id = 'B', cost = 2, quality = 0.8 },
                    { id = 'C', cost = 3, quality = 0.88 }, { id = 'E', cost = 5, quality = 0.92 },
                    { id = 'D', cost = 3.5, quality = 0.6 } }
            which = { points = pts, title = 'Which model', cost_label = '$ per 1k', quality_label = 'accuracy' }
            a = report.answers{ runs = a800, frontier = which }
            """)
        XCTAssertEqual(try lua("return #a, a[2].title, frontier.knee(pts).id, frontier.zone(pts).ids[1]"), [2, "Which model", "B", "A"])
        XCTAssertEqual(try lua("return table.unpack(a[2].findings)"), [
            "Efficient frontier, cheapest first, as accuracy at $ per 1k: A (0.5 at 1), B (0.8 at 2), C (0.88 at 3), E (0.92 at 5).",
            "The knee: B (0.8 at 2); beyond it more spending buys little accuracy.",
            "Optimal cost-effectiveness zone (quality per dollar within 20 % of the best): A (0.5 at 1).",
            "Off the frontier (something cheaper is at least as good): D (0.6 at 3.5).",
        ])
        let out = dir.appendingPathComponent("frontier.html").path
        try host.vm.run("report.html{ runs = a800, out = ..., frontier = which }", args: [.string(out)])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("<title>knee · B\n$ per 1k: 2\naccuracy: 0.8</title>"), "the knee marked on the chart")
        XCTAssertTrue(html.contains("<h3>Which model</h3>"), "and its answer block")
        XCTAssertThrowsError(try lua("report.html{ runs = a800, out = 'x.html', frontier = { points = pts, colour = 'red' } }")) { error in
            XCTAssertTrue("\(error)".contains("frontier.colour"), "\(error)")
        }
    }

    /// report.answers (the report's first section): one block per sweep, its level and cost
    /// the same as frontier.cheapest's, the saturation as frontier.saturation's.
    func testAnswersAgreeWithCheapestAndSaturation() throws {
        try makeSweeps()
        let r = try lua("""
            local as = report.answers{ runs = a800, hardware = bed, sla = ok }
            local best = frontier.cheapest(a800, { hardware = bed, sla = ok })
            local sat = frontier.saturation(a800, { hardware = bed, sla = ok })
            local both = report.answers{ runs = { a800[1], a800[2], a800[3], h100[1], h100[2], h100[3] }, sla = ok }
            return #as, as[1].title, as[1].findings[1], string.format('%d', best.level), best.cost_per_task * 1000,
                   sat.level, #both, both[2].title, as[1].warnings[1], as[1].text:sub(1, #as[1].title) == as[1].title
            """)
        XCTAssertEqual(r.count, 10)
        guard r.count == 10, let finding = r[2].string, let level = r[3].string, let per1k = r[4].number else { return }
        XCTAssertEqual(r[0], 1)
        XCTAssertTrue(r[1].string?.hasPrefix("r · sweep ") == true && r[1].string?.hasSuffix(" · simulated on 2 × A800 · Llama-3.1-8B · 3 levels") == true, "\(r[1])")
        XCTAssertTrue(finding.hasPrefix("Run at concurrency \(level): the cheapest level meeting the SLA, "), finding)
        XCTAssertTrue(finding.contains(Money.dollars(per1k) + " per 1,000 requests"), finding + " vs \(per1k)")
        XCTAssertEqual(r[6], 2, "two sweeps, two answers")
        XCTAssertTrue(r[7].string?.contains("2 × H100") == true, "\(r[7])")
        XCTAssertTrue(r[8].string?.hasPrefix("Simulated: predicted by the roofline model") == true, "\(r[8])")
        XCTAssertEqual(r[9], true, "the text opens with the title")
    }

    /// Sweeps of different sizes are compared per 1,000 requests, never by totals; money
    /// and small figures never print in scientific notation.
    func testSweepsOfDifferentSizesCompareInHumanUnits() throws {
        try makeSweeps()
        let out = dir.appendingPathComponent("sizes.html").path
        try host.vm.run("""
            local small = sim.sweep{ gpu = 'H100', gpus = 2, model = 'Llama-3.1-8B', concurrency = {1, 4},
                                     workload = workload.synthetic{ n = 10, seed = 3, input = 200, output = 30 }, tag = 'small' }
            local all = { a800[1], a800[2], a800[3], small[1], small[2] }
            report.html{ runs = all, out = ..., sla = ok }
            """, args: [.string(out)])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("completion time per 1,000 requests (s) by concurrency"))
        XCTAssertFalse(html.contains("total completion time (s) by concurrency"), "40- and 10-request runs: no totals side by side")
        XCTAssertTrue(html.contains("small · 2 × H100 (simulated)"))
        XCTAssertNil(html.range(of: #"[0-9]e-[0-9]"#, options: .regularExpression), "no scientific notation")
        XCTAssertTrue(html.contains("TTFT distribution · r · 2 × A800 (simulated)") && html.contains(">c=16<"), "a CDF per sweep, lines by level")
    }

    func testTerminalPlotAtAFixedWidth() throws {
        let text = try XCTUnwrap(lua("""
            return report.plot({ { concurrency = 8, makespan = 2034 }, { concurrency = 48, makespan = 774 },
                                 { concurrency = 128, makespan = 700 } }, 'concurrency', 'makespan', { width = 40, height = 10 })
            """).first?.string)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 10)
        XCTAssertTrue(lines.allSatisfy { $0.count <= 40 }, text)
        XCTAssertTrue(text.contains("●"), text)
        XCTAssertTrue(text.contains("concurrency"), text)
        XCTAssertEqual(luaError("report.plot({ { x = 1 } }, 'x', 'y')")?.contains("item 1 has no number 'x' or 'y'"), true)
        // Simulated runs are costed on their own deployment; one series per target.
        try makeSweeps()
        let both = try XCTUnwrap(lua("""
            local all = {}
            for _, r in ipairs(a800) do all[#all + 1] = r end
            for _, r in ipairs(h100) do all[#all + 1] = r end
            return report.plot(all, 'concurrency', 'cost_per_task', { width = 60, height = 12 })
            """).first?.string)
        XCTAssertTrue(both.contains("sim:2xA800") && both.contains("sim:2xH100"), both)
        XCTAssertEqual(luaError("report.plot({ { concurrency = 1, makespan = 1, requests = 1, succeeded = 1 } }, 'concurrency', 'cost_per_task')")?
            .contains("needs 'hardware'"), true)
    }
}
