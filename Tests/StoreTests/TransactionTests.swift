import XCTest
@testable import Store

private struct Abort: Error, Equatable {}

final class TransactionTests: StoreTestCase {
    func testCommitKeepsTheWork() throws {
        let db = try makeDatabase()
        let id = try db.transaction { () throws -> Int64 in
            try db.execute("INSERT INTO runs (source) VALUES ('measured')")
            return db.lastInsertRowID
        }
        XCTAssertEqual(id, 1)
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(1))
    }

    func testThrowRollsBackAndRethrows() throws {
        let db = try makeDatabase()
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO runs (source) VALUES ('measured')")
            throw Abort()
        }) { XCTAssertEqual($0 as? Abort, Abort()) }
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(0))
        // The connection is usable and out of the transaction.
        try db.transaction { try db.execute("INSERT INTO runs (source) VALUES ('measured')") }
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(1))
    }

    func testFailedStatementRollsBackTheWholeTransaction() throws {
        let db = try makeDatabase()
        XCTAssertThrowsError(try db.transaction {
            try db.execute("INSERT INTO runs (source) VALUES ('measured')")
            try db.execute("INSERT INTO runs (source) VALUES ('invented')")
        })
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(0))
    }

    func testNestedTransactionRollsBackOnlyItsOwnWork() throws {
        let db = try makeDatabase()
        try db.transaction {
            try db.execute("INSERT INTO runs (tag, source) VALUES ('outer', 'measured')")
            XCTAssertThrowsError(try db.transaction {
                try db.execute("INSERT INTO runs (tag, source) VALUES ('inner', 'measured')")
                throw Abort()
            })
            try db.transaction {
                try db.execute("INSERT INTO runs (tag, source) VALUES ('kept', 'measured')")
            }
        }
        XCTAssertEqual(try db.query("SELECT tag FROM runs ORDER BY run_id").rows, [[.text("outer")], [.text("kept")]])
    }

    func testOuterRollbackUndoesCommittedInnerWork() throws {
        let db = try makeDatabase()
        XCTAssertThrowsError(try db.transaction {
            try db.transaction { try db.execute("INSERT INTO runs (source) VALUES ('measured')") }
            throw Abort()
        })
        XCTAssertEqual(try scalar(db, "SELECT count(*) FROM runs"), .integer(0))
    }

    func testJournalModeIsWAL() throws {
        let db = try makeDatabase()
        XCTAssertEqual(try scalar(db, "PRAGMA journal_mode"), .text("wal"))
        XCTAssertEqual(try scalar(db, "PRAGMA synchronous"), .integer(1))  // NORMAL
        XCTAssertEqual(try scalar(db, "PRAGMA busy_timeout"), .integer(5000))
    }

    func testReaderSeesCommittedDataWhileWriterHoldsATransaction() throws {
        let writer = try makeDatabase()
        try writer.execute("INSERT INTO runs (tag, source) VALUES ('committed', 'measured')")
        let reader = try makeDatabase()
        try writer.transaction {
            try writer.execute("INSERT INTO runs (tag, source) VALUES ('pending', 'measured')")
            // Does not block or fail: WAL readers see the last commit, not the open transaction.
            let seen = try reader.query("SELECT tag FROM runs ORDER BY run_id").rows
            XCTAssertEqual(seen, [[.text("committed")]])
        }
        XCTAssertEqual(try reader.query("SELECT tag FROM runs ORDER BY run_id").rows,
                       [[.text("committed")], [.text("pending")]])
    }
}
