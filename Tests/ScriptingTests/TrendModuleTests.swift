import Foundation
import XCTest
import LuaBridge
import Metrics
import Runs
@testable import Scripting

/// frontier.trend and report.html{ trend = } on a history of nightly runs inserted with
/// chosen start dates.
///
/// Tag `nightly`, one run a night at 03:00 UTC from 2026-11-01 (a Sunday) to 2026-11-08,
/// and a second run on 2026-11-02. Each run: 2 requests of 100 input and 100 output tokens
/// (400 tokens), both ending at the makespan T. On a rented GPU at $3.60 an hour a run
/// costs T / 1000 dollars, so its cost per 1M tokens is (T / 1000) / 0.0004 = 2.5 T:
///
/// | night | T (s) | cost per 1M tokens | TTFT | quality (exact) |
/// |-------|-------|--------------------|------|-----------------|
/// | 11-01 | 4.0 | $10.00 | 0.2 | 0.80 |
/// | 11-02 | 4.1 (two runs) | $10.25 | 0.2 | 0.81 |
/// | 11-03 | 3.9 | $9.75 | 0.2 | 0.79 |
/// | 11-04 | 4.0 | $10.00 | 0.2 | 0.80 |
/// | 11-05 | 5.0 | $12.50 | 0.8 | 0.80 |
/// | 11-06 | 5.1 | $12.75 | 0.8 | 0.81 |
/// | 11-07 | 4.9 | $12.25 | 0.8 | 0.79 |
/// | 11-08 | 5.0 | $12.50 | 0.8 | 0.80 |
///
/// The cost series is docs/cost.md's worked example: a 25 % rise from 2026-11-05 (mean
/// $10.00 → $12.50, 12.2 pooled sd). Under sla{ ttft_p50 = 0.5 } every run passes to
/// 11-04 and fails after: the pass rate falls from 100 % to 0 %. Quality does not change.
/// Also stored: an interrupted `nightly` run on 11-03 (left out) and a run of another tag.
final class TrendModuleTests: HostTestCase {
    static let nov1 = 1_793_491_200.0

    func insertHistory() throws {
        let nights: [(day: Int, makespan: Double, ttft: Double, quality: Double)] = [
            (0, 4.0, 0.2, 0.80), (1, 4.1, 0.2, 0.81), (1, 4.1, 0.2, 0.81), (2, 3.9, 0.2, 0.79), (3, 4.0, 0.2, 0.80),
            (4, 5.0, 0.8, 0.80), (5, 5.1, 0.8, 0.81), (6, 4.9, 0.8, 0.79), (7, 5.0, 0.8, 0.80),
        ]
        let store = try RunStore(path: dir.appendingPathComponent("test.db").path)
        func add(tag: String, day: Int, makespan: Double, ttft: Double, status: String) throws -> Int64 {
            let records = (0..<2).map { i in
                RequestRecord(index: i, sent: 0, firstToken: ttft, ended: makespan, chunkTimes: [ttft, makespan],
                              inputTokens: 100, outputTokens: 100, httpStatus: 200, status: .ok)
            }
            let start = Self.nov1 + Double(day) * 86_400 + 3 * 3600
            let id = try store.createRun(RunMeta(tag: tag, target: "http://127.0.0.1:1/v1", model: "m", concurrency: 2, rate: nil,
                                                 settings: "{}"), startedAt: start)
            store.append(run: id, records.map { ($0, RunStore.RequestExtra(workloadIndex: $0.index, expected: nil)) })
            try store.flush()
            try store.finishRun(id, status: status, endedAt: start + makespan, summary: try RunSummary(records: records).json(), verdict: nil)
            return id
        }
        var scores: [(Int64, Double)] = []
        for n in nights {
            scores.append((try add(tag: "nightly", day: n.day, makespan: n.makespan, ttft: n.ttft, status: "completed"), n.quality))
        }
        _ = try add(tag: "nightly", day: 2, makespan: 40, ttft: 0.2, status: "interrupted")   // run 10
        _ = try add(tag: "other", day: 2, makespan: 40, ttft: 0.2, status: "completed")       // run 11
        store.close()
        for (id, score) in scores { try lua("quality.set{ run = \(id), name = 'exact', score = \(score) }") }
        try lua("gpu = cost.cloud{ hourly = 3.6 }; fast = sla{ ttft_p50 = 0.5 }")
    }

