import Foundation
import Metrics

/// A way of serving a demand profile.
public enum PlanOption: String, Sendable, Equatable, CaseIterable {
    /// Owned replicas only, sized for the peak (or a percentile of the load).
    case selfHosted = "self_hosted"
    /// Rented replicas that follow the load.
    case cloud
    /// A hosted API, paid per token.
    case api
    /// Owned replicas for the base load, rented ones for what is above it.
    case selfHostedPlusCloud = "self_hosted_plus_cloud"
    /// Owned replicas for the base load, the API for what is above it.
    case selfHostedPlusAPI = "self_hosted_plus_api"
}

/// One option's month: what it costs, what it misses and how busy owned GPUs are.
/// Monthly figures are one pass of the profile scaled to 730 hours.
public struct PlanResult: Sendable, Equatable {
    /// Which way of serving.
    public let option: PlanOption
    /// Dollars a month, all parts together.
    public let monthlyCost: Double
    /// Owned replicas (0 for cloud and API).
    public let ownedReplicas: Int
    /// Dollars a month for owned, rented and API capacity.
    public let ownedMonthly: Double, cloudMonthly: Double, apiMonthly: Double
    /// Requests a month that arrive when capacity is short: SLA misses.
    public let missedRequests: Double
    /// missedRequests / requests a month.
    public let missFraction: Double
    /// Requests served by owned replicas / what they could serve (nil without any).
    public let ownedUtilization: Double?
    /// Most replicas rented at once (0 without cloud).
    public let peakCloudReplicas: Int
}

/// What a capacity plan is given.
public struct PlanInputs: Sendable {
    /// The demand.
    public var profile: DemandProfile
    /// Requests per second one replica serves within the SLA.
    public var capacity: Double
    /// Dollars per calendar hour of one owned replica (nil: no self-hosted options).
    public var ownedHourly: Double?
    /// The power term within `ownedHourly` (dollars per replica-hour at full draw): owned
    /// replicas pay idleShare + (1 − idleShare) × their utilisation of it. 0 charges power
    /// as part of the fixed hourly cost.
    public var ownedPowerHourly: Double
    /// Share of full power an idle GPU draws (0.2, as `RunEnergy` estimates it).
    public var idleShare: Double
    /// Rented replicas (nil: no cloud options).
    public var cloud: CloudScaling?
    /// API price and tokens per request (nil: no API options).
    public var api: APIPrice?
    /// Input tokens of an average request (for the API's price).
    public var inputTokensPerRequest: Double
    /// Output tokens of an average request (for the API's price).
    public var outputTokensPerRequest: Double
    /// Size owned-only fleets for this percentile of the interval rates (100 = peak).
    public var percentile: Double
    /// Owned replicas under a mixed plan (nil: the cheapest number).
    public var baseReplicas: Int?
    /// Plans missing more than this share of requests cannot be the cheapest.
    public var maxMissFraction: Double

    /// Most replicas a plan may need at the peak.
    public static let maxReplicas = 100_000

