/// Something drawn on a chart besides its series: thresholds, zones, notes.
public enum Annotation: Sendable, Equatable {
    /// A horizontal line across the plot at `y`, labelled at its right end
    /// (an SLA bound on the y metric).
    case horizontalLine(y: Double, label: String)
    /// A vertical line at `x`, labelled at its top (saturation level, crossover).
    case verticalLine(x: Double, label: String)
    /// A shaded vertical strip from `from` to `to` on the x axis (the optimal zone).
    case verticalBand(from: Double, to: Double, label: String)
    /// A shaded polygon through the points, in data units.
    case polygon(points: [ChartPoint], label: String)
}
