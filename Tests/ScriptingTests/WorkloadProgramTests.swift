import XCTest
import LuaBridge
@testable import Scripting

/// Issue 14: workloads as Lua programs, against the built-in test server.
final class WorkloadProgramTests: HostTestCase {
    /// At 200 requests/s with one slot and 50 ms replies, the open loop cannot keep up:
    /// of the 100 requests due in 0.5 s about 10 are sent (one per reply), the others
    /// wait for the slot and are dropped when the duration ends.
    func testDropsAreCountedAtAnImpossibleRate() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.04, itl = 0.005 }
            local wl = workload.synthetic{ n = 200, seed = 1, input = 10, output = 3 }
            local r = bench.run{ target = srv, workload = wl, rate = 200, max_in_flight = 1, duration = 0.5,
                                 keep_order = true, tag = "drops" }
            local stored = bench.load(r.run_id)
            srv:stop()
            local o = r.offered
            local reason = table.concat(r.verdict.reasons, "; ")
            return o.planned, o.sent, r.requests, o.dropped, o.late, o.planned - o.sent - o.dropped,
                   r.valid, reason:find("dropped " .. o.dropped .. " of 200 planned", 1, true) ~= nil,
                   stored.offered.dropped == o.dropped, stored.offered.late == o.late
            """
        let v = try lua(script)
        XCTAssertEqual(v[0], 200)
        guard let sent = v[1].integer, let dropped = v[3].integer, let late = v[4].integer, let notDue = v[5].integer else {
            return XCTFail("\(v)")
        }
        XCTAssertEqual(v[2].integer, sent, "every sent request is stored")
        // 100 due in 0.5 s; a reply takes ≥ 50 ms, so at most 11 are sent (generous: 4…12).
        XCTAssertTrue((4...12).contains(sent), "sent \(sent)")
        // Due in the duration (0 to 495 ms, 100 requests): sent or dropped; the rest never came
        // due. An arrival just before the end may fire after it on a busy machine.
        XCTAssertTrue((95...100).contains(sent + dropped), "sent \(sent) + dropped \(dropped)")
        XCTAssertTrue((100...105).contains(notDue), "the half of the plan past the run's end never came due: \(notDue)")
        XCTAssertGreaterThan(dropped, 80)
        XCTAssertEqual(late, sent - 1, "all but the first waited for the slot")
        XCTAssertEqual(v[6], false)
        XCTAssertEqual(v[7], true, "the verdict names the drops")
        XCTAssertEqual(v[8], true)
        XCTAssertEqual(v[9], true)
    }
}

/// Request classes (item 1), traces (item 2), hooks (item 4), sessions (item 3), lengths (item 6).
final class WorkloadClassTests: HostTestCase {
    /// 7 chat requests (4-word prompts, 3 tokens) and 3 RAG requests (20 words, 6 tokens)
    /// at concurrency 1 against a server with TTFT 20 ms and 10 ms between tokens.
    static let mix = """
        local srv = bench.test_server{ ttft = 0.02, itl = 0.01 }
        local wl = workload.generate(10, function(i, rng)
          if i <= 7 then return { prompt = "one two three four", max_tokens = 3, class = "chat" } end
          return { prompt = string.rep("word ", 20), max_tokens = 6, class = "rag", meta = { docs = i } }
        end)
        local r = bench.run{ target = srv, workload = wl, concurrency = 1, tag = "classes", keep_order = true }
        srv:stop()
        """

    /// `run:each_request()` pushes pages through the record writer; an SLA's `per_request`
    /// gets the same request built field by field (`RequestTable.make`). Both must carry every
    /// field with the same value (the writer once dropped the workload's labels).
    func testRequestPagesCarryTheSameFieldsAsSingleRequests() throws {
        let script = Self.mix + """
            local single = {}
            sla{ per_request = function(q) single[q.idx] = q; return true end }:goodput(r)
            local pages, checked, differ = 0, 0, {}
            local function same(a, b)
              if type(a) ~= "table" then return a == b end
              for k, v in pairs(a) do if not same(v, b[k]) then return false end end
              for k in pairs(b) do if a[k] == nil then return false end end
              return true
            end
            for q in r:each_request() do
              pages = pages + 1
              local s = assert(single[q.idx], "no single table for request " .. q.idx)
              for k, v in pairs(s) do
                checked = checked + 1
                if k ~= "chunk_times" and not same(v, q[k]) then differ[#differ + 1] = k end
              end
              for k in pairs(q) do if s[k] == nil then differ[#differ + 1] = k end end
            end
            return pages, checked > 10 * pages, table.concat(differ, ",")
            """
        let v = try lua(script)
        XCTAssertEqual(v[0], 10)
        XCTAssertEqual(v[1], true)
        XCTAssertEqual(v[2], "", "fields that differ between a page and a single request")
    }

    func testPerClassFiguresByHand() throws {
        let script = Self.mix + """
            local by = r:by("class")
            local chat, rag = by.chat, by.rag
            local stored = bench.load(r.run_id):by("class")
            local metas, classes = 0, {}
            for q in r:each_request() do
              classes[q.class] = (classes[q.class] or 0) + 1
              if q.meta and q.meta.docs then metas = metas + 1 end
            end
            return chat.requests, rag.requests, chat.input_tokens, chat.output_tokens, rag.input_tokens, rag.output_tokens,
                   chat.cost_share, rag.cost_share, chat.makespan == r.makespan,
                   math.abs(chat.output_tokens_per_s + rag.output_tokens_per_s - r.output_tokens_per_s) < 1e-9,
                   chat.ttft.p50, chat.tpot.p50, chat.e2e.p50, rag.tpot.p50, rag.e2e.p50,
                   stored.rag.requests, stored.chat.cost_share == chat.cost_share, classes.chat, classes.rag, metas
            """
        let v = try lua(script)
        XCTAssertEqual(Array(v[0..<6]), [7, 3, 28, 21, 60, 18])
        // Cost share: the class's input + output tokens over the run's, 49/127 and 78/127.
        XCTAssertEqual(v[6].number ?? 0, 49.0 / 127, accuracy: 1e-12)
        XCTAssertEqual(v[7].number ?? 0, 78.0 / 127, accuracy: 1e-12)
        XCTAssertEqual(v[8], true, "a class's makespan is the run's")
        XCTAssertEqual(v[9], true, "class throughputs add up to the run's")
        // Timing: TTFT 20 ms, TPOT 10 ms, E2E 20 + 2·10 = 40 ms (chat) and 20 + 5·10 = 70 ms (RAG); the machine is shared.
        func near(_ x: LuaValue, _ expected: Double, _ what: String) {
            let d = x.number ?? -1
            XCTAssertTrue(d >= expected - 0.002 && d <= expected + 0.03, "\(what) \(d), expected about \(expected)")
        }
        near(v[10], 0.02, "chat TTFT p50")
        near(v[11], 0.01, "chat TPOT p50")
        near(v[12], 0.04, "chat E2E p50")
        near(v[13], 0.01, "RAG TPOT p50")
        near(v[14], 0.07, "RAG E2E p50")
        XCTAssertEqual(Array(v[15...]), [3, true, 7, 3, 3])
    }

    func testPerClassSLAsGoodputAndReport() throws {
        let out = dir.appendingPathComponent("classes.html").path
        let script = Self.mix + """
            local by = r:by("class")
            local chat_sla, rag_sla = sla{ e2e_p50 = 0.2 }, sla{ e2e_p50 = 0.065 }
            local fast = sla{ request = { e2e = 0.065 } }
            local g = fast:goodput(by.rag)
            report.html{ runs = { r }, out = "\(out)" }
            local d = dist.from_run(r, "output_tokens")
            return chat_sla(by.chat).passed, rag_sla(by.rag).passed, g.total, g.good_requests,
                   fast:goodput(by.chat).total, d.kind, d.values[1], d.values[2], d.weights[1], d.weights[2]
            """
        XCTAssertEqual(try lua(script), [true, false, 3, 0, 7, "empirical", 3, 6, 7.0, 3.0])
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(html.contains("By request class and turn") && html.contains("class rag") && html.contains("class chat"))
        XCTAssertEqual(luaError("local r = {} setmetatable(r, require('run')) return r:by('colour')")?.contains("\"class\" or \"turn\" expected"), true)
    }

    /// A simulated run of a classed workload is broken down by class too.
    func testSimulatedRunsByClass() throws {
        let script = """
            local wl = workload.generate(10, function(i)
              return { prompt = string.rep("w ", i <= 7 and 4 or 20), max_tokens = i <= 7 and 3 or 6, class = i <= 7 and "chat" or "rag" }
            end)
            local r = sim.run{ gpu = "A800-80G", model = "Qwen2.5-7B", workload = wl, concurrency = 2, tag = "sim-classes" }
            local by = r:by("class")
            return by.chat.requests, by.rag.requests, by.chat.output_tokens, by.rag.output_tokens, by.chat.cost_share
            """
        let v = try lua(script)
        XCTAssertEqual(Array(v[0..<4]), [7, 3, 21, 18])
        XCTAssertEqual(v[4].number ?? 0, 49.0 / 127, accuracy: 1e-12)
    }

    func testUnknownFieldsAreErrorsUnlessDeclared() throws {
        let file = dir.appendingPathComponent("t.jsonl")
        try "{\"prompt\": \"a b\", \"max_tokens\": 2, \"user\": \"u1\"}\n".write(to: file, atomically: true, encoding: .utf8)
        let e = (try? host.vm.run("return tostring(select(2, pcall(workload.jsonl, ...)))", args: [.string(file.path)]))?.first?.string ?? ""
        XCTAssertTrue(e.contains("t.jsonl:1: unknown field 'user'"), e)
        XCTAssertEqual(try host.vm.run("return workload.jsonl(..., { fields = { 'user' } }):get(1).meta.user", args: [.string(file.path)]), ["u1"])
        // Windows line ends: each line is a request.
        try "{\"prompt\": \"a\", \"max_tokens\": 2}\r\n{\"prompt\": \"b\", \"max_tokens\": 2}\r\n".write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try host.vm.run("local w = workload.jsonl(...) return #w, w:get(2).prompt", args: [.string(file.path)]), [2, "b"])
        XCTAssertEqual(luaError("workload.generate(1, function() return { prompt = 'x', max_tokens = 1, klass = 'chat' } end)")?
            .contains("unknown field 'klass'"), true)
    }
}

/// Traces replayed with their timing (item 2).
final class TraceReplayTests: HostTestCase {
    func testReplaySendTimesFollowTheTrace() throws {
        let file = dir.appendingPathComponent("trace.jsonl")
        let stamps = [3.0, 3.1, 3.15, 3.4, 3.41, 3.6, 3.9, 9.0]
        try stamps.enumerated().map { i, t in "{\"ts\": \(t), \"prompt\": \"request \(i)\", \"max_tokens\": 2}" }
            .joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        // Absolute clock from the first stamp, window [0, 1) of trace time, twice as fast.
        let script = """
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002 }
            local w = workload.trace(..., { time_field = "ts", clock = "absolute", speed = 2, window = { from = 0, to = 1 } })
            local r = bench.run{ target = srv, workload = w, tag = "replay" }
            srv:stop()
            local out = {}
            for q in r:each_request() do out[#out + 1] = { q.intended, q.sent } end
            return #w, r.requests, r.settings.load, out
            """
        let v = try host.vm.run(script, args: [.string(file.path)])
        XCTAssertEqual(Array(v[0..<3]), [7, 7, "trace"], "the stamp at 9.0 is outside the window")
        guard case .array(let rows) = v[3] else { return XCTFail("\(v)") }
        let expected = stamps.prefix(7).map { ($0 - 3.0) / 2 }
        var lags: [Double] = []
        for (row, want) in zip(rows, expected) {
            let intended = row[1].number ?? -1, sent = row[2].number ?? -1
            XCTAssertEqual(intended, want, accuracy: 1e-9)
            lags.append(sent - intended)
        }
        // Sends within a few ms of the trace (generous: the machine is shared).
        XCTAssertEqual(lags.count, 7)
        XCTAssertTrue(lags.allSatisfy { $0 > -0.001 && $0 < 0.05 }, "\(lags)")
        XCTAssertLessThan(lags.sorted()[3], 0.01, "median lag \(lags.sorted())")
    }

    func testAzureTraceLengthsAndTimes() throws {
        let file = dir.appendingPathComponent("azure.csv")
        try """
            TIMESTAMP,ContextTokens,GeneratedTokens
            2023-11-16 18:15:46.6805900,30,4
            2023-11-16 18:15:46.7805900,12,0
            2023-11-16 18:15:47.1805900,50,2
            2023-11-16 18:16:50.0000000,9,9
            """.write(to: file, atomically: true, encoding: .utf8)
        let script = """
            local w = workload.trace(..., { window = { to = 10 } })
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002 }
            local r = bench.run{ target = srv, workload = w, tag = "azure", tokenizer = "none" }
            srv:stop()
            local served = {}
            for q in r:each_request() do served[#served + 1] = q.input_tokens .. "/" .. q.output_tokens .. "@" .. string.format("%.3f", q.intended) end
            return #w, w:get(1).input_tokens, w:get(1).max_tokens, w:get(2).max_tokens, served
            """
        let v = try host.vm.run(script, args: [.string(file.path)])
        XCTAssertEqual(Array(v[0..<4]), [3, 30, 4, 1])
        XCTAssertEqual(v[4], .array(["30/4@0.000", "12/1@0.100", "50/2@0.500"]), "prompts made to the trace's context lengths")
        try "TIMESTAMP,ContextTokens,GeneratedTokens,Region\n2023-11-16 18:15:46.68,3,4,eu\n".write(to: file, atomically: true, encoding: .utf8)
        let e = (try? host.vm.run("return tostring(select(2, pcall(workload.trace, ...)))", args: [.string(file.path)]))?.first?.string ?? ""
        XCTAssertTrue(e.contains("azure.csv:1: unknown column 'Region'"), e)
        XCTAssertEqual(try host.vm.run("return #workload.trace(..., { fields = { 'Region' } })", args: [.string(file.path)]), [1])
        try "TIMESTAMP,ContextTokens,GeneratedTokens\nyesterday,3,4\n".write(to: file, atomically: true, encoding: .utf8)
        let e2 = (try? host.vm.run("return tostring(select(2, pcall(workload.trace, ...)))", args: [.string(file.path)]))?.first?.string ?? ""
        XCTAssertTrue(e2.contains("azure.csv:2: TIMESTAMP 'yesterday' is not a time"), e2)
    }
}

/// Response hooks (item 4) and sessions (item 3).
final class HookAndSessionTests: HostTestCase {
    /// 20 requests at 20/s (one second of schedule); the hook sleeps 0.3 s per response,
    /// six seconds in all. Sends keep to the schedule: the hook runs after the fact.
    func testASleepingHookDoesNotDelaySends() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.01, itl = 0.002 }
            local wl = workload.synthetic{ n = 20, seed = 3, input = 8, output = 2 }
            local calls, done_requests = 0, nil
            local r = bench.run{ target = srv, workload = wl, rate = 20, tag = "hook", tokenizer = "none",
              on_response = function(q) calls = calls + 1 sys.sleep(0.3) end,
              on_done = function(run) done_requests = run.requests end }
            srv:stop()
            return calls, r.requests, done_requests, r.send_lag.max
            """
        let v = try lua(script)
        XCTAssertEqual(Array(v[0..<3]), [20, 20, 20])
        let lag = v[3].number ?? 1
        XCTAssertLessThan(lag, 0.1, "a request was sent \(lag) s late: the hook delayed the load generator")
    }

    /// Each response of an agent step below 3 asks for the next step: 4 chains of 3 steps.
    func testFollowUpsFromOnResponseAreSentAndStored() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002 }
            local wl = workload.generate(4, function(i) return { prompt = "task " .. i, max_tokens = 2, class = "agent", meta = { step = 1 } } end)
            local r = bench.run{ target = srv, workload = wl, concurrency = 2, tag = "agent", keep_responses = true,
              on_response = function(q)
                if q.meta.step < 3 then
                  return { prompt = "step " .. (q.meta.step + 1), max_tokens = 2, class = "agent", meta = { step = q.meta.step + 1 } }
                end
              end }
            srv:stop()
            local steps = {}
            for q in r:each_request() do steps[q.meta.step] = (steps[q.meta.step] or 0) + 1 end
            return r.requests, r.offered.planned, r.offered.sent, steps[1], steps[2], steps[3], r:by("class").agent.requests
            """
        XCTAssertEqual(try lua(script), [12, 12, 12, 4, 4, 4, 12])
        XCTAssertEqual(luaError("""
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002 }
            local ok, e = pcall(bench.run, { target = srv, workload = workload.synthetic{ n = 2, input = 3, output = 2 }, concurrency = 1,
              on_response = function() return 5 end })
            srv:stop()
            error(e)
            """)?.contains("on_response returned number"), true)
    }

    /// 3 sessions of 4 turns, 2 at a time; the server echoes how many messages it received.
    func testSessionsCarryHistoryInOrderOnOneSlot() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002, echo = true }
            local wl = workload.sessions{ n = 3, turns = 4, think_time = 0.05, input = 6, output = 3, seed = 1 }
            local chat = bench.openai{ url = srv.url, model = "frontier-test", api = "chat" }
            -- The warm-up sends first turns as single requests: they keep no slot.
            local r = bench.run{ target = chat, workload = wl, concurrency = 2, tag = "sessions", warmup = 2 }
            srv:stop()
            local rows, echoes = {}, 0
            for q in r:each_request() do
              rows[#rows + 1] = { q.session, q.turn, q.sent, q.ended }
              if q.response:find("received " .. (2 * q.turn - 1) .. " message", 1, true) then echoes = echoes + 1 end
            end
            local by = r:by("turn")
            return r.requests, echoes, by[1].requests, by[4].requests, by[4].ttft ~= nil, rows
            """
        let v = try lua(script)
        XCTAssertEqual(Array(v[0..<5]), [12, 12, 3, 3, true], "turn k carries 2k − 1 messages: the history and the previous answers")
        guard case .array(let rows) = v[5] else { return XCTFail("\(v)") }
        var bySession: [Int: [(turn: Int, sent: Double, ended: Double)]] = [:]
        for row in rows {
            guard let s = row[1].integer, let t = row[2].integer, let sent = row[3].number, let ended = row[4].number else { return XCTFail("\(row)") }
            bySession[s, default: []].append((t, sent, ended))
        }
        XCTAssertEqual(bySession.count, 3)
        var lastEnds: [Double] = []
        for (_, turns) in bySession {
            let ordered = turns.sorted { $0.sent < $1.sent }
            XCTAssertEqual(ordered.map(\.turn), [1, 2, 3, 4], "turns in order")
            for (a, b) in zip(ordered, ordered.dropFirst()) {
                XCTAssertGreaterThanOrEqual(b.sent, a.ended + 0.05 - 0.002, "think time after the answer")
            }
            lastEnds.append(ordered[3].ended)
        }
        // Two slots: the third session starts only once one of the first two has ended.
        let firstSends = bySession.values.map { $0.min { $0.sent < $1.sent }?.sent ?? 0 }.sorted()
        XCTAssertGreaterThanOrEqual(firstSends[2], lastEnds.sorted()[0] - 0.001)
    }

    /// A Lua function builds each turn from the conversation so far and the previous
    /// turn's request; returning nil ends a session early.
    func testSessionTurnsFromALuaFunction() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002, echo = true }
            local seen = {}
            local wl = workload.sessions{ n = 2, turns = 3, seed = 2,
              turn = function(s, prev)
                if prev then seen[#seen + 1] = s.session .. ":" .. s.turn .. ":" .. #s.messages .. ":" .. tostring(prev.response:match("received (%d+)")) end
                if s.session == 2 and s.turn == 3 then return nil end
                local m = {}
                for _, x in ipairs(s.messages) do m[#m + 1] = x end
                m[#m + 1] = { role = "user", content = "question " .. s.turn }
                return { messages = m, max_tokens = 2 }
              end }
            local chat = bench.openai{ url = srv.url, model = "frontier-test", api = "chat" }
            local r = bench.run{ target = chat, workload = wl, concurrency = 2, tag = "lua-turns" }
            srv:stop()
            table.sort(seen)
            return r.requests, r:by("turn")[3].requests, table.concat(seen, " ")
            """
        // Turn 2 sees 2 messages (question, answer) and an answer to 1 message; turn 3 sees 4 and 3.
        XCTAssertEqual(try lua(script), [5, 1, "1:2:2:1 1:3:4:3 2:2:2:1 2:3:4:3"])
    }

    /// With a rate, sessions start at that rate and each turn follows its answer.
    func testSessionsInAnOpenLoop() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.005, itl = 0.002 }
            local wl = workload.sessions{ n = 4, turns = 3, think_time = 0.02, input = 5, output = 2 }
            local r = bench.run{ target = srv, workload = wl, rate = 20, tag = "open-sessions" }
            srv:stop()
            local starts = 0
            for q in r:each_request() do if q.turn == 1 and q.intended then starts = starts + 1 end end
            return r.requests, r.offered.planned, r.offered.dropped, starts, r:by("turn")[3].requests
            """
        XCTAssertEqual(try lua(script), [12, 12, 0, 4, 4])
        XCTAssertEqual(luaError("sim.run{ gpu = 'A800-80G', model = 'Qwen2.5-7B', concurrency = 1, workload = workload.sessions{ n = 1 } }")?
            .contains("a session workload needs a server"), true)
    }

    func testLengthDistributionsPeopleSee() throws {
        let script = """
            local tail = workload.synthetic{ n = 2000, seed = 9, input = 5, output = dist.long_tail{ median = 100, sigma = 0.5, tail = 0.1, alpha = 1.2, cap = 4000 } }
            local over, max = 0, 0
            for i = 1, #tail do
              local m = tail:get(i).max_tokens
              if m > 228 then over = over + 1 end   -- the body's 95th percentile, 100·e^(1.645·0.5)
              if m > max then max = m end
            end
            local think = workload.synthetic{ n = 50, seed = 1, input = 5, output = dist.thinking{ answer = 100, ratio = 6 } }
            local span = workload.synthetic{ n = 200, seed = 1, input = 5, output = dist.thinking{ answer = 100, ratio = { min = 4, max = 8 } } }
            local lo, hi = math.huge, 0
            for i = 1, #span do local m = span:get(i).max_tokens lo = math.min(lo, m) hi = math.max(hi, m) end
            return over, max, think:get(7).max_tokens, lo, hi
            """
        let v = try lua(script)
        // Over the body's p95: 5 % of the body (90 % of draws) + the whole tail (10 %) ≈ 14.5 % of 2,000 = 290.
        let over = v[0].integer ?? 0
        XCTAssertTrue((200...380).contains(over), "\(over) over the body's p95")
        XCTAssertLessThanOrEqual(v[1].integer ?? .max, 4000, "capped")
        XCTAssertEqual(v[2], 700, "answer 100 + 6 × 100 reasoning tokens")
        XCTAssertTrue((v[3].integer ?? 0) >= 500 && (v[4].integer ?? 0) <= 900, "\(v)")
        XCTAssertEqual(luaError("dist.long_tail{ median = 100, sigma = 0.5, cap = 50 }")?.contains("median <= cap"), true)
    }
}

fileprivate extension LuaValue {
    /// Item `i` (1-based, as in Lua) of an array.
    subscript(_ i: Int) -> LuaValue {
        if case .array(let a) = self, i >= 1, i <= a.count { return a[i - 1] }
        return .nil
    }
}
