import Foundation
import XCTest
@testable import Store

/// Base for store tests: a fresh temporary directory per test, removed afterwards.
class StoreTestCase: XCTestCase {
    private(set) var directory = URL(fileURLWithPath: NSTemporaryDirectory())

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("StoreTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// A path in this test's directory.
    func path(_ name: String = "frontier.db") -> String {
        directory.appendingPathComponent(name).path
    }

    /// A new store in this test's directory, with one run inserted when `withRun`.
    func makeDatabase(_ name: String = "frontier.db", withRun: Bool = false) throws -> Database {
        let db = try Database(path: path(name))
        if withRun { try db.execute("INSERT INTO runs (source) VALUES ('simulated')") }
        return db
    }

    /// Every file in the test directory with its bytes, to prove a refused open wrote nothing
    /// (not to the file, and no -wal, -shm or -journal beside it).
    func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }

    /// Asserts that `body` throws exactly `expected`.
    func assertThrows<T>(
        _ expected: StoreError, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T
    ) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? StoreError, expected, file: file, line: line)
        }
    }

    /// The StoreError `body` throws, or nil (with a failure recorded) when it does not throw one.
    func storeError<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) -> StoreError? {
        do {
            _ = try body()
            XCTFail("expected a StoreError", file: file, line: line)
        } catch let error as StoreError {
            return error
        } catch {
            XCTFail("expected a StoreError, got \(error)", file: file, line: line)
        }
        return nil
    }

    /// The single value of a one-row, one-column query.
    func scalar(_ db: Database, _ sql: String, _ params: [SQLValue] = []) throws -> SQLValue? {
        try db.query(sql, params).rows.first?.first
    }
}
