import XCTest
@testable import Store

final class QueryTests: StoreTestCase {
    /// forEachRow reads each column with the type asked for, as SQLValue's accessors do.
    func testRowsAreReadInPlaceWithTheirTypes() throws {
        let db = try makeDatabase()
        try db.execute("CREATE TABLE t (a, b, c, d)")
        try db.execute("INSERT INTO t VALUES (1, 2.5, 'x', x'0102'), (NULL, 3, '', x'')")
        var seen: [String] = []
        try db.forEachRow("SELECT a, b, c, d FROM t WHERE a IS NULL OR a > ? ORDER BY rowid", [.integer(0)]) { row in
            let blob = row.withBlob(3) { Array($0) }
            seen.append("\(row.int(0) as Any) \(row.double(0) as Any) \(row.int(1) as Any) \(row.double(1) as Any) "
                        + "\(row.text(2) as Any) \(row.text(0) as Any) \(blob as Any) \(row.withBlob(2) { $0.count } as Any)")
        }
        XCTAssertEqual(seen, ["Optional(1) Optional(1.0) nil Optional(2.5) Optional(\"x\") nil Optional([1, 2]) nil",
                              "nil nil Optional(3) Optional(3.0) Optional(\"\") nil Optional([]) nil"])
        XCTAssertThrowsError(try db.forEachRow("SELECT ?", []) { _ in })
    }

    func testQuotesAndInjectionAreStoredVerbatim() throws {
        let db = try makeDatabase()
        let quoted = #"it's a "quoted" value"#
        let injection = "x'); DROP TABLE runs; --"
        try db.execute("INSERT INTO runs (source, tag, notes) VALUES (?, ?, ?)",
                       [.text("measured"), .text(quoted), .text(injection)])
        let result = try db.query("SELECT tag, notes FROM runs WHERE tag = ?", [.text(quoted)])
        XCTAssertEqual(result.columns, ["tag", "notes"])
        XCTAssertEqual(result.rows, [[.text(quoted), .text(injection)]])
        XCTAssertEqual(try db.tables(), ["quality", "request_scores", "requests", "runs", "server_metrics", "sim_profiles", "tokenizer_calibrations"])
    }

    func testExecuteEachWritesEveryRowWithOnePreparedStatement() throws {
        let db = try makeDatabase()
        try db.execute("CREATE TABLE pairs (k INTEGER PRIMARY KEY, a TEXT, b TEXT)")
        let rows: [[SQLValue]] = [[.text("a"), .null], [.text("b"), .text("two")], [.text("c"), .null]]
        XCTAssertEqual(try db.executeEach("INSERT INTO pairs (a, b) VALUES (?, ?)", rows), 3)
        // Values never leak from one row into the next (a NULL after a text stays NULL).
        XCTAssertEqual(try db.query("SELECT a, b FROM pairs ORDER BY k").rows, rows)
        XCTAssertEqual(try db.executeEach("INSERT INTO pairs (a) VALUES (?)", [[SQLValue]]()), 0)
        // A row with the wrong count fails naming the statement; the rows before it stay.
        let error = storeError { try db.executeEach("INSERT INTO pairs (a) VALUES (?)", [[.text("d")], []]) }
        XCTAssertEqual(error, .parameterCount(sql: "INSERT INTO pairs (a) VALUES (?)", expected: 1, given: 0))
        XCTAssertEqual(try db.query("SELECT count(*) FROM pairs").rows, [[.integer(4)]])
    }

    func testNumberedPositionalParameters() throws {
        let db = try makeDatabase()
        let result = try db.query("SELECT ?2, ?1, ?2", [.integer(1), .text("two")])
        XCTAssertEqual(result.rows, [[.text("two"), .integer(1), .text("two")]])
    }

    func testNamedParametersWithEveryPrefix() throws {
        let db = try makeDatabase()
        let result = try db.query("SELECT :a AS a, @b AS b, $c AS c, :a + 1 AS d",
                                  named: ["a": .integer(41), "b": .text("bee"), "c": .null])
        XCTAssertEqual(result.columns, ["a", "b", "c", "d"])
        XCTAssertEqual(result.rows, [[.integer(41), .text("bee"), .null, .integer(42)]])
    }

    func testNamedParameterMismatchNamesBothSides() throws {
        let db = try makeDatabase()
        let error = storeError { try db.query("SELECT :a, :b", named: ["a": .integer(1), "c": .integer(3)]) }
        XCTAssertEqual(error, .parameterNames(sql: "SELECT :a, :b", missing: [":b"], unknown: ["c"]))
        XCTAssertTrue(error?.description.contains(":b") ?? false)
        XCTAssertNotNil(storeError { try db.query("SELECT ?", named: [:]) })
    }

    func testStorageClassesRoundTrip() throws {
        let db = try makeDatabase()
        let blob: [UInt8] = [0, 1, 2, 255, 0]
        let row = try db.query("SELECT ?, ?, ?, ?, ?, ?, ?",
                               [.integer(Int64.max), .integer(-3), .real(2.5), .null, .blob(blob), .blob([]), .text("")])
            .rows.first
        XCTAssertEqual(row, [.integer(Int64.max), .integer(-3), .real(2.5), .null, .blob(blob), .blob([]), .text("")])
    }

