/// Self-hosted vs cloud vs API, as functions of the monthly token volume V (input +
/// output tokens), for one deployment of `gpus` GPUs serving `tokensPerSecond` (the
/// throughput measured on it, counting input + output tokens like V).
///
/// - Self-hosted: fixed F = GPUCost.calendarHourly × 730 × gpus a month, paid whether
///   the GPUs work or idle, and capacity-limited: V ≤ tokensPerSecond × 730 × 3600 × u.
///   Above capacity it has no cost (nil): one deployment cannot serve V.
/// - Cloud: the same deployment rented only for the hours needed,
///   V / (tokensPerSecond × 3600) / cloudUtilization, at CloudPrice.hourly × gpus an
///   hour: perfectly elastic, billed per fraction of an hour, no capacity limit.
/// - API: V × (s × input price + (1 − s) × output price) / 1e6, s the input share,
///   plus fee × V / tokensPerRequest when the API charges per request.
///
/// Cloud and API are both proportional to V, so they never cross at V > 0: whichever
/// is cheaper per token is cheaper at every volume.
public struct BreakEven: Sendable, Equatable {
    /// One owned GPU (its `calendarHourly` is what owning costs).
    public let gpu: GPUCost
    /// One rented GPU.
    public let cloud: CloudPrice
    /// The hosted API.
    public let api: APIPrice
    /// GPUs in the deployment (owned or rented).
    public let gpus: Int
    /// Measured throughput of the deployment, input + output tokens per second.
    public let tokensPerSecond: Double
    /// Share of V that is input tokens, in [0, 1].
    public let inputShare: Double
    /// Largest share of the month the owned deployment can run at `tokensPerSecond`.
    public let utilization: Double
    /// Share of rented hours that do work (1 = rented exactly for the hours needed).
    public let cloudUtilization: Double
    /// Tokens per request, needed only to charge an API's per-request fee.
    public let tokensPerRequest: Double?
    /// The top of the volume range searched for crossovers (default: the capacity).
    public let maxMonthlyTokens: Double

    /// Validates the inputs; throws `CostError` naming the bad one.
    public static func compare(gpu: GPUCost, cloud: CloudPrice, api: APIPrice, gpus: Int,
                               tokensPerSecond: Double, inputShare: Double, utilization: Double = 1,
                               cloudUtilization: Double = 1, tokensPerRequest: Double? = nil,
                               maxMonthlyTokens: Double? = nil) throws -> BreakEven {
        try Check.count(gpus, atLeast: 1, "gpus")
        try Check.positive(tokensPerSecond, "tokensPerSecond")
        try Check.fraction(inputShare, "inputShare")
        try Check.utilization(utilization)
        try Check.utilization(cloudUtilization, "cloudUtilization")
        if let tokensPerRequest { try Check.positive(tokensPerRequest, "tokensPerRequest") }
        if api.perRequest > 0, tokensPerRequest == nil {
            throw CostError.missing(name: "tokensPerRequest", reason: "the API charges per request")
        }
        if let maxMonthlyTokens { try Check.positive(maxMonthlyTokens, "maxMonthlyTokens") }
        let capacity = tokensPerSecond * TimeBase.hoursPerMonth * TimeBase.secondsPerHour * utilization
        return BreakEven(gpu: gpu, cloud: cloud, api: api, gpus: gpus, tokensPerSecond: tokensPerSecond,
                         inputShare: inputShare, utilization: utilization, cloudUtilization: cloudUtilization,
                         tokensPerRequest: tokensPerRequest, maxMonthlyTokens: maxMonthlyTokens ?? capacity)
    }

    /// F: the self-hosted deployment's fixed monthly cost.
    public var selfHostedMonthly: Double { gpu.calendarHourly * TimeBase.hoursPerMonth * Double(gpus) }
    /// Tokens a month the owned deployment can serve: tokensPerSecond × 730 × 3600 × u.
    public var capacity: Double {
        tokensPerSecond * TimeBase.hoursPerMonth * TimeBase.secondsPerHour * utilization
    }
    /// Cloud dollars per token: hourly × gpus / (tokensPerSecond × 3600) / cloudUtilization.
    public var cloudPerToken: Double {
        cloud.hourly * Double(gpus) / (tokensPerSecond * TimeBase.secondsPerHour) / cloudUtilization
    }
    /// API dollars per token: (s × input + (1 − s) × output) / 1e6 + fee / tokensPerRequest.
    public var apiPerToken: Double {
        let tokens = (inputShare * api.inputPerMillion + (1 - inputShare) * api.outputPerMillion) / 1e6
        return tokens + (tokensPerRequest.map { api.perRequest / $0 } ?? 0)
    }

    /// The three monthly costs at volume V (tokens a month, ≥ 0).
    public func costs(monthlyTokens volume: Double) throws -> MonthlyCosts {
        try Check.nonNegative(volume, "monthlyTokens")
        return MonthlyCosts(selfHosted: volume <= capacity ? selfHostedMonthly : nil,
                            cloud: volume * cloudPerToken, api: volume * apiPerToken)
    }

    /// Where self-hosting costs the same as renting: F / cloudPerToken, when in (0, range].
    public var selfHostedVsCloud: Double? { crossing(slope: cloudPerToken) }
    /// Where self-hosting costs the same as the API: F / apiPerToken, when in (0, range].
    public var selfHostedVsAPI: Double? { crossing(slope: apiPerToken) }
    /// Always nil: cloud and API are both proportional to V (see the type's notes).
    public var cloudVsAPI: Double? { nil }

    /// A fixed cost F against a proportional one s × V meets at V = F / s; self-hosting
    /// is the cheaper of the two above it (up to its capacity).
    private func crossing(slope: Double) -> Double? {
        guard slope > 0 else { return nil }
        let volume = selfHostedMonthly / slope
        return volume > 0 && volume <= min(capacity, maxMonthlyTokens) ? volume : nil
    }
}

/// The monthly cost of each option at one volume.
public struct MonthlyCosts: Sendable, Equatable {
    /// Nil above the owned deployment's capacity.
    public let selfHosted: Double?
    /// Dollars a month renting the hours needed.
    public let cloud: Double
    /// Dollars a month through the API.
    public let api: Double

    /// The cheapest option (ties go to self-hosted, then cloud: fewer outside dependencies).
    public var cheapest: DeploymentOption {
        let options: [(DeploymentOption, Double?)] = [(.selfHosted, selfHosted), (.cloud, cloud), (.api, api)]
        let priced = options.compactMap { option, cost in cost.map { (option, $0) } }
        // min(by:) keeps the first of equal minima, which gives the tie order above.
        return priced.min { $0.1 < $1.1 }?.0 ?? .api
    }
}

/// The three ways to serve tokens.
public enum DeploymentOption: String, Sendable, Equatable, CaseIterable {
    /// Owned GPUs.
    case selfHosted
    /// Rented GPUs.
    case cloud
    /// A hosted API.
    case api
}
