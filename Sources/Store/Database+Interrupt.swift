import CSQLite

extension Database {
    /// Makes a running statement stop (with SQLite's `SQLITE_INTERRUPT`, ``isInterrupt(_:)``)
    /// once `check` returns true; nil removes it. SQLite asks every 10,000 virtual-machine
    /// steps, a few times a millisecond, so a long query stops promptly at Ctrl-C and a
    /// short one pays nothing measurable. `check` runs on the thread running the statement.
    public func stopWhen(_ check: (@Sendable () -> Bool)?) {
        guard let db = handle else { return }
        interruptCheck = check.map(InterruptCheck.init)
        guard let box = interruptCheck else {
            sqlite3_progress_handler(db, 0, nil, nil)
            return
        }
        sqlite3_progress_handler(db, 10_000, { context in
            guard let context else { return 0 }
            return Unmanaged<InterruptCheck>.fromOpaque(context).takeUnretainedValue().check() ? 1 : 0
        }, Unmanaged.passUnretained(box).toOpaque())
    }

    /// Whether `error` is a statement stopped by ``stopWhen(_:)``.
    public static func isInterrupt(_ error: Error) -> Bool {
        guard case StoreError.sqlite(_, let code, _) = error else { return false }
        return code & 0xff == SQLITE_INTERRUPT
    }
}

/// The check `stopWhen` installs, kept alive by the `Database` that points SQLite at it.
final class InterruptCheck {
    let check: @Sendable () -> Bool
    init(_ check: @escaping @Sendable () -> Bool) { self.check = check }
}
