import XCTest
import LuaBridge
import Metrics
import Runs
@testable import Scripting

/// `frontier.diagnose` from Lua: findings with the documented fields on run-like tables and
/// on a stored run, and clear errors for bad input. The rules themselves are tested with
/// hand-computed sweeps in FrontierMathTests/DiagnosisTests.swift.
final class DiagnoseTests: HostTestCase {
    /// Run-like tables at $3.60 per GPU-hour: cost per request = makespan / 100,000.
    /// healthy: 0.02, 0.01, 0.006, 0.004 (falls of 50%, 40%, 33%), TTFT growth ≤ 1.17× a level.
    /// sick: the client busy 95% at 32; at 64 TTFT p50 0.12 → 0.96 s (8×, p99 likewise), cost
    /// 0.006 → 0.0059 (a fall of 1.7% < 5%) at flat quality, 8 of 100 requests failed or truncated.
    func makeSweeps() throws {
        try lua("""
            local function r(c, makespan, p50, extra)
              local t = { concurrency = c, makespan = makespan, requests = 100, succeeded = 100, failed = 0, truncated = 0,
                          input_tokens = 20000, output_tokens = 5000, ttft = { p50 = p50, p99 = 2 * p50 }, quality = 0.8,
                          client_cpu = { busiest_thread = 0.3 } }
              for k, v in pairs(extra or {}) do t[k] = v end
              return t
            end
            hw = cost.cloud{ hourly = 3.6 }
            healthy = { r(8, 2000, 0.10), r(16, 1000, 0.11), r(32, 600, 0.12), r(64, 400, 0.14) }
            sick = { r(64, 590, 0.96, { failed = 6, truncated = 2, succeeded = 92 }), r(8, 2000, 0.10), r(16, 1000, 0.11),
                     r(32, 600, 0.12, { client_cpu = { busiest_thread = 0.95 } }) }
            """)
    }

    func testAHealthySweepHasNoFinding() throws {
        try makeSweeps()
        XCTAssertEqual(try lua("local f = frontier.diagnose(healthy, { hardware = hw }) return type(f), #f"), ["table", 0])
        XCTAssertEqual(try lua("return #frontier.diagnose(healthy)"), [0], "options are optional")
    }

    func testFindingsCarryTheirFields() throws {
        try makeSweeps()
        try lua("f = frontier.diagnose(sick, { hardware = hw, sla = sla{ ttft_p50 = 0.5 } })")
        XCTAssertEqual(try lua("local out = {} for i, x in ipairs(f) do out[i] = x.kind .. '@' .. x.level end return table.concat(out, ' ')"),
                       ["client_bound@32.0 ttft_jump@64.0 past_optimal_zone@64.0 error_burst@64.0"])
        XCTAssertEqual(try lua("return f[2].evidence"), [.string(
            "TTFT p50 rose 8× from 120 ms at concurrency 32 to 960 ms at 64, against an expected 2× (the load grew 2×, "
            + "earlier steps a median 1.1×); TTFT p99 rose 8× from 240 ms at concurrency 32 to 1.92 s at 64, against an "
            + "expected 2× (the load grew 2×, earlier steps a median 1.1×).")])
        XCTAssertEqual(try lua("return f[2].advice"), [.string(
            "Reduce concurrency to 32, the level before the jump: from 64 the server ran out of memory for its KV cache "
            + "or its scheduler began queueing requests. It meets the SLA.")])
        XCTAssertEqual(try lua("return f[2].text:sub(1, 40)"), ["ttft_jump at concurrency 64: TTFT p50 ro"])
        XCTAssertEqual(try lua("return f[3].evidence"), [.string(
            "Cost per request fell only 1.7% from 0.006 at concurrency 32 to 0.0059 at 64 (less than the 5% a level should save), "
            + "while quality rose by no more than 1% (0.8 to 0.8).")])
        XCTAssertEqual(try lua("return f[4].evidence, f[1].evidence"), [
            "8% of requests failed or were truncated (8 of 100), more than 5%.",
            "The client's busiest thread was busy 95% of the run, more than 90%.",
        ])
        XCTAssertEqual(try lua("return f[1].run_id, type(f[1].advice), f[1].model"), [.nil, "string", .nil], "hand-written runs have no id")
        // Without hardware the cost rule has nothing to read; thresholds move the others.
        XCTAssertEqual(try lua("local g = frontier.diagnose(sick, { client_cpu = 0.96, error_rate = 0.1, ttft_jump = 10 }) return #g"), [0])
    }

