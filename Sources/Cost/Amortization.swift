/// How the purchase price is written off month by month.
public enum AmortizationMethod: Sendable, Equatable {
    /// (P − residual) / months each month.
    case straightLine
    /// Book value × annualRate / 12 each month (2 / years is "double declining"),
    /// switching to straight line over the remaining months when that is larger, and
    /// never going below the residual: the usual practice, which ends exactly at it.
    case decliningBalance(annualRate: Double)
    /// The user's monthly amounts, one per month (the Lua layer passes a function's values).
    case custom(schedule: [Double])
}

/// One month of a schedule. Dollars; `month` counts from 1.
public struct AmortizationEntry: Sendable, Equatable {
    /// 1 for the first month.
    public let month: Int
    /// Depreciation charged this month.
    public let depreciation: Double
    /// Interest paid this month (0 without financing).
    public let interest: Double
    /// Loan payment this month (interest + principal; 0 without financing or after payoff).
    public let payment: Double
    /// Loan principal still owed after this month's payment.
    public let loanBalance: Double
    /// Purchase price minus all depreciation so far.
    public let bookValue: Double

    /// The principal repaid this month: payment − interest.
    public var principal: Double { payment - interest }
}

/// Capital expenditure on one GPU: a monthly schedule of depreciation, interest and book
/// value, and the hourly capital cost it implies. Its economic cost is depreciation +
/// interest; repaying principal is not a cost (the asset was already paid for).
public struct Amortization: Sendable, Equatable {
    /// Purchase price P.
    public let price: Double
    /// Months over which the price is written off.
    public let months: Int
    /// How the price is written off.
    public let method: AmortizationMethod
    /// Residual value in dollars.
    public let residualDollars: Double
    /// The loan, if the purchase is financed.
    public let financing: Financing?
    /// The monthly annuity payment (0 without financing).
    public let payment: Double
    /// One entry per month: the write-off months, or the loan's if it runs longer.
    public let schedule: [AmortizationEntry]

    /// `years` sets the term (years × 12 must be a whole number of months) and is
    /// required except for `.custom`, whose schedule's length is the term (when `years`
    /// is also given it must agree). Throws `CostError` naming the bad input.
    public init(price: Double, years: Double? = nil, method: AmortizationMethod = .straightLine,
                residual: ResidualValue = .zero, financing: Financing? = nil) throws {
        try Check.nonNegative(price, "price")
        let residualDollars = try residual.dollars(ofPrice: price)
        let months = try Self.term(years: years, method: method)
        let depreciation = try Self.depreciation(price: price, residual: residualDollars,
                                                 months: months, method: method)
        let loan = try Self.loan(financing, price: price, months: months)
        self.price = price
        self.months = months
        self.method = method
        self.residualDollars = residualDollars
        self.financing = financing
        self.payment = loan.payment
        self.schedule = Self.merge(price: price, depreciation: depreciation, loan: loan)
    }

    /// Σ depreciation over the schedule.
    public var totalDepreciation: Double { schedule.reduce(0) { $0 + $1.depreciation } }
    /// Σ interest over the schedule.
    public var totalInterest: Double { schedule.reduce(0) { $0 + $1.interest } }

    /// (Σ depreciation + Σ interest) / (months × 730 × u): the capital cost per hour of
    /// work over the write-off term. Straight line without financing gives the paper's
    /// depreciation term, (P − residual) / (Y × 8760 × u). Add `GPUCost.runningHourly`
    /// for the full hourly cost.
    public func hourlyCost(atUtilization u: Double = 1) throws -> Double {
        try Check.utilization(u)
        return (totalDepreciation + totalInterest) / (Double(months) * TimeBase.hoursPerMonth * u)
    }

    /// (depreciation + interest) of one month (1-based) / (730 × u): front-loaded
    /// methods cost more per hour early on.
    public func hourlyCost(month: Int, atUtilization u: Double = 1) throws -> Double {
        try Check.utilization(u)
        guard month >= 1, month <= schedule.count else {
            throw CostError.invalid(name: "month", expected: "in 1...\(schedule.count)", got: String(month))
        }
        let entry = schedule[month - 1]
        return (entry.depreciation + entry.interest) / (TimeBase.hoursPerMonth * u)
    }
}

extension GPUCost {
    /// The hourly cost with the paper's depreciation term replaced by a CapEx schedule's
    /// capital cost (depreciation + interest) at this cost's utilization:
    /// `capital.hourlyCost(atUtilization: u) + power + maintenance`. A straight-line
    /// schedule of the same price, term and residual, unfinanced, gives `hourly` back.
    public func hourly(capital: Amortization) throws -> Double {
        try capital.hourlyCost(atUtilization: utilization) + runningHourly
    }
}
