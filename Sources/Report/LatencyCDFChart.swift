/// The latency samples of one run (TTFT, TPOT or E2E of its requests, in seconds).
public struct LatencySample: Sendable, Equatable {
    /// Legend name (run tag, "c=64").
    public var name: String
    /// One value per request.
    public var values: [Double]

    /// A sample.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

extension Chart {
    /// Up to this many values a CDF is drawn step by step; above, at 1,000 quantiles.
    static let cdfExactLimit = 2000

    /// The empirical CDF of latency samples, one step line per run: at x, the fraction
    /// of requests whose latency was ≤ x.
    ///
    /// Runs of more than 2,000 requests are drawn at the quantiles 0.001, 0.002 … 1
    /// (the same staircase at 0.1% resolution), so the SVG stays small.
    /// - Parameters:
    ///   - quantityLabel: the x axis, with units ("TTFT (s)").
    ///   - thresholds: SLA bounds on the quantity, drawn as vertical lines.
    ///   - logLatency: a log latency axis (every value must then be > 0).
    /// - Throws: ``ReportError`` for no samples, an empty or non-finite sample.
    public static func latencyCDF(title: String, quantityLabel: String, samples: [LatencySample],
                                  thresholds: [Threshold] = [], logLatency: Bool = false) throws -> Chart {
        guard !samples.isEmpty else { throw ReportError("chart '\(title)': no samples to plot") }
        let series = try samples.map { sample -> Series in
            guard !sample.values.isEmpty else {
                throw ReportError("chart '\(title)': sample '\(sample.name)' has no values")
            }
            if let bad = sample.values.first(where: { !$0.isFinite }) {
                throw ReportError("chart '\(title)': sample '\(sample.name)' has a non-finite value (\(bad))")
            }
            return Series(name: sample.name, points: cdfPoints(sample.values.sorted()), style: .step)
        }
        return Chart(title: title,
                     x: Axis(label: quantityLabel, scale: logLatency ? .log : .linear),
                     y: Axis(label: "fraction of requests ≤ x", range: 0...1),
                     series: series,
                     annotations: thresholds.map { .verticalLine(x: $0.value, label: $0.label) })
    }

    /// Staircase corners of the empirical CDF of `sorted`, starting at (min, 0).
    static func cdfPoints(_ sorted: [Double]) -> [ChartPoint] {
        let n = sorted.count
        var points = [ChartPoint(x: sorted[0], y: 0)]
        if n <= cdfExactLimit {
            for (i, v) in sorted.enumerated() { points.append(ChartPoint(x: v, y: Double(i + 1) / Double(n))) }
        } else {
            for k in 1...1000 {
                // The smallest value with at least k/1000 of the sample at or below it.
                let index = (k * n + 999) / 1000 - 1
                points.append(ChartPoint(x: sorted[index], y: Double(k) / 1000))
            }
        }
        return points
    }
}
