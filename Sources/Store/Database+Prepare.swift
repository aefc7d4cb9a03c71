import CSQLite

extension Database {
    /// The open connection, or `StoreError.closed`.
    func connection() throws -> OpaquePointer {
        guard let handle else { throw StoreError.closed }
        return handle
    }

    /// Prepares the one statement in `sql`; nil when `sql` holds only whitespace and comments.
    /// Anything after it other than whitespace, comments and ';' is an error, raised before
    /// the statement runs, so a query never silently skips the rest of its text.
    func prepareSingle(_ sql: String) throws -> Statement? {
        let db = try connection()
        return try sql.withCString { text in
            // Empty statements (lone ';', comments) prepare to nil; skip to the first real one.
            var (statement, rest) = try Self.prepare(text, on: db)
            while statement == nil, let current = rest {
                (statement, rest) = try Self.prepare(current, on: db)
            }
            // Preparing the rest is the only exact test for "only comments left"; a prepare
            // error there also means more text, so either way it is a second statement.
            while let current = rest {
                guard let (extra, more) = try? Self.prepare(current, on: db), extra == nil else {
                    throw StoreError.multipleStatements(sql: StoreError.excerpt(sql))
                }
                rest = more
            }
            return statement
        }
    }

    /// Prepares and hands over each statement of a script in turn, preparing the next only
    /// after the previous ran (a later statement may use a table an earlier one creates).
    func forEachStatement(_ sql: String, _ body: (Statement) throws -> Void) throws {
        let db = try connection()
        try sql.withCString { text in
            var next: UnsafePointer<CChar>? = text
            while let current = next {
                let (statement, rest) = try Self.prepare(current, on: db)
                if let statement { try body(statement) }
                next = rest
            }
        }
    }

    /// Prepares the first statement at `text`. Returns it (nil for only whitespace or
    /// comments) and where the remaining text starts (nil at the end).
    private static func prepare(
        _ text: UnsafePointer<CChar>, on db: OpaquePointer
    ) throws -> (statement: Statement?, rest: UnsafePointer<CChar>?) {
        var pointer: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let code = sqlite3_prepare_v2(db, text, -1, &pointer, &tail)
        guard code == SQLITE_OK else {
            sqlite3_finalize(pointer)  // nil on failure, but harmless and future-proof
            throw StoreError.prepare(sql: StoreError.excerpt(String(cString: text)),
                                     message: String(cString: sqlite3_errmsg(db)))
        }
        let statement = pointer.map { Statement(pointer: $0, connection: db) }
        guard let tail, tail.pointee != 0 else { return (statement, nil) }
        return (statement, tail)
    }
}
