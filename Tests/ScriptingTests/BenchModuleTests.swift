import XCTest
import LuaBridge
@testable import Scripting

/// bench.*, workload.*, dist.* from Lua, against the built-in test server.
final class BenchModuleTests: HostTestCase {
    func testTargetsAndDistributionsAreCheckedWithClearMessages() throws {
        XCTAssertEqual(try lua("return bench.openai{url = 'http://127.0.0.1:9/v1', model = 'm', api = 'chat'}.api"), ["chat"])
        XCTAssertEqual(luaError("bench.openai{model = 'm'}"), "test:1: bad argument #1 to 'bench.openai' (field 'url' (base URL ending in /v1) is required)")
        XCTAssertEqual(luaError("bench.openai{url = 'http://x/v1', model = 'm', api = 'soap'}")?.contains("field 'api' must be 'completions' or 'chat', got 'soap'"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'http://x/v1', model = 'm', modle = 1}")?.contains("unknown field 'modle'"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'nope', model = 'm'}")?.contains("http:// or https://"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'http://x/v1', model = 'm', timeout = {total = -1}}")?.contains("'timeout.total' must be a positive number"), true)
        XCTAssertEqual(try lua("return dist.lognormal{median = 400, sigma = 0.6}"), [["kind": "lognormal", "median": 400.0, "sigma": 0.6]])
        XCTAssertEqual(luaError("dist.uniform{min = 10, max = 5}")?.contains("uniform needs 1 <= min <= max"), true)
        XCTAssertEqual(luaError("dist.normal{mean = 'x', sd = 1}")?.contains("field 'mean' must be a number, got string"), true)
        XCTAssertEqual(luaError("workload.synthetic{n = 5, input = {kind = 'zipf'}, output = 5}")?.contains("unknown kind 'zipf'"), true)
        XCTAssertEqual(luaError("bench.run{workload = workload.synthetic{n = 1, input = 5, output = 5}, concurrency = 1}")?
            .contains("field 'target' must be a bench.openai{...} table or a test server, got nil"), true)
    }

    func testWorkloadsFromJSONLAndFromLua() throws {
        let good = dir.appendingPathComponent("good.jsonl")
        try """
            {"prompt": "What is 2+2?", "max_tokens": 8, "expected": "4", "meta": {"topic": "math"}}

            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}], "max_tokens": 4}
            """.write(to: good, atomically: true, encoding: .utf8)
        XCTAssertEqual(try host.vm.run("local w = workload.jsonl(...) return #w, w:get(1).expected, w:get(1).meta.topic, w:get(2).messages[1].role",
                                       args: [.string(good.path)]), [2, "4", "math", "system"])
        let bad = dir.appendingPathComponent("bad.jsonl")
        try "{\"prompt\": \"ok\", \"max_tokens\": 3}\n{\"prompt\": 5, \"max_tokens\": 3}\n".write(to: bad, atomically: true, encoding: .utf8)
        let e = (try? host.vm.run("return tostring(select(2, pcall(workload.jsonl, ...)))", args: [.string(bad.path)]))?.first?.string ?? ""
        XCTAssertTrue(e.contains("bad.jsonl:2: 'prompt' must be a string"), e)
        try "{\"prompt\": \"no length\"}\n".write(to: bad, atomically: true, encoding: .utf8)
        let e2 = (try? host.vm.run("return tostring(select(2, pcall(workload.jsonl, ...)))", args: [.string(bad.path)]))?.first?.string ?? ""
        XCTAssertTrue(e2.contains("bad.jsonl:1: needs 'max_tokens'"), e2)
        XCTAssertEqual(try host.vm.run("return #workload.jsonl(..., {max_tokens = 7})", args: [.string(bad.path)]), [1])
        let missing = (try? host.vm.run("return tostring(select(2, pcall(workload.jsonl, '/nonexistent/x.jsonl')))"))?.first?.string ?? ""
        XCTAssertTrue(missing.contains("cannot read /nonexistent/x.jsonl"), missing)

        // A workload written in Lua is the same for the same seed.
        let gen = """
            local function make(seed)
              return workload.generate(20, function(i, rng)
                return { prompt = rng:words(rng:int(5, 50)), max_tokens = rng:length(dist.uniform{min = 1, max = 9}) }
              end, seed)
            end
            local a, b, c = make(3), make(3), make(4)
            local same, differ = true, false
            for i = 1, #a do
              if a:get(i).prompt ~= b:get(i).prompt or a:get(i).max_tokens ~= b:get(i).max_tokens then same = false end
              if a:get(i).prompt ~= c:get(i).prompt then differ = true end
            end
            return same, differ
            """
        XCTAssertEqual(try lua(gen), [true, true])
        XCTAssertEqual(luaError("workload.generate(2, function() return 5 end)")?.contains("returned number for request 1"), true)
        XCTAssertEqual(luaError("workload.generate(2, function() error('in my generator') end)")?.contains("in my generator"), true)
    }

