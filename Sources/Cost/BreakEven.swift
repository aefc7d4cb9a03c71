/// Self-hosted vs cloud vs API, as functions of the monthly token volume V (input +
/// output tokens), for one deployment of `gpus` GPUs serving `tokensPerSecond` (the
/// throughput measured on it, counting input + output tokens like V).
///
/// - Self-hosted: fixed F = ownedHourly × 730 × gpus a month, paid whether the GPUs
///   work or idle, and capacity-limited: V ≤ tokensPerSecond × 730 × 3600 × u.
///   Above capacity it has no cost (nil): one deployment cannot serve V. ownedHourly is
///   `GPUCost.calendarHourly`, or with a CapEx schedule its capital cost per calendar
///   hour (depreciation + interest) + power + maintenance.
/// - Cloud: the same deployment rented only for the hours needed,
///   V / (tokensPerSecond × 3600) / cloudUtilization, at CloudPrice.hourly × gpus an
///   hour: perfectly elastic, billed per fraction of an hour, no capacity limit.
/// - API: V × (s × input price + (1 − s) × output price) / 1e6, s the input share,
///   plus fee × V / tokensPerRequest when the API charges per request.
///
/// Each option may also carry fixed monthly overheads O (one-off costs such as
/// fine-tuning amortized over a horizon, plus recurring ones: `Overhead.monthly`),
/// added to its monthly cost at every volume: self-hosted F + O_s, cloud V × c + O_c,
/// API V × a + O_a. Without overheads cloud and API are both proportional to V and
/// never cross at V > 0; with them they cross where V × c + O_c = V × a + O_a.
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
    /// Dollars per calendar hour of one owned GPU: `gpu.calendarHourly`, or with a CapEx
    /// schedule's `capitalHourly` (`Amortization.hourlyCost(atUtilization: 1)`:
    /// depreciation + interest) in place of the straight-line term, as
    /// `gpu.calendarHourly(capital:)`.
    public let ownedHourly: Double
    /// Fixed dollars a month on top of each option's cost (amortized one-off and
    /// recurring costs); 0 for an option not listed.
    public let overheads: [DeploymentOption: Double]

    /// Validates the inputs; throws `CostError` naming the bad one.
    public static func compare(gpu: GPUCost, cloud: CloudPrice, api: APIPrice, gpus: Int,
                               tokensPerSecond: Double, inputShare: Double, utilization: Double = 1,
                               cloudUtilization: Double = 1, tokensPerRequest: Double? = nil,
                               maxMonthlyTokens: Double? = nil, capitalHourly: Double? = nil,
                               overheads: [DeploymentOption: Double] = [:]) throws -> BreakEven {
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
        for (option, dollars) in overheads { try Check.nonNegative(dollars, "\(option.rawValue) overhead") }
        if let capitalHourly { try Check.nonNegative(capitalHourly, "capital hourly") }
        let ownedHourly = capitalHourly.map { $0 + gpu.runningHourly } ?? gpu.calendarHourly
        let capacity = tokensPerSecond * TimeBase.hoursPerMonth * TimeBase.secondsPerHour * utilization
        return BreakEven(gpu: gpu, cloud: cloud, api: api, gpus: gpus, tokensPerSecond: tokensPerSecond,
                         inputShare: inputShare, utilization: utilization, cloudUtilization: cloudUtilization,
                         tokensPerRequest: tokensPerRequest, maxMonthlyTokens: maxMonthlyTokens ?? capacity,
                         ownedHourly: ownedHourly, overheads: overheads)
    }

    /// F + O_s: the self-hosted deployment's fixed monthly cost, with its overheads.
    public var selfHostedMonthly: Double {
        ownedHourly * TimeBase.hoursPerMonth * Double(gpus) + overhead(.selfHosted)
    }

    /// O: an option's fixed monthly overhead (0 when none was given).
    public func overhead(_ option: DeploymentOption) -> Double { overheads[option] ?? 0 }
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
                            cloud: volume * cloudPerToken + overhead(.cloud), api: volume * apiPerToken + overhead(.api))
    }

    /// Where self-hosting costs the same as renting: (F + O_s − O_c) / cloudPerToken,
    /// when in (0, min(capacity, range)].
    public var selfHostedVsCloud: Double? {
        crossing(fixed: selfHostedMonthly - overhead(.cloud), slope: cloudPerToken, limit: min(capacity, maxMonthlyTokens))
    }
    /// Where self-hosting costs the same as the API: (F + O_s − O_a) / apiPerToken,
    /// when in (0, min(capacity, range)].
    public var selfHostedVsAPI: Double? {
        crossing(fixed: selfHostedMonthly - overhead(.api), slope: apiPerToken, limit: min(capacity, maxMonthlyTokens))
    }
    /// Where cloud and API cost the same: (O_a − O_c) / (cloudPerToken − apiPerToken),
    /// when in (0, range]; nil without overheads (both proportional to V).
    public var cloudVsAPI: Double? {
        crossing(fixed: overhead(.api) - overhead(.cloud), slope: cloudPerToken - apiPerToken, limit: maxMonthlyTokens)
    }

    /// A fixed cost difference D against a per-token difference s meets at V = D / s
    /// (either sign: the option with the smaller overhead must cost more per token).
    private func crossing(fixed: Double, slope: Double, limit: Double) -> Double? {
        guard slope != 0 else { return nil }
        let volume = fixed / slope
        return volume > 0 && volume <= limit ? volume : nil
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
