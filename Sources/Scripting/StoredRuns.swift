import Foundation
import LuaBridge
import Measure
import Metrics
import Store

/// Runs and requests read back from the store as Lua tables.
enum StoredRuns {
    static let columns = "run_id, tag, source, target, model, concurrency, rate, settings, status, started_at, ended_at, summary, verdict"

    static func load(id: Int, db: Database) throws -> [String: LuaValue]? {
        let r = try db.query("SELECT \(columns) FROM runs WHERE run_id = ?", [.integer(Int64(id))])
        return r.rows.first.map { table(columns: r.columns, row: $0) }
    }

    static func list(tag: String?, source: String?, db: Database) throws -> [[String: LuaValue]] {
        let r = try db.query("""
            SELECT \(columns) FROM runs WHERE (?1 IS NULL OR tag = ?1) AND (?2 IS NULL OR source = ?2) ORDER BY run_id
            """, [tag.map(SQLValue.text) ?? .null, source.map(SQLValue.text) ?? .null])
        return r.rows.map { table(columns: r.columns, row: $0) }
    }

    static func table(columns: [String], row: [SQLValue]) -> [String: LuaValue] {
        var t: [String: LuaValue] = [:]
        var cells: [String: SQLValue] = [:]
        for (c, v) in zip(columns, row) { cells[c] = v }
        for c in ["run_id", "tag", "source", "target", "model", "concurrency", "rate", "status", "started_at", "ended_at"] {
            if let v = cells[c], v != .null { t[c] = StoreModule.luaValue(v) }
        }
        if case .text(let s)? = cells["settings"], let v = try? JSON.decode(s) { t["settings"] = v }
        if case .text(let s)? = cells["summary"] {
            if let summary = try? RunSummary(json: s) {
                t.merge(RunTable.summaryFields(summary)) { a, _ in a }
            }
            if case .table(let raw)? = try? JSON.decode(s), let cpu = raw["client_cpu"] { t["client_cpu"] = cpu }
        }
        if case .text(let s)? = cells["verdict"], let data = s.data(using: .utf8),
           let v = try? JSONDecoder().decode(Verdict.self, from: data) {
            t["verdict"] = RunTable.verdict(v)
            t["valid"] = .bool(v.valid)
        }
        return t
    }

    static func requests(run: Int, after: Int, limit: Int, db: Database) throws -> [LuaValue] {
        let r = try db.query("""
            SELECT idx, intended, sent, first_token, ended, ttft, e2e, input_tokens, output_tokens, tokens_approx,
                   http_status, status, error_kind, error, chunk_times, response, max_tokens, workload_index, expected
            FROM requests WHERE run_id = ? AND idx > ? ORDER BY idx LIMIT ?
            """, [.integer(Int64(run)), .integer(Int64(after)), .integer(Int64(limit))])
        return r.rows.map { row in
            var t: [String: LuaValue] = [:]
            for (c, v) in zip(r.columns, row) where v != .null {
                switch (c, v) {
                case ("chunk_times", .blob(let b)): t[c] = .array(ChunkTimes.decode(b).map { .double($0) })
                case ("tokens_approx", .integer(let i)): t[c] = .bool(i != 0)
                default: t[c] = StoreModule.luaValue(v)
                }
            }
            return .table(t)
        }
    }
}
