/// What a run ran on, and so how its cost is billed.
public enum Hardware: Sendable, Equatable {
    /// `count` owned GPUs, each at `GPUCost.hourly`.
    case owned(GPUCost, count: Int)
    /// `count` rented GPUs, each at `CloudPrice.hourly`.
    case cloud(CloudPrice, count: Int)
    /// A hosted API billed per token (and per request); time does not matter.
    case api(APIPrice)
}

/// The cost of one run and its per-unit figures.
///
/// - Owned: total = GPUCost.hourly × count × wallSeconds / 3600.
/// - Cloud: total = CloudPrice.hourly × count × wallSeconds / 3600.
/// - API: total = input/1e6 × input price + output/1e6 × output price + requests × fee.
///
/// Each per-unit figure divides the *whole* total by one count (it does not split the
/// cost between input and output), and is nil when that count is zero.
public struct RunCost: Sendable, Equatable {
    /// What the run used.
    public let usage: RunUsage
    /// What it ran on.
    public let hardware: Hardware
    /// The utilization used for `effectiveTotal`.
    public let utilization: Double
    /// Dollars per hour for all the run's GPUs; nil for an API.
    public let hourly: Double?
    /// Dollars the run cost.
    public let total: Double

    /// Throws when a hardware count is below 1, when `usage.gpus` is given and differs
    /// from the hardware's count, or when `utilization` is outside (0, 1].
    ///
    /// `utilization` is the share of paid hardware hours that do work like this run;
    /// it only sets `effectiveTotal`. For owned GPUs give a `GPUCost` built at u = 1
    /// if you use it, or the depreciation term is divided by u twice.
    public init(usage: RunUsage, hardware: Hardware, utilization: Double = 1) throws {
        try Check.utilization(utilization)
        self.usage = usage
        self.hardware = hardware
        self.utilization = utilization
        let hours = usage.wallSeconds / TimeBase.secondsPerHour
        switch hardware {
        case let .owned(gpu, count):
            try Self.checkCount(count, usage: usage)
            let rate = gpu.hourly * Double(count)
            (hourly, total) = (rate, rate * hours)
        case let .cloud(price, count):
            try Self.checkCount(count, usage: usage)
            let rate = price.hourly * Double(count)
            (hourly, total) = (rate, rate * hours)
        case let .api(price):
            hourly = nil
            total = price.cost(inputTokens: Double(usage.inputTokens), outputTokens: Double(usage.outputTokens),
                               requests: Double(usage.requests))
        }
    }

    private static func checkCount(_ count: Int, usage: RunUsage) throws {
        try Check.count(count, atLeast: 1, "count")
        if let gpus = usage.gpus, gpus != count {
            throw CostError.invalid(name: "gpus", expected: "the hardware's count (\(count))", got: String(gpus))
        }
    }

    /// For hardware, total / u: the run's share of paid hours that sit idle at
    /// utilization u (the paper's "effective cost = base / u"). For an API, the total:
    /// nothing is paid while idle.
    public var effectiveTotal: Double {
        if case .api = hardware { return total }
        return total / utilization
    }

    /// total / requests.
    public var perRequest: Double? { per(Double(usage.requests)) }
    /// total / succeeded.
    public var perSuccessfulRequest: Double? { per(Double(usage.succeeded)) }
    /// total / goodRequests (requests meeting the SLA); nil without an SLA.
    public var perGoodRequest: Double? { usage.goodRequests.flatMap { per(Double($0)) } }
    /// total / (inputTokens / 1e6).
    public var perMillionInputTokens: Double? { per(Double(usage.inputTokens) / 1e6) }
    /// total / (outputTokens / 1e6).
    public var perMillionOutputTokens: Double? { per(Double(usage.outputTokens) / 1e6) }
    /// total / ((inputTokens + outputTokens) / 1e6).
    public var perMillionTokens: Double? { per(Double(usage.inputTokens + usage.outputTokens) / 1e6) }
    /// total / qualityScore; nil without a score or when it is ≤ 0 (no meaningful ratio).
    public var perQualityPoint: Double? { usage.qualityScore.flatMap { per($0) } }

    private func per(_ denominator: Double) -> Double? {
        denominator > 0 ? total / denominator : nil
    }
}
