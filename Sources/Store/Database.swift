import CSQLite

/// One connection to a frontier results file (SQLite, WAL mode).
///
/// Not thread-safe: use each instance from one thread at a time. Open a second
/// `Database` on the same path to read while another connection writes.
public final class Database {
    /// The schema version this build creates and migrates to.
    public static let schemaVersion: Int = Migrations.scripts.count

    /// The path given to `init(path:)`.
    public let path: String

    /// nil once closed.
    var handle: OpaquePointer?
    /// Nesting depth of `transaction` calls, for unique savepoint names.
    var transactionDepth = 0
    /// What `stopWhen` installed; SQLite holds an unretained pointer to it.
    var interruptCheck: InterruptCheck?

    /// Opens or creates the store at `path`, migrating it to `schemaVersion`.
    ///
    /// A file that is not a SQLite database, a SQLite database frontier did not create,
    /// or one with a newer schema is refused with the matching `StoreError` and left
    /// byte-for-byte unchanged. ":memory:" opens a private in-memory store.
    public init(path: String) throws {
        self.path = path
        try Self.checkFile(at: path)
        handle = try Self.openConnection(path)
        do {
            try configureConnection()
            try checkOwnership()
            try migrate()
            try enableWAL()
        } catch {
            close()
            throw error
        }
    }

    deinit { close() }

    /// Closes the connection; an open transaction is rolled back. Safe to call twice;
    /// other calls afterwards throw `StoreError.closed`.
    public func close() {
        guard let open = handle else { return }
        handle = nil
        // Statements never outlive a call, so nothing is left to finalize and close succeeds.
        sqlite3_close_v2(open)
    }

    /// The rowid of the last row inserted on this connection; 0 if none, or after `close()`.
    public var lastInsertRowID: Int64 {
        handle.map { sqlite3_last_insert_rowid($0) } ?? 0
    }

    /// Rows changed by the most recent INSERT, UPDATE or DELETE on this connection; 0 after `close()`.
    public var changes: Int {
        handle.map { Int(sqlite3_changes($0)) } ?? 0
    }

    /// Runs one statement with positional parameters (`?`, `?NNN`) and returns its rows.
    ///
    /// `params` must have exactly as many values as the statement's highest parameter index.
    public func query(_ sql: String, _ params: [SQLValue] = []) throws -> QueryResult {
        guard let statement = try prepareSingle(sql) else {
            try Self.expectNoParameters(sql, given: params.count)
            return QueryResult(columns: [], rows: [])
        }
        try statement.bind(params)
        return try statement.readAll()
    }

    /// Runs one statement that only reads (SQLite's `sqlite3_stmt_readonly`), with positional
    /// or named parameters, and returns its rows. A statement that would write throws
    /// ``StoreError/notReadOnly(sql:)`` before it runs: `db.query` from Lua, so that a
    /// query cannot delete runs by accident.
    public func read(_ sql: String, _ params: [SQLValue] = [], named: [String: SQLValue]? = nil) throws -> QueryResult {
        guard let statement = try prepareSingle(sql) else {
            try Self.expectNoParameters(sql, given: named?.count ?? params.count)
            return QueryResult(columns: [], rows: [])
        }
        guard statement.isReadOnly else { throw StoreError.notReadOnly(sql: StoreError.excerpt(sql)) }
        if let named { try statement.bind(named: named) } else { try statement.bind(params) }
        return try statement.readAll()
    }

    /// Runs one statement with positional parameters and hands each row to `body` as
    /// SQLite steps to it: for reading many rows without collecting them first.
    public func forEachRow(_ sql: String, _ params: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        guard let statement = try prepareSingle(sql) else {
            try Self.expectNoParameters(sql, given: params.count)
            return
        }
        try statement.bind(params)
        try statement.forEachRow(body)
    }

    /// Runs one statement with named parameters (`:name`, `@name`, `$name`), keyed
    /// without the prefix, and returns its rows. Every parameter needs a value and every
    /// key must name a parameter.
    public func query(_ sql: String, named: [String: SQLValue]) throws -> QueryResult {
        guard let statement = try prepareSingle(sql) else {
            try Self.expectNoParameters(sql, given: named.count)
            return QueryResult(columns: [], rows: [])
        }
        try statement.bind(named: named)
        return try statement.readAll()
    }

    /// Runs SQL for its effect and returns the number of rows it changed directly.
    ///
    /// With `params`, `sql` must be one statement. Without, it may be a script of several
    /// statements separated by ';', run in order; if one fails, those before it stay
    /// applied (wrap the call in `transaction` for all-or-nothing).
    @discardableResult
    public func execute(_ sql: String, _ params: [SQLValue] = []) throws -> Int {
        if !params.isEmpty {
            guard let statement = try prepareSingle(sql) else {
                try Self.expectNoParameters(sql, given: params.count)
                return 0
            }
            try statement.bind(params)
            return try statement.run()
        }
        var changed = 0
        try forEachStatement(sql) { statement in
            try statement.bind([])  // a script has no values, so a '?' in it is an error
            changed += try statement.run()
        }
        return changed
    }

    /// Runs one statement once per element of `rows` (each its positional values),
    /// prepared once: the way to write many rows. Returns the rows changed in total.
    /// Wrap the call in `transaction` to make the writes one commit.
    @discardableResult
    public func executeEach<Rows: Sequence>(_ sql: String, _ rows: Rows) throws -> Int where Rows.Element == [SQLValue] {
        guard let statement = try prepareSingle(sql) else {
            throw StoreError.parameterCount(sql: StoreError.excerpt(sql), expected: 0, given: 1)
        }
        var changed = 0
        for values in rows {
            try statement.bind(values)
            changed += try statement.run()
            statement.reset()
        }
        return changed
    }

    /// Names of the user tables, sorted; SQLite's internal `sqlite_*` tables are left out.
    public func tables() throws -> [String] {
        let result = try query("""
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
            ORDER BY name
            """)
        return result.rows.compactMap { row in
            if case .text(let name)? = row.first { return name }
            return nil
        }
    }

    private static func expectNoParameters(_ sql: String, given: Int) throws {
        guard given == 0 else {
            throw StoreError.parameterCount(sql: StoreError.excerpt(sql), expected: 0, given: given)
        }
    }
}
