/// Costs besides the hardware's hourly rate, spread over a horizon: one-off costs
/// (fine-tuning compute, data, engineering; the paper's open question 2) and recurring
/// ones, as a fixed amount a month and, given a volume, per request and per 1M tokens:
///
///     monthly          = Σ one-off / months + Σ recurring a month
///     per request      = monthly / requests a month
///     per 1M tokens    = monthly / tokens a month × 1e6
public struct Overhead: Sendable, Equatable {
    /// One named cost.
    public struct Item: Sendable, Equatable {
        /// What it is ("fine_tuning", "data").
        public let name: String
        /// Dollars: paid once for a one-off item, each month for a recurring one.
        public let dollars: Double

        /// Throws when `dollars` is negative or not finite.
        public init(name: String, dollars: Double) throws {
            try Check.nonNegative(dollars, "overhead '\(name)'")
            self.name = name
            self.dollars = dollars
        }
    }

    /// Paid once, amortized over `months`.
    public let oneOff: [Item]
    /// Paid every month.
    public let recurring: [Item]
    /// The horizon one-off costs are spread over.
    public let months: Int

    /// Throws when `months` is below 1 or above 1,200.
    public init(oneOff: [Item] = [], recurring: [Item] = [], months: Int) throws {
        try Check.count(months, in: 1, Check.maxMonths, "overhead months")
        self.oneOff = oneOff
        self.recurring = recurring
        self.months = months
    }

    /// A fine-tuning job's cost: GPU-hours × dollars per GPU-hour.
    public static func fineTuning(gpuHours: Double, hourly: Double) throws -> Double {
        try Check.nonNegative(gpuHours, "fine-tuning gpu_hours")
        try Check.nonNegative(hourly, "fine-tuning hourly")
        return gpuHours * hourly
    }

    /// Σ one-off dollars.
    public var oneOffTotal: Double { oneOff.reduce(0) { $0 + $1.dollars } }
    /// Σ recurring dollars a month.
    public var recurringMonthly: Double { recurring.reduce(0) { $0 + $1.dollars } }
    /// Σ one-off / months + Σ recurring: the fixed amount a month.
    public var monthly: Double { oneOffTotal / Double(months) + recurringMonthly }

    /// monthly / requests a month.
    public func perRequest(requestsPerMonth: Double) throws -> Double {
        try Check.positive(requestsPerMonth, "monthly_requests")
        return monthly / requestsPerMonth
    }

    /// monthly / tokens a month × 1e6.
    public func perMillionTokens(tokensPerMonth: Double) throws -> Double {
        try Check.positive(tokensPerMonth, "monthly_tokens")
        return monthly / tokensPerMonth * 1e6
    }
}
