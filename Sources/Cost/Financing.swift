import Foundation

/// A loan on the purchase: a fixed monthly annuity payment on the financed amount,
///
///     payment = A × r / (1 − (1 + r)^−n),   r = annualRate / 12,
///
/// (A / n when r = 0). Each month's interest is the outstanding balance × r; the rest
/// of the payment repays principal.
public struct Financing: Sendable, Equatable {
    /// Nominal annual interest rate (0.12 = 12 % a year, 1 % a month).
    public let annualRate: Double
    /// Loan term in months; nil means the amortization's own term.
    public let months: Int?
    /// Dollars financed; nil means the whole purchase price.
    public let amount: Double?

    /// Throws when the rate or amount is negative, or the term is below one month.
    public init(annualRate: Double, months: Int? = nil, amount: Double? = nil) throws {
        try Check.nonNegative(annualRate, "financing rate")
        if let months { try Check.count(months, in: 1, Check.maxMonths, "financing months") }
        if let amount { try Check.nonNegative(amount, "financed amount") }
        self.annualRate = annualRate
        self.months = months
        self.amount = amount
    }

    /// The annuity payment: principal × r / (1 − (1 + r)^−months), or principal / months at r = 0.
    public static func payment(principal: Double, monthlyRate r: Double, months: Int) -> Double {
        guard months > 0 else { return 0 }
        guard r > 0 else { return principal / Double(months) }
        return principal * r / (1 - pow(1 + r, -Double(months)))
    }
}
