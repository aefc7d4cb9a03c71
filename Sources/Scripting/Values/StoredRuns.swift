import Foundation
import LuaBridge
import Metrics
import Runs
import Store

/// Stored runs and requests as Lua tables. The SQL lives in the Runs target.
enum StoredRuns {
    /// The run with this id (not_found when there is none).
    static func load(id: Int, db: Database) throws -> [String: LuaValue] {
        try table(RunRecords.load(id: Int64(id), db: db))
    }

    static func list(tag: String?, source: String?, sweep: SweepChoice, db: Database) throws -> [[String: LuaValue]] {
        try RunRecords.list(tag: tag, source: source, sweep: sweep, db: db).map(table)
    }

    /// A stored run as Lua sees it: its columns, settings, summary figures (by
    /// ``RunSummary/Field`` names), the extras stored beside them, and the verdict.
    static func table(_ run: StoredRun) throws -> [String: LuaValue] {
        var t: [String: LuaValue] = ["run_id": .int(Int(run.id)), "source": .string(run.source), "status": .string(run.status)]
        t["tag"] = run.tag.map(LuaValue.string)
        t["sweep"] = run.sweep.map { .int(Int($0)) }
        t["target"] = run.target.map(LuaValue.string)
        t["model"] = run.model.map(LuaValue.string)
        t["concurrency"] = run.concurrency.map(LuaValue.int)
        t["rate"] = run.rate.map(LuaValue.double)
        t["started_at"] = run.startedAt.map(LuaValue.double)
        t["ended_at"] = run.endedAt.map(LuaValue.double)
        if let s = run.settings {
            let v: LuaValue
            do { v = try JSON.decode(s) } catch {
                throw RunsError.badColumn(run: run.id, column: "settings", reason: "\(error)")
            }
            t["settings"] = v
            // A simulated run knows its deployment: costing can check the GPU count.
            if run.source == "simulated", let n = v["gpus"].integer, let g = v["gpu"].string {
                t["gpus"] = .int(n)
                t["gpu"] = .string(g)
            }
        }
        if let summary = run.summary {
            for (k, v) in try RunTable.summaryFields(summary) { t[k] = v }
            for (k, json) in run.summaryExtras {
                do { t[k] = try JSON.decode(json) } catch {
                    throw RunsError.badColumn(run: run.id, column: "summary.\(k)", reason: "\(error)")
                }
            }
        }
        if let v = run.verdict {
            t["verdict"] = RunTable.verdict(v)
            t["valid"] = .bool(v.valid)
        }
        return t
    }

    static func requests(run: Int, after: Int, limit: Int, db: Database) throws -> [LuaValue] {
        try StoredRequests.load(run: Int64(run), after: after, limit: limit, db: db).map(RequestTable.make)
    }
}

/// A stored request as Lua sees it (`run:each_request()`, SLA `per_request` functions):
/// the stored columns by name, plus the derived `tpot` and `tokens_per_s`.
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
        put("tokens_per_s", r.outputTokensPerSecond)
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