    func number(_ code: String) throws -> Double {
        guard let d = try lua("return " + code).first?.number else { throw LuaScriptError("not a number: \(code)") }
        return d
    }

    func string(_ code: String) throws -> String {
        guard let s = try lua("return " + code).first?.string else { throw LuaScriptError("not a string: \(code)") }
        return s
    }

    func testCostPerMillionTokensByDayWithItsChangePoint() throws {
        try insertHistory()
        try lua("t = frontier.trend{ tag = 'nightly', metric = 'cost_per_1m_tokens', hardware = gpu }")
        XCTAssertEqual(try number("#t.points"), 8)
        XCTAssertEqual(try string("t.points[1].date"), "2026-11-01")
        XCTAssertEqual(try number("t.points[1].start"), Self.nov1)
        let expected = [10, 10.25, 9.75, 10, 12.5, 12.75, 12.25, 12.5]
        for (k, v) in expected.enumerated() { XCTAssertEqual(try number("t.points[\(k + 1)].value"), v, accuracy: 1e-9) }
        // Two runs on 11-02, pooled: both their dollars over both their tokens.
        XCTAssertEqual(try lua("return t.points[2].runs, t.points[2].run_ids[1], t.points[2].run_ids[2]"), [.int(2), .int(2), .int(3)])
        XCTAssertEqual(try number("#t.change_points"), 1)
        XCTAssertEqual(try string("t.change_points[1].date"), "2026-11-05")
        XCTAssertEqual(try number("t.change_points[1].index"), 5)
        XCTAssertEqual(try number("t.change_points[1].before"), 10, accuracy: 1e-9)
        XCTAssertEqual(try number("t.change_points[1].after"), 12.5, accuracy: 1e-9)
        XCTAssertEqual(try number("t.change_points[1].change"), 0.25, accuracy: 1e-9)
        XCTAssertEqual(try number("t.change_points[1].shift_sd"), 12.2474, accuracy: 1e-3)
        XCTAssertEqual(try lua("return t.rule.min_shift_sd, t.rule.min_change, t.rule.min_segment"), [.double(2), .double(0.05), .int(2)])
        // The interrupted run is left out and said so; the other tag's run is not part of it.
        XCTAssertEqual(try lua("return #t.left_out, t.left_out[1].run_id, t.left_out[1].reason"), [.int(1), .int(10), .string("status interrupted")])

        // The REPL prints the text: a date/value table, the change flagged, then the sentence.
        let text = try string("pretty.format(t)")
        XCTAssertEqual(text, try string("t.text"))
        XCTAssertTrue(text.hasPrefix("cost per 1M tokens · tag 'nightly' · by day · 8 dates, 9 runs (1 left out: see left_out)\n"), text)
        XCTAssertTrue(text.contains("\n2026-11-02  $10.25     2\n"), text)
        XCTAssertTrue(text.contains("\n2026-11-05  $12.50     1  ← change +25 %\n"), text)
        XCTAssertTrue(text.hasSuffix("\ncost per 1M tokens rose 25 % from 2026-11-05 (mean $10.00 → $12.50)."), text)
        // Plain data underneath: it serialises.
        XCTAssertNotNil(try lua("return json.encode(t)").first?.string)
    }

