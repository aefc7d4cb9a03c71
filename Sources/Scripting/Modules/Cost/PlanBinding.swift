import Cost
import LuaBridge

/// `cost.plan{}`: each way of serving a demand profile (owned, rented, API, mixed),
/// costed for a month, with SLA misses, owned utilisation and the cheapest.
enum PlanBinding {
    static let fields: Set<String> = ["demand", "capacity", "gpu", "cloud", "api", "tokens_per_request", "percentile",
                                      "base_replicas", "max_miss_fraction", "capex", "idle_share"]
    static let cloudFields = HardwareTable.cloudFields.union(["granularity", "min_billing", "startup"])

    static func run(_ call: LuaCall) throws -> LuaValue {
        let o = try Options(call, 1)
        try o.only(fields)
        let profile = try DemandBinding.read(o, "demand")
        let capacity = try Self.capacity(o)
        var ownedHourly: Double?, replicaGPUs = 1, powerHourly = 0.0, capitalHourly: Double?
        if let g = o.table["gpu"], !g.isNil {
            let spec = try GPUSpec.read(g, call, 1, field: "gpu")
            // A replica is the GPU table's `gpus`; owning is paid every calendar hour.
            replicaGPUs = spec.count
            ownedHourly = spec.calendarHourly * Double(spec.count)
            powerHourly = spec.cost.power * Double(spec.count)
            capitalHourly = spec.capitalAtFullUse
        }
        let capital = try capitalByMonth(o, gpus: replicaGPUs)
        if let capital {
            // The months must average to the plan's monthly cost: the GPU's own schedule.
            let mean = capital.reduce(0, +) / Double(capital.count) / Double(replicaGPUs) / CapacityPlan.monthHours
            guard let c = capitalHourly, abs(c - mean) <= 1e-9 * max(1, abs(c)) else {
                throw call.argumentError(1, "field 'capex' must be the schedule the 'gpu' was built with (cost.gpu{ capex = … })")
            }
        }
        do {
            var cloud: CloudScaling?
            if let c = try o.sub("cloud", only: cloudFields) {
                let gpus = try c.int("gpus") ?? replicaGPUs
                guard gpus >= 1 else { throw call.argumentError(1, "field 'cloud.gpus' must be ≥ 1, got \(gpus)") }
                cloud = try CloudScaling(hourly: try c.required("hourly", c.number, "dollars per GPU-hour") * Double(gpus),
                                         granularity: try c.int("granularity") ?? 1,
                                         minBilling: try c.number("min_billing") ?? 0, startup: try c.number("startup") ?? 0)
            }
            var api: APIPrice?, tokens = (input: 0.0, output: 0.0)
            if let a = try o.sub("api", only: HardwareTable.apiFields) {
                api = try APIPrice(inputPerMillion: try a.number("input") ?? 0, outputPerMillion: try a.number("output") ?? 0,
                                   perRequest: try a.number("per_request") ?? 0)
                guard let t = try o.sub("tokens_per_request", only: ["input", "output"]) else {
                    throw call.argumentError(1, "field 'tokens_per_request' ({input=, output=}) is required with 'api'")
                }
                tokens = (try t.required("input", t.number, "input tokens per request"),
                          try t.required("output", t.number, "output tokens per request"))
            }
            guard ownedHourly != nil || cloud != nil || api != nil else {
                throw call.argumentError(1, "give at least one of 'gpu' (owned), 'cloud' or 'api'")
            }
            let inputs = try PlanInputs(profile: profile, capacity: capacity, ownedHourly: ownedHourly, ownedPowerHourly: powerHourly,
                                        idleShare: try o.number("idle_share") ?? 0.2, cloud: cloud, api: api,
                                        inputTokensPerRequest: tokens.input, outputTokensPerRequest: tokens.output,
                                        percentile: try o.number("percentile") ?? 100, baseReplicas: try o.int("base_replicas"),
                                        maxMissFraction: try o.number("max_miss_fraction") ?? 0.01)
            let plan = CapacityPlan(inputs)
            let months = try capital.map { c in try plan.plans.map { try CapacityPlan.monthly($0, capitalByMonth: c) } }
            return table(plan, capacity: capacity, demand: profile, months: months)
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    /// Requests per second of one replica: a number or a `frontier.capacity` result.
    static func capacity(_ o: Options) throws -> Double {
        switch o.table["capacity"] {
        case let v? where v.number != nil: return v.number ?? 0
        case .table(let t)?:
            guard let r = t["requests_per_s"]?.number else {
                throw o.call.argumentError(o.position, "field 'capacity' must be requests per second or a frontier.capacity result (with requests_per_s)")
            }
            return r
        default:
            throw o.call.argumentError(o.position, "field 'capacity' (requests per second one replica serves within the SLA, or a frontier.capacity result) is required")
        }
    }

    static let columns = ["option", "monthly_cost", "owned_replicas", "peak_cloud_replicas", "miss_fraction",
                          "missed_requests", "owned_utilization", "owned_monthly", "cloud_monthly", "api_monthly"]

    /// One replica's capital (depreciation + interest) in each month of a `cost.capex{}` schedule.
    static func capitalByMonth(_ o: Options, gpus: Int) throws -> [Double]? {
        guard let c = try o.sub("capex", only: CostModule.capexFields) else { return nil }
        guard c.table["kind"]?.string == "capex", case .array(let rows)? = c.table["schedule"] else {
            throw o.error("capex", "a cost.capex{} table")
        }
        return try rows.enumerated().map { k, row in
            guard let d = row["depreciation"].number, let i = row["interest"].number else {
                throw o.call.argumentError(o.position, "field 'capex.schedule'[\(k + 1)] must have depreciation and interest")
            }
            return (d + i) * Double(gpus)
        }
    }

    static func table(_ plan: CapacityPlan, capacity: Double, demand: DemandProfile, months: [[Double]]? = nil) -> LuaValue {
        let rows: [LuaValue] = plan.plans.enumerated().map { k, p in
            var t: [String: LuaValue] = [
                "option": .string(p.option.rawValue), "monthly_cost": .double(p.monthlyCost),
                "owned_replicas": .int(p.ownedReplicas), "peak_cloud_replicas": .int(p.peakCloudReplicas),
                "miss_fraction": .double(p.missFraction), "missed_requests": .double(p.missedRequests),
                "owned_monthly": .double(p.ownedMonthly), "cloud_monthly": .double(p.cloudMonthly),
                "api_monthly": .double(p.apiMonthly),
            ]
            if let u = p.ownedUtilization { t["owned_utilization"] = .double(u) }
            if let m = months?[k] { t["months"] = .array(m.map { .double($0) }) }
            return .table(t)
        }
        var t: [String: LuaValue] = ["plans": .array(rows), "monthly_requests": .double(plan.monthlyRequests),
                                     "peak_replicas": .int(plan.peakReplicas), "capacity": .double(capacity),
                                     "peak_to_mean": demand.summary.peakToMean.map { .double($0) } ?? .nil]
        if let c = plan.cheapest {
            t["cheapest"] = .string(c.rawValue)
            if let p = plan.plans.first(where: { $0.option == c }) { t["cheapest_monthly"] = .double(p.monthlyCost) }
        }
        return .table(t)
    }
}
