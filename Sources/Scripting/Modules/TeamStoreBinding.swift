import Foundation
import LuaBridge
import Store
import TeamStore

/// The team store from Lua (docs/scale.md): `db.open("postgres://…")` returns a
/// connection with `query`, and `bench.runs{ store = "postgres://…" }` reads its runs.
/// Kept thin: the work is TeamStore's.
final class TeamHandle {
    private var connection: TeamConnection?
    let display: String

    init(url: String) throws {
        let address = try TeamAddress(url)
        display = address.display
        connection = try TeamConnection(address, stopWhen: { LuaVM.interruptPending })
    }

    func open() throws -> TeamConnection {
        guard let c = connection else { throw LuaScriptError("team store \(display) is closed", code: "store") }
        return c
    }

    func close() {
        connection?.close()
        connection = nil
    }
}

enum TeamStoreBinding {
    static func register(in vm: LuaVM) throws {
        try vm.register(type: LuaType<TeamHandle>(
            "team_store", summary: "A connection to a team store on PostgreSQL: what db.open('postgres://…') returns.",
            methods: [
                LuaBinding("query", args: "sql, ...", "Runs SQL on the team store with $1, $2, … bound to the arguments; returns an array of row tables (docs/scale.md lists the tables).") { call in
                    let h = try call.object(1, as: TeamHandle.self)
                    let sql = try call.string(2)
                    let params = call.count >= 3 ? try (3...call.count).map { try StoreModule.sqlValue(call.value($0), call, $0) } : []
                    let result = try h.open().query(sql, params, what: "db.query")
                    let rows = result.rows
                    try call.pushRecords(count: rows.count, keys: result.columns,
                                         metatable: ["columns": .array(result.columns.map { .string($0) })]) { row, k in
                        StoreModule.luaValue(rows[row][k])
                    }
                    return 1
                },
                LuaBinding("close", "Closes the connection; later use is an error.") { call in
                    try call.object(1, as: TeamHandle.self).close()
                    return 0
                },
            ],
            tostring: { "team_store(\($0.display))" },
            field: { h, key, call in key == "url" ? try call.returning(.string(h.display)) : nil }))
    }

    /// `db.open` of a `postgres://` address.
    static func open(_ url: String, _ call: LuaCall) throws -> Int {
        try call.push(object: try TeamHandle(url: url))
        return 1
    }

    /// `bench.runs{ store = }`: the tag's runs pulled into a cache file beside other temporary
    /// files (one per team store and user, so later reads only fetch new runs); returns its path.
    static func cache(store url: String, tag: String?) throws -> String {
        guard let tag else {
            throw LuaScriptError("bench.runs{ store = } needs a tag (tag = '…'): the team store holds every team's runs", code: "bad_argument")
        }
        let address = try TeamAddress(url)
        let c = try TeamConnection(address, stopWhen: { LuaVM.interruptPending })
        defer { c.close() }
        let name = address.display.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "_" }.joined()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("frontier-team-\(getuid())-\(name).db").path
        let db = try Database(path: path)
        defer { db.close() }
        _ = try TeamPull.pull(from: c, into: db, tag: tag)
        return path
    }
}
