import XCTest
import LuaBridge
import Measure
import Metrics
import Runs
@testable import Scripting

/// cost.*, sla{}, quality.* and frontier.* from Lua, on a run inserted into the store.
///
/// The run (concurrency 8), times in seconds:
///
/// | idx | sent | ttft | e2e | in | out | status | response            | expected |
/// |-----|------|------|-----|----|-----|--------|---------------------|----------|
/// | 0   | 0    | 0.5  | 2.0 | 10 | 4   | ok     | "Paris"             | "paris"  |
/// | 1   | 0    | 1.0  | 3.0 | 20 | 3   | ok     | "The answer is 42"  | "42"     |
/// | 2   | 1    | 2.0  | 3.0 | 30 | 1   | ok     | "no"                | "yes"    |
/// | 3   | 1    | –    | 0.5 | –  | –   | error  | –                   | –        |
///
/// makespan = last end 4.0 − first send 0 = 4.0 s; 4 requests, 3 succeeded;
/// tokens (ok requests): input 60, output 8.
final class EconomicsModuleTests: HostTestCase {
    func insertRun() throws { try Self.insertRun(self) }

    /// Inserts the run above into `test`'s store and loads it as `run`.
    static func insertRun(_ test: HostTestCase) throws {
        let records = [
            RequestRecord(index: 0, sent: 0, firstToken: 0.5, ended: 2.0, chunkTimes: [0.5, 1, 1.5, 2],
                          inputTokens: 10, outputTokens: 4, httpStatus: 200, status: .ok, response: "Paris"),
            RequestRecord(index: 1, sent: 0, firstToken: 1.0, ended: 3.0, chunkTimes: [1, 2, 3],
                          inputTokens: 20, outputTokens: 3, httpStatus: 200, status: .ok, response: "The answer is 42"),
            RequestRecord(index: 2, sent: 1, firstToken: 3.0, ended: 4.0, chunkTimes: [2],
                          inputTokens: 30, outputTokens: 1, httpStatus: 200, status: .ok, response: "no"),
            RequestRecord(index: 3, sent: 1, ended: 1.5, httpStatus: 503, status: .error, errorKind: .http5xx, error: "503"),
        ]
        let expected = ["paris", "42", "yes", nil]
        let store = try RunStore(path: test.dir.appendingPathComponent("test.db").path)
        let id = try store.createRun(RunMeta(tag: "econ", target: "http://127.0.0.1:1/v1", model: "m", concurrency: 8,
                                             rate: nil, settings: "{}"), startedAt: 0)
        store.append(run: id, zip(records, expected).map { ($0, RunStore.RequestExtra(workloadIndex: $0.index, expected: $1)) })
        try store.flush()
        try store.finishRun(id, status: "completed", endedAt: 4, summary: try RunSummary(records: records).json(), verdict: nil)
        store.close()
        try test.lua("run = bench.load(1)")
    }

    func number(_ code: String) throws -> Double {
        guard let d = try lua("return " + code).first?.number else { throw LuaScriptError("not a number: \(code)") }
        return d
    }

    func testCostOfARunOnEachWayOfPaying() throws {
        try insertRun()
        XCTAssertEqual(try number("run.makespan"), 4.0, accuracy: 1e-9)
        // Cloud $3.60 per GPU-hour, 1 GPU: 3.6 × 4 / 3600 = $0.004.
        try lua("c = cost.of(run, cost.cloud{ hourly = 3.6 })")
        XCTAssertEqual(try number("c.total"), 0.004, accuracy: 1e-12)
        XCTAssertEqual(try number("c.per_request"), 0.001, accuracy: 1e-12)             // / 4
        XCTAssertEqual(try number("c.per_success"), 0.004 / 3, accuracy: 1e-12)          // / 3
        XCTAssertEqual(try number("c.per_1m_output"), 500, accuracy: 1e-9)               // 0.004 / 8e-6
        XCTAssertEqual(try number("c.per_1m_input"), 0.004 / 60e-6, accuracy: 1e-9)      // 66.67
        XCTAssertEqual(try number("c.per_1m_tokens"), 0.004 / 68e-6, accuracy: 1e-9)     // 58.82
        // Two GPUs double it; utilization 0.5 doubles the effective cost only.
        try lua("c2 = cost.of(run, cost.cloud{ hourly = 3.6, gpus = 2 }, { utilization = 0.5 })")
        XCTAssertEqual(try number("c2.total"), 0.008, accuracy: 1e-12)
        XCTAssertEqual(try number("c2.effective_total"), 0.016, accuracy: 1e-12)
        // The paper's A800 (0.794009 $/h) × 2 for 4 s: 1.588018 × 4 / 3600 = 0.00176446.
        XCTAssertEqual(try number("cost.of(run, cost.gpu{ name = 'A800', gpus = 2 }).total"), 1.5880182648 * 4 / 3600, accuracy: 1e-12)
        // API: 60 input at $1/M + 8 output at $10/M + 4 requests × $0.01 = 0.00006 + 0.00008 + 0.04.
        XCTAssertEqual(try number("cost.of(run, cost.api{ input = 1, output = 10, per_request = 0.01 }).total"), 0.04014, accuracy: 1e-12)
        // A plain table is a price per GPU-hour.
        XCTAssertEqual(try number("cost.of(run, { hourly = 1.8, gpus = 2 }).total"), 0.004, accuracy: 1e-12)
    }

