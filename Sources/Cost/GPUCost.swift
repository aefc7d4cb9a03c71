/// The hourly cost of owning one GPU, by the paper's formula (arXiv 2510.26136):
///
///     hourly = depreciation + power + maintenance
///     depreciation = (P − residual) / (Y × 8760 × u)
///     power        = kW × PUE × E
///     maintenance  = P × m / 8760
///
/// As in the paper, utilization u divides the depreciation term only: depreciation is
/// spread over the hours the GPU is used, while power and maintenance are charged per
/// calendar hour. `effectiveHourly(atUtilization:)` is the paper's other figure,
/// "effective cost = base / u", which divides *every* term. The residual value is an
/// extension (the paper has none); with `.zero` the formula is the paper's.
public struct GPUCost: Sendable, Equatable {
    /// Purchase price P in dollars.
    public let price: Double
    /// Depreciation period Y in years.
    public let years: Double
    /// Utilization u in (0, 1]: the fraction of hours the GPU does useful work.
    public let utilization: Double
    /// Average power draw in kilowatts.
    public let powerKW: Double
    /// Power usage effectiveness of the data centre (≥ 1: cooling and losses on top).
    public let pue: Double
    /// Electricity price E in dollars per kWh.
    public let electricity: Double
    /// Annual maintenance rate m as a fraction of P (0.1 = 10 % of P a year).
    public let maintenanceRate: Double
    /// What is recovered at the end of the period, as given (fraction or dollars).
    public let residual: ResidualValue

    /// Validates every parameter; throws `CostError` naming the first bad one.
    public init(price: Double, years: Double, utilization: Double = 1, powerKW: Double,
                pue: Double = 1, electricity: Double, maintenanceRate: Double,
                residual: ResidualValue = .zero) throws {
        try Check.nonNegative(price, "price")
        try Check.positive(years, "years")
        try Check.utilization(utilization)
        try Check.nonNegative(powerKW, "powerKW")
        try Check.atLeast(1, pue, "pue")
        try Check.nonNegative(electricity, "electricity")
        try Check.nonNegative(maintenanceRate, "maintenance")
        _ = try residual.dollars(ofPrice: price)
        self.init(unchecked: price, years, utilization, powerKW, pue, electricity,
                  maintenanceRate, residual)
    }

    /// For presets and copies of already validated values only.
    init(unchecked price: Double, _ years: Double, _ utilization: Double, _ powerKW: Double,
         _ pue: Double, _ electricity: Double, _ maintenanceRate: Double,
         _ residual: ResidualValue) {
        self.price = price
        self.years = years
        self.utilization = utilization
        self.powerKW = powerKW
        self.pue = pue
        self.electricity = electricity
        self.maintenanceRate = maintenanceRate
        self.residual = residual
    }

    /// The residual in dollars (validated by the initialiser, so the fallback never applies).
    public var residualDollars: Double { (try? residual.dollars(ofPrice: price)) ?? 0 }

    /// (P − residual) / (Y × 8760 × u), dollars per hour.
    public var depreciation: Double {
        (price - residualDollars) / (years * TimeBase.hoursPerYear * utilization)
    }

    /// kW × PUE × E, dollars per hour.
    public var power: Double { powerKW * pue * electricity }

    /// P × m / 8760, dollars per hour (on the full price: upkeep does not shrink with resale value).
    public var maintenance: Double { price * maintenanceRate / TimeBase.hoursPerYear }

    /// depreciation + power + maintenance: the paper's hourly cost of one GPU.
    public var hourly: Double { depreciation + power + maintenance }

    /// power + maintenance: what the GPU costs per hour besides its capital.
    public var runningHourly: Double { power + maintenance }

    /// The hourly cost per calendar hour, used or not: the formula at u = 1,
    /// (P − residual)/(Y × 8760) + power + maintenance. Owning is paid whether the GPU
    /// works or idles, so monthly and break-even figures use this, not `hourly`. With a
    /// CapEx schedule, `calendarHourly(capital:)` replaces the straight-line term.
    public var calendarHourly: Double {
        (price - residualDollars) / (years * TimeBase.hoursPerYear) + runningHourly
    }

    /// The hourly cost per calendar hour with a CapEx schedule's capital cost
    /// (depreciation + interest over its term, `capital.hourlyCost(atUtilization: 1)`)
    /// in place of the straight-line depreciation term, + power + maintenance.
    public func calendarHourly(capital: Amortization) throws -> Double {
        try capital.hourlyCost(atUtilization: 1) + runningHourly
    }

    /// The paper's "effective cost = base / u": `hourly / u`, every term divided by u.
    /// Meant for a cost built at u = 1 (the paper's base): on a cost whose own
    /// `utilization` is below 1, the depreciation term would be divided by u twice.
    public func effectiveHourly(atUtilization u: Double) throws -> Double {
        try Check.utilization(u)
        return hourly / u
    }

    /// The cost of `count` GPUs for `seconds`: hourly × count × seconds / 3600.
    public func cost(seconds: Double, count: Int = 1) throws -> Double {
        try Check.nonNegative(seconds, "seconds")
        try Check.count(count, atLeast: 1, "count")
        return hourly * Double(count) * seconds / TimeBase.secondsPerHour
    }
}
