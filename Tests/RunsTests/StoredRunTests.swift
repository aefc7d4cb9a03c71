import Metrics
import Runs
import Store
import XCTest

final class StoredRunTests: StoreFileTestCase {

    func testMissingRunIsNotFound() throws {
        let db = try Database(path: path)
        XCTAssertThrowsError(try RunRecords.load(id: 42, db: db)) { error in
            XCTAssertEqual(error as? RunsError, .runNotFound(id: 42, path: db.path))
        }
    }

    func testSummaryThatDoesNotDecodeNamesRunAndColumn() throws {
        let db = try Database(path: path)
        try db.execute("INSERT INTO runs (tag, source, settings, status, started_at, summary) VALUES ('t', 'measured', '{}', 'completed', 0, '{\"requests\": 1}')")
        XCTAssertThrowsError(try RunRecords.list(tag: "t", db: db)) { error in
            guard case .badColumn(let run, let column, let reason)? = error as? RunsError else { return XCTFail("\(error)") }
            XCTAssertEqual(run, 1)
            XCTAssertEqual(column, "summary")
            XCTAssertTrue(reason.contains("succeeded"), reason)
        }
    }
}