    func testTheA800BaselineToTheCent() throws {
        try lua("g = cost.gpu{ name = 'A800-80G' }")
        // 15000 / (3 × 8760) + 0.4 × 1.3 × 0.10 + 15000 × 0.1 / 8760 = 0.570776 + 0.052 + 0.171233
        XCTAssertEqual(try number("g.depreciation"), 15000.0 / 26280, accuracy: 1e-12)
        XCTAssertEqual(try number("g.power"), 0.052, accuracy: 1e-12)
        XCTAssertEqual(try number("g.maintenance"), 1500.0 / 8760, accuracy: 1e-12)
        XCTAssertEqual(try lua("return string.format('%.2f %.2f', g.hourly, cost.gpu{ name = 'A800', gpus = 2 }.total_hourly)"), ["0.79 1.59"])
        // Overrides replace one parameter: price 30000 doubles depreciation and maintenance.
        XCTAssertEqual(try number("cost.gpu{ name = 'A800', price = 30000 }.hourly"), 2 * 15000.0 / 26280 + 0.052 + 3000.0 / 8760, accuracy: 1e-12)
        // No preset: every parameter given.
        XCTAssertEqual(try number("cost.gpu{ price = 8760, years = 1, power_kw = 1, electricity = 0.1, maintenance = 0 }.hourly"), 1.1, accuracy: 1e-12)
    }

    func testAUserCapExFunctionChangesTheCost() throws {
        try insertRun()
        // 250 a month for 36 months writes off 9000 of 15000: capital 9000 / (36 × 730) = 0.342466 $/h,
        // against the straight line's 15000 / 26280 = 0.570776.
        try lua("""
            plan = cost.capex{ price = 15000, years = 3, schedule = function(month, price) return 250 end }
            mine = cost.gpu{ name = 'A800', capex = plan }
            base = cost.gpu{ name = 'A800' }
            """)
        XCTAssertEqual(try number("plan.hourly"), 9000.0 / 26280, accuracy: 1e-12)
        XCTAssertEqual(try number("plan.total_depreciation"), 9000, accuracy: 1e-9)
        XCTAssertEqual(try number("mine.hourly"), 9000.0 / 26280 + 0.052 + 1500.0 / 8760, accuracy: 1e-12)
        XCTAssertEqual(try number("cost.of(run, mine).total / cost.of(run, base).total"),
                       (9000.0 / 26280 + 0.052 + 1500.0 / 8760) / (15000.0 / 26280 + 0.052 + 1500.0 / 8760), accuracy: 1e-12)
        // Built-in schedules: straight line gives the paper's term; financing at 12 % adds interest.
        XCTAssertEqual(try number("cost.capex{ price = 15000, years = 3 }.hourly"), 15000.0 / 26280, accuracy: 1e-12)
        XCTAssertGreaterThan(try number("cost.capex{ price = 15000, years = 3, financing = { rate = 0.12 } }.total_interest"), 0)
        XCTAssertEqual(try number("#cost.capex{ price = 12000, years = 3, method = 'declining' }.schedule"), 36)
        // A function that writes off more than the price is refused, naming the total.
        XCTAssertEqual(luaError("cost.capex{ price = 100, years = 1, schedule = function() return 50 end }")?
            .contains("custom schedule total must be ≤ price − residual (100), got 600"), true)
        XCTAssertEqual(luaError("cost.capex{ price = 100, years = 1, schedule = function() return 'x' end }")?
            .contains("must return a number of dollars for month 1"), true)
    }

