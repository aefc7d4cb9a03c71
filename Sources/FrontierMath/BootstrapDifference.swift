import SeededRandom

extension Bootstrap {
    /// The percentile interval of statistic(b) − statistic(a) for two independent
    /// samples (two runs' per-request TTFTs, say): each resample draws `a.count`
    /// values from `a` and `b.count` from `b` with replacement, from one SplitMix64
    /// seeded with `seed` (all of a's resamples first, then b's, so a seed
    /// reproduces the interval). The estimate is the difference on the samples.
    ///
    /// When the interval excludes 0, the difference is larger than resampling noise
    /// at that confidence.
    /// - Throws: as ``interval(samples:statistic:resamples:confidence:seed:)``.
    public static func differenceInterval(_ a: [Double], _ b: [Double], statistic: BootstrapStatistic,
                                          resamples: Int = 10_000, confidence: Double = 0.95,
                                          seed: UInt64) throws -> BootstrapInterval {
        // Each side alone: the same checks and the same resampled statistics.
        let left = try resampledStatistics(a, statistic, resamples, confidence, seed)
        let right = try resampledStatistics(b, statistic, resamples, confidence, seed &+ 0x9E37_79B9_7F4A_7C15)
        var differences = zip(left.values, right.values).map { $1 - $0 }
        return summarise(&differences, estimate: right.estimate - left.estimate, confidence: confidence)
    }

    private static func resampledStatistics(_ samples: [Double], _ statistic: BootstrapStatistic, _ resamples: Int,
                                            _ confidence: Double, _ seed: UInt64) throws -> (values: [Double], estimate: Double) {
        try validate(samples: samples, resamples: resamples, confidence: confidence)
        var rng = SplitMix64(seed: seed)
        switch statistic {
        case .mean:
            return (Resampler.means(samples, resamples: resamples, rng: &rng),
                    samples.reduce(0, +) / Double(samples.count))
        case .median, .percentile:
            let p = statistic.percentileRank
            guard p >= 0, p <= 100 else {
                throw FrontierError.outOfRange(parameter: "percentile", value: p, expected: "in 0...100")
            }
            let resampler = Resampler(samples)
            return (resampler.percentiles(p, resamples: resamples, rng: &rng), Quantile.linear(resampler.sorted, p))
        }
    }
}
