import Foundation
import LuaBridge
import Runs
import Store
import TeamStore

/// A database handle as Lua sees it (`db.open(path)` and the default store).
final class DBHandle {
    let path: String
    private var database: Database?
    private var closed = false
    /// The default store reopens on next use after close(); opened handles stay closed.
    let reopens: Bool

    init(path: String, reopens: Bool = false) {
        self.path = path
        self.reopens = reopens
    }

    /// The open connection; opened on first use.
    func db() throws -> Database {
        if let d = database { return d }
        guard !closed || reopens else { throw LuaScriptError("database \(path) is closed", code: "store") }
        let d = try Database(path: path)
        d.stopWhen { LuaVM.interruptPending }  // Ctrl-C stops a long query
        database = d
        // Spilled requests are written in and runs whose process died (kill -9, a reboot)
        // are closed as `incomplete` on first open.
        for notice in RunRecovery.onOpen(db: d) {
            FileHandle.standardError.write(Data("\(notice)\n".utf8))
        }
        return d
    }

    func close() {
        database?.close()
        database = nil
        closed = true
    }
}

/// The `db` module: SQL over the results store, parameters always bound.
final class StoreModule {
    let defaultHandle: DBHandle

    init(defaultPath: String) { defaultHandle = DBHandle(path: defaultPath, reopens: true) }

    func close() { defaultHandle.close() }

    /// The last other file asked for by path, and which file it was when opened.
    private var recent: (handle: DBHandle, file: FileIdentity)?

    /// The default store, or another file by path (a run remembers where it was stored).
    /// Asked for the same file again (`run:each_request()` asks once per page), the
    /// connection opened last time is reused rather than opened, migrated and recovered
    /// anew; a file replaced or removed since gets a new one.
    func handle(path: String?) -> DBHandle {
        guard let path, path != defaultHandle.path else { return defaultHandle }
        let file = FileIdentity(path)
        if let recent, recent.handle.path == path, let file, recent.file == file { return recent.handle }
        let h = DBHandle(path: path)
        // A file not there yet is made by the first use; it is kept from the next call on.
        recent = file.map { (h, $0) }
        return h
    }

    func register(in vm: LuaVM) throws {
        let def = defaultHandle
        try vm.register(type: LuaType<DBHandle>(
            "database", summary: "An open results store (SQLite file): what db.open returns.",
            methods: [
                LuaBinding("query", args: "sql, ...", "Runs a read-only query with bound parameters; returns an array of row tables (writes go through exec).") { call in
                    try Self.query(try call.object(1, as: DBHandle.self), call, from: 2)
                },
                LuaBinding("columns", args: "sql, ...", "Runs a read-only query like query; returns one list per column, {name = {values…}}, for analysis (a NULL leaves a hole).") { call in
                    try Self.columns(try call.object(1, as: DBHandle.self), call, from: 2)
                },
                LuaBinding("exec", args: "sql, ...", "Runs SQL with bound parameters; returns rows changed and the last inserted id.") { call in
                    try Self.exec(try call.object(1, as: DBHandle.self), call, from: 2)
                },
                LuaBinding("tables", "Lists the tables in the store.") { call in
                    try Self.tables(try call.object(1, as: DBHandle.self), call)
                },
                LuaBinding("transaction", args: "fn", "Runs fn inside a transaction: committed if it returns, rolled back if it raises.") { call in
                    try Self.transaction(try call.object(1, as: DBHandle.self), call, at: 2)
                },
                LuaBinding("close", "Closes the store; later use is an error.") { call in
                    try call.object(1, as: DBHandle.self).close()
                    return 0
                },
            ],
            tostring: { "database(\($0.path))" },
            field: { h, key, call in key == "path" ? try call.returning(.string(h.path)) : nil }))

        try TeamStoreBinding.register(in: vm)
        try vm.register(module: "db", summary: "The results store (SQLite): runs, requests and your own tables.", [
            LuaBinding("open", args: "path | 'postgres://…'", "Opens (creating and migrating if needed) a store file; returns a database. A postgres:// address opens the team store instead (docs/scale.md).") { call in
                let path = try call.string(1)
                if TeamAddress.isTeamStore(path) { return try TeamStoreBinding.open(path, call) }
                let h = DBHandle(path: path)
                _ = try h.db()
                try call.push(object: h)
                return 1
            },
            LuaBinding("default", "The default store (--db / FRONTIER_DB / ./frontier.db) as a database.") { call in
                try call.push(object: def)
                return 1
            },
            LuaBinding("path", "The default store's file path.") { call in
                try call.returning(.string(def.path))
            },
            LuaBinding("query", args: "sql, ...", "Runs a read-only query on the default store with bound parameters (? or a table of :names); returns an array of rows (writes go through db.exec).") { call in
                try Self.query(def, call, from: 1)
            },
            LuaBinding("columns", args: "sql, ...", "Runs a read-only query on the default store like db.query; returns one list per column, {name = {values…}}, for analysis (a NULL leaves a hole).") { call in
                try Self.columns(def, call, from: 1)
            },
            LuaBinding("exec", args: "sql, ...", "Runs SQL on the default store with bound parameters; returns rows changed and the last inserted id.") { call in
                try Self.exec(def, call, from: 1)
            },
            LuaBinding("tables", "Lists the tables in the default store.") { call in
                try Self.tables(def, call)
            },
            LuaBinding("transaction", args: "fn", "Runs fn in a transaction on the default store: committed if it returns, rolled back if it raises; returns fn's results.") { call in
                try Self.transaction(def, call, at: 1)
            },
        ])
    }

