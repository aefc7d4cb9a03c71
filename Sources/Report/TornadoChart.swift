/// One parameter of a sensitivity tornado: the metric with the parameter at its low
/// and at its high value, every other parameter at base (`Sensitivity.tornado`).
public struct TornadoBar: Sendable, Equatable {
    /// Parameter name ("price", "utilization").
    public var parameter: String
    /// The parameter's low value, shown beside its name when given.
    public var low: Double?
    /// The parameter's high value, shown beside its name when given.
    public var high: Double?
    /// The metric with the parameter at `low`.
    public var atLow: Double
    /// The metric with the parameter at `high`.
    public var atHigh: Double

    /// A bar.
    public init(parameter: String, low: Double? = nil, high: Double? = nil, atLow: Double, atHigh: Double) {
        self.parameter = parameter
        self.low = low
        self.high = high
        self.atLow = atLow
        self.atHigh = atHigh
    }
}

extension Chart {
    /// A sensitivity tornado: per parameter, a half-bar from the baseline to the
    /// metric at the parameter's low value (upper half of the row) and one to the
    /// metric at its high value (lower half), largest swing |at high − at low| on top
    /// (ties keep input order); the baseline is a vertical line.
    ///
    /// - Throws: ``ReportError`` for no bars or non-finite values.
    public static func tornado(title: String, metricLabel: String, baseline: Double,
                               bars: [TornadoBar]) throws -> Chart {
        guard !bars.isEmpty else { throw ReportError("chart '\(title)': no parameters to plot") }
        guard baseline.isFinite else { throw ReportError("chart '\(title)': baseline is not finite (\(baseline))") }
        // Stable sort by swing, largest first.
        let sorted = bars.enumerated().sorted { a, b in
            let sa = abs(a.element.atHigh - a.element.atLow), sb = abs(b.element.atHigh - b.element.atLow)
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
        let n = sorted.count
        var lows: [ChartPoint] = [], highs: [ChartPoint] = [], ticks: [Tick] = []
        for (k, bar) in sorted.enumerated() {
            let row = Double(n - 1 - k)   // largest swing in the top row
            lows.append(ChartPoint(x: bar.atLow, y: row + 0.2, label: NumberFormat.short(bar.atLow)))
            highs.append(ChartPoint(x: bar.atHigh, y: row - 0.2, label: NumberFormat.short(bar.atHigh)))
            var name = bar.parameter
            if let low = bar.low, let high = bar.high {
                name += " (\(NumberFormat.short(low))–\(NumberFormat.short(high)))"
            }
            ticks.append(Tick(value: row, label: name))
        }
        // Room beyond the longest bars for their value labels.
        let values = sorted.flatMap { [$0.atLow, $0.atHigh] } + [baseline]
        let lo = values.min() ?? baseline, hi = values.max() ?? baseline
        let pad = hi > lo ? (hi - lo) * 0.15 : max(abs(baseline) * 0.1, 1)
        guard lo.isFinite, hi.isFinite else {
            throw ReportError("chart '\(title)': a bar's value is not finite")
        }
        return Chart(title: title,
                     x: Axis(label: metricLabel, range: (lo - pad)...(hi + pad)),
                     // Half an empty row on top holds the baseline's label.
                     y: Axis(label: "parameter", range: -0.5...Double(n), ticks: ticks),
                     series: [
                        Series(name: "parameter at low value", points: lows, style: .horizontalBars(from: baseline, thickness: 0.36)),
                        Series(name: "parameter at high value", points: highs, style: .horizontalBars(from: baseline, thickness: 0.36)),
                     ],
                     annotations: [.verticalLine(x: baseline, label: "baseline \(NumberFormat.short(baseline))")],
                     height: max(240, 120 + 44 * n))
    }
}
