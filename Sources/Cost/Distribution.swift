import SeededRandom
import Foundation

/// A distribution a Monte Carlo parameter is drawn from.
public enum Distribution: Sendable, Equatable {
    /// Always the same value.
    case fixed(Double)
    /// Uniform on [low, high].
    case uniform(low: Double, high: Double)
    /// Normal with a mean and a standard deviation.
    case normal(mean: Double, stdev: Double)
    /// Triangular on [low, high] with its peak at `mode`.
    case triangular(low: Double, mode: Double, high: Double)
    /// Log-normal: median × e^(sigma × Z), Z standard normal (always > 0).
    case lognormal(median: Double, sigma: Double)

    /// Throws when the shape parameters are inconsistent (low > high, stdev < 0, …).
    func validate(_ name: String) throws {
        switch self {
        case let .fixed(value):
            try Check.finite(value, name)
        case let .uniform(low, high):
            try Check.finite(low, "\(name) low")
            try Check.finite(high, "\(name) high")
            guard low <= high else { throw invalidOrder(name, "low ≤ high", "low \(formatNumber(low)), high \(formatNumber(high))") }
        case let .normal(mean, stdev):
            try Check.finite(mean, "\(name) mean")
            try Check.nonNegative(stdev, "\(name) stdev")
        case let .triangular(low, mode, high):
            for (part, value) in [("low", low), ("mode", mode), ("high", high)] {
                try Check.finite(value, "\(name) \(part)")
            }
            guard low <= mode, mode <= high else {
                throw invalidOrder(name, "low ≤ mode ≤ high",
                                   "low \(formatNumber(low)), mode \(formatNumber(mode)), high \(formatNumber(high))")
            }
        case let .lognormal(median, sigma):
            try Check.positive(median, "\(name) median")
            try Check.nonNegative(sigma, "\(name) sigma")
        }
    }

    private func invalidOrder(_ name: String, _ expected: String, _ got: String) -> CostError {
        .invalid(name: name, expected: "ordered \(expected)", got: got)
    }

    /// The analytic mean, for checks.
    public var mean: Double {
        switch self {
        case let .fixed(value): return value
        case let .uniform(low, high): return (low + high) / 2
        case let .normal(mean, _): return mean
        case let .triangular(low, mode, high): return (low + mode + high) / 3
        case let .lognormal(median, sigma): return median * exp(sigma * sigma / 2)
        }
    }

    /// One draw.
    func sample(_ rng: inout SplitMix64) -> Double {
        switch self {
        case let .fixed(value):
            return value
        case let .uniform(low, high):
            return low + (high - low) * rng.uniform()
        case let .normal(mean, stdev):
            return mean + stdev * rng.normal()
        case let .triangular(low, mode, high):
            return Self.triangular(low, mode, high, rng.uniform())
        case let .lognormal(median, sigma):
            return median * exp(sigma * rng.normal())
        }
    }

    /// Inverse CDF of the triangular distribution at u ∈ [0, 1).
    private static func triangular(_ low: Double, _ mode: Double, _ high: Double, _ u: Double) -> Double {
        let width = high - low
        guard width > 0 else { return low }
        let split = (mode - low) / width
        if u < split { return low + (u * width * (mode - low)).squareRoot() }
        return high - ((1 - u) * width * (high - mode)).squareRoot()
    }
}
