import XCTest
import LuaBridge
@testable import Scripting

final class HostTests: HostTestCase {
    func testJSONRoundTripAndErrors() throws {
        XCTAssertEqual(try lua("return json.encode({b = 1, a = {1, 2.5, 'x'}, c = true})"), [#"{"a":[1,2.5,"x"],"b":1,"c":true}"#])
        XCTAssertEqual(try lua(#"return json.decode('{"k": [1, 2.5, null, "s"], "z": false}')"#),
                       [["k": .table(["1": 1, "2": 2.5, "4": "s"]), "z": false]])
        XCTAssertEqual(luaError("json.decode('{nope')")?.hasPrefix("test:1: invalid JSON"), true)
        XCTAssertEqual(luaError("json.encode(print)"), "test:1: bad argument #1 to 'json.encode' (argument is a function, which cannot be converted to data)")
        XCTAssertEqual(luaError("json.encode(0/0)")?.contains("not a finite number"), true)
    }

    /// Tab after `r:` on a run table offers its methods (the class's functions), and an
    /// unterminated short string is an error at once, not a silent continuation prompt.
    func testREPLCompletesRunMethodsAndReportsAnUnfinishedString() throws {
        try lua("r = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = workload.synthetic{ n = 2, input = 5, output = 2 }, concurrency = 1 }")
        XCTAssertTrue(host.completions(for: "r:").contains("r:each_request"), "\(host.completions(for: "r:"))")
        XCTAssertEqual(host.completions(for: "r:each"), ["r:each_request"])
        XCTAssertTrue(host.completions(for: "r.").contains("r.makespan"), "fields after a dot")
        guard case .error(let message) = host.replEval("x = \"abc") else { return XCTFail("an unfinished string is an error") }
        XCTAssertTrue(message.contains("unfinished string"), message)
        XCTAssertEqual(host.replEval("x = \"abc\\"), .more, "a backslash continues a short string")
        XCTAssertEqual(host.replEval("x = [[abc"), .more, "a long string goes on")
        XCTAssertEqual(host.replEval("for i = 1, 2 do"), .more)
    }

    func testArgTableLikeStandardLua() throws {
        try host.setArguments(script: "s.lua", arguments: ["8,16", "x"], interpreter: ["frontier"])
        XCTAssertEqual(try lua("return arg[0], arg[1], arg[2], arg[-1], #arg"), ["s.lua", "8,16", "x", "frontier", 2])
    }

    func testRequireFindsStdlibScriptDirAndFrontierPath() throws {
        let scriptDir = dir.appendingPathComponent("proj")
        let extra = dir.appendingPathComponent("extra")
        for d in [scriptDir, extra] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        try "return { name = 'beside the script' }".write(to: scriptDir.appendingPathComponent("mymod.lua"), atomically: true, encoding: .utf8)
        try "return { name = 'from FRONTIER_PATH' }".write(to: extra.appendingPathComponent("extramod.lua"), atomically: true, encoding: .utf8)
        host.close()
        host = try makeHost(script: scriptDir.appendingPathComponent("main.lua").path, extra: ["FRONTIER_PATH": extra.path])
        XCTAssertEqual(try lua("return require('mymod').name, require('extramod').name, type(require('pretty').format)"),
                       ["beside the script", "from FRONTIER_PATH", "function"])
    }

    func testMissingStdlibIsAClearError() {
        XCTAssertThrowsError(try ScriptHost(.init(databasePath: ":memory:", environment: [:], executable: "/nonexistent/bin/frontier"))) { error in
            XCTAssertTrue("\(error)".contains("FRONTIER_PATH"), "\(error)")
        }
    }

    func testHelpAndDocsCoverEveryBinding() throws {
        let md = try host.apiMarkdown()
        for name in ["db.query(sql, ...)", "db.transaction(fn)", "json.encode(value)", "database:query(sql, ...)",
                     "help([fn | module | 'name'])", "show(...)", "pretty.format(value)", "sys.clock()"] {
            XCTAssertTrue(md.contains("`\(name)`"), "missing \(name)")
        }
        XCTAssertFalse(md.contains("__index"))
        // Every documented function has a summary.
        for d in host.vm.docs.values { XCTAssertFalse(d.summary.isEmpty, d.name) }
    }

    func testREPLEvaluation() throws {
        XCTAssertEqual(host.replEval("1 + 1"), .ok("2"))
        XCTAssertEqual(host.replEval("x = 10"), .ok(nil))
        XCTAssertEqual(host.replEval("x, 'a'"), .ok("10\ta"))
        XCTAssertEqual(host.replEval("for i = 1, 2 do"), .more)
        XCTAssertEqual(host.replEval("for i = 1, 2 do\nx = x + i\nend"), .ok(nil))
        XCTAssertEqual(host.replEval("x"), .ok("13"))
        guard case .error(let m) = host.replEval("error('bad')") else { return XCTFail() }
        XCTAssertTrue(m.hasPrefix("stdin:1: bad"), m)
        guard case .error(let s) = host.replEval("x = = 1") else { return XCTFail() }
        XCTAssertTrue(s.contains("unexpected symbol"), s)
        XCTAssertEqual(host.replEval("x"), .ok("13"), "state survives errors")
    }

    func testPrettyPrinting() throws {
        XCTAssertEqual(host.replEval("{b = 2, a = {1, 2}, ['with space'] = true}"), .ok(#"{ a = { 1, 2 }, b = 2, ["with space"] = true }"#))
        XCTAssertEqual(host.replEval("{{name = 'a', n = 1}, {name = 'bb', n = 22.5}}"),
                       .ok("   n  name\n----  ----\n   1  a\n22.5  bb"))
        guard case .ok(let long?) = host.replEval("local t = {} for i = 1, 100 do t[i] = i end return t") else { return XCTFail() }
        XCTAssertTrue(long.contains("… (70 more)"), long)
        guard case .ok(let cyc?) = host.replEval("local t = {} t.me = t return t") else { return XCTFail() }
        XCTAssertEqual(cyc, "{ me = <cycle> }")
        guard case .ok(let rows?) = host.replEval("db.query('select 2 as z, 1 as a')") else { return XCTFail() }
        XCTAssertEqual(rows, "z  a\n-  -\n2  1")
    }
}