    /// 40 requests every 0.5 s, ended 0.2 s after sending; those sent at 10 … 13.5 s (8)
    /// failed with a 503 after 0.1 s. 8 of 40 = 20% > 5%; the window from 10.1 s to 15.1 s
    /// holds the 8 failures and the two ok requests ending at 14.2 and 14.7 s: 8 of 10.
    func testAStoredRunsErrorsInTime() throws {
        let records = (0..<40).map { i -> RequestRecord in
            let sent = Double(i) * 0.5
            if (20..<28).contains(i) {
                return RequestRecord(index: i, sent: sent, ended: sent + 0.1, httpStatus: 503, status: .error, errorKind: .http5xx, error: "503")
            }
            return RequestRecord(index: i, sent: sent, firstToken: sent + 0.1, ended: sent + 0.2, chunkTimes: [0.1, 0.2],
                                 inputTokens: 10, outputTokens: 2, httpStatus: 200, status: .ok)
        }
        let store = try RunStore(path: dir.appendingPathComponent("test.db").path)
        let id = try store.createRun(RunMeta(tag: "burst", target: "http://127.0.0.1:1/v1", model: "m", concurrency: 4,
                                             rate: nil, settings: "{}"), startedAt: 0)
        store.append(run: id, records.map { ($0, RunStore.RequestExtra(workloadIndex: $0.index, expected: nil)) })
        try store.flush()
        try store.finishRun(id, status: "completed", endedAt: 20, summary: try RunSummary(records: records).json(), verdict: nil)
        store.close()
        try lua("f = frontier.diagnose({ bench.load(\(id)) })")
        XCTAssertEqual(try lua("return #f, f[1].kind, f[1].level, f[1].run_id"), [1, "error_burst", 4.0, .int(Int(id))])
        XCTAssertEqual(try lua("return f[1].evidence"), [.string(
            "20% of requests failed or were truncated (8 of 40), more than 5%; 8 of the 10 requests ending between 10.1 s and "
            + "15.1 s of the run failed (http_5xx 8).")])
        XCTAssertEqual(try lua("return f[1].text:sub(1, 38)"), [.string("error_burst at concurrency 4 (run \(id)): ")])
    }

    func testQueueingAndTokenizersFromTables() throws {
        try lua("""
            local function o(rate, p50, intended) return { rate = rate, requests = 100, succeeded = 100,
                ttft = { p50 = p50 }, ttft_from_intended = { p50 = intended } } end
            q = frontier.diagnose({ o(1, 0.10, 0.10), o(2, 0.11, 0.12), o(4, 0.13, 0.50), o(8, 0.14, 2.0) })
            -- The paper's example: 2.11M input tokens against about 1.3M on one test set of 1,000 prompts.
            local function m(model, tokens, extra)
              local t = { concurrency = 8, model = model, requests = 1000, succeeded = 1000, input_tokens = tokens,
                          settings = { workload = 'test set' } }
              for k, v in pairs(extra or {}) do t[k] = v end
              return t
            end
            t = frontier.diagnose({ m('a', 1.30e6), m('b', 1.29e6), m('mistral-small', 2.11e6), m('c', 1.31e6) })
            w = frontier.diagnose({ m('a', 1.30e6, { settings = { tokens_per_word = 1.62 } }) })
            """)
        XCTAssertEqual(try lua("return #q, q[1].kind, q[1].level"), [1, "queueing", 4.0])
        XCTAssertEqual(try lua("return #t, t[1].kind, t[1].model, t[1].level"), [1, "tokenizer_mismatch", "mistral-small", .nil])
        XCTAssertEqual(try lua("return t[1].evidence"), [.string(
            "mistral-small used 2,110 input tokens per request on the workload 'test set', 1.6× the median 1,300 of the other "
            + "models (a 1,300, b 1,290, c 1,310).")])
        XCTAssertEqual(try lua("return w[1].kind, w[1].evidence"), [
            "tokenizer_mismatch", "At concurrency 8: the server counts 1.62 tokens per prompt word, 1.6× the 1 of the usual tokenizers."])
    }

