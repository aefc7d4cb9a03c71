import CSQLite

extension Database {
    /// Runs `body` in a transaction: commits when it returns, rolls back and rethrows when
    /// it throws. The outermost call uses BEGIN IMMEDIATE (takes the write lock up front, so
    /// it waits for other writers at the start instead of failing midway); nested calls,
    /// or calls inside a transaction begun with plain SQL, use savepoints.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        let db = try connection()
        // Ask SQLite rather than our counter: a BEGIN issued through execute counts too.
        let outermost = sqlite3_get_autocommit(db) != 0
        let savepoint = "frontier_tx_\(transactionDepth)"
        try execute(outermost ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        transactionDepth += 1
        defer { transactionDepth -= 1 }

        let result: T
        do {
            result = try body()
            try execute(outermost ? "COMMIT" : "RELEASE \(savepoint)")
        } catch {
            rollBack(outermost: outermost, savepoint: savepoint)
            throw error
        }
        return result
    }

    /// Best effort: the caller's error matters more than a failed rollback.
    private func rollBack(outermost: Bool, savepoint: String) {
        // Some errors (disk full, I/O) make SQLite roll back by itself; a second ROLLBACK would fail.
        guard let db = handle, sqlite3_get_autocommit(db) == 0 else { return }
        if outermost {
            _ = try? execute("ROLLBACK")
        } else {
            // ROLLBACK TO keeps the savepoint open; RELEASE closes it.
            _ = try? execute("ROLLBACK TO \(savepoint); RELEASE \(savepoint)")
        }
    }
}
