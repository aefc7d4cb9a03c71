/// A named set of points drawn one way; its colour, marker and dash pattern come
/// from its position in the chart (see ``Palette``).
public struct Series: Sendable, Equatable {
    /// How the points are drawn.
    public enum Style: Sendable, Equatable {
        /// Markers only (a scatter).
        case markers
        /// Points joined in the given order, with a marker on each point.
        case line
        /// A staircase without markers: each point's y holds until the next point's x
        /// (an empirical CDF).
        case step
        /// One horizontal bar per point, from x = `from` to the point's x, centred on
        /// the point's y and `thickness` data units tall (a tornado chart).
        case horizontalBars(from: Double, thickness: Double)
    }

    /// Name shown in the legend.
    public var name: String
    /// The points, drawn in this order.
    public var points: [ChartPoint]
    /// How they are drawn.
    public var style: Style
    /// Draw the line dashed even when the series' position would give a solid one.
    public var dashed: Bool

    /// A series.
    public init(name: String, points: [ChartPoint], style: Style = .markers, dashed: Bool = false) {
        self.name = name
        self.points = points
        self.style = style
        self.dashed = dashed
    }
}
