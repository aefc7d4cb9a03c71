/// One axis of a chart: its label (with units), scale and range.
public struct Axis: Sendable, Equatable {
    /// How data values map to positions.
    public enum Scale: String, Sendable, Equatable {
        /// Equal distances for equal differences.
        case linear
        /// Equal distances for equal ratios (base 10); every value must be > 0.
        case log
    }

    /// Axis title with units, e.g. "cost per task ($)".
    public var label: String
    /// Linear or logarithmic.
    public var scale: Scale
    /// Fixed range in data units; nil fits the data (see docs/report.md).
    public var range: ClosedRange<Double>?
    /// Stretch a fitted linear range to include 0 (honest bar heights, costs).
    public var includesZero: Bool
    /// Fixed ticks instead of computed ones (category names on a tornado's axis).
    public var ticks: [Tick]?

    /// An axis.
    public init(label: String, scale: Scale = .linear, range: ClosedRange<Double>? = nil,
                includesZero: Bool = false, ticks: [Tick]? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
        self.includesZero = includesZero
        self.ticks = ticks
    }
}
