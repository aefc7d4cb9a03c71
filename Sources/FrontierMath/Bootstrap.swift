import SeededRandom
/// A bootstrap percentile interval and the statistic's point estimate.
public struct BootstrapInterval: Sendable, Equatable {
    /// The statistic on the original samples.
    public let estimate: Double
    /// Lower end: the (1 − confidence)/2 percentile of the resampled statistics.
    public let lower: Double
    /// Upper end: the (1 + confidence)/2 percentile of the resampled statistics.
    public let upper: Double
    /// The confidence level asked for (e.g. 0.95).
    public let confidence: Double
    /// How many resamples the interval rests on.
    public let resamples: Int
}

/// Statistics with an allocation-free bootstrap path.
public enum BootstrapStatistic: Sendable, Equatable {
    /// Arithmetic mean: O(n) per resample.
    case mean
    /// Median, the 50th percentile.
    case median
    /// The p-th percentile (0...100), linear interpolation as numpy's default:
    /// O(n) per resample by counting draws over the pre-sorted samples.
    case percentile(Double)
}

/// Bootstrap confidence intervals (Efron's percentile method), seeded.
public enum Bootstrap {
    /// The percentile interval of `statistic` over `samples`.
    ///
    /// Each of `resamples` resamples draws `samples.count` values with
    /// replacement (SplitMix64 from `seed`) into one reused buffer and applies
    /// `statistic`; the interval's ends are the linear-interpolation percentiles
    /// (1 − confidence)/2 and (1 + confidence)/2 of the sorted results.
    /// - Throws: ``FrontierError`` for empty or non-finite samples, resamples
    ///   below 1, confidence outside (0, 1), or a non-finite statistic.
    public static func interval(samples: [Double], statistic: ([Double]) -> Double,
                                resamples: Int = 10_000, confidence: Double = 0.95,
                                seed: UInt64) throws -> BootstrapInterval {
        try validate(samples: samples, resamples: resamples, confidence: confidence)
        var rng = SplitMix64(seed: seed)
        let n = samples.count
        var buffer = [Double](repeating: 0, count: n)
        var results = [Double](repeating: 0, count: resamples)
        for r in 0..<resamples {
            buffer.withUnsafeMutableBufferPointer { slots in
                for j in 0..<n { slots[j] = samples[rng.index(below: n)] }
            }
            let value = statistic(buffer)
            guard value.isFinite else { throw FrontierError.nonFiniteStatistic(resample: r, value: value) }
            results[r] = value
        }
        let estimate = statistic(samples)
        guard estimate.isFinite else { throw FrontierError.nonFiniteStatistic(resample: nil, value: estimate) }
        return summarise(&results, estimate: estimate, confidence: confidence)
    }

    /// The percentile interval of a built-in statistic, without allocating per
    /// resample. Draws the same indices as the closure form with the same seed,
    /// so both give identical intervals.
    /// - Throws: as ``interval(samples:statistic:resamples:confidence:seed:)``,
    ///   and for a percentile outside 0...100.
    public static func interval(samples: [Double], statistic: BootstrapStatistic,
                                resamples: Int = 10_000, confidence: Double = 0.95,
                                seed: UInt64) throws -> BootstrapInterval {
        try validate(samples: samples, resamples: resamples, confidence: confidence)
        var rng = SplitMix64(seed: seed)
        var results: [Double]
        let estimate: Double
        switch statistic {
        case .mean:
            results = Resampler.means(samples, resamples: resamples, rng: &rng)
            estimate = samples.reduce(0, +) / Double(samples.count)
        case .median, .percentile:
            let p = statistic.percentileRank
            guard p >= 0, p <= 100 else {
                throw FrontierError.outOfRange(parameter: "percentile", value: p, expected: "in 0...100")
            }
            let resampler = Resampler(samples)
            results = resampler.percentiles(p, resamples: resamples, rng: &rng)
            estimate = Quantile.linear(resampler.sorted, p)
        }
        return summarise(&results, estimate: estimate, confidence: confidence)
    }

    /// Sorts `results` and reads the interval's ends off them.
    static func summarise(_ results: inout [Double], estimate: Double,
                                  confidence: Double) -> BootstrapInterval {
        results.sort()
        let tail = (1 - confidence) / 2 * 100
        return BootstrapInterval(estimate: estimate, lower: Quantile.linear(results, tail),
                                 upper: Quantile.linear(results, 100 - tail),
                                 confidence: confidence, resamples: results.count)
    }

    static func validate(resamples: Int) throws {
        guard resamples >= 1 else {
            throw FrontierError.outOfRange(parameter: "resamples", value: Double(resamples), expected: "at least 1")
        }
    }

    static func validate(samples: [Double], resamples: Int, confidence: Double) throws {
        guard !samples.isEmpty else { throw FrontierError.tooFewPoints(what: "a bootstrap", needed: 1, got: 0) }
        for (i, value) in samples.enumerated() where !value.isFinite {
            throw FrontierError.nonFinite(what: "sample", index: i, value: value)
        }
        try validate(resamples: resamples)
        guard confidence > 0, confidence < 1 else {
            throw FrontierError.outOfRange(parameter: "confidence", value: confidence, expected: "in (0, 1)")
        }
    }
}

extension BootstrapStatistic {
    /// The percentile (0...100) this statistic reads; NaN for the mean.
    var percentileRank: Double {
        switch self {
        case .mean: return .nan
        case .median: return 50
        case let .percentile(p): return p
        }
    }
}
