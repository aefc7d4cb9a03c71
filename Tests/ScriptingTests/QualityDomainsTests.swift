import Foundation
import LuaBridge
import XCTest

/// Multiple choice, needle and code workloads through Lua, against the test server
/// standing in for a model (accuracy 1: always right; 0: always wrong), scored from the
/// real replies and stored per request with the scorer's version and outcome.
final class QualityDomainsTests: HostTestCase {
    func writeProblems() throws -> String {
        let lines = [
            #"{"task_id": "t/0", "prompt": "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n", "canonical_solution": "    return a + b\n", "test": "def check(candidate):\n    assert candidate(2, 3) == 5\n", "entry_point": "add"}"#,
            #"{"task_id": "t/1", "prompt": "def neg(x):\n    \"\"\"Return -x.\"\"\"\n", "canonical_solution": "    return -x\n", "test": "def check(candidate):\n    assert candidate(4) == -4\n", "entry_point": "neg"}"#,
        ]
        let path = dir.appendingPathComponent("problems.jsonl").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func testEachDomainScoresOneWhenRightAndZeroWhenWrong() throws {
        let problems = try writeProblems()
        let script = """
            local items = {
              { question = 'What is 12 + 30?', choices = { '41', '42', '43', '44' }, answer = 'B' },
              { question = 'What is 7 + 8?', choices = { '15', '16' }, answer = 0 },
              { question = 'What is 20 + 5?', choices = { '24', '26', '25' }, answer = 'C', subject = 'arithmetic' },
            }
            local out = {}
            for _, accuracy in ipairs({ 1, 0 }) do
              local srv = bench.test_server{ ttft = 0, itl = 0, accuracy = accuracy, solutions = '\(problems)' }
              local function run(w) return bench.run{ target = srv, workload = w, concurrency = 2, keep_responses = true } end
              out[#out + 1] = quality.score(run(workload.multiple_choice(items, { max_tokens = 2 })), quality.choice()).score
              out[#out + 1] = quality.score(run(workload.needle{ lengths = { 100, 300 }, n = 2, seed = 3, max_tokens = 2 }), quality.numeric()).score
              local code = run(workload.humaneval('\(problems)', { samples = 3, max_tokens = 4 }))
              out[#out + 1] = quality.score(code, quality.code{ timeout = 20 }).score
              local p = quality.pass_at_k(code, { k = 2 })
              out[#out + 1] = p.score
              out[#out + 1] = p.problems
              srv:stop()
            end
            return table.unpack(out)
            """
        // Per accuracy: choice, needle, code (pass@1 as the item mean), pass@2, problems.
        XCTAssertEqual(try lua(script), [.double(1), .double(1), .double(1), .double(1), .int(2),
                                         .double(0), .double(0), .double(0), .double(0), .int(2)])
        let detail = try lua("return db.query(\"select detail from request_scores where scorer = 'code' order by run_id desc, idx limit 1\")[1].detail")
        let json = try XCTUnwrap(detail.first?.string)
        XCTAssertTrue(json.contains(#""outcome":"failed""#) && json.contains(#""version":1"#) && json.contains("AssertionError"), json)
        let letter = try lua("return db.query(\"select detail from request_scores where scorer = 'choice' order by run_id, idx limit 1\")[1].detail")
        XCTAssertEqual(letter.first?.string, #"{"letter":"B","version":1}"#)
        XCTAssertEqual(try lua("return db.query(\"select name from quality where name like 'pass@%' limit 1\")[1].name"), ["pass@2:code"])
    }

    /// With `target`, needle lengths are in that server's tokens: its /tokenize counts
    /// three haystacks and the line through them sizes every prompt. The subword test
    /// tokenizer counts these filler words at about 1.3 tokens each, so words alone come
    /// out ~30 % long; measured, the served means are within 2 % of 300 and 1,200.
    func testNeedleLengthsInTheTargetsTokens() throws {
        let r = try lua("""
            local s = bench.test_server{ ttft = 0, itl = 0, tokenizer = 'subword', accuracy = 1 }
            local out = {}
            for _, target in ipairs({ false, s }) do
              local wl = workload.needle{ lengths = { 300, 1200 }, n = 3, target = target or nil }
              local run = bench.run{ target = s, workload = wl, concurrency = 2, keep_responses = true,
                                     validity = { min_requests = 1, min_duration = 0 } }
              local sums = { 0, 0 }
              for q in run:each_request() do
                local k = q.workload_index < 3 and 1 or 2
                sums[k] = sums[k] + q.input_tokens / 3
              end
              out[#out + 1] = sums[1] / 300 - 1
              out[#out + 1] = sums[2] / 1200 - 1
              out[#out + 1] = quality.score(run, quality.numeric()).score
            end
            s:stop()
            return table.unpack(out)
            """)
        let n = r.compactMap(\.number)
        XCTAssertEqual(n.count, 6, "\(r)")
        guard n.count == 6 else { return }
        XCTAssertGreaterThan(n[0], 0.1, "words alone: too long on this tokenizer")
        XCTAssertEqual(n[3], 0, accuracy: 0.02, "300 in the target's tokens")
        XCTAssertEqual(n[4], 0, accuracy: 0.02, "1,200 in the target's tokens")
        XCTAssertEqual(n[5], 1, "the stand-in still finds every needle")
        XCTAssertEqual(luaError("workload.needle{ lengths = { 100 }, target = bench.openai{ url = 'http://127.0.0.1:1/v1', model = 'm' } }")?
            .contains("field 'target': could not count its tokens"), true)
        XCTAssertEqual(luaError("local s = bench.test_server{}; local ok, e = pcall(workload.needle, { lengths = { 100 }, target = s, tokens_per_word = 1.2 }); s:stop(); error(e)")?
            .contains("tokens_per_word"), true)
    }

    func testWorkloadsShowTheirRequests() throws {
        let problems = try writeProblems()
        XCTAssertEqual(try lua("""
            local w = workload.needle{ lengths = { 200 }, n = 3 }
            local r = w:get(2)
            return #w, r.meta.length, r.meta.depth, #r.expected, r.prompt:find('The secret code is ' .. r.expected, 1, true) ~= nil
            """), [.int(3), .int(200), .double(0.5), .int(6), .bool(true)])
        XCTAssertEqual(try lua("""
            local w = workload.humaneval('\(problems)', { samples = 2 })
            return #w, w:get(3).meta.task_id, w:get(3).prompt:sub(1, 7), json.decode(w:get(1).expected).entry_point
            """), [.int(4), .string("t/1"), .string("def neg"), .string("add")])
        XCTAssertEqual(try lua("return workload.multiple_choice({ { question = 'q?', choices = { 'x', 'y' }, answer = 'b' } }):get(1).expected"), ["B"])
    }

    func testBadInputNamesTheInputAndWhatWasExpected() throws {
        let problems = try writeProblems()
        XCTAssertEqual(luaError("workload.multiple_choice({ { question = 'q', choices = { 'a', 'b' }, answer = 'C' } })")?
            .contains("items[1] field 'answer' must be a letter A to B, got 'C'"), true)
        XCTAssertEqual(luaError("workload.multiple_choice({ { question = 'q', choices = { 'a', 'b' }, answer = 'A', hint = 1 } })")?
            .contains("items[1] has unknown field 'hint'"), true)
        XCTAssertEqual(luaError("workload.needle{ lengths = {} }")?.contains("lengths"), true)
        XCTAssertEqual(luaError("workload.needle{ lengths = { 100 }, depth = 1 }")?.contains("depth"), true)
        XCTAssertEqual(luaError("workload.humaneval('\(dir.path)/missing.jsonl')")?.contains("missing.jsonl"), true)
        XCTAssertEqual(luaError("quality.code{ timeout = 0 }")?.contains("timeout must be a number of seconds > 0"), true)
        XCTAssertEqual(luaError("quality.code{ timout = 1 }")?.contains("timout"), true)
        XCTAssertEqual(luaError("bench.test_server{ solutions = '\(problems)' }")?.contains("field 'solutions' needs 'accuracy'"), true)
    }
}
