import Metrics
import SeededRandom
extension Sensitivity {
    /// Draws each parameter in `distributions` (others stay at `base`) `samples` times
    /// from a SplitMix64 seeded with `seed`, and summarises the metric. Parameters are
    /// drawn in `GPUCostParameter` order, so a seed gives the same result on every run.
    ///
    /// A draw that makes an invalid cost (utilization above 1, a negative price…) is
    /// redrawn whole: the distributions are truncated to the valid domain, and
    /// `rejectedDraws` says how often. After 1,000 invalid draws in a row it throws.
    public static func monteCarlo(base: GPUCost, distributions: [GPUCostParameter: Distribution],
                                  samples: Int, seed: UInt64,
                                  metric: (GPUCost) throws -> Double) throws -> MonteCarloSummary {
        try Check.count(samples, in: 1, 10_000_000, "samples")
        let draws = distributions.keys.sorted().compactMap { key in distributions[key].map { (key, $0) } }
        for (parameter, distribution) in draws { try distribution.validate("distributions[\(parameter.rawValue)]") }
        var rng = SplitMix64(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(samples)
        var rejected = 0
        while values.count < samples {
            let cost = try validDraw(base: base, draws: draws, rng: &rng, rejected: &rejected)
            values.append(try finite(metric(cost)))
        }
        return MonteCarloSummary(values: values, rejectedDraws: rejected)
    }

    private static let maxInvalidInARow = 1_000

    private static func validDraw(base: GPUCost, draws: [(GPUCostParameter, Distribution)],
                                  rng: inout SplitMix64, rejected: inout Int) throws -> GPUCost {
        var lastError: CostError?
        for _ in 0..<maxInvalidInARow {
            var values: [GPUCostParameter: Double] = [:]
            for (parameter, distribution) in draws { values[parameter] = distribution.sample(&rng) }
            do {
                return try base.with(values)
            } catch let error as CostError {
                lastError = error
                rejected += 1
            }
        }
        throw CostError.invalid(name: "distributions", expected: "mostly within each parameter's domain",
                                got: "\(maxInvalidInARow) invalid draws in a row (last: \(lastError?.description ?? "?"))")
    }
}

/// Summary statistics of Monte Carlo draws of a metric.
public struct MonteCarloSummary: Sendable, Equatable {
    /// Number of draws summarised.
    public let samples: Int
    /// Σx / n.
    public let mean: Double
    /// The sample standard deviation, √(Σ(x − mean)² / (n − 1)) (0 for one sample):
    /// the draws estimate a distribution, so the unbiased variance is the fitting one.
    public let stdev: Double
    /// 5th percentile. Percentiles interpolate linearly between closest ranks (numpy's
    /// default, as in Metrics).
    public let p5: Double
    /// Median.
    public let p50: Double
    /// 95th percentile.
    public let p95: Double
    /// Smallest draw of the metric.
    public let min: Double
    /// Largest draw of the metric.
    public let max: Double
    /// Draws redrawn because they made an invalid cost.
    public let rejectedDraws: Int

    init(values: [Double], rejectedDraws: Int) {
        let sorted = values.sorted()
        let n = Double(sorted.count)
        let mean = sorted.reduce(0, +) / n
        let squares = sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        self.samples = sorted.count
        self.mean = mean
        self.stdev = sorted.count > 1 ? (squares / (n - 1)).squareRoot() : 0
        self.p5 = LatencyStats.percentile(sorted, 5)
        self.p50 = LatencyStats.percentile(sorted, 50)
        self.p95 = LatencyStats.percentile(sorted, 95)
        self.min = sorted.first ?? 0
        self.max = sorted.last ?? 0
        self.rejectedDraws = rejectedDraws
    }
}
