import Foundation
import Metrics

/// Demand over time: requests per second in consecutive intervals of equal length
/// (a week at hourly resolution is 168 intervals of 3,600 s). Within an interval the
/// load is taken as uniform. A capacity plan repeats the profile to fill a month.
public struct DemandProfile: Sendable, Equatable {
    /// Requests per second in each interval (each ≥ 0).
    public let rates: [Double]
    /// Length of one interval, seconds.
    public let interval: Double

    /// A profile from rates per interval.
    /// - Throws: ``CostError`` for no rates, a negative or non-finite rate (naming its
    ///   interval), an interval ≤ 0, or more than a million intervals.
    public init(rates: [Double], interval: Double) throws {
        try Check.positive(interval, "interval")
        guard !rates.isEmpty else { throw CostError.invalid(name: "rates", expected: "at least one interval", got: "none") }
        try Check.count(rates.count, in: 1, Self.maxIntervals, "number of intervals")
        for (i, r) in rates.enumerated() { try Check.nonNegative(r, "rate of interval \(i + 1)") }
        self.rates = rates
        self.interval = interval
    }

    /// Most intervals a profile may have (a year at one-minute resolution is 525,600).
    public static let maxIntervals = 1_000_000

    /// A profile from request arrival times (seconds, ascending): the arrivals in each
    /// interval from `start` (default the first arrival) divided by the interval.
    /// The last interval is the one holding the last arrival, counted whole.
    /// - Throws: ``CostError`` for no times, a non-finite or negative time, times out of
    ///   order (naming the pair), a time before `start`, or a silence longer than
    ///   `maxGap` seconds (missing data looks like no demand; say how long a real
    ///   silence may be).
    ///
    /// `speedUp` s replays the trace s times faster (each time t becomes start + (t − start) / s):
    /// the same arrivals in a shorter time, so every rate is s times higher. Order and gaps
    /// are checked on the trace's own times.
    public init(arrivals times: [Double], interval: Double, start: Double? = nil, maxGap: Double? = nil,
                speedUp: Double = 1) throws {
        try Check.positive(interval, "interval")
        try Check.positive(speedUp, "speed_up")
        guard let first = times.first else { throw CostError.invalid(name: "timestamps", expected: "at least one arrival", got: "none") }
        for (i, t) in times.enumerated() {
            try Check.nonNegative(t, "timestamp \(i + 1)")
            guard i > 0 else { continue }
            let previous = times[i - 1]
            guard t >= previous else {
                throw CostError.invalid(name: "timestamps", expected: "in ascending order",
                                        got: "\(formatNumber(t)) (#\(i + 1)) after \(formatNumber(previous)) (#\(i))")
            }
            if let maxGap, t - previous > maxGap {
                throw CostError.invalid(name: "timestamps", expected: "without a gap longer than max_gap = \(formatNumber(maxGap)) s",
                                        got: "\(formatNumber(t - previous)) s between #\(i) and #\(i + 1)")
            }
        }
        let origin = start ?? first
        guard origin <= first else {
            throw CostError.invalid(name: "start", expected: "at or before the first arrival (\(formatNumber(first)))",
                                    got: formatNumber(origin))
        }
        let last = times[times.count - 1]
        let span = ((last - origin) / speedUp / interval).rounded(.down) + 1
        // Checked as a Double first: a span of centuries in milliseconds must not trap in Int().
        guard span <= Double(Self.maxIntervals) else {
            throw CostError.invalid(name: "number of intervals", expected: "in 1...\(Self.maxIntervals)", got: formatNumber(span))
        }
        let count = Int(span)
        var arrivals = [Double](repeating: 0, count: count)
        for t in times { arrivals[min(count - 1, Int(((t - origin) / speedUp / interval).rounded(.down)))] += 1 }
        try self.init(rates: arrivals.map { $0 / interval }, interval: interval)
    }

    /// Seconds the profile covers.
    public var duration: Double { Double(rates.count) * interval }
    /// Requests the profile holds: Σ rate × interval.
    public var requests: Double { rates.reduce(0, +) * interval }
    /// The burstiness summary.
    public var summary: DemandSummary { DemandSummary(self) }

    /// The same mean load with a different peak-to-mean ratio `k`: each rate r becomes
    /// mean × (r / mean)^γ, rescaled to the original mean, with γ found by bisection so
    /// that peak / mean = k (γ > 1 sharpens the peaks, γ < 1 flattens them; idle
    /// intervals stay idle). The shape of the day is kept; only its contrast changes.
    /// - Throws: ``CostError`` for k < 1, or k outside what the shape can reach (a flat
    ///   profile has no peaks to sharpen; with idle intervals the flattest is level
    ///   over the busy ones).
    public func withPeakToMean(_ k: Double) throws -> DemandProfile {
        try Check.atLeast(1, k, "peak_to_mean")
        let base = summary
        guard base.mean > 0 else { throw CostError.invalid(name: "demand", expected: "some load to reshape", got: "no requests") }
        let reachable = (reshaped(0).contrast, reshaped(Self.maxExponent).contrast)
        guard k >= reachable.0 - 1e-9, k <= reachable.1 + 1e-9 else {
            throw CostError.invalid(name: "peak_to_mean",
                                    expected: "in [\(format(reachable.0)), \(format(reachable.1))] for this profile's shape",
                                    got: formatNumber(k))
        }
        var (lo, hi) = (0.0, Self.maxExponent)
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if reshaped(mid).contrast < k { lo = mid } else { hi = mid }
        }
        return reshaped((lo + hi) / 2)
    }

    /// peak / mean of a profile with some load (0 without).
    private var contrast: Double { summary.peakToMean ?? 0 }

    /// Largest exponent `withPeakToMean` tries: beyond it the busiest interval holds
    /// nearly all the load.
    static let maxExponent = 64.0

    /// mean × (r / peak)^γ rescaled to the mean (divided by the peak first so that large
    /// exponents stay finite).
    private func reshaped(_ gamma: Double) -> DemandProfile {
        let s = summary
        let shaped = rates.map { $0 > 0 ? pow($0 / s.peak, gamma) : 0 }
        let scale = s.mean * Double(rates.count) / shaped.reduce(0, +)
        // Valid by construction: non-negative finite rates, the same interval.
        return DemandProfile(unchecked: shaped.map { $0 * scale }, interval: interval)
    }

    private init(unchecked rates: [Double], interval: Double) {
        self.rates = rates
        self.interval = interval
    }

    private func format(_ x: Double) -> String { formatNumber((x * 1000).rounded() / 1000) }
}

/// How bursty a demand profile is: its mean and peak load and percentiles of the
/// per-interval rates (linear interpolation between closest ranks, as numpy).
public struct DemandSummary: Sendable, Equatable {
    /// Mean requests per second over the profile.
    public let mean: Double
    /// The busiest interval's rate.
    public let peak: Double
    /// peak / mean (nil when the profile has no requests).
    public let peakToMean: Double?
    /// Percentiles of the interval rates.
    public let p50: Double, p90: Double, p99: Double
    /// The quietest interval's rate.
    public let min: Double

    init(_ profile: DemandProfile) {
        let sorted = profile.rates.sorted()
        mean = sorted.reduce(0, +) / Double(sorted.count)
        peak = sorted[sorted.count - 1]
        min = sorted[0]
        peakToMean = mean > 0 ? peak / mean : nil
        p50 = LatencyStats.percentile(sorted, 50)
        p90 = LatencyStats.percentile(sorted, 90)
        p99 = LatencyStats.percentile(sorted, 99)
    }
}
