/// How a figure computed from a `GPUCost` responds to its parameters: one at a time
/// (tornado) or all at once at random (Monte Carlo). The metric is any function of the
/// cost, e.g. `{ $0.hourly }` or the cost of a run.
public enum Sensitivity {
    /// For each parameter in `ranges`, the metric with that parameter at its low and at
    /// its high value and every other at `base`, sorted by swing |high − low|, largest
    /// first (ties in `GPUCostParameter` order). Throws when a value is invalid for its
    /// parameter or the metric is not finite.
    public static func tornado(base: GPUCost, ranges: [GPUCostParameter: (low: Double, high: Double)],
                               metric: (GPUCost) throws -> Double) throws -> Tornado {
        let baseline = try finite(metric(base))
        var bars: [TornadoBar] = []
        // Sorted keys: a dictionary's order changes from run to run.
        for parameter in ranges.keys.sorted() {
            guard let range = ranges[parameter] else { continue }
            let atLow = try finite(metric(base.with(parameter, range.low)))
            let atHigh = try finite(metric(base.with(parameter, range.high)))
            bars.append(TornadoBar(parameter: parameter, low: range.low, high: range.high,
                                   metricAtLow: atLow, metricAtHigh: atHigh))
        }
        bars.sort { $0.swing != $1.swing ? $0.swing > $1.swing : $0.parameter < $1.parameter }
        return Tornado(baseline: baseline, bars: bars)
    }

    static func finite(_ value: Double) throws -> Double {
        try Check.finite(value, "metric")
        return value
    }
}

/// A tornado chart's data.
public struct Tornado: Sendable, Equatable {
    /// The metric at the base parameters.
    public let baseline: Double
    /// One bar per parameter, largest swing first.
    public let bars: [TornadoBar]
}

/// One parameter's bar: the metric at its low and high value, others at base.
public struct TornadoBar: Sendable, Equatable {
    /// The parameter varied.
    public let parameter: GPUCostParameter
    /// Its low value.
    public let low: Double
    /// Its high value.
    public let high: Double
    /// The metric with the parameter at `low`.
    public let metricAtLow: Double
    /// The metric with the parameter at `high`.
    public let metricAtHigh: Double

    /// |metricAtHigh − metricAtLow|.
    public var swing: Double { abs(metricAtHigh - metricAtLow) }
}
