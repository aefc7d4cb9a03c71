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

    /// A page of the run's stored requests, pushed as a list of request tables.
    static func pushRequests(run: Int, after: Int, limit: Int, chunks: Bool, db: Database, _ call: LuaCall) throws {
        let page = try StoredRequests.load(run: Int64(run), after: after, limit: limit, chunks: chunks, db: db)
        // Read in place: a copy of the request per field would retain and release its strings 21 times a row.
        try page.withUnsafeBufferPointer { requests in
            try call.pushRecords(count: requests.count, keys: RequestTable.keys) { row, fields in
                try RequestTable.write(requests[row], to: &fields, chunks: chunks)
            }
        }
    }
}

/// A stored request as Lua sees it (`run:each_request()`, SLA `per_request` functions):
/// the stored columns by name, plus the derived `tpot` and `tokens_per_s`. One list of
/// keys serves both the single table and the page pushed through the bridge's record path.
enum RequestTable {
    static let keys = ["idx", "sent", "status", "tokens_approx", "chunk_times", "intended", "first_token", "ended",
                       "ttft", "e2e", "tpot", "tokens_per_s", "input_tokens", "output_tokens", "http_status",
                       "error_kind", "error", "response", "max_tokens", "workload_index", "expected", "class", "meta", "session", "turn"]

    /// Writes every field of `s` to `w` (chunk times only when `chunks`; an absent field is
    /// left out): one list for the page `run:each_request()` pushes through the bridge and
    /// for the single table ``make(_:)`` builds, so the two cannot drift apart.
    static func write<W: LuaCall.RecordFields>(_ s: StoredRequest, to w: inout W, chunks: Bool) throws {
        w.set(0, s.record.index)
        w.set(1, s.record.sent)
        w.set(2, s.record.status.rawValue)
        w.set(3, s.record.tokensApproximate)
        if chunks { try w.set(4, .array(s.record.chunkTimes.map { .double($0) })) }
        w.set(5, s.record.intended)
        w.set(6, s.record.firstToken)
        w.set(7, s.record.ended)
        w.set(8, s.record.ttft)
        w.set(9, s.record.e2e)
        w.set(10, s.record.timePerOutputToken)
        w.set(11, s.record.outputTokensPerSecond)
        w.set(12, s.record.inputTokens)
        w.set(13, s.record.outputTokens)
        w.set(14, s.record.httpStatus)
        w.set(15, s.record.errorKind?.rawValue)
        w.set(16, s.record.error)
        w.set(17, s.record.response)
        w.set(18, s.record.maxTokens)
        w.set(19, s.workloadIndex)
        w.set(20, s.expected)
        w.set(21, s.requestClass)
        // Stored by json_valid's CHECK, so it decodes; a file edited by hand reads as absent.
        if let meta = s.meta.flatMap({ try? JSON.decode($0) }) { try w.set(22, meta) }
        w.set(23, s.session)
        w.set(24, s.turn)
    }

    static func make(_ s: StoredRequest) -> LuaValue {
        var t = LuaCall.RecordTable(keys: keys)
        // A table never fails to take a value; only the bridge's stack can.
        try? write(s, to: &t, chunks: true)
        return .table(t.fields)
    }
}
