import CSQLite
import Foundation

extension Database {
    /// The 16 bytes every SQLite 3 file starts with.
    private static let sqliteHeader = Array("SQLite format 3\0".utf8)

    /// Checks the path before SQLite sees it: SQLite would treat a non-database file as an
    /// empty one only to fail later, and a clear message beats "unable to open database file".
    static func checkFile(at path: String) throws {
        guard !path.isEmpty else { throw StoreError.cannotOpen(path: path, reason: "empty path") }
        if path == ":memory:" { return }
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw StoreError.cannotOpen(path: path, reason: "it is a directory") }
            try checkHeader(at: path)
        } else {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var parentIsDirectory: ObjCBool = false
            guard files.fileExists(atPath: parent, isDirectory: &parentIsDirectory),
                  parentIsDirectory.boolValue else {
                throw StoreError.cannotOpen(path: path, reason: "directory \(parent) does not exist")
            }
        }
    }

    /// An empty file is fine (SQLite makes it a database); anything else must start with the header.
    private static func checkHeader(at path: String) throws {
        guard let file = FileHandle(forReadingAtPath: path) else {
            throw StoreError.cannotOpen(path: path, reason: "the file cannot be read")
        }
        defer { try? file.close() }
        let start: [UInt8]
        do {
            start = [UInt8](try file.read(upToCount: sqliteHeader.count) ?? Data())
        } catch {
            throw StoreError.cannotOpen(path: path, reason: "reading failed: \(error)")
        }
        guard start.isEmpty || start == sqliteHeader else { throw StoreError.notADatabase(path) }
    }

    static func openConnection(_ path: String) throws -> OpaquePointer {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            // SQLite usually returns a handle even on failure; it carries the message and must be closed.
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw StoreError.cannotOpen(path: path, reason: message)
        }
        return db
    }

    /// Per-connection settings; none of them writes to the file.
    func configureConnection() throws {
        let db = try connection()
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, 5000)  // wait for another writer rather than fail at once
        try execute("PRAGMA foreign_keys = ON")
        if sqlite3_db_readonly(db, "main") == 1 {
            throw StoreError.cannotOpen(path: path, reason: "the file or its directory is read-only")
        }
    }

    /// Refuses, without writing, files that are not ours or are newer than this build.
    func checkOwnership() throws {
        let version = try pragmaInt("user_version")
        let application = try pragmaInt("application_id")
        let ours = Int(Migrations.applicationID)
        if application != 0 && application != ours { throw StoreError.foreignDatabase(path) }
        if version > Self.schemaVersion {
            throw StoreError.newerSchema(path: path, found: version, supported: Self.schemaVersion)
        }
        if version == 0 {
            // Version 0 with a `runs` table is let through; migration 1 then fails cleanly on it.
            let objects = try query("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            if objects.rows.first?.first != .integer(0), try !tables().contains("runs") {
                throw StoreError.foreignDatabase(path)
            }
        } else if application != ours {
            // Every version we wrote carries our application_id; a versioned file without it is another program's.
            throw StoreError.foreignDatabase(path)
        }
    }

    /// Applies the missing migrations, each in its own transaction with its version bump.
    func migrate() throws {
        var version = try pragmaInt("user_version")
        while version < Self.schemaVersion {
            let from = version
            do {
                try transaction {
                    // Another process may have migrated between our read and our write lock.
                    guard try pragmaInt("user_version") == from else { return }
                    try execute(Migrations.scripts[from])
                    try Migrations.after(from, self)
                    try execute("PRAGMA user_version = \(from + 1)")
                }
            } catch let error as StoreError {
                throw StoreError.migration(path: path, from: from, message: error.description)
            }
            version = try pragmaInt("user_version")
        }
        if version > Self.schemaVersion {
            throw StoreError.newerSchema(path: path, found: version, supported: Self.schemaVersion)
        }
    }

    /// WAL lets readers read while one writer writes; NORMAL sync is safe in WAL (a crash
    /// may lose the last commits, never corrupt). Runs after the checks because switching
    /// to WAL rewrites the file header.
    func enableWAL() throws {
        // The result is the mode now in force: "memory" for ":memory:", or the old mode on
        // a file system without shared memory. Both still work, so neither is an error.
        _ = try query("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = NORMAL")
    }

    /// Reads an integer pragma such as user_version.
    func pragmaInt(_ name: String) throws -> Int {
        guard case .integer(let value)? = try query("PRAGMA \(name)").rows.first?.first else {
            throw StoreError.sqlite(sql: "PRAGMA \(name)", code: SQLITE_ERROR, message: "returned no integer")
        }
        return Int(value)
    }
}
