import CSQLite

/// What went wrong in the store. Each description names the file or the SQL involved.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    /// The file exists, is not empty and does not start with the SQLite header; it was not opened.
    case notADatabase(String)
    /// A SQLite database that frontier did not create; it was left unchanged.
    case foreignDatabase(String)
    /// A frontier database written by a newer build; it was left unchanged.
    case newerSchema(path: String, found: Int, supported: Int)
    /// The path cannot hold a database (a directory, a missing directory, unreadable, read-only).
    case cannotOpen(path: String, reason: String)
    /// The connection was closed with `Database.close()`.
    case closed
    /// SQLite rejected the SQL text. `sql` is an excerpt of the statement.
    case prepare(sql: String, message: String)
    /// SQLite failed while running a statement (constraint, busy, I/O…); `code` is the extended result code.
    case sqlite(sql: String, code: Int32, message: String)
    /// The statement has `expected` parameters (its highest `?NNN` index) but `given` values came.
    case parameterCount(sql: String, expected: Int, given: Int)
    /// Named binding did not match: parameters with no value, and values with no parameter.
    case parameterNames(sql: String, missing: [String], unknown: [String])
    /// Only `execute` without parameters may run several statements.
    case multipleStatements(sql: String)
    /// A statement that writes was given where only reading is allowed (`Database.read`).
    case notReadOnly(sql: String)
    /// Migrating from schema version `from` to `from + 1` failed; the file keeps version `from`.
    case migration(path: String, from: Int, message: String)

    public var description: String {
        switch self {
        case .notADatabase(let path):
            return "\(path) is not a SQLite database (it does not start with \"SQLite format 3\"); left unchanged"
        case .foreignDatabase(let path):
            return "\(path) is a SQLite database that frontier did not create (no frontier schema); left unchanged"
        case .newerSchema(let path, let found, let supported):
            return "\(path) has schema version \(found), but this build of frontier supports up to \(supported); "
                + "use a newer frontier (file left unchanged)"
        case .cannotOpen(let path, let reason):
            return "cannot open database \(path): \(reason)"
        case .closed:
            return "the database is closed"
        case .prepare(let sql, let message):
            return "SQL error: \(message) — in: \(sql)"
        case .sqlite(let sql, let code, let message):
            return "SQLite error \(code) (\(Self.codeName(code))): \(message) — in: \(sql)"
        case .parameterCount(let sql, let expected, let given):
            return "statement takes \(expected) parameter\(expected == 1 ? "" : "s") "
                + "but \(given) value\(given == 1 ? " was" : "s were") given — in: \(sql)"
        case .parameterNames(let sql, let missing, let unknown):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("no value for " + missing.joined(separator: ", ")) }
            if !unknown.isEmpty { parts.append("no parameter named " + unknown.joined(separator: ", ")) }
            return "named parameters do not match: \(parts.joined(separator: "; ")) — in: \(sql)"
        case .notReadOnly(let sql):
            return "this runs only statements that read (SELECT, WITH … SELECT, EXPLAIN, a read-only PRAGMA); "
                + "statements that change the store go through exec — in: \(sql)"
        case .multipleStatements(let sql):
            return "expected one SQL statement but found more "
                + "(only execute without parameters runs several) — in: \(sql)"
        case .migration(let path, let from, let message):
            return "cannot migrate \(path) from schema version \(from) to \(from + 1): \(message)"
        }
    }

    /// SQLite's short English name for a result code, e.g. "constraint failed".
    private static func codeName(_ code: Int32) -> String {
        guard let text = sqlite3_errstr(code) else { return "unknown" }
        return String(cString: text)
    }

    /// SQL as shown in errors: trimmed, and cut so a huge script does not flood the message.
    static func excerpt(_ sql: String, limit: Int = 300) -> String {
        let trimmed = sql.trimmingWhitespace()
        guard trimmed.count > limit else { return trimmed }
        return String(trimmed.prefix(limit)) + "…"
    }
}

extension String {
    /// The string without leading and trailing whitespace (spaces, tabs, newlines).
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
