/// One metric of one load sweep: its value at each load level.
public struct SweepLine: Sendable, Equatable {
    /// Legend name (model, hardware, sweep tag).
    public var name: String
    /// Load levels (concurrency or request rate), in sweep order.
    public var levels: [Double]
    /// The metric at each level (same count as `levels`).
    public var values: [Double]
    /// Drawn dashed: a prediction (a simulated sweep), not a measurement.
    public var predicted: Bool
    /// What each point is (its run), for the tooltip; empty for none, else one per level.
    public var notes: [String]

    /// A sweep line.
    public init(name: String, levels: [Double], values: [Double], predicted: Bool = false, notes: [String] = []) {
        self.name = name
        self.levels = levels
        self.values = values
        self.predicted = predicted
        self.notes = notes
    }
}

extension Chart {
    /// One metric of a concurrency (or rate) sweep against load: cost per task, total
    /// completion time, TTFT, throughput… Several sweeps may be overlaid; the
    /// saturation level is a vertical line, SLA bounds are horizontal lines.
    /// For small multiples, build one chart per metric with the same `saturation`.
    ///
    /// - Parameters:
    ///   - metricLabel: the y axis, with units ("TTFT p99 (s)").
    ///   - lines: one per sweep; levels and values pair up.
    ///   - saturation: the saturation level (`Saturation.find`), nil for none.
    ///   - thresholds: SLA bounds on this metric.
    ///   - logLevels: a log load axis (1, 2, 4 … 256).
    /// - Throws: ``ReportError`` for no lines, mismatched counts, or bad values.
    public static func sweep(title: String, metricLabel: String, lines: [SweepLine],
                             levelLabel: String = "concurrency", saturation: Double? = nil,
                             thresholds: [Threshold] = [], logLevels: Bool = false) throws -> Chart {
        guard !lines.isEmpty else { throw ReportError("chart '\(title)': no sweep to plot") }
        let series = try lines.map { line -> Series in
            guard line.levels.count == line.values.count else {
                throw ReportError("chart '\(title)': sweep '\(line.name)' has \(line.levels.count) levels but \(line.values.count) values")
            }
            guard line.notes.isEmpty || line.notes.count == line.levels.count else {
                throw ReportError("chart '\(title)': sweep '\(line.name)' has \(line.levels.count) levels but \(line.notes.count) notes")
            }
            let points = line.levels.indices.map { i in
                ChartPoint(x: line.levels[i], y: line.values[i], note: line.notes.isEmpty ? nil : line.notes[i])
            }
            return Series(name: line.name, points: points.sorted { $0.x < $1.x }, style: .line, dashed: line.predicted)
        }
        var annotations = thresholds.map { Annotation.horizontalLine(y: $0.value, label: $0.label) }
        if let saturation {
            annotations.append(.verticalLine(x: saturation, label: "saturation (\(NumberFormat.short(saturation)))"))
        }
        return Chart(title: title,
                     x: Axis(label: levelLabel, scale: logLevels ? .log : .linear),
                     y: Axis(label: metricLabel, includesZero: true),
                     series: series, annotations: annotations)
    }
}
