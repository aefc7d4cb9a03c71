import XCTest
import LuaBridge
@testable import Scripting

final class DBModuleTests: HostTestCase {
    func testQueryReturnsRowsWithTypesAndNilForNull() throws {
        let r = try lua("return db.query('select 1 as i, 2.5 as r, \"x\" as s, null as n')")
        XCTAssertEqual(r, [[["i": 1, "r": 2.5, "s": "x"]]])
        XCTAssertEqual(try lua("local row = db.query('select 7 as i')[1] return math.type(row.i)"), ["integer"])
        XCTAssertEqual(try lua("return getmetatable(db.query('select 1 as b, 2 as a')).columns"), [["b", "a"]])
    }

    func testParametersAreBoundNeverSpliced() throws {
        try lua("db.exec('create table notes (id integer primary key, body text, score real, flag integer)')")
        let nasty = "it's \"quoted\"'); drop table notes; --"
        try host.vm.run("local n, id = db.exec('insert into notes (body, score, flag) values (?, ?, ?)', ..., 0.5, true) assert(n == 1 and id == 1)",
                        args: [.string(nasty)])
        XCTAssertEqual(try lua("return db.query('select body from notes where body = ?', (db.query('select body from notes')[1].body))[1].body"),
                       [.string(nasty)])
        XCTAssertEqual(try lua("return db.query('select flag, score from notes')"), [[["flag": 1, "score": 0.5]]])
        XCTAssertTrue(try lua("return db.tables()").first.map { "\($0)" }?.contains("notes") ?? false)
        // Named parameters.
        XCTAssertEqual(try lua("return db.query('select :a + :b as s', {a = 2, b = 3})[1].s"), [5])
        XCTAssertEqual(try lua("return db.exec('update notes set score = :s', {s = 1.5})"), [1, 1])
        // nil binds NULL.
        XCTAssertEqual(try lua("return db.query('select ? is null as missing', nil)[1].missing"), [1])
    }

    /// db.columns: the same query as db.query, one list per column; NULL leaves a hole.
    func testColumnsReturnOneListPerColumn() throws {
        try lua("db.exec('create table pts (x, y)') db.exec('insert into pts values (1, 2.5), (2, null), (3, \"c\")')")
        XCTAssertEqual(try lua("local c = db.columns('select x, y from pts order by x') return #c.x, c.x[3], c.y[1], c.y[2], c.y[3]"),
                       [3, 3, 2.5, .nil, "c"])
        XCTAssertEqual(try lua("local c = db.default():columns('select x from pts where x > ?', 1) return #c.x, c.x[1]"), [2, 2])
        XCTAssertEqual(try lua("return getmetatable(db.query('select x from pts')).columns[1]"), ["x"])
        XCTAssertNotNil(luaError("db.columns('delete from pts')"))
    }

    func testSchemaIsThereForMeasurement() throws {
        let tables = try lua("return db.tables()")
        guard case .array(let names)? = tables.first else { return XCTFail("\(tables)") }
        XCTAssertTrue(names.contains("runs") && names.contains("requests"), "\(names)")
        try lua("db.exec(\"insert into runs (source, tag, settings) values ('simulated', 'x', '{}')\")")
        XCTAssertEqual(try lua("return db.query('select status, source from runs')[1]"), [["status": "running", "source": "simulated"]])
    }

    func testErrorsAreClearAndCatchable() throws {
        XCTAssertEqual(luaError("db.query(42)"), "test:1: bad argument #1 to 'db.query' (string expected, got number)")
        XCTAssertEqual(luaError("db.query('select ?', {1, 2})")?.contains("bad argument #2 to 'db.query'"), true)
        XCTAssertEqual(luaError("db.query('select ?', {})")?.contains("no value for ?1"), true)
        let bad = luaError("db.query('selec 1')") ?? ""
        XCTAssertTrue(bad.hasPrefix("test:1:") && bad.contains("syntax error"), bad)
        XCTAssertEqual(try lua("return pcall(db.query, 'select * from nope')").first, false)
        // A CHECK constraint from the schema.
        XCTAssertNotNil(luaError("db.exec(\"insert into runs (source) values ('guessed')\")"))
    }

