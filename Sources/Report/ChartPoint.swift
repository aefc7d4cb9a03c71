/// One data point of a series, in data units.
public struct ChartPoint: Sendable, Equatable {
    /// Horizontal coordinate.
    public var x: Double
    /// Vertical coordinate.
    public var y: Double
    /// Text drawn beside the point (nil: none).
    public var label: String?
    /// Shown in the point's tooltip only (which run it is), not drawn.
    public var note: String?

    /// A point, optionally labelled.
    public init(x: Double, y: Double, label: String? = nil, note: String? = nil) {
        self.x = x
        self.y = y
        self.label = label
        self.note = note
    }
}
