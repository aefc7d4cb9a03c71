import Foundation
import LuaBridge
import Measure
import Metrics

/// Runs as Lua sees them: plain tables (so they print, serialise and feed
/// SLA and cost functions), with `run.lua`'s methods attached.
enum RunTable {
    static func stats(_ s: LatencyStats?) -> LuaValue {
        guard let s else { return .nil }
        return ["count": .int(s.count), "mean": .double(s.mean), "stdev": .double(s.stdev), "min": .double(s.min),
                "p50": .double(s.p50), "p90": .double(s.p90), "p95": .double(s.p95), "p99": .double(s.p99),
                "max": .double(s.max)]
    }

    /// The summary figures, by the names docs/metrics.md defines.
    static func summaryFields(_ s: RunSummary) -> [String: LuaValue] {
        var t: [String: LuaValue] = [
            "count": .int(s.requests), "succeeded": .int(s.succeeded), "failed": .int(s.failed),
            "truncated": .int(s.truncated), "success_rate": .double(s.successRate),
            "errors": .table(s.errorsByKind.mapValues { .int($0) }),
            "makespan": .double(s.makespan), "request_throughput": .double(s.requestThroughput),
            "output_throughput": .double(s.outputThroughput), "total_throughput": .double(s.totalThroughput),
            "achieved_concurrency": .double(s.achievedConcurrency),
            "input_tokens": .int(s.inputTokens), "output_tokens": .int(s.outputTokens),
            "tokens_approx": .bool(s.tokensApproximate),
        ]
        t["ttft"] = stats(s.ttft)
        t["tpot"] = stats(s.tpot)
        t["itl"] = stats(s.itl)
        t["e2e"] = stats(s.e2e)
        t["tps"] = stats(s.tokensPerSecond)
        t["ttft_from_intended"] = stats(s.ttftFromIntended)
        t["e2e_from_intended"] = stats(s.e2eFromIntended)
        t["send_lag"] = stats(s.sendLag)
        return t.filter { !$0.value.isNil }
    }

    static func verdict(_ v: Verdict) -> LuaValue {
        ["valid": .bool(v.valid), "reasons": .array(v.reasons.map { .string($0) })]
    }

    static func make(outcome o: RunOutcome, tag: String?, endpoint: Endpoint, plan: LoadPlan, db: String?) -> LuaValue {
        var t = summaryFields(o.summary)
        if let id = o.runID { t["run_id"] = .int(Int(id)) }
        if let tag { t["tag"] = .string(tag) }
        t["status"] = .string(o.status.rawValue)
        t["source"] = "measured"
        t["target"] = .string(endpoint.baseURL)
        t["model"] = .string(endpoint.model)
        switch plan.shape {
        case .closed(let c): t["concurrency"] = .int(c)
        case .open(let r, _, let cap):
            t["rate"] = .double(r)
            if let cap { t["concurrency"] = .int(cap) }
        }
        t["valid"] = .bool(o.verdict.valid)
        t["verdict"] = verdict(o.verdict)
        var cpu: [String: LuaValue] = ["seconds": .double(o.clientCPU.seconds), "busiest_thread": .double(o.clientCPU.busiestThread)]
        if let pc = o.clientCPU.perChunkMicroseconds { cpu["per_chunk_us"] = .double(pc) }
        t["client_cpu"] = .table(cpu)
        t["started_at"] = .double(o.startedAt)
        t["ended_at"] = .double(o.endedAt)
        if let s = try? JSON.decode(o.settings) { t["settings"] = s }
        if let db { t["db"] = .string(db) }
        if !o.warnings.isEmpty { t["warnings"] = .array(o.warnings.map { .string($0) }) }
        return .table(t)
    }
}
