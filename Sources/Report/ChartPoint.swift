/// One data point of a series, in data units.
public struct ChartPoint: Sendable, Equatable {
    /// Horizontal coordinate.
    public var x: Double
    /// Vertical coordinate.
    public var y: Double
    /// Text drawn beside the point (nil: none).
    public var label: String?

    /// A point, optionally labelled.
    public init(x: Double, y: Double, label: String? = nil) {
        self.x = x
        self.y = y
        self.label = label
    }
}