    func testEveryMetricTheOptionsAllowByWeekAndByRun() throws {
        try insertHistory()
        try lua("ts = frontier.trend{ tag = 'nightly', hardware = gpu, sla = fast, quality = 'exact' }")
        XCTAssertEqual(try lua("return #ts, ts[1].metric, ts[2].metric, ts[3].metric"),
                       [.int(3), .string("cost_per_1m_tokens"), .string("quality"), .string("sla_pass_rate")])
        // Quality: the mean score of each night's runs; no change.
        XCTAssertEqual(try number("ts[2].points[2].value"), 0.81, accuracy: 1e-12)
        XCTAssertEqual(try number("#ts[2].change_points"), 0)
        XCTAssertTrue(try string("ts[2].text").hasSuffix("No change point (rule: a shift of at least 2 pooled sd and 5 %, at least 2 points a side)."))
        // SLA pass rate: 1 to 11-04, then 0; both sides constant, so no shift_sd.
        XCTAssertEqual(try lua("return ts[3].points[4].value, ts[3].points[5].value, ts[3].change_points[1].date, ts[3].change_points[1].change, ts[3].change_points[1].shift_sd"),
                       [.double(1), .double(0), .string("2026-11-05"), .double(-1), .nil])
        XCTAssertTrue(try string("ts[3].text").hasSuffix("SLA pass rate fell 100 % from 2026-11-05 (mean 100 % → 0 %)."))
        // The list prints as its trends' texts.
        XCTAssertTrue(try string("tostring(ts)").contains("\n\nquality (exact) · tag 'nightly'"))

        // Weeks from Monday: 11-01 (a Sunday) is in the week of 10-26; the rest in the week of 11-02.
        try lua("w = frontier.trend{ tag = 'nightly', metric = 'makespan', by = 'week' }")
        XCTAssertEqual(try lua("return #w.points, w.points[1].date, w.points[2].date, w.points[2].runs"),
                       [.int(2), .string("2026-10-26"), .string("2026-11-02"), .int(8)])
        XCTAssertEqual(try number("w.points[1].value"), 4, accuracy: 1e-9)
        // One point per run, dated to the second.
        try lua("r = frontier.trend{ tag = 'nightly', metric = 'ttft.p50', by = 'run', min_change = 0.5 }")
        XCTAssertEqual(try lua("return #r.points, r.points[1].date, r.change_points[1].date"),
                       [.int(9), .string("2026-11-01T03:00:00Z"), .string("2026-11-05T03:00:00Z")])
        // A stricter rule finds nothing.
        XCTAssertEqual(try number("#frontier.trend{ tag = 'nightly', metric = 'cost_per_1m_tokens', hardware = gpu, min_shift_sd = 20 }.change_points"), 0)
        // hardware_of prices run by run; nil leaves a run out.
        try lua("h = frontier.trend{ tag = 'nightly', metric = 'cost_per_1m_tokens', hardware_of = function(run) if run.run_id ~= 1 then return gpu end end }")
        XCTAssertEqual(try lua("return #h.points, h.points[1].date, #h.left_out"), [.int(7), .string("2026-11-02"), .int(2)])
    }