    /// A test server with `accuracy` answers arithmetic prompts in its last token, so a
    /// scorer grades real responses: accuracy 1 scores 1, accuracy 0 scores 0.
    func testTheTestServerAnswersQuestionsAScorerGrades() throws {
        let script = """
            local function questions() return workload.generate(20, function(i, rng)
              local a, b = rng:int(10, 99), rng:int(10, 99)
              return { prompt = 'What is ' .. a .. ' + ' .. b .. '?', expected = tostring(a + b), max_tokens = 3 }
            end, 4) end
            local scores = {}
            for _, accuracy in ipairs({ 1, 0 }) do
              local srv = bench.test_server{ ttft = 0, itl = 0, accuracy = accuracy }
              local r = bench.run{ target = srv, workload = questions(), concurrency = 4, keep_responses = true }
              srv:stop()
              scores[#scores + 1] = quality.score(r, quality.numeric()).score
            end
            local ok, err = pcall(bench.test_server, { accuracy = 2 })
            return scores[1], scores[2], err.message
            """
        let r = try lua(script)
        XCTAssertEqual(Array(r.prefix(2)), [1.0, 0.0])
        XCTAssertTrue(r[2].string?.contains("field 'accuracy' must be a probability in 0...1, got 2.0") == true, "\(r[2])")
    }