    func testAUserSLAChangesGoodputAndCostPerGoodRequest() throws {
        try insertRun()
        try lua("c = cost.of(run, cost.cloud{ hourly = 3.6 })")
        XCTAssertEqual(try lua("return c.per_good_request"), [.nil], "no SLA, no per-good figure")
        // Run-level clauses: TTFT p50 of [0.5, 1, 2] = 1.0 ≤ 1.5 passes; success rate 0.75 < 0.9 fails by 0.15.
        try lua("ok = sla{ ttft_p50 = 1.5, success_rate = 0.9 }; v = ok(run)")
        XCTAssertEqual(try lua("return v.passed, v.failures[1], #v.failures"), [false, "success_rate", 1])
        XCTAssertEqual(try lua("return v.summary"), ["failed: success_rate 0.75 < 0.9 (-17%)"])
        XCTAssertEqual(try number("v.clauses[1].excess"), 0.15, accuracy: 1e-12)
        // Per-request: the derived TTFT bound 1.5 keeps #0 and #1 (good: 2 of 4); cost per good = 0.004 / 2.
        XCTAssertEqual(try number("cost.of(run, cost.cloud{ hourly = 3.6 }, { sla = ok }).per_good_request"), 0.002, accuracy: 1e-12)
        // A user's per-request function narrows it: only requests with 4+ output tokens (#0).
        try lua("picky = sla{ ttft_p50 = 1.5, per_request = function(r) return r.output_tokens >= 4 end, good_fraction = 0.5 }")
        XCTAssertEqual(try number("picky:goodput(run).good_requests"), 1)
        XCTAssertEqual(try number("picky:goodput(run).tokens_per_s"), 1.0, accuracy: 1e-12)   // 4 tokens / 4 s
        XCTAssertEqual(try number("cost.of(run, cost.cloud{ hourly = 3.6 }, { sla = picky }).per_good_request"), 0.004, accuracy: 1e-12)
        XCTAssertEqual(try lua("return picky(run).summary"), ["failed: good_fraction 0.25 < 0.5 (-50%)"])
        // Requests one by one, as run:each_request() yields them.
        XCTAssertEqual(try lua("local out = {} for r in run:each_request() do out[#out + 1] = picky:good(r) end return table.unpack(out)"),
                       [true, false, false, false])
    }

    func testQualityScoresAreStoredWithTheScorersName() throws {
        try insertRun()
        // exact (normalized): "Paris" = "paris" → 1; others 0 → 1/3 over 3 ok requests.
        XCTAssertEqual(try number("quality.score(run, 'exact').score"), 1.0 / 3, accuracy: 1e-12)
        // contains: "paris" ✓, "42" ✓, "yes" ✗ → 2/3.
        XCTAssertEqual(try number("quality.score(run, 'contains').score"), 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try number("quality.score(run, quality.numeric{ tolerance = 0 }).score"), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try number("quality.score(run, function(resp, exp, r) return r.idx == 2 end, { name = 'third' }).score"), 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(try lua("return #db.query(\"select * from request_scores where scorer = 'exact'\")"), [3])
        XCTAssertEqual(try lua("return db.query(\"select name, score from quality where source = 'scorer' order by name\")[1].name"), ["contains"])
        // Scoring again replaces, not duplicates.
        try lua("quality.score(run, 'exact')")
        XCTAssertEqual(try lua("return #db.query(\"select * from request_scores where scorer = 'exact'\")"), [3])
        // A set score feeds cost per quality point: 0.004 / 76.2.
        try lua("quality.set{ run = run, name = 'wineval', score = 76.2 }")
        XCTAssertEqual(try number("quality.get(run, 'wineval').score"), 76.2)
        XCTAssertEqual(try number("cost.of(run, cost.cloud{ hourly = 3.6 }, { quality = 'wineval' }).per_quality_point"), 0.004 / 76.2, accuracy: 1e-15)
        XCTAssertEqual(luaError("cost.of(run, cost.cloud{ hourly = 3.6 }, { quality = 'mmlu' })")?.contains("no quality score 'mmlu' for run 1"), true)
        XCTAssertEqual(luaError("quality.score(run, 'fuzzy')")?.contains("scorer must be 'exact', 'contains', a quality.* scorer or a function, got 'fuzzy'"), true)
        XCTAssertEqual(luaError("quality.regex('(')")?.contains("regex pattern must be a valid regular expression"), true)
    }

    func testLMEvalImport() throws {
        let file = dir.appendingPathComponent("results.json")
        try #"{"results": {"gsm8k": {"exact_match,strict-match": 0.25, "exact_match_stderr,strict-match": 0.02}}, "n-samples": {"gsm8k": {"effective": 50}}, "model_name": "qwen"}"#
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try host.vm.run("local s = quality.lm_eval(...) return #s, s[1].name, s[1].model, s[1].n", args: [.string(file.path)]),
                       [1, "gsm8k/exact_match,strict-match", "qwen", 50])
        XCTAssertEqual(try number("quality.get('qwen').score"), 0.25)
        try "{\"results\": 5}".write(to: file, atomically: true, encoding: .utf8)
        let e = (try? host.vm.run("return tostring(select(2, pcall(quality.lm_eval, ...)))", args: [.string(file.path)]))?.first?.string ?? ""
        XCTAssertTrue(e.contains("results.json: field 'results' must be an object, got number"), e)
        XCTAssertEqual(try lua("return #quality.list('qwen')"), [1], "a malformed file imports nothing")
    }

