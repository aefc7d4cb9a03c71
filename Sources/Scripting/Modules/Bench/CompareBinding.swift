import Cost
import FrontierMath
import LuaBridge
import Measure
import Metrics
import Runs

/// `bench.compare(a, b)`: two runs side by side, and whether their latency
/// differences are larger than run-to-run noise.
enum CompareBinding {
    /// The figures compared, by their paths in a run table (docs/metrics.md).
    static let figures = ["requests", "succeeded", "success_rate", "makespan", "requests_per_s", "output_tokens_per_s",
                          "total_tokens_per_s", "achieved_concurrency",
                          "ttft.mean", "ttft.p50", "ttft.p90", "ttft.p99", "tpot.mean", "tpot.p50", "tpot.p99",
                          "itl.mean", "itl.p50", "itl.p99", "e2e.mean", "e2e.p50", "e2e.p99", "tokens_per_s.mean"]

    /// The per-request latencies tested for a real difference.
    static let tested: [(String, @Sendable (RequestRecord) -> Double?)] = [
        ("ttft", { $0.ttft }), ("tpot", { $0.timePerOutputToken }), ("e2e", { $0.e2e }),
    ]

    static func run(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let a = try RunView(call, 1), b = try RunView(call, 2)
        let o = try Options(call, 3, optional: true)
        try o.only(["hardware", "confidence", "resamples", "seed"])
        var rows: [LuaValue] = figures.compactMap { path in
            let x = a.number(path), y = b.number(path)
            guard x != nil || y != nil else { return nil }
            return row(path, x, y)
        }
        if let hw = o.table["hardware"] {
            let (hardware, _) = try HardwareTable.read(hw, call, 3, gpus: nil)
            // A run that cannot be costed (no makespan, a GPU count the hardware does not
            // match) is an error naming it, not a row that silently goes missing.
            func cost(_ r: RunView) throws -> RunCost? {
                do { return try RunCost(usage: r.usage(), hardware: hardware) } catch let e as CostError {
                    throw call.argumentError(r.position, "\(r.label) cannot be costed on this hardware: \(e)")
                }
            }
            let ca = try cost(a), cb = try cost(b)
            rows.append(row("cost.total", ca?.total, cb?.total))
            rows.append(row("cost.per_request", ca?.perRequest, cb?.perRequest))
            rows.append(row("cost.per_1m_tokens", ca?.perMillionTokens, cb?.perMillionTokens))
        }
        var out: [String: LuaValue] = ["figures": .array(rows)]
        // Per-request samples need both runs in a store.
        if a.runID != nil, b.runID != nil {
            let ra = try a.requests(store).map(\.record).filter { $0.status == .ok }
            let rb = try b.requests(store).map(\.record).filter { $0.status == .ok }
            let confidence = try o.number("confidence") ?? 0.95
            let resamples = try o.int("resamples") ?? 10_000
            let seed = UInt64(bitPattern: Int64(try o.int("seed") ?? 1))
            var tests: [LuaValue] = []
            for (name, value) in tested {
                let xs = ra.compactMap(value), ys = rb.compactMap(value)
                guard !xs.isEmpty, !ys.isEmpty else { continue }
                for (label, statistic) in [("mean", BootstrapStatistic.mean), ("p50", .median)] {
                    let d = try FrontierModule.math(call) {
                        try Bootstrap.differenceInterval(xs, ys, statistic: statistic, resamples: resamples,
                                                         confidence: confidence, seed: seed)
                    }
                    tests.append(["metric": .string("\(name).\(label)"), "difference": .double(d.estimate),
                                  "lower": .double(d.lower), "upper": .double(d.upper),
                                  "beyond_noise": .bool(d.lower > 0 || d.upper < 0)])
                }
            }
            out["differences"] = .array(tests)
            out["confidence"] = .double(confidence)
        }
        return .table(out)
    }

    static func row(_ path: String, _ a: Double?, _ b: Double?) -> LuaValue {
        var t: [String: LuaValue] = ["metric": .string(path)]
        if let a { t["a"] = .double(a) }
        if let b { t["b"] = .double(b) }
        if let a, let b {
            t["change"] = .double(b - a)
            if a != 0 { t["relative"] = .double((b - a) / a) }
        }
        return .table(t)
    }
}
