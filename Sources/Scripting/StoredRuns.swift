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
        if case .text(let s)? = cells["settings"], let v = try? JSON.decode(s) {
            t["settings"] = v
            // A simulated run knows its deployment: costing can check the GPU count.
            if t["source"]?.string == "simulated", let n = v["count"].integer, let g = v["gpu"].string {
                t["gpus"] = .int(n)
                t["gpu"] = .string(g)
            }
        }
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
        try StoredRequests.load(run: Int64(run), after: after, limit: limit, db: db).map(RequestTable.make)
    }
}

/// A stored request as Lua sees it (`run:requests()`, SLA `per_request` functions):
/// the stored columns by name, plus the derived `tpot` and `tps`.
enum RequestTable {
    static func make(_ s: StoredRequest) -> LuaValue {
        let r = s.record
        var t: [String: LuaValue] = ["idx": .int(r.index), "sent": .double(r.sent), "status": .string(r.status.rawValue),
                                     "tokens_approx": .bool(r.tokensApproximate),
                                     "chunk_times": .array(r.chunkTimes.map { .double($0) })]
        func put(_ key: String, _ v: Double?) { if let v { t[key] = .double(v) } }
        func put(_ key: String, _ v: Int?) { if let v { t[key] = .int(v) } }
        func put(_ key: String, _ v: String?) { if let v { t[key] = .string(v) } }
        put("intended", r.intended)
        put("first_token", r.firstToken)
        put("ended", r.ended)
        put("ttft", r.ttft)
        put("e2e", r.e2e)
        put("tpot", r.timePerOutputToken)
        put("tps", r.outputTokensPerSecond)
        put("input_tokens", r.inputTokens)
        put("output_tokens", r.outputTokens)
        put("http_status", r.httpStatus)
        put("error_kind", r.errorKind?.rawValue)
        put("error", r.error)
        put("response", r.response)
        put("max_tokens", r.maxTokens)
        put("workload_index", s.workloadIndex)
        put("expected", s.expected)
        return .table(t)
    }
}
