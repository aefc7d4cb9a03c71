import XCTest
@testable import Store

final class SchemaTests: StoreTestCase {
    func testRunDefaults() throws {
        let db = try makeDatabase(withRun: true)
        let row = try db.query("SELECT created, settings, status, summary FROM runs").rows.first
        XCTAssertEqual(row?[1], .text("{}"))
        XCTAssertEqual(row?[2], .text("running"))
        XCTAssertEqual(row?[3], .null)
        guard case .text(let created)? = row?[0] else { return XCTFail("created is not text") }
        // e.g. 2025-01-31T12:34:56.789Z
        XCTAssertNotNil(created.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression),
                        created)
    }

    func testCheckConstraintViolationIsAnError() throws {
        let db = try makeDatabase()
        let error = storeError { try db.execute("INSERT INTO runs (source) VALUES (?)", [.text("guessed")]) }
        guard case .sqlite(_, let code, let message)? = error else {
            return XCTFail("expected a SQLite error, got \(String(describing: error))")
        }
        XCTAssertEqual(code & 0xff, 19)  // SQLITE_CONSTRAINT; the extended code says CHECK
        XCTAssertTrue(message.contains("CHECK constraint failed"), message)
        XCTAssertTrue(error?.description.contains("INSERT INTO runs") ?? false)
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(0))
    }

    func testJSONColumnsMustBeValid() throws {
        let db = try makeDatabase()
        XCTAssertNotNil(storeError { try db.execute("INSERT INTO runs (source, settings) VALUES ('measured', '{oops')") })
        XCTAssertNotNil(storeError { try db.execute("INSERT INTO runs (source, summary) VALUES ('measured', 'nope')") })
        try db.execute("INSERT INTO runs (source, settings, summary) VALUES ('measured', ?, ?)",
                       [.text(#"{"max_tokens":256}"#), .text(#"{"ttft_p50":0.4}"#)])
    }

    func testRequestStatusIsChecked() throws {
        let db = try makeDatabase(withRun: true)
        XCTAssertNotNil(storeError { try db.execute("INSERT INTO requests (run_id, idx, status) VALUES (1, 0, 'fine')") })
        try db.execute("INSERT INTO requests (run_id, idx, status) VALUES (1, 0, 'truncated')")
        XCTAssertEqual(try scalar(db, "SELECT tokens_approx FROM requests"), .integer(0))
    }

    func testRequestsNeedAnExistingRun() throws {
        let db = try makeDatabase()
        let error = storeError { try db.execute("INSERT INTO requests (run_id, idx, status) VALUES (7, 0, 'ok')") }
        XCTAssertTrue(error?.description.contains("FOREIGN KEY constraint failed") ?? false)
    }

    func testDeletingARunDeletesItsRequests() throws {
        let db = try makeDatabase()
        try db.execute("INSERT INTO runs (run_id, source) VALUES (1, 'measured'), (2, 'simulated')")
        try db.execute("""
            INSERT INTO requests (run_id, idx, status) VALUES (1, 0, 'ok'), (1, 1, 'error'), (2, 0, 'ok')
            """)
        XCTAssertEqual(try db.execute("DELETE FROM runs WHERE run_id = ?", [.integer(1)]), 1)
        XCTAssertEqual(try db.query("SELECT run_id, idx FROM requests").rows, [[.integer(2), .integer(0)]])
    }

    func testDuplicateRequestIndexIsRefused() throws {
        let db = try makeDatabase(withRun: true)
        try db.execute("INSERT INTO requests (run_id, idx, status) VALUES (1, 0, 'ok')")
        XCTAssertNotNil(storeError { try db.execute("INSERT INTO requests (run_id, idx, status) VALUES (1, 0, 'ok')") })
    }
}

/// 7 → 8: a file written by schema 7 (the SQL of scripts 1–7, run by the bare C API)
/// gains run owners and heartbeats and the `incomplete` status, keeping every row.
final class OwnerMigrationTests: StoreTestCase {
    func testVersion7FileMigratesKeepingRowsAndAllowsIncomplete() throws {
        let file = path("v7.db")
        try RawSQLite.create(at: file, script: Migrations.scripts[0..<7].joined(separator: "\n") + """

            PRAGMA user_version = 7;
            INSERT INTO runs (tag, source, status, started_at) VALUES ('old', 'measured', 'running', 1);
            INSERT INTO requests (run_id, idx, sent, status) VALUES (1, 0, 0.5, 'ok');
            """)
        let db = try Database(path: file)
        XCTAssertEqual(try db.pragmaInt("user_version"), Database.schemaVersion)
        XCTAssertEqual(try db.query("SELECT tag, status, owner, heartbeat_at FROM runs").rows,
                       [[.text("old"), .text("running"), .null, .null]])
        XCTAssertEqual(try db.query("SELECT count(*) FROM requests").rows, [[.integer(1)]])
        try db.execute("UPDATE runs SET status = 'incomplete', owner = 'h 1', heartbeat_at = 2")
        XCTAssertEqual(try db.query("SELECT status FROM runs").rows, [[.text("incomplete")]])
        XCTAssertThrowsError(try db.execute("UPDATE runs SET status = 'lost'"))
        XCTAssertEqual(try db.query("PRAGMA integrity_check").rows, [[.text("ok")]])
        db.close()
        // A second connection (a fresh process would be the same) sees the widened check.
        let again = try Database(path: file)
        try again.execute("INSERT INTO runs (source, status) VALUES ('simulated', 'incomplete')")
        XCTAssertEqual(try again.query("SELECT count(*) FROM runs WHERE status = 'incomplete'").rows, [[.integer(2)]])
    }
}

/// 8 → 9: runs gain a sweep id; runs already stored are grouped by tag and owner (the
/// process that wrote them), runs without an owner into one sweep per tag.
final class SweepMigrationTests: StoreTestCase {
    func testVersion8FileGroupsRunsIntoSweepsByTagAndOwner() throws {
        let file = path("v8.db")
        try RawSQLite.create(at: file, script: Migrations.scripts[0..<8].joined(separator: "\n") + """

            PRAGMA user_version = 8;
            INSERT INTO runs (tag, source, status, owner) VALUES ('a', 'measured', 'completed', 'h 10');
            INSERT INTO runs (tag, source, status, owner) VALUES ('a', 'measured', 'completed', 'h 10');
            INSERT INTO runs (tag, source, status, owner) VALUES ('a', 'measured', 'completed', 'h 11');
            INSERT INTO runs (tag, source, status, owner) VALUES ('b', 'measured', 'completed', 'h 11');
            INSERT INTO runs (tag, source, status) VALUES ('old', 'imported', 'completed');
            INSERT INTO runs (tag, source, status) VALUES ('old', 'imported', 'completed');
            INSERT INTO runs (source, status, owner) VALUES ('simulated', 'completed', 'h 12');
            INSERT INTO requests (run_id, idx, sent, status) VALUES (1, 0, 0.5, 'ok');
            """)
        let db = try Database(path: file)
        XCTAssertEqual(try db.pragmaInt("user_version"), Database.schemaVersion)
        XCTAssertEqual(try db.query("SELECT sweep FROM runs ORDER BY run_id").rows.map { $0[0] },
                       [1, 1, 3, 4, 5, 5, 7].map { SQLValue.integer($0) })
        XCTAssertEqual(try db.query("SELECT count(*) FROM requests").rows, [[.integer(1)]])
        XCTAssertEqual(try db.query("PRAGMA integrity_check").rows, [[.text("ok")]])
    }
}

/// 9 → 10: item scores gain a JSON `detail` (scorer version, execution outcome); scores
/// already stored keep their values with no detail.
final class RequestScoreDetailMigrationTests: StoreTestCase {
    func testVersion9FileKeepsItsScoresAndAcceptsDetails() throws {
        let file = path("v9.db")
        try RawSQLite.create(at: file, script: Migrations.scripts[0..<9].joined(separator: "\n") + """

            PRAGMA user_version = 9;
            INSERT INTO runs (tag, source, status) VALUES ('old', 'measured', 'completed');
            INSERT INTO requests (run_id, idx, sent, status) VALUES (1, 0, 0.5, 'ok');
            INSERT INTO request_scores (run_id, idx, scorer, score) VALUES (1, 0, 'exact', 1);
            """)
        let db = try Database(path: file)
        XCTAssertEqual(try db.pragmaInt("user_version"), Database.schemaVersion)
        XCTAssertEqual(try db.query("SELECT scorer, score, detail FROM request_scores").rows,
                       [[.text("exact"), .real(1), .null]])
        try db.execute("UPDATE request_scores SET detail = '{\"version\":1}'")
        XCTAssertThrowsError(try db.execute("UPDATE request_scores SET detail = 'not json'"))
        XCTAssertEqual(try db.query("PRAGMA integrity_check").rows, [[.text("ok")]])
    }
}

/// 10 → 11: requests gain the workload's class, meta (JSON), session and turn; rows
/// already stored keep their values with none.
final class RequestLabelsMigrationTests: StoreTestCase {
    func testVersion10FileKeepsItsRequestsAndAcceptsLabels() throws {
        let file = path("v10.db")
        try RawSQLite.create(at: file, script: Migrations.scripts[0..<10].joined(separator: "\n") + """

            PRAGMA user_version = 10;
            INSERT INTO runs (tag, source, status) VALUES ('old', 'measured', 'completed');
            INSERT INTO requests (run_id, idx, sent, status, workload_index) VALUES (1, 0, 0.5, 'ok', 3);
            """)
        let db = try Database(path: file)
        XCTAssertEqual(try db.pragmaInt("user_version"), Database.schemaVersion)
        XCTAssertEqual(try db.query("SELECT workload_index, class, meta, session, turn FROM requests").rows,
                       [[.integer(3), .null, .null, .null, .null]])
        try db.execute("UPDATE requests SET class = 'chat', meta = '{\"docs\":2}', session = 0, turn = 1")
        XCTAssertThrowsError(try db.execute("UPDATE requests SET meta = 'not json'"))
        XCTAssertEqual(try db.query("PRAGMA integrity_check").rows, [[.text("ok")]])
    }
}