    func testWrongInputsAreRejectedWithClearMessages() throws {
        try insertRun()
        XCTAssertEqual(luaError("cost.gpu{ name = 'A800', price = -5 }"), "test:1: bad argument #1 to 'cost.gpu' (price must be ≥ 0, got -5)")
        XCTAssertEqual(luaError("cost.gpu{ name = 'A800', utilization = 0 }"), "test:1: bad argument #1 to 'cost.gpu' (utilization must be in (0, 1], got 0)")
        XCTAssertEqual(luaError("cost.gpu{ name = 'A800', utilization = 1.5 }"), "test:1: bad argument #1 to 'cost.gpu' (utilization must be in (0, 1], got 1.5)")
        XCTAssertEqual(luaError("cost.gpu{ name = 'A800', price = 'cheap' }"), "test:1: bad argument #1 to 'cost.gpu' (field 'price' must be a number, got string)")
        XCTAssertEqual(luaError("cost.gpu{ name = 'A800', prise = 1 }")?.contains("unknown field 'prise'"), true)
        XCTAssertEqual(luaError("cost.gpu{ name = 'Z9' }")?.contains("unknown GPU preset \"Z9\"; known presets: A800-80G"), true)
        XCTAssertEqual(luaError("cost.cloud{ hourly = -1 }")?.contains("hourly price must be ≥ 0, got -1"), true)
        XCTAssertEqual(luaError("cost.api{ input = 1, output = -2 }")?.contains("output price per 1M tokens must be ≥ 0, got -2"), true)
        XCTAssertEqual(luaError("cost.of(run, 'A800')")?.contains("bad argument #2 to 'cost.of' (hardware must be a cost.gpu{}, cost.cloud{} or cost.api{} table, got string)"), true)
        XCTAssertEqual(luaError("cost.of(run, cost.cloud{ hourly = 1 }, { utilization = 0 })")?.contains("utilization must be in (0, 1], got 0"), true)
        XCTAssertEqual(luaError("cost.of({}, cost.cloud{ hourly = 1 })")?.contains("run has no 'makespan'"), true)
        XCTAssertEqual(luaError("cost.of({ makespan = 1, requests = 1, succeeded = 1, gpus = 1 }, cost.cloud{ hourly = 1, gpus = 2 })")?
            .contains("bad argument #1 to 'cost.of' (run's gpus must be the hardware's count (2), got 1)"), true)
        XCTAssertEqual(luaError("cost.of({ makespan = 1, requests = 1, succeeded = 1, input_tokens = 5 }, cost.api{ input = 1, output = 1 })")?
            .contains("run has no 'output_tokens': an API bills tokens"), true)
        // Per-token figures appear only for the counts a hand-written run gives.
        XCTAssertEqual(try lua("local c = cost.of({ makespan = 3600, requests = 1, succeeded = 1, input_tokens = 1e6 }, cost.cloud{ hourly = 2 }) return c.per_1m_input, c.per_1m_tokens, c.per_1m_output, c.total_hourly"),
                       [2.0, .nil, .nil, 2.0])
        XCTAssertEqual(luaError("sla{ ttft_p42 = 1 }")?.contains("unknown SLA clause 'ttft_p42' (expected one of: ttft_mean"), true)
        XCTAssertEqual(luaError("sla{ throughput = 1 }")?.contains("unknown SLA clause 'throughput'"), true)
        XCTAssertEqual(luaError("sla{ ttft_p50 = -1 }")?.contains("SLA clause 'ttft_p50' must be a finite number ≥ 0"), true)
        XCTAssertEqual(luaError("sla{ ttft_p50 = 'fast' }")?.contains("field 'ttft_p50' must be a number, got string"), true)
        XCTAssertEqual(luaError("sla{ per_request = 5 }")?.contains("field 'per_request' must be a function, got number"), true)
        XCTAssertEqual(luaError("sla{ request = { itl = 1 } }")?.contains("unknown per-request SLA bound 'itl'"), true)
        XCTAssertEqual(luaError("local ok = sla{ ttft_p50 = 1 }; ok('run')")?.contains("bad argument #1 to 'sla' (table expected, got string)"), true)
        XCTAssertEqual(luaError("cost.tornado{ gpu = cost.gpu{ name = 'A800' }, ranges = { speed = {1, 2} } }")?.contains("unknown GPU parameter 'speed'"), true)
        XCTAssertEqual(luaError("frontier.pareto({ { cost = 1 } }, { cost = 'min', quality = 'max' })")?.contains("point 1 (1) has no number 'quality'"), true)
        XCTAssertEqual(luaError("frontier.pareto({ { cost = 1, q = 1 } }, { cost = 'min', q = 'up' })")?.contains("bad argument #2 to 'frontier.pareto'"), true)
    }

