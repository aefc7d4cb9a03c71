import Foundation
import LuaBridge
import Runs
import Measure
import Metrics

/// Runs as Lua sees them: plain tables (so they print, serialise and feed
/// SLA and cost functions), with `run.lua`'s methods attached.
enum RunTable {
    /// The summary figures under their stored names (``RunSummary/Field``): the same
    /// encoding writes `runs.summary`, so a figure has one name in Lua and in the store.
    static func summaryFields(_ s: RunSummary) throws -> [String: LuaValue] {
        guard case .table(let t) = try JSON.decode(s.json()) else { return [:] }
        return t
    }

    /// Figures by group (class, turn) as stored under `by_class`: each group's summary
    /// fields and its `cost_share`.
    static func groups(_ g: [String: GroupFigures]) throws -> LuaValue {
        var out: [String: LuaValue] = [:]
        for (name, figures) in g {
            var t = try summaryFields(figures.summary)
            if let c = figures.costShare { t["cost_share"] = .double(c) }
            out[name] = .table(t)
        }
        return .table(out)
    }

    static func verdict(_ v: Verdict) -> LuaValue {
        ["valid": .bool(v.valid), "reasons": .array(v.reasons.map { .string($0) })]
    }

    static func make(outcome o: RunOutcome, tag: String?, endpoint: Endpoint, plan: LoadPlan, db: String?) throws -> LuaValue {
        var t = try summaryFields(o.summary)
        if let id = o.runID { t["run_id"] = .int(Int(id)) }
        if let tag { t["tag"] = .string(tag) }
        if o.runID != nil, let db, let sweep = Sweeps.current(path: db, tag: tag) { t["sweep"] = .int(Int(sweep)) }
        t["status"] = .string(o.status.rawValue)
        t["source"] = "measured"
        t["target"] = .string(endpoint.baseURL)
        t["model"] = .string(endpoint.model)
        switch plan.shape {
        case .closed(let c): t["concurrency"] = .int(c)
        case .open(let r, _, let cap):
            t["rate"] = .double(r)
            if let cap { t["concurrency"] = .int(cap) }
        case .trace(let cap):
            if let cap { t["concurrency"] = .int(cap) }
        }
        t["valid"] = .bool(o.verdict.valid)
        t["verdict"] = verdict(o.verdict)
        var cpu: [String: LuaValue] = ["seconds": .double(o.clientCPU.seconds), "busiest_thread": .double(o.clientCPU.busiestThread)]
        if let pc = o.clientCPU.perChunk { cpu["per_chunk"] = .double(pc) }
        t["client_cpu"] = .table(cpu)
        t["resends"] = .int(o.resends)
        if !o.byClass.isEmpty { t["by_class"] = try groups(o.byClass) }
        if !o.byTurn.isEmpty { t["by_turn"] = try groups(o.byTurn) }
        if let l = o.offered {
            t["offered"] = ["planned": .int(l.planned), "sent": .int(l.sent), "dropped": .int(l.dropped), "late": .int(l.late)]
        }
        if let l = o.inputLength {
            t["input_length"] = ["requested": ["mean": .double(l.requested.mean), "stdev": .double(l.requested.stdev)],
                                 "served": ["mean": .double(l.served.mean), "stdev": .double(l.served.stdev)],
                                 "requests": .int(l.requests), "difference": .double(l.difference)]
        }
        t["started_at"] = .double(o.startedAt)
        t["ended_at"] = .double(o.endedAt)
        t["settings"] = try JSON.decode(o.settings)
        if let db { t["db"] = .string(db) }
        if !o.warnings.isEmpty { t["warnings"] = .array(o.warnings.map { .string($0) }) }
        return .table(t)
    }
}
