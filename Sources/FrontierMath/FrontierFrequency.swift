import SeededRandom
/// A point known through samples of each metric (repeated runs, per-item scores).
public struct SampledPoint: Sendable, Equatable {
    /// The point's id.
    public var id: String
    /// Samples of each metric, by metric name.
    public var samples: [String: [Double]]

    /// A point `id` with metric `samples`.
    public init(id: String, samples: [String: [Double]]) {
        self.id = id
        self.samples = samples
    }
}

/// How often each point is on the Pareto front across bootstrap resamples.
///
/// Arrays are in the order the points were given.
public struct FrontierFrequency: Sendable, Equatable {
    /// Number of resamples.
    public let resamples: Int
    /// Each point's id.
    public let ids: [String]
    /// Resamples in which each point was on the front.
    public let counts: [Int]
    /// Whether each point is on the front of the full-sample means.
    public let onObservedFront: [Bool]

    /// counts / resamples for each point.
    public var fractions: [Double] { counts.map { Double($0) / Double(resamples) } }

    /// The fraction of the first point with `id`; nil when there is none.
    public func fraction(of id: String) -> Double? {
        ids.firstIndex(of: id).map { Double(counts[$0]) / Double(resamples) }
    }
}

extension Bootstrap {
    /// How often each point lands on the Pareto front when its metrics are resampled.
    ///
    /// In each resample, every point's value of every objective metric is the
    /// mean of a with-replacement resample (as many draws as it has samples) of
    /// that metric's samples; the Pareto front of those values is computed and
    /// every point on it counted. Draws run in a fixed order (resample, point,
    /// objective), so a seed reproduces the result.
    /// - Throws: ``FrontierError`` for invalid objectives, a missing metric, a
    ///   metric with no samples, a non-finite sample, or resamples below 1.
    public static func frontierFrequency(_ points: [SampledPoint], objectives: [Objective],
                                         resamples: Int = 1000, seed: UInt64) throws -> FrontierFrequency {
        try objectives.validate(minimum: 2)
        try validate(resamples: resamples)
        let samples = try sampleColumns(points, objectives)
        let signs = objectives.map { $0.direction == .minimize ? 1.0 : -1.0 }
        let means = samples.indices.map { k in
            samples[k].map { signs[k] * $0.reduce(0, +) / Double($0.count) }
        }
        let observed = Pareto.frontMask(CostMatrix(columns: means))
        var rng = SplitMix64(seed: seed)
        var matrix = CostMatrix(columns: means)
        var counts = [Int](repeating: 0, count: points.count)
        for _ in 0..<resamples {
            for i in points.indices {
                for k in objectives.indices {
                    matrix.columns[k][i] = signs[k] * resampledMean(samples[k][i], &rng)
                }
            }
            for (i, onFront) in Pareto.frontMask(matrix).enumerated() where onFront { counts[i] += 1 }
        }
        return FrontierFrequency(resamples: resamples, ids: points.map(\.id), counts: counts,
                                 onObservedFront: observed)
    }

    /// Mean of one with-replacement resample of `values` (non-empty).
    private static func resampledMean(_ values: [Double], _ rng: inout SplitMix64) -> Double {
        var sum = 0.0
        for _ in values.indices { sum += values[rng.index(below: values.count)] }
        return sum / Double(values.count)
    }

    /// `result[k][i]`: the samples of objective k's metric for point i, validated.
    private static func sampleColumns(_ points: [SampledPoint],
                                      _ objectives: [Objective]) throws -> [[[Double]]] {
        try objectives.map { objective in
            try points.enumerated().map { index, point in
                guard let values = point.samples[objective.metric] else {
                    throw FrontierError.missingMetric(metric: objective.metric, index: index, id: point.id)
                }
                guard !values.isEmpty else { throw FrontierError.noSamples(metric: objective.metric, id: point.id) }
                if let bad = values.first(where: { !$0.isFinite }) {
                    throw FrontierError.nonFiniteValue(metric: objective.metric, index: index, id: point.id, value: bad)
                }
                return values
            }
        }
    }
}