    func testFrontierFromLua() throws {
        try lua("""
            pts = { { name = 'a', cost = 1, quality = 50 }, { name = 'b', cost = 2, quality = 70 },
                    { name = 'c', cost = 3, quality = 60 }, { name = 'd', cost = 4, quality = 80 },
                    { name = 'e', cost = 8, quality = 82 } }
            p = frontier.pareto(pts, { cost = 'min', quality = 'max' }, { dominators = 'ids' })
            z = frontier.zone(pts)
            """)
        // c (3, 60) is dominated by b (2, 70) and d (4, 80)? d costs more: only b dominates it.
        XCTAssertEqual(try lua("return table.concat(p.front, ','), p.dominated[1].id, table.concat(p.dominated[1].by, ','), p.dominated[1].index, p.dominated[1].count"),
                       ["a,b,d,e", "c", "b", 3, 1])
        // By default only the front: nothing is listed for the other points.
        XCTAssertEqual(try lua("""
            local q = frontier.pareto(pts, { cost = 'min', quality = 'max' })
            local counted = frontier.pareto(pts, { cost = 'min', quality = 'max' }, { dominators = 'count' })
            return table.concat(q.front, ','), table.concat(q.indices, ','), q.dominated, counted.dominated[1].count, counted.dominated[1].by
            """), ["a,b,d,e", "1,2,4,5", .nil, 1, .nil])
        // Columns in: the same front; ids from the id column, else positions.
        XCTAssertEqual(try lua("""
            local cols = { cost = { 1, 2, 3, 4, 8 }, quality = { 50, 70, 60, 80, 82 } }
            local byPos = frontier.pareto(cols, { cost = 'min', quality = 'max' })
            cols.id = { 'a', 'b', 'c', 'd', 'e' }
            local k = frontier.knee(cols)
            return table.concat(byPos.front, ','), table.concat(frontier.pareto(cols, { cost = 'min', quality = 'max' }).front, ','), #frontier.hull(cols)
            """), ["1,2,4,5", "a,b,d,e", 4])
        // Points sharing an id are told apart by position in every result.
        XCTAssertEqual(try lua("""
            local twins = { { id = 'x', cost = 1, quality = 1 }, { id = 'x', cost = 2, quality = 3 }, { id = 'y', cost = 3, quality = 2 } }
            local h = frontier.hull(twins)
            return table.concat(frontier.pareto(twins, { cost = 'min', quality = 'max' }).front, ','), h[2].id, h[2].index
            """), ["x,x#2", "x#2", 2])
        // Ids are read in place and compared by their bytes: long ids (not interned by Lua),
        // ids made from run_id or position, and a string id equal to a made one.
        XCTAssertEqual(try lua("""
            local long = string.rep('m', 50)
            local pts = { { id = long, cost = 1, quality = 1 }, { id = string.rep('m', 50), cost = 2, quality = 3 },
                          { run_id = 5, cost = 3, quality = 4 }, { run_id = 5.0, cost = 4, quality = 5 },
                          { name = 'run 5', cost = 5, quality = 6 }, { cost = 6, quality = 7 }, { model = '6', cost = 7, quality = 8 } }
            local f = frontier.pareto(pts, { cost = 'min', quality = 'max' }).front
            return f[1] == long, f[2] == long .. '#2', table.concat(f, ',', 3)
            """), [true, true, "run 5,run 5#4,run 5#5,6,6#7"])
        // Short ids made at run time: Lua interns them, so equal ids are found by pointer.
        XCTAssertEqual(try lua("""
            local pts = {}
            for i = 1, 3 do pts[i] = { id = 'q' .. (i == 3 and 1 or i), cost = i, quality = i } end
            return table.concat(frontier.pareto(pts, { cost = 'min', quality = 'max' }).front, ',')
            """), ["q1,q2,q1#3"])
        // Many points, every one on the front: ids are read some rows after their point (the
        // bridge prefetches them), so each name must still land on its own point, in tables
        // and in an id column, with short, long, repeated and made ids mixed.
        XCTAssertEqual(try lua("""
            local pts, cols, want = {}, { cost = {}, quality = {}, id = {} }, {}
            for i = 1, 100 do
              local id = (i % 7 == 0) and string.rep('L', 45) .. (i % 3) or (i % 11 == 0) and nil or ('p' .. (i % 40))
              pts[i] = { id = id, run_id = (id == nil) and i or nil, cost = i, quality = i }
              cols.cost[i], cols.quality[i], cols.id[i] = i, i, id or i
            end
            local seen, seenc = {}, {}
            for i = 1, 100 do
              local id = pts[i].id or ('run ' .. i)
              want[i] = seen[id] and (id .. '#' .. i) or id
              seen[id] = true
            end
            local f, g = frontier.pareto(pts, { cost = 'min', quality = 'max' }).front, frontier.pareto(cols, { cost = 'min', quality = 'max' }).front
            local bad = {}
            for i = 1, 100 do
              if f[i] ~= want[i] then bad[#bad + 1] = 'table ' .. i .. ': ' .. tostring(f[i]) end
              local c = pts[i].id or tostring(i)
              if g[i] ~= (seenc[c] and (c .. '#' .. i) or c) then bad[#bad + 1] = 'column ' .. i .. ': ' .. tostring(g[i]) end
              seenc[c] = true
            end
            return #f, #g, table.concat(bad, '; ')
            """), [100, 100, ""])
        XCTAssertEqual(try lua("""
            local c = { cost = { 1, 2, 3 }, quality = { 1, 2, 3 }, id = { 7, 'x', 7 } }
            return table.concat(frontier.pareto(c, { cost = 'min', quality = 'max' }).front, ',')
            """), ["7,x,7#3"])
        XCTAssertEqual(luaError("frontier.pareto({ cost = { 1, 2 }, quality = { 1, 2 }, id = { 'a', true } }, { cost = 'min', quality = 'max' })")?
            .contains("field 'id' item 2 must be a string, got boolean"), true)
        XCTAssertEqual(luaError("frontier.pareto({ cost = { 1, 2 }, quality = { 1, 2 }, id = { 'a' } }, { cost = 'min', quality = 'max' })")?
            .contains("column 'cost' has 2 values for 1 points"), true)
        XCTAssertEqual(luaError("frontier.pareto({ { id = 'a', cost = 1, quality = 1 }, { id = 'b', cost = 0/0, quality = 1 } }, { cost = 'min', quality = 'max' })")?
            .contains("metric 'cost' of point 1 (id 'b') is not finite"), true)
        XCTAssertEqual(luaError("frontier.knee({ { id = 'a', cost = 1, quality = 1 }, { name = 'b', cost = 2, quality = 1/0 } })")?
            .contains("(id 'b') is not finite"), true)
        XCTAssertEqual(luaError("frontier.pareto({ cost = { 1, 2 }, quality = { 1 } }, { cost = 'min', quality = 'max' })")?
            .contains("column 'quality' has 1 values for 2 points"), true)
        XCTAssertEqual(luaError("frontier.pareto(pts, { cost = 'min', quality = 'max' }, { dominators = 'all' })")?
            .contains("field 'dominators' must be 'none', 'count' or 'ids', got 'all'"), true)
        // Quality per dollar 50, 35, 20, 10.25; within 20 % of the best (≥ 40): only a.
        XCTAssertEqual(try lua("return z.best, #z.ids, z.ids[1], z.frontier[2].quality_per_dollar"), ["a", 1, "a", 35.0])
        XCTAssertEqual(try lua("return #frontier.hull(pts), frontier.hull(pts)[4].id"), [4, "e"])
        XCTAssertEqual(try lua("return frontier.knee({ pts[1], pts[2] })"), [.nil], "two hull points: no knee")
        // Bootstrap of [1..5]: the mean is 3 and the interval holds it.
        XCTAssertEqual(try lua("local b = frontier.bootstrap({1, 2, 3, 4, 5}, { seed = 3 }) return b.estimate, b.lower < 3 and b.upper > 3"), [3.0, true])
        XCTAssertEqual(try lua("""
            local f = frontier.frequency({ { id = 'x', cost = {1, 1}, quality = {9, 9} }, { id = 'y', cost = {2, 2}, quality = {1, 1} } },
                                         { cost = 'min', quality = 'max' }, { resamples = 50 })
            return f[1].fraction, f[2].fraction
            """), [1.0, 0.0])
    }