    func testRunSweepStoredRunsAndRequests() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.02, itl = 0.005 }
            local wl = workload.synthetic{ n = 12, seed = 5, input = 30, output = 6 }
            local runs = bench.sweep{ target = srv, workload = wl, concurrency = {1, 2, 4}, tag = "sweep", keep_responses = true }
            local stored = bench.runs{ tag = "sweep" }
            local r = runs[3]
            local n, chunks, text = 0, 0, nil
            for q in r:each_request() do
              n = n + 1
              -- chunk times are read from the store when first touched, then kept
              assert(rawget(q, 'chunk_times') == nil and #q.chunk_times > 0 and rawget(q, 'chunk_times') ~= nil)
              chunks = chunks + #q.chunk_times
              text = text or q.response
            end
            local again = bench.load(r.run_id)
            srv:stop()
            return #runs, #stored, runs[1].concurrency, runs[3].concurrency, r.requests, r.succeeded, n, chunks,
                   type(text), again.ttft.p50 == r.ttft.p50, again.status, tostring(r):match('^run %d+') ~= nil,
                   r.output_tokens, r.verdict.valid, #r.verdict.reasons > 0
            """
        XCTAssertEqual(try lua(script), [3, 3, 1, 4, 12, 12, 12, 72, "string", true, "completed", true, 72, false, true])
        XCTAssertEqual(try lua("return db.query('select count(*) as n from requests')[1].n"), [36])
    }

    func testPagesOfAnotherStoreReuseItsConnectionUntilTheFileIsReplaced() throws {
        // run:each_request() asks for a page at a time with db = the run's file: the
        // connection is kept between pages, and a file removed and made again is read anew.
        XCTAssertEqual(try lua("""
            local path = os.tmpname()
            os.remove(path)
            local function simulate(n)
              return sim.run{ gpu = 'A800', model = 'Qwen2.5-7B', concurrency = 4, db = path,
                              workload = workload.synthetic{ n = n, seed = 1, input = 20, output = 4 } }
            end
            local first = simulate(5)
            local k = 0
            for _ in first:each_request() do k = k + 1 end
            local pages = #bench.request_page(first.run_id, { limit = 2, db = path }) + #bench.request_page(first.run_id, { after = 1, db = path })
            for _, f in ipairs{ path, path .. '-wal', path .. '-shm' } do os.remove(f) end
            local second = simulate(3)
            local n = #bench.request_page(second.run_id, { db = path })
            for _, f in ipairs{ path, path .. '-wal', path .. '-shm' } do os.remove(f) end
            return k, pages, n
            """), [5, 5, 3])
    }

    func testOnProgressReturningFalseStopsTheRunAndTheSweep() throws {
        let script = """
            local srv = bench.test_server{ ttft = 0.05, itl = 0.01 }
            local wl = workload.synthetic{ n = 400, seed = 1, input = 10, output = 5 }
            local calls = 0
            local runs = bench.sweep{ target = srv, workload = wl, concurrency = {2, 4}, tag = "stop",
              on_progress = function(p) calls = calls + 1 assert(p.total == 400) return false end }
            srv:stop()
            return #runs, runs[1].status, runs[1].requests < 400, calls
            """
        XCTAssertEqual(try lua(script), [1, "stopped", true, 1])
        XCTAssertEqual(try lua("return db.query(\"select status from runs where tag = 'stop'\")[1].status"), ["stopped"])
        // An error inside on_progress stops the run (status failed) and reaches the script.
        let err = luaError("""
            local srv = bench.test_server{ ttft = 0.05, itl = 0.01 }
            local wl = workload.synthetic{ n = 400, seed = 1, input = 10, output = 5 }
            bench.run{ target = srv, workload = wl, concurrency = 2, tag = "boom", on_progress = function() error('progress broke') end }
            """) ?? ""
        XCTAssertTrue(err.contains("progress broke"), err)
        XCTAssertEqual(try lua("return db.query(\"select status from runs where tag = 'boom'\")[1].status"), ["failed"])
    }

    func testAbsurdNumbersAreRefusedNotCrashes() throws {
        XCTAssertEqual(luaError("bench.openai{url = 'http://127.0.0.1:9/v1', model = 'm', timeout = {total = 1e12}}")?.contains("in (0, 1e6]"), true)
        XCTAssertEqual(luaError("dist.lognormal{median = 1e300, sigma = 1}")?.contains("lognormal needs"), true)
        XCTAssertEqual(luaError("dist.normal{mean = 0/0, sd = 1}")?.contains("normal needs"), true)
        XCTAssertEqual(luaError("dist.empirical{values = {1e300}}")?.contains("whole numbers"), true)
        XCTAssertEqual(luaError("workload.generate(1, function(i, rng) return {prompt = rng:words(1e9), max_tokens = 1} end)")?.contains("1 to 1e6"), true)
        XCTAssertEqual(try lua("""
            local ok = pcall(workload.generate, 3, function(i, rng)
              local n = rng:int(math.mininteger, math.maxinteger)
              return { prompt = 'x', max_tokens = 1 + (n % 5) } end)
            return ok
            """), [true])
        let srv = "local srv = bench.test_server{} local wl = workload.synthetic{n = 2, input = 5, output = 2} "
        XCTAssertEqual(luaError(srv + "bench.run{target = srv, workload = wl, rate = 1e-12}")?.contains("rate must be from 0.001"), true)
        // The stored run reads back with the same client_cpu names as the live one.
        XCTAssertEqual(try lua(srv + "local r = bench.run{target = srv, workload = wl, concurrency = 1} local back = bench.load(r.run_id) srv:stop() return type(back.client_cpu.busiest_thread), type(back.client_cpu.seconds)"),
                       ["number", "number"])
    }
}