    /// - Throws: ``CostError`` for a capacity ≤ 0 or too small for the peak, an owned price < 0, token counts
    ///   < 0, a percentile outside [0, 100], base replicas < 0 or a miss share outside [0, 1].
    public init(profile: DemandProfile, capacity: Double, ownedHourly: Double? = nil, ownedPowerHourly: Double = 0,
                idleShare: Double = 0.2, cloud: CloudScaling? = nil,
                api: APIPrice? = nil, inputTokensPerRequest: Double = 0, outputTokensPerRequest: Double = 0,
                percentile: Double = 100, baseReplicas: Int? = nil, maxMissFraction: Double = 0.01) throws {
        try Check.positive(capacity, "capacity")
        if let ownedHourly { try Check.nonNegative(ownedHourly, "owned hourly") }
        try Check.nonNegative(ownedPowerHourly, "owned power hourly")
        guard ownedPowerHourly <= (ownedHourly ?? 0) || ownedPowerHourly == 0 else {
            throw CostError.invalid(name: "owned power hourly", expected: "at most the owned hourly (\(formatNumber(ownedHourly ?? 0)))",
                                    got: formatNumber(ownedPowerHourly))
        }
        try Check.fraction(idleShare, "idle_share")
        try Check.nonNegative(inputTokensPerRequest, "input tokens per request")
        try Check.nonNegative(outputTokensPerRequest, "output tokens per request")
        try Check.finite(percentile, "percentile")
        guard percentile >= 0, percentile <= 100 else {
            throw CostError.invalid(name: "percentile", expected: "in [0, 100]", got: formatNumber(percentile))
        }
        if let baseReplicas { try Check.count(baseReplicas, atLeast: 0, "base replicas") }
        try Check.fraction(maxMissFraction, "max_miss_fraction")
        // Replicas are counted in Int and simulated one by one: keep the count sane.
        let peakReplicas = profile.summary.peak / capacity
        guard peakReplicas <= Double(Self.maxReplicas) else {
            throw CostError.invalid(name: "capacity", expected: "enough for the peak with at most \(Self.maxReplicas) replicas",
                                    got: "\(formatNumber(capacity)) requests/s against a peak of \(formatNumber(profile.summary.peak))")
        }
        self.profile = profile
        self.capacity = capacity
        self.ownedHourly = ownedHourly
        self.ownedPowerHourly = ownedPowerHourly
        self.idleShare = idleShare
        self.cloud = cloud
        self.api = api
        self.inputTokensPerRequest = inputTokensPerRequest
        self.outputTokensPerRequest = outputTokensPerRequest
        self.percentile = percentile
        self.baseReplicas = baseReplicas
        self.maxMissFraction = maxMissFraction
    }
}

/// Each way of serving a demand profile, costed for a month, and the cheapest.
public struct CapacityPlan: Sendable, Equatable {
    /// One row per option the inputs allow, in `PlanOption` order.
    public let plans: [PlanResult]
    /// The cheapest plan missing at most the allowed share (ties: the earlier option);
    /// nil when every plan misses more.
    public let cheapest: PlanOption?
    /// Requests a month: one pass of the profile × 730 h / its duration.
    public let monthlyRequests: Double
    /// Replicas for the peak: ⌈peak / capacity⌉.
    public let peakReplicas: Int

    /// Hours in the month monthly figures are scaled to (docs/cost.md: 8,760 / 12).
    public static let monthHours = 730.0

    /// Plans every option the inputs allow.
    public init(_ inputs: PlanInputs) {
        let p = inputs.profile
        let perMonth = Self.monthHours * 3600 / p.duration
        monthlyRequests = p.requests * perMonth
        peakReplicas = Replicas.needed(p.summary.peak, inputs.capacity)
        let planner = Planner(inputs: inputs, perMonth: perMonth, monthlyRequests: monthlyRequests)
        var plans: [PlanResult] = []
        if let owned = inputs.ownedHourly {
            let sorted = p.rates.sorted()
            let level = inputs.percentile >= 100 ? sorted[sorted.count - 1] : LatencyStats.percentile(sorted, inputs.percentile)
            plans.append(planner.plan(.selfHosted, owned: Replicas.needed(level, inputs.capacity), ownedHourly: owned))
        }
        if inputs.cloud != nil { plans.append(planner.plan(.cloud, owned: 0, ownedHourly: 0)) }
        if inputs.api != nil { plans.append(planner.plan(.api, owned: 0, ownedHourly: 0)) }
        if let owned = inputs.ownedHourly {
            for option in [PlanOption.selfHostedPlusCloud, .selfHostedPlusAPI]
            where option == .selfHostedPlusCloud ? inputs.cloud != nil : inputs.api != nil {
                if let n = inputs.baseReplicas {
                    plans.append(planner.plan(option, owned: n, ownedHourly: owned))
                } else {
                    // The cheapest base from none to the peak's replicas; ties to fewer misses, then fewer owned.
                    let candidates = (0...peakReplicas).map { planner.plan(option, owned: $0, ownedHourly: owned) }
                    let best = candidates.min {
                        ($0.monthlyCost, $0.missedRequests, $0.ownedReplicas) < ($1.monthlyCost, $1.missedRequests, $1.ownedReplicas)
                    }
                    if let best { plans.append(best) }
                }
            }
        }
        self.plans = plans
        cheapest = plans.filter { $0.missFraction <= inputs.maxMissFraction }
            .min { $0.monthlyCost < $1.monthlyCost }?.option
    }
}