    func testSaturationAndCheapestOverASweep() throws {
        // Run-like tables: cost per task = hourly × makespan / 3600 / count at $3.6/h = makespan / 1000 / count.
        try lua("""
            local function r(c, makespan, ttft) return { concurrency = c, makespan = makespan, requests = 100, succeeded = 100,
                                                         input_tokens = 1, output_tokens = 1, ttft = { p50 = ttft } } end
            sweep = { r(8, 2000, 0.2), r(16, 1000, 0.3), r(32, 600, 0.5), r(64, 580, 2.0) }
            hw = cost.cloud{ hourly = 3.6 }
            s = frontier.saturation(sweep, { hardware = hw })
            t = frontier.saturation(sweep, { hardware = hw, sla = sla{ ttft_p50 = 1.0 } })
            ch = frontier.cheapest(sweep, { hardware = hw, sla = sla{ ttft_p50 = 0.4 } })
            """)
        // Falls 50 %, 40 %, then 3.3 % (< 5 %) from 32 to 64: saturation at 32.
        XCTAssertEqual(try lua("return s.level, s.index, s.rule"), [32.0, 3, "diminishing_cost"])
        XCTAssertEqual(try number("s.cost_per_task"), 600.0 / 1000 / 100, accuracy: 1e-12)
        XCTAssertEqual(try lua("return t.level, t.rule"), [32.0, "diminishing_cost_and_sla"])
        // TTFT ≤ 0.4 holds at 8 and 16; 16 is cheaper.
        XCTAssertEqual(try lua("return ch.level, ch.index"), [16.0, 2])
    }