    /// A simulated sweep far from saturation: TTFT grows about as fast as the load
    /// (3.5× and 3.9× for 4× the load), nothing fails, and no client runs.
    func testASimulatedHealthySweepHasNoFinding() throws {
        try lua("""
            wl = workload.synthetic{ n = 40, seed = 3, input = 200, output = 30 }
            s = sim.sweep{ gpu = 'A800', gpus = 2, model = 'Llama-3.1-8B', workload = wl, concurrency = {1, 4, 16}, tag = 'd' }
            d = frontier.diagnose(s)
            """)
        XCTAssertEqual(try lua("local out = {} for i, x in ipairs(d) do out[i] = x.text end return table.concat(out, '\\n')"), [""])
        XCTAssertEqual(try lua("return type(d), #d"), ["table", 0])
    }

    func testBadInputIsRefusedNamingIt() throws {
        try makeSweeps()
        let cases: [(String, String)] = [
            ("frontier.diagnose({})", "bad argument #1 to 'frontier.diagnose' (a non-empty list of runs expected (e.g. what bench.sweep returns), got an empty list)"),
            ("frontier.diagnose(healthy[1])", "a list of runs expected, got a table with named fields (one run? pass { run })"),
            ("frontier.diagnose(5)", "a non-empty list of runs expected (e.g. what bench.sweep returns), got number"),
            ("frontier.diagnose({ 'x' })", "item 1 must be a run table, got string"),
            ("frontier.diagnose({ { makespan = 1 } })", "run 1 has no concurrency or rate"),
            ("frontier.diagnose({ healthy[1], healthy[1] })", "items 1 and 2 are both at concurrency 8 of one sweep"),
            ("frontier.diagnose({ { concurrency = 1, requests = 1.5 } })", "run 1: field 'requests' must be a whole number ≥ 0, got 1.5"),
            ("frontier.diagnose(healthy, { ttft_jmp = 3 })", "bad argument #2 to 'frontier.diagnose' (unknown field 'ttft_jmp' (expected one of: "),
            ("frontier.diagnose(healthy, { ttft_jump = 1 })", "field 'ttft_jump' must be > 1, got 1"),
            ("frontier.diagnose(healthy, { error_rate = 'high' })", "field 'error_rate' must be a number, got string"),
            ("frontier.diagnose(healthy, { burst_errors = 0 })", "field 'burst_errors' must be ≥ 1, got 0"),
            ("frontier.diagnose(healthy, { sla = 'fast' })", "field 'sla' must be an sla{} object, got string"),
            ("frontier.diagnose(healthy, { quality = 3 })", "field 'quality' must be the name of a stored score"),
            ("frontier.diagnose(healthy, { hardware = 'A800' })", "hardware must be a cost.gpu{}, cost.cloud{} or cost.api{} table, got string"),
            ("frontier.diagnose(healthy, { cost = function() return 'x' end })", "field 'cost': the function must return a number for run 1"),
            ("frontier.diagnose(healthy, 'fast')", "bad argument #2 to 'frontier.diagnose'"),
        ]
        for (code, expected) in cases {
            let message = luaError(code)
            XCTAssertTrue(message?.contains(expected) == true, "\(code): \(message ?? "no error")")
        }
        XCTAssertEqual(try lua("local ok, e = pcall(frontier.diagnose, {}) return e.code"), ["bad_argument"])
    }

    func testHelpDocumentsIt() throws {
        let doc = host.vm.docs["frontier.diagnose"]
        XCTAssertNotNil(doc)
        XCTAssertTrue(doc?.args.contains("ttft_jump=3") == true && doc?.args.contains("client_cpu=0.9") == true)
    }
}
