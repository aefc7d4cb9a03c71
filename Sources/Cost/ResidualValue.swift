/// What is recovered from an asset at the end of its depreciation period (resale or
/// scrap value). Depreciation spreads P − residual, not P, over the period.
public enum ResidualValue: Sendable, Equatable {
    /// A fraction of the purchase price, in [0, 1]: `.fraction(0.1)` of $15,000 is $1,500.
    case fraction(Double)
    /// An amount in dollars, in [0, price].
    case amount(Double)

    /// Nothing recovered: the paper's formula.
    public static let zero = ResidualValue.amount(0)

    /// The residual in dollars for a purchase price, validated against it.
    public func dollars(ofPrice price: Double) throws -> Double {
        switch self {
        case let .fraction(share):
            try Check.fraction(share, "residual fraction")
            return share * price
        case let .amount(dollars):
            try Check.nonNegative(dollars, "residual value")
            guard dollars <= price else {
                throw CostError.invalid(name: "residual value", expected: "≤ price (\(formatNumber(price)))",
                                        got: formatNumber(dollars))
            }
            return dollars
        }
    }
}