/// The arithmetic of one plan.
private struct Planner {
    let inputs: PlanInputs
    let perMonth: Double
    let monthlyRequests: Double

    func plan(_ option: PlanOption, owned n: Int, ownedHourly: Double) -> PlanResult {
        let p = inputs.profile
        let c = inputs.capacity
        let ownedCapacity = Double(n) * c
        // Owned replicas take the load up to their capacity; the rest is the burst.
        let burst = p.rates.map { max(0, $0 - ownedCapacity) }
        let servedByOwned = p.rates.reduce(0) { $0 + min($1, ownedCapacity) } * p.interval
        var cloudMonthly = 0.0, apiMonthly = 0.0, missed = 0.0, peakCloud = 0
        let burstRequests = burst.reduce(0, +) * p.interval
        switch option {
        case .selfHosted:
            missed = burstRequests
        case .cloud, .selfHostedPlusCloud:
            if let cloud = inputs.cloud {
                let usage = cloud.follow(burst, interval: p.interval, capacity: c)
                cloudMonthly = usage.replicaSeconds / 3600 * cloud.hourly * perMonth
                missed = usage.missedRequests
                peakCloud = usage.peakReplicas
            }
        case .api, .selfHostedPlusAPI:
            if let api = inputs.api {
                apiMonthly = api.cost(inputTokens: burstRequests * inputs.inputTokensPerRequest,
                                      outputTokens: burstRequests * inputs.outputTokensPerRequest,
                                      requests: burstRequests) * perMonth
            }
        }
        let utilization = n > 0 ? servedByOwned / (ownedCapacity * p.duration) : nil
        // Power follows the work: an idle GPU draws idleShare of full power.
        let drawn = inputs.idleShare + (1 - inputs.idleShare) * (utilization ?? 0)
        let replicaHourly = ownedHourly - inputs.ownedPowerHourly * (1 - drawn)
        let ownedMonthly = Double(n) * replicaHourly * CapacityPlan.monthHours
        let missedMonthly = missed * perMonth
        return PlanResult(option: option, monthlyCost: ownedMonthly + cloudMonthly + apiMonthly, ownedReplicas: n,
                          ownedMonthly: ownedMonthly, cloudMonthly: cloudMonthly, apiMonthly: apiMonthly,
                          missedRequests: missedMonthly,
                          missFraction: monthlyRequests > 0 ? missedMonthly / monthlyRequests : 0,
                          ownedUtilization: utilization,
                          peakCloudReplicas: peakCloud)
    }
}

extension CapacityPlan {
    /// A plan month by month when owned capital follows a CapEx schedule: the plan's
    /// monthly cost spreads one replica's capital evenly (its mean over the schedule);
    /// month k moves it by owned replicas × (capital_k − that mean), where capital_k is
    /// one replica's depreciation + interest in month k. Give the owned hourly cost from
    /// the same schedule (`GPUCost.calendarHourly(capital:)`), so that the months average
    /// to the plan's monthly cost.
    /// - Throws: ``CostError`` for no months or a negative or non-finite amount.
    public static func monthly(_ plan: PlanResult, capitalByMonth: [Double]) throws -> [Double] {
        guard !capitalByMonth.isEmpty else {
            throw CostError.invalid(name: "capital by month", expected: "at least one month", got: "none")
        }
        for (k, c) in capitalByMonth.enumerated() { try Check.nonNegative(c, "capital of month \(k + 1)") }
        let mean = capitalByMonth.reduce(0, +) / Double(capitalByMonth.count)
        return capitalByMonth.map { plan.monthlyCost + Double(plan.ownedReplicas) * ($0 - mean) }
    }
}
