import Cost
import LuaBridge

/// `cost.breakeven{}`: self-hosted vs cloud vs API over monthly token volume.
enum BreakEvenBinding {
    static func run(_ call: LuaCall) throws -> LuaValue {
        let o = try Options(call, 1)
        try o.only(["gpu", "cloud", "api", "gpus", "tokens_per_s", "run", "input_share", "utilization",
                    "cloud_utilization", "tokens_per_request", "volumes", "overhead"])
        let gpu = try GPUSpec.read(o.table["gpu"] ?? .nil, call, 1, field: "gpu")
        guard case .table(let cloudT)? = o.table["cloud"], let cloudHourly = cloudT["hourly"]?.number else {
            throw o.error("cloud", "a cost.cloud{} table")
        }
        guard case .table(let apiT)? = o.table["api"], apiT["kind"]?.string == "api" else {
            throw o.error("api", "a cost.api{} table")
        }
        try Options(table: cloudT, call: call, position: 1, path: "cloud.").only(HardwareTable.cloudFields)
        try Options(table: apiT, call: call, position: 1, path: "api.").only(HardwareTable.apiFields)
        let gpus = try o.int("gpus") ?? gpu.count
        // Throughput and input share from a run when not given.
        var tps = try o.number("tokens_per_s")
        var share = try o.number("input_share")
        var perRequest = try o.number("tokens_per_request")
        if let r = try o.entries("run") {  // a run table: its other fields are the run's
            let input = r.table["input_tokens"]?.number ?? 0, output = r.table["output_tokens"]?.number ?? 0
            if tps == nil { tps = r.table["total_tokens_per_s"]?.number }
            if share == nil, input + output > 0 { share = input / (input + output) }
            if perRequest == nil, let n = r.table["succeeded"]?.number, n > 0 { perRequest = (input + output) / n }
        }
        guard let tps else { throw call.argumentError(1, "give 'tokens_per_s' (input + output tokens per second) or a 'run'") }
        var utilizations: [Double] = [1]
        if let u = o.table["utilization"] {
            if let d = u.number { utilizations = [d] }
            else if case .array(let a) = u, !a.isEmpty, a.allSatisfy({ $0.number != nil }) { utilizations = a.compactMap(\.number) }
            else { throw o.error("utilization", "a number or a list of numbers") }
        }
        var overheads: [DeploymentOption: Double] = [:]
        if let per = try o.sub("overhead", only: ["self_hosted", "cloud", "api"]) {
            for (key, option) in [("self_hosted", DeploymentOption.selfHosted), ("cloud", .cloud), ("api", .api)] {
                if let v = per.table[key] { overheads[option] = try OverheadBinding.read(v, call, field: "overhead.\(key)").monthly }
            }
        }
        do {
            let cloud = try CloudPrice(hourly: cloudHourly)
            let api = try APIPrice(inputPerMillion: apiT["input"]?.number ?? 0, outputPerMillion: apiT["output"]?.number ?? 0,
                                   perRequest: apiT["per_request"]?.number ?? 0)
            let owned = try gpu.cost.with(.utilization, 1)
            let cases = try utilizations.map { u in
                try BreakEven.compare(gpu: owned, cloud: cloud, api: api, gpus: gpus, tokensPerSecond: tps,
                                      inputShare: share ?? 0.5, utilization: u,
                                      cloudUtilization: try o.number("cloud_utilization") ?? 1,
                                      tokensPerRequest: api.perRequest > 0 ? perRequest : nil,
                                      capitalHourly: gpu.capitalAtFullUse, overheads: overheads)
            }
            let first = cases[0]
            var volumes: [Double]
            if case .array(let a)? = o.table["volumes"] {
                volumes = try a.map { v in
                    guard let d = v.number else { throw o.error("volumes", "a list of monthly token counts") }
                    return d
                }
            } else {
                // Ten points from 10% to 100% of the (first) capacity.
                volumes = (1...10).map { first.capacity * Double($0) / 10 }
            }
            let rows: [LuaValue] = try volumes.map { v in
                let c = try first.costs(monthlyTokens: v)
                var t: [String: LuaValue] = ["monthly_tokens": .double(v), "cloud": .double(c.cloud), "api": .double(c.api),
                                             "cheapest": .string(name(c.cheapest))]
                if let s = c.selfHosted { t["self_hosted"] = .double(s) }
                return .table(t)
            }
            var t = summary(first)
            t["rows"] = .array(rows)
            t["input_share"] = .double(share ?? 0.5)
            t["tokens_per_s"] = .double(tps)
            t["gpus"] = .int(gpus)
            if cases.count > 1 { t["by_utilization"] = .array(cases.map { .table(summary($0)) }) }
            return .table(t)
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    static func summary(_ b: BreakEven) -> [String: LuaValue] {
        var t: [String: LuaValue] = ["utilization": .double(b.utilization), "capacity": .double(b.capacity),
                                     "self_hosted_monthly": .double(b.selfHostedMonthly),
                                     "cloud_per_1m": .double(b.cloudPerToken * 1e6), "api_per_1m": .double(b.apiPerToken * 1e6)]
        if let v = b.selfHostedVsCloud { t["self_hosted_vs_cloud"] = .double(v) }
        if let v = b.selfHostedVsAPI { t["self_hosted_vs_api"] = .double(v) }
        if let v = b.cloudVsAPI { t["cloud_vs_api"] = .double(v) }
        t["owned_hourly"] = .double(b.ownedHourly)
        return t
    }

    static func name(_ o: DeploymentOption) -> String {
        switch o {
        case .selfHosted: return "self_hosted"
        case .cloud: return "cloud"
        case .api: return "api"
        }
    }
}

/// `cost.tornado{}` and `cost.montecarlo{}`: sensitivity of a cost figure to GPU parameters.
enum SensitivityBinding {
    /// The user's metric (a Lua function of the GPU table), or the hourly cost.
    static func metric(_ call: LuaCall, base: GPUSpec) throws -> (GPUCost) throws -> Double {
        let fn = try call.function(1, field: "metric")
        return { cost in
            var spec = base
            spec.cost = cost
            guard let fn else { return spec.hourly }
            guard let d = try fn.call(spec.table).first?.number else {
                throw LuaScriptError("cost sensitivity: the metric function must return a number")
            }
            return d
        }
    }

    static func parameter(_ key: String, _ call: LuaCall) throws -> GPUCostParameter {
        guard let p = GPUSpec.parameter(named: key) else {
            throw call.argumentError(1, "unknown GPU parameter '\(key)' (expected one of: \(GPUSpec.parameterNames.map(\.0).joined(separator: ", ")))")
        }
        return p
    }

    static func tornado(_ call: LuaCall) throws -> LuaValue {
        let o = Options(table: try call.fields(1, skipping: ["metric"]), call: call, position: 1)
        try o.only(["gpu", "ranges", "metric"])
        let base = try GPUSpec.read(o.table["gpu"] ?? .nil, call, 1, field: "gpu")
        guard let ranges = try o.entries("ranges"), !ranges.table.isEmpty else { throw o.error("ranges", "a table {parameter = {low, high}}") }
        var parsed: [GPUCostParameter: (low: Double, high: Double)] = [:]
        for key in ranges.table.keys.sorted() {
            guard case .array(let a)? = ranges.table[key], a.count == 2, let lo = a[0].number, let hi = a[1].number else {
                throw call.argumentError(1, "field 'ranges.\(key)' must be {low, high}")
            }
            parsed[try parameter(key, call)] = (lo, hi)
        }
        do {
            let t = try Sensitivity.tornado(base: base.cost, ranges: parsed, metric: try metric(call, base: base))
            let bars: [LuaValue] = t.bars.map { b in
                ["parameter": .string(GPUSpec.parameterNames.first { $0.1 == b.parameter }?.0 ?? b.parameter.rawValue),
                 "low": .double(b.low), "high": .double(b.high), "at_low": .double(b.metricAtLow),
                 "at_high": .double(b.metricAtHigh), "swing": .double(b.swing)]
            }
            return ["baseline": .double(t.baseline), "bars": .array(bars)]
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    static func monteCarlo(_ call: LuaCall) throws -> LuaValue {
        let o = Options(table: try call.fields(1, skipping: ["metric"]), call: call, position: 1)
        try o.only(["gpu", "vary", "samples", "seed", "metric"])
        let base = try GPUSpec.read(o.table["gpu"] ?? .nil, call, 1, field: "gpu")
        guard let vary = try o.entries("vary"), !vary.table.isEmpty else { throw o.error("vary", "a table {parameter = distribution}") }
        var distributions: [GPUCostParameter: Distribution] = [:]
        for key in vary.table.keys.sorted() {
            distributions[try parameter(key, call)] = try distribution(vary.table[key] ?? .nil, key, call)
        }
        let samples = try o.int("samples") ?? 10_000
        let seed = try o.int("seed") ?? 1
        do {
            let s = try Sensitivity.monteCarlo(base: base.cost, distributions: distributions, samples: samples,
                                               seed: UInt64(bitPattern: Int64(seed)), metric: try metric(call, base: base))
            return ["samples": .int(s.samples), "mean": .double(s.mean), "stdev": .double(s.stdev), "p5": .double(s.p5),
                    "p50": .double(s.p50), "p95": .double(s.p95), "min": .double(s.min), "max": .double(s.max),
                    "rejected_draws": .int(s.rejectedDraws)]
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    /// A number (fixed), `{lo, hi}` (uniform), or a table with `kind`: uniform{min,max},
    /// normal{mean,sd}, lognormal{median,sigma}, triangular{min,mode,max}, fixed{value|n}.
    static func distribution(_ v: LuaValue, _ key: String, _ call: LuaCall) throws -> Distribution {
        func bad() -> LuaArgumentError {
            call.argumentError(1, "field 'vary.\(key)' must be a number, {low, high}, or a table with kind = 'uniform' | 'normal' | 'lognormal' | 'triangular'")
        }
        if let d = v.number { return .fixed(d) }
        if case .array(let a) = v, a.count == 2, let lo = a[0].number, let hi = a[1].number { return .uniform(low: lo, high: hi) }
        guard case .table(let t) = v, let kind = t["kind"]?.string else { throw bad() }
        func n(_ k: String) throws -> Double {
            guard let d = t[k]?.number else { throw call.argumentError(1, "field 'vary.\(key).\(k)' must be a number") }
            return d
        }
        switch kind {
        case "fixed": return .fixed(try t["value"]?.number ?? n("n"))
        case "uniform": return .uniform(low: try n("min"), high: try n("max"))
        case "normal": return .normal(mean: try n("mean"), stdev: try n("sd"))
        case "lognormal": return .lognormal(median: try n("median"), sigma: try n("sigma"))
        case "triangular": return .triangular(low: try n("min"), mode: try n("mode"), high: try n("max"))
        default: throw bad()
        }
    }
}
