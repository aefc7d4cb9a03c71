/// The checks every validating initialiser shares. Each throws `CostError.invalid`
/// with the parameter's name, so messages read the same across the target. A
/// non-finite number is reported as such first: "years must be > 0, got inf" would
/// be a confusing message.
enum Check {
    static func finite(_ value: Double, _ name: String) throws {
        guard value.isFinite else {
            throw CostError.invalid(name: name, expected: "a finite number", got: formatNumber(value))
        }
    }

    /// value ≥ 0.
    static func nonNegative(_ value: Double, _ name: String) throws {
        try finite(value, name)
        guard value >= 0 else { throw CostError.invalid(name: name, expected: "≥ 0", got: formatNumber(value)) }
    }

    /// value > 0.
    static func positive(_ value: Double, _ name: String) throws {
        try finite(value, name)
        guard value > 0 else { throw CostError.invalid(name: name, expected: "> 0", got: formatNumber(value)) }
    }

    /// value ≥ bound.
    static func atLeast(_ bound: Double, _ value: Double, _ name: String) throws {
        try finite(value, name)
        guard value >= bound else {
            throw CostError.invalid(name: name, expected: "≥ \(formatNumber(bound))", got: formatNumber(value))
        }
    }

    /// A utilization-like fraction: 0 < value ≤ 1 (zero would divide by zero).
    static func utilization(_ value: Double, _ name: String = "utilization") throws {
        try finite(value, name)
        guard value > 0, value <= 1 else {
            throw CostError.invalid(name: name, expected: "in (0, 1]", got: formatNumber(value))
        }
    }

    /// A share: 0 ≤ value ≤ 1.
    static func fraction(_ value: Double, _ name: String) throws {
        try finite(value, name)
        guard value >= 0, value <= 1 else {
            throw CostError.invalid(name: name, expected: "in [0, 1]", got: formatNumber(value))
        }
    }

    /// A count: value ≥ bound.
    static func count(_ value: Int, atLeast bound: Int, _ name: String) throws {
        guard value >= bound else {
            throw CostError.invalid(name: name, expected: "≥ \(bound)", got: String(value))
        }
    }

    /// A count in bound...limit: counts that size arrays are capped so a typo in a
    /// script cannot ask for billions of entries.
    static func count(_ value: Int, in bound: Int, _ limit: Int, _ name: String) throws {
        guard value >= bound, value <= limit else {
            throw CostError.invalid(name: name, expected: "in \(bound)...\(limit)", got: String(value))
        }
    }

    /// Longest schedule or loan, in months (1,000 years).
    static let maxMonths = 12_000
}