    func testCompareARunWithItselfAndWithAHandWrittenOne() throws {
        try insertRun()
        try lua("c = bench.compare(run, run, { hardware = cost.cloud{ hourly = 3.6 } })")
        XCTAssertEqual(try lua("for _, f in ipairs(c.figures) do if f.change ~= 0 then return f.metric end end return 'none'"), ["none"])
        XCTAssertEqual(try lua("for _, d in ipairs(c.differences) do if d.beyond_noise then return d.metric end end return #c.differences"), [6])
        // A table without run_id: figures only; relative change by hand (makespan 4 → 5: +25 %).
        try lua("h = bench.compare(run, { makespan = 5, requests = 4 })")
        XCTAssertEqual(try lua("for _, f in ipairs(h.figures) do if f.metric == 'makespan' then return f.relative end end"), [0.25])
        XCTAssertEqual(try lua("return h.differences"), [.nil])
    }

    func testHelpDocumentsEveryNewFunction() throws {
        for name in ["cost.gpu", "cost.cloud", "cost.api", "cost.of", "cost.capex", "cost.breakeven", "cost.tornado",
                     "cost.montecarlo", "cost.presets", "sla", "quality.set", "quality.score", "quality.lm_eval",
                     "frontier.pareto", "frontier.hull", "frontier.knee", "frontier.zone", "frontier.saturation",
                     "frontier.cheapest", "frontier.bootstrap", "frontier.intervals", "frontier.frequency", "bench.compare"] {
            XCTAssertNotNil(host.vm.docs[name], name)
        }
    }
}
