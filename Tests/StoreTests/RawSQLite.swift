import CSQLite
import XCTest

/// Writes a SQLite file with the bare C API, so files "made by another program" do not
/// pass through the code under test.
enum RawSQLite {
    static func create(at path: String, script: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else {
            sqlite3_close(db)
            throw NSError(domain: "RawSQLite", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot create \(path)"])
        }
        defer { sqlite3_close(db) }
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(db, script, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? "unknown error"
            sqlite3_free(message)
            throw NSError(domain: "RawSQLite", code: 1, userInfo: [NSLocalizedDescriptionKey: text])
        }
    }
}
