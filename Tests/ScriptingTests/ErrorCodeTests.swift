import XCTest
import LuaBridge
@testable import Scripting

/// Each structured-error code, provoked for real from Lua: the code, the message
/// (with its `file:line:` prefix, as before codes), tostring and string methods.
final class ErrorCodeTests: HostTestCase {
    /// Runs `call` (an expression that raises) under pcall; returns code, message,
    /// tostring(err), err:match(pattern), field.
    func caught(_ call: String, match pattern: String) throws -> (code: String?, message: String?, text: String?,
                                                                 matched: String?, field: String?) {
        let r = try lua("""
            local ok, e = pcall(function() \(call) end)
            assert(not ok, 'no error')
            assert(type(e) == 'table', 'a string error: ' .. tostring(e))
            return e.code, e.message, tostring(e), e:match(\(quoted(pattern))), e.field
            """)
        func s(_ i: Int) -> String? { i < r.count ? r[i].string : nil }
        return (s(0), s(1), s(2), s(3), s(4))
    }

    private func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "\\'") + "'" }

    func testBadArgument() throws {
        let e = try caught("db.query(42)", match: "bad argument #(%d)")
        XCTAssertEqual(e.code, "bad_argument")
        XCTAssertEqual(e.message, "test:1: bad argument #1 to 'db.query' (string expected, got number)")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "1")
        XCTAssertNil(e.field)
    }

    func testBadArgumentNamesTheField() throws {
        let e = try caught("workload.synthetic{n = 0, input = 10, output = 10}", match: "field '(%w+)'")
        XCTAssertEqual(e.code, "bad_argument")
        XCTAssertEqual(e.field, "n")
        XCTAssertEqual(e.matched, "n")
        XCTAssertEqual(e.message?.hasPrefix("test:1: bad argument #1 to 'workload.synthetic' (field 'n'"), true, "\(e)")
        XCTAssertEqual(e.text, e.message)
    }

    func testNotFoundRun() throws {
        let e = try caught("bench.load(99999)", match: "no run (%d+)")
        XCTAssertEqual(e.code, "not_found")
        XCTAssertEqual(e.message?.hasPrefix("test:1: no run 99999 in "), true, "\(e)")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "99999")
    }

    func testNotFoundPreset() throws {
        let e = try caught("cost.gpu{name = 'NoSuchGPU'}", match: "unknown GPU preset \"(%w+)\"")
        XCTAssertEqual(e.code, "not_found")
        XCTAssertEqual(e.matched, "NoSuchGPU")
        XCTAssertEqual(e.message?.hasPrefix("test:1: bad argument #1 to 'cost.gpu'"), true, "\(e)")
        XCTAssertEqual(e.text, e.message)
    }

    func testNotFoundFile() throws {
        let e = try caught("workload.jsonl('/nonexistent/x.jsonl')", match: "cannot read (%S+)")
        XCTAssertEqual(e.code, "not_found")
        XCTAssertEqual(e.matched, "/nonexistent/x.jsonl:")
        XCTAssertEqual(e.text, e.message)
    }

    func testParse() throws {
        let e = try caught("json.decode('{\"a\": ')", match: "invalid (JSON)")
        XCTAssertEqual(e.code, "parse")
        XCTAssertEqual(e.message?.hasPrefix("test:1: invalid JSON"), true, "\(e)")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "JSON")
    }

    func testInterrupted() throws {
        // Ctrl-C arriving while a binding waits: as SIGINT would, from another thread.
        let t = Thread { usleep(200_000); LuaVM.interrupt() }
        t.start()
        let e = try caught("sys.sleep(10)", match: "(interrupted)!")
        XCTAssertEqual(e.code, "interrupted")
        XCTAssertEqual(e.message, "test:1: interrupted!")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "interrupted")
        _ = LuaVM.takeInterrupt()
    }

    func testCtrlCStopsALongQuery() throws {
        // A query that would count for minutes; Ctrl-C from another thread after 300 ms.
        let t = Thread { usleep(300_000); LuaVM.interrupt() }
        t.start()
        let started = Date()
        let e = try caught("""
            db.query('with recursive c(n) as (select 1 union all select n + 1 from c where n < 1e11) select count(*) from c')
            """, match: "(interrupted)!")
        XCTAssertEqual(e.code, "interrupted")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "stopped long before the end")
        _ = LuaVM.takeInterrupt()
        XCTAssertEqual(try lua("return db.query('select 2 as n')[1].n"), [2], "the store works after")
    }

    func testStoreBusy() throws {
        // A second host is a second SQLite connection to the same file.
        let other = try makeHost()
        defer { other.close() }
        try lua("db.exec('create table t (v)')")
        try other.vm.run("db.query('select count(*) from t')")
        // This connection holds the write lock until the end of the test.
        try lua("db.exec('begin immediate') db.exec('insert into t values (1)')")
        defer { _ = try? lua("db.exec('rollback')") }
        let r = try other.vm.run("""
            local ok, e = pcall(db.exec, 'insert into t values (2)')
            return e.code, e.message, tostring(e), e:match('database is (%a+)')
            """, chunkName: "=other")
        XCTAssertEqual(r.first, "store_busy", "\(r)")
        // Called by pcall directly: no Lua caller, so no position (as Lua's own errors).
        XCTAssertEqual(r[1].string?.hasPrefix("SQLite error 5 (database is locked)"), true, "\(r)")
        XCTAssertEqual(r[2], r[1])
        XCTAssertEqual(r[3], "locked")
    }

    func testHTTP() throws {
        // A server cannot listen on a port another one holds: a real bind failure.
        let r = try lua("""
            local first = bench.test_server{}
            local ok, e = pcall(function() return bench.test_server{port = first.port} end)
            first:stop()
            return e.code, e.message, tostring(e), e:match('listen on [%d.]+:(%d+)'), first.port
            """)
        XCTAssertEqual(r.first, "http", "\(r)")
        XCTAssertEqual(r[1].string?.hasPrefix("test:2: "), true, "\(r)")
        XCTAssertEqual(r[2], r[1])
        XCTAssertEqual(r[3].string.flatMap { Int($0) }, r[4].integer)
    }

    func testStoreOther() throws {
        let e = try caught("db.query('select * from no_such_table')", match: "no such (table)")
        XCTAssertEqual(e.code, "store")
        XCTAssertEqual(e.message?.hasPrefix("test:1: SQL error: no such table"), true, "\(e)")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "table")
    }

    func testStoreClosed() throws {
        let path = dir.appendingPathComponent("other.db").path
        let e = try caught("local h = db.open('\(path)') h:close() h:query('select 1')", match: "is (closed)")
        XCTAssertEqual(e.code, "store")
        XCTAssertEqual(e.message, "test:1: database \(path) is closed")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "closed")
    }

    func testRuntime() throws {
        // A failure with no more telling code: the script's generator returned a number.
        let e = try caught("workload.generate(2, function(i) return 42 end)", match: "returned (%a+) for request (%d)")
        XCTAssertEqual(e.code, "runtime")
        XCTAssertEqual(e.message?.hasPrefix("test:1: workload.generate: the function returned number"), true, "\(e)")
        XCTAssertEqual(e.text, e.message)
        XCTAssertEqual(e.matched, "number")
    }

    func testScriptsThatTreatErrorsAsStrings() throws {
        // Patterns common in scripts before errors had codes keep working.
        XCTAssertEqual(try lua("""
            local ok, e = pcall(bench.load, 99999)
            local s = 'failed: ' .. e
            return s:find('no run', 1, true) ~= nil, e:find('no run') ~= nil, (e:gsub('%d+', 'N')):match('no run N'),
                   string.format('%s', e):match('^no run %d+') ~= nil
            """), [true, true, "no run N", true])
    }

    func testUncaughtErrorReadsAsBefore() throws {
        XCTAssertEqual(luaError("local x = 1\nbench.load(99999)")?.hasPrefix("test:2: no run 99999 in "), true)
    }
}
