/// One point of a trend chart: a figure on a date.
public struct TrendChartPoint: Sendable, Equatable {
    /// The date as ticks show it (`2026-11-01`).
    public var date: String
    /// Position on the x axis: days since the first point (fractions for runs).
    public var day: Double
    /// The figure.
    public var value: Double
    /// What the point is (its runs), for the tooltip.
    public var note: String?

    /// A point.
    public init(date: String, day: Double, value: Double, note: String? = nil) {
        self.date = date
        self.day = day
        self.value = value
        self.note = note
    }
}

/// A change point on a trend chart.
public struct TrendChartChange: Sendable, Equatable {
    /// Position in the points of the first point after the change.
    public var index: Int
    /// The vertical line's label (`change +25 %`).
    public var label: String

    /// A change.
    public init(index: Int, label: String) {
        self.index = index
        self.label = label
    }
}

extension Chart {
    /// A figure by date (cost per 1M tokens, quality, SLA pass rate…): the values joined
    /// in date order; with change points, the mean of each segment between them as a
    /// dashed staircase and each change a vertical line at its first date.
    ///
    /// The x axis counts days since the first point; its ticks are the points' dates (at
    /// most about ten, evenly picked, one per distinct date), so the axis reads as a
    /// calendar while the spacing stays true to time.
    ///
    /// - Throws: ``ReportError`` for no points, points out of date order, a change
    ///   position out of range or bad values.
    public static func trend(title: String, valueLabel: String, seriesName: String, points: [TrendChartPoint],
                             changes: [TrendChartChange] = [], firstDate: String? = nil) throws -> Chart {
        guard !points.isEmpty else { throw ReportError("chart '\(title)': no points to plot") }
        for (a, b) in zip(points, points.dropFirst()) where !(a.day <= b.day) {
            throw ReportError("chart '\(title)': points must be in date order; \(b.date) follows \(a.date)")
        }
        let sorted = changes.sorted { $0.index < $1.index }
        if let bad = sorted.first(where: { $0.index <= 0 || $0.index >= points.count }) {
            throw ReportError("chart '\(title)': change position \(bad.index) is not between two points (there are \(points.count), from 0)")
        }
        var series = [Series(name: seriesName,
                             points: points.map { ChartPoint(x: $0.day, y: $0.value, note: [$0.date, $0.note].compactMap { $0 }.joined(separator: " · ")) },
                             style: .line)]
        if !sorted.isEmpty {
            // Each segment's mean from its first date, held to the next change; the last
            // segment's mean is repeated at the last date so the staircase reaches it.
            let bounds = [0] + sorted.map(\.index) + [points.count]
            var steps: [ChartPoint] = []
            for (from, to) in zip(bounds, bounds.dropFirst()) where from < to {
                let mean = points[from..<to].reduce(0) { $0 + $1.value } / Double(to - from)
                steps.append(ChartPoint(x: points[from].day, y: mean, note: "mean from \(points[from].date) to \(points[to - 1].date)"))
                if to == points.count { steps.append(ChartPoint(x: points[to - 1].day, y: mean)) }
            }
            series.append(Series(name: "segment mean", points: steps, style: .step, dashed: true))
        }
        let annotations = sorted.map { Annotation.verticalLine(x: points[$0.index].day, label: $0.label) }
        return Chart(title: title,
                     x: Axis(label: "day (0 = \(firstDate ?? points[0].date), UTC)", ticks: dateTicks(points)),
                     y: Axis(label: valueLabel),
                     series: series, annotations: annotations)
    }

    /// One tick per distinct date, thinned evenly to about ten so a year of nights does
    /// not become a grey smear of grid lines.
    static func dateTicks(_ points: [TrendChartPoint]) -> [Tick] {
        var distinct: [TrendChartPoint] = []
        for p in points where distinct.last?.date != p.date { distinct.append(p) }
        let every = max(1, (distinct.count + 9) / 10)
        return distinct.enumerated().compactMap { k, p in
            k.isMultiple(of: every) ? Tick(value: p.day, label: p.date) : nil
        }
    }
}