    func testColumnTypesFollowTheStoredValue() throws {
        let db = try makeDatabase(withRun: true)
        let times: [Double] = [0.01, 0.02, 0.5]
        let chunkTimes = times.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }
        try db.execute("""
            INSERT INTO requests (run_id, idx, sent, ttft, output_tokens, status, chunk_times)
            VALUES (1, 0, 1, 0.25, 3, 'ok', ?)
            """, [.blob(chunkTimes)])
        let row = try db.query("SELECT idx, sent, ttft, output_tokens, input_tokens, chunk_times FROM requests")
            .rows.first
        // `sent` was given as integer 1, but the REAL column stores and returns 1.0.
        XCTAssertEqual(row, [.integer(0), .real(1), .real(0.25), .integer(3), .null, .blob(chunkTimes)])
    }

    func testTextWithNulAndUnicodeRoundTrips() throws {
        let db = try makeDatabase()
        let text = "a\0b — ü 🚀"
        XCTAssertEqual(try scalar(db, "SELECT ?", [.text(text)]), .text(text))
    }

    func testWrongParameterCountNamesBothCounts() throws {
        let db = try makeDatabase()
        let tooFew = storeError { try db.query("SELECT ?, ?", [.integer(1)]) }
        XCTAssertEqual(tooFew, .parameterCount(sql: "SELECT ?, ?", expected: 2, given: 1))
        XCTAssertEqual(tooFew?.description, "statement takes 2 parameters but 1 value was given — in: SELECT ?, ?")
        let tooMany = storeError { try db.execute("SELECT ?", [.integer(1), .integer(2)]) }
        XCTAssertEqual(tooMany, .parameterCount(sql: "SELECT ?", expected: 1, given: 2))
        XCTAssertNotNil(storeError { try db.execute("INSERT INTO runs (source) VALUES (?)") })
        XCTAssertNotNil(storeError { try db.query("", [.integer(1)]) })
    }

    func testBadSQLReportsSQLiteMessageAndText() throws {
        let db = try makeDatabase()
        let error = storeError { try db.query("SELEC 1") }
        guard case .prepare(let sql, let message)? = error else {
            return XCTFail("expected a prepare error, got \(String(describing: error))")
        }
        XCTAssertEqual(sql, "SELEC 1")
        XCTAssertTrue(message.contains("syntax error"), message)
        XCTAssertTrue(error?.description.contains("near \"SELEC\": syntax error") ?? false)
        XCTAssertTrue(error?.description.contains("SELEC 1") ?? false)

        let missing = storeError { try db.query("SELECT * FROM nowhere") }
        XCTAssertTrue(missing?.description.contains("no such table: nowhere") ?? false)
    }

    func testLongSQLIsTruncatedInErrors() throws {
        let db = try makeDatabase()
        let sql = "SELECT " + String(repeating: "1 + ", count: 500) + "nonsense("
        guard case .prepare(let shown, _)? = storeError({ try db.query(sql) }) else {
            return XCTFail("expected a prepare error")
        }
        XCTAssertLessThan(shown.count, 320)
        XCTAssertTrue(shown.hasSuffix("…"))
    }

    func testScriptRunsEveryStatementAndCountsChanges() throws {
        let db = try makeDatabase()
        let changed = try db.execute("""
            CREATE TABLE t (x INTEGER); -- a comment
            INSERT INTO t VALUES (1), (2), (3);
            UPDATE t SET x = x * 10 WHERE x > 1;
            CREATE INDEX t_x ON t (x);
            """)
        XCTAssertEqual(changed, 5)
        XCTAssertEqual(try db.execute("DELETE FROM t WHERE x = ?", [.integer(20)]), 1)
        XCTAssertEqual(try db.execute("  -- nothing here\n ;"), 0)
        XCTAssertEqual(try db.query("SELECT x FROM t ORDER BY x").rows, [[.integer(1)], [.integer(30)]])
    }

    func testSeveralStatementsAreRefusedWhereOneIsExpected() throws {
        let db = try makeDatabase()
        let sql = "INSERT INTO runs (source) VALUES (?); DROP TABLE requests"
        XCTAssertEqual(storeError { try db.execute(sql, [.text("measured")]) }, .multipleStatements(sql: sql))
        XCTAssertEqual(storeError { try db.query("SELECT 1; SELECT 2") }, .multipleStatements(sql: "SELECT 1; SELECT 2"))
        // Refused before anything ran.
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(0))
        XCTAssertEqual(try db.tables(), ["quality", "request_scores", "requests", "runs", "server_metrics", "sim_profiles", "tokenizer_calibrations"])
        // Trailing ';', empty statements and comments are not a second statement.
        XCTAssertEqual(try db.query(";; SELECT 1;; -- done").rows, [[.integer(1)]])
    }

    func testLastInsertRowID() throws {
        let db = try makeDatabase()
        try db.execute("INSERT INTO runs (source) VALUES ('measured')")
        try db.execute("INSERT INTO runs (source) VALUES ('measured')")
        XCTAssertEqual(db.lastInsertRowID, 2)
    }

    func testTablesExcludesInternalTables() throws {
        let db = try makeDatabase()
        try db.execute("CREATE TABLE zeta (id INTEGER PRIMARY KEY AUTOINCREMENT); CREATE TABLE alpha (x)")
        XCTAssertTrue(try db.query("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'").rows.count == 1)
        XCTAssertEqual(try db.tables(), ["alpha", "quality", "request_scores", "requests", "runs", "server_metrics", "sim_profiles", "tokenizer_calibrations", "zeta"])
    }
}