    func testQueryOnlyReadsAndDeletingRunsIsBenchDelete() throws {
        try lua("""
            wl = workload.synthetic{ n = 6, seed = 1, input = 20, output = 4 }
            for i = 1, 3 do sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 2, tag = i < 3 and 'a' or 'b' } end
            """)
        // A write through db.query is refused before it runs, naming exec; nothing changed.
        let e = luaError("db.query('delete from runs')") ?? ""
        XCTAssertTrue(e.contains("runs only statements that read") && e.contains("exec") && e.contains("delete from runs"), e)
        XCTAssertNotNil(luaError("db.query('update runs set tag = :t', { t = 'x' })"))
        XCTAssertNotNil(luaError("db.query('pragma user_version = 3')"))
        XCTAssertEqual(try lua("return #db.query('select * from runs'), db.query('pragma integrity_check')[1].integrity_check"), [3, "ok"])
        XCTAssertEqual(try lua("return db.query('with x(n) as (select 1) select n from x')[1].n"), [1])
        // bench.delete: a run, a list, a tag; requests go with them.
        XCTAssertEqual(try lua("return bench.delete{ run = 1 }, #bench.runs(), db.query('select count(*) as n from requests where run_id = 1')[1].n"),
                       [1, 2, 0])
        XCTAssertEqual(try lua("return bench.delete{ tag = 'b' }, #bench.runs()"), [1, 1])
        XCTAssertEqual(try lua("return bench.delete{ runs = { bench.load(2) } }, db.query('select count(*) as n from requests')[1].n"), [1, 0])
        // Bad input names what was expected and deletes nothing.
        try lua("kept = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 2 }.run_id")
        XCTAssertEqual(luaError("bench.delete{ runs = { kept, 99 } }")?.contains("99"), true)
        XCTAssertEqual(try lua("return #bench.runs()"), [1])
        XCTAssertEqual(luaError("bench.delete{ run = kept, tag = 'a' }")?.contains("give one of 'run', 'runs', 'sweep' or 'tag', not run and tag"), true)
        XCTAssertEqual(luaError("bench.delete{ run = 'four' }")?.contains("field 'run' must be a run id or a stored run table, got string"), true)
        try lua("db.exec(\"update runs set status = 'running' where run_id = ?\", kept)")
        XCTAssertEqual(luaError("bench.delete{ run = kept }")?.contains("still running"), true)
    }

    func testTransactionsCommitOrRollBack() throws {
        try lua("db.exec('create table t (x)')")
        XCTAssertEqual(try lua("return db.transaction(function() db.exec('insert into t values (1)') return 'done' end)"), ["done"])
        let err = luaError("db.transaction(function() db.exec('insert into t values (2)') error('abort!') end)") ?? ""
        XCTAssertTrue(err.contains("abort!"), err)
        XCTAssertEqual(try lua("return db.query('select count(*) as n from t')[1].n"), [1])
    }

    func testOpenHandles() throws {
        let other = dir.appendingPathComponent("other.db").path
        try host.vm.run("""
            local h = db.open(...)
            h:exec('create table z (v)')
            h:exec('insert into z values (?)', 'hello')
            assert(h:query('select v from z')[1].v == 'hello')
            assert(h.path == ...)
            assert(tostring(h):find('other.db'))
            h:close()
            local ok, e = pcall(h.query, h, 'select 1')
            assert(not ok and e:find('closed'), e)
            """, args: [.string(other)])
        // The bad-self message names the type.
        XCTAssertEqual(luaError("local h = db.default() h.query(1, 'x')")?.contains("(database expected, got number)"), true)
    }

    func testNonSQLiteFileGivesClearErrorAndIsUntouched() throws {
        let path = dir.appendingPathComponent("notes.txt").path
        let original = Data("these are my notes, not a database\n".utf8)
        try original.write(to: URL(fileURLWithPath: path))
        let err = (try? host.vm.run("return db.open(...)", args: [.string(path)])).map { "\($0)" }
            ?? ((try? host.vm.run("local ok, e = pcall(db.open, ...) return tostring(e)", args: [.string(path)]))?.first?.string ?? "")
        XCTAssertTrue(err.contains("notes.txt") && err.lowercased().contains("not a"), err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), original)
    }
}