    // MARK: shared by the module and the handle

    /// The read-only query at argument `i` with its parameters after it.
    static func read(_ h: DBHandle, _ call: LuaCall, from i: Int) throws -> QueryResult {
        let sql = try call.string(i)
        return try run(h, call, sql: sql, paramsFrom: i + 1) { db, params in
            switch params {
            case .positional(let p): return try db.read(sql, p)
            case .named(let n): return try db.read(sql, named: n)
            }
        }
    }

    static func query(_ h: DBHandle, _ call: LuaCall, from i: Int) throws -> Int {
        let result = try read(h, call, from: i)
        let rows = result.rows
        try call.pushRecords(count: rows.count, keys: result.columns,
                             metatable: ["columns": .array(result.columns.map { .string($0) })]) { row, fields in
            let values = rows[row]
            for k in values.indices {
                switch values[k] {
                case .null: break
                case .integer(let i): fields.set(k, Int(i))
                case .real(let d): fields.set(k, d)
                case .text(let t): fields.set(k, t)
                case .blob(let b): fields.set(k, String(decoding: b, as: UTF8.self))
                }
            }
        }
        return 1
    }

    /// `db.columns`: the same read-only query, as one list per column (NULL leaves a hole).
    static func columns(_ h: DBHandle, _ call: LuaCall, from i: Int) throws -> Int {
        let result = try read(h, call, from: i)
        let rows = result.rows
        try call.pushColumns(count: rows.count, keys: result.columns) { row, k in luaValue(rows[row][k]) }
        return 1
    }

    static func exec(_ h: DBHandle, _ call: LuaCall, from i: Int) throws -> Int {
        let sql = try call.string(i)
        let changed = try run(h, call, sql: sql, paramsFrom: i + 1) { db, params in
            switch params {
            case .positional(let p): return try db.execute(sql, p)
            case .named(let n):
                // execute() binds positionally; named parameters go through query().
                _ = try db.query(sql, named: n)
                return db.changes
            }
        }
        return try call.returning(.int(changed), .int(Int(try h.db().lastInsertRowID)))
    }

    static func tables(_ h: DBHandle, _ call: LuaCall) throws -> Int {
        try call.returning(.array(try h.db().tables().map { .string($0) }))
    }

    static func transaction(_ h: DBHandle, _ call: LuaCall, at i: Int) throws -> Int {
        let fn = try call.function(i)
        // The results stay on the stack as Lua values (converted only after the commit).
        return try h.db().transaction { try fn.callReturningResults(in: call) }
    }

    enum Params {
        case positional([SQLValue])
        case named([String: SQLValue])
    }

    private static func run<T>(_ h: DBHandle, _ call: LuaCall, sql: String, paramsFrom first: Int,
                               _ body: (Database, Params) throws -> T) throws -> T {
        let params: Params
        if call.count == first, call.isTable(first) {
            guard case .table(let t) = try call.value(first) else {
                throw call.argumentError(first, "table of named parameters expected, got an array")
            }
            params = .named(try t.mapValues { try sqlValue($0, call, first) })
        } else if call.count >= first {
            params = .positional(try (first...call.count).map { try sqlValue(call.value($0), call, $0) })
        } else {
            params = .positional([])
        }
        do {
            return try body(try h.db(), params)
        } catch where Database.isInterrupt(error) && LuaVM.takeInterrupt() {
            throw LuaScriptError("interrupted!", code: "interrupted")
        }
    }

    static func sqlValue(_ v: LuaValue, _ call: LuaCall, _ i: Int) throws -> SQLValue {
        switch v {
        case .nil: return .null
        case .bool(let b): return .integer(b ? 1 : 0)
        case .int(let n): return .integer(Int64(n))
        case .double(let d): return .real(d)
        case .string(let s): return .text(s)
        case .array, .table:
            throw call.argumentError(i, "SQL parameter must be a number, string, boolean or nil, got table")
        }
    }

    static func luaValue(_ v: SQLValue) -> LuaValue {
        switch v {
        case .null: return .nil
        case .integer(let i): return .int(Int(i))
        case .real(let d): return .double(d)
        case .text(let s): return .string(s)
        case .blob(let b): return .string(String(decoding: b, as: UTF8.self))
        }
    }
}

/// Which file a path names (device and inode), so a replaced file is not mistaken for the old one.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64

    /// nil when nothing is at `path`.
    init?(_ path: String) {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
    }
}