    func testBadInputIsAnErrorNamingIt() throws {
        try insertHistory()
        func error(_ code: String) -> String { luaError(code) ?? "no error" }
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'makespan', colour = 1 }").contains("unknown field 'colour'"))
        XCTAssertTrue(error("frontier.trend{ metric = 'makespan' }").contains("field 'tag' (the tag whose runs make the history) is required"))
        XCTAssertTrue(error("frontier.trend{ tag = 'weekly', metric = 'makespan' }").contains("no runs tagged 'weekly' in "))
        XCTAssertEqual(try lua("local ok, e = pcall(frontier.trend, { tag = 'weekly', metric = 'makespan' }) return e.code").first, .string("not_found"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'makespan', by = 'month' }").contains("field 'by' must be 'day', 'week' or 'run', got 'month'"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'bogus' }").contains("no run tagged 'nightly' has 'bogus': no number 'bogus'"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'quality' }").contains("metric 'quality' needs field 'quality'"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'sla_pass_rate', sla = { ttft_p50 = 1 } }").contains("field 'sla' must be an sla{} object, got table"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'makespan', metrics = { 'makespan' } }").contains("not both"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metrics = 'makespan' }").contains("field 'metrics' must be a non-empty list of metric names, got string"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly' }").contains("give 'metric' or 'metrics'"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'makespan', min_segment = 1 }").contains("minimum segment must be at least 2 points, got 1"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'cost_per_1m_tokens', hardware = 'A800' }").contains("hardware must be a cost.gpu{}, cost.cloud{} or cost.api{} table, got string"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'cost_per_1m_tokens' }").contains("not costed"))
        XCTAssertTrue(error("frontier.trend{ tag = 'nightly', metric = 'makespan', level = 64 }").contains("no completed run tagged 'nightly' at level 64"))
        XCTAssertTrue(error("report.html{ out = 'x.html', trend = { metric = 'makespan', points = {}, colour = 1 } }").contains("unknown field 'trend.colour'"))
        XCTAssertTrue(error("report.html{ out = 'x.html', trend = 'up' }").contains("field 'trend' must be a frontier.trend{} result or a list of them, got string"))
    }

    func testTheReportDrawsTheTrendAndSaysTheChange() throws {
        try insertHistory()
        let out = dir.appendingPathComponent("trend.html").path
        try host.vm.run("""
            t = frontier.trend{ tag = 'nightly', metric = 'cost_per_1m_tokens', hardware = gpu }
            report.html{ out = ..., trend = t, title = 'nightly' }
            """, args: [.string(out)])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        // The answer first: the change in one sentence, the latest value, the run left out.
        let answer = try XCTUnwrap(html.range(of: "<section id=\"answer\">"))
        let sentence = try XCTUnwrap(html.range(of: "cost per 1M tokens rose 25 % from 2026-11-05 (mean $10.00 → $12.50)."))
        XCTAssertLessThan(answer.lowerBound, sentence.lowerBound)
        XCTAssertTrue(html.contains("<h3>Trend · cost per 1M tokens by day · tag &#39;nightly&#39;</h3>"), html)
        XCTAssertTrue(html.contains("Latest: $12.50 on 2026-11-08."))
        XCTAssertTrue(html.contains("Left out of this trend: run 10 (status interrupted)."))
        // The chart: values by date, segment means, the change line at its date.
        XCTAssertTrue(html.contains("Figure 1. cost per 1M tokens by day · tag &#39;nightly&#39;"), html)
        for text in [">change +25 %</text>", ">segment mean</text>", ">2026-11-01</text>", "day (0 = 2026-11-01, UTC)",
                     "2026-11-02 · 2 runs: run 2 and run 3"] {
            XCTAssertTrue(html.contains(text), "missing \(text)")
        }
        XCTAssertTrue(html.contains("<p>No runs.</p>"))

        // With runs and a list of trends; report.answers gives the same blocks.
        try host.vm.run("""
            report.html{ out = ..., runs = bench.runs{ tag = 'nightly', sweep = 'all' }, hardware = gpu,
                         trend = frontier.trend{ tag = 'nightly', hardware = gpu, sla = fast } }
            """, args: [.string(out)])
        let both = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(both.contains("SLA pass rate fell 100 % from 2026-11-05 (mean 100 % → 0 %)."))
        XCTAssertTrue(both.contains("cost per 1M tokens rose 25 %"))
        let answers = try string("report.answers{ trend = t }[1].text")
        XCTAssertEqual(answers, """
            Trend · cost per 1M tokens by day · tag 'nightly'
              - cost per 1M tokens rose 25 % from 2026-11-05 (mean $10.00 → $12.50).
              - Latest: $12.50 on 2026-11-08.
              ! Left out of this trend: run 10 (status interrupted).
            """)
    }
}
