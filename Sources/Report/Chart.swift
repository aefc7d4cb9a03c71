/// A chart: title, axes, series and annotations. Render it with ``svg(standalone:idPrefix:)``
/// or build one of the standard kinds with the static functions
/// (``qualityVsCost(title:points:frontier:zone:costLabel:qualityLabel:logCost:)`` and others).
public struct Chart: Sendable, Equatable {
    /// Title, drawn on top and used as the SVG `<title>`.
    public var title: String
    /// Horizontal axis.
    public var x: Axis
    /// Vertical axis.
    public var y: Axis
    /// The data, drawn in order (later series on top).
    public var series: [Series]
    /// Lines, bands and polygons drawn with the data.
    public var annotations: [Annotation]
    /// Width of the SVG in pixels.
    public var width: Int
    /// Height of the SVG in pixels.
    public var height: Int

    /// A chart; 720 × 440 pixels unless given.
    public init(title: String, x: Axis, y: Axis, series: [Series], annotations: [Annotation] = [],
                width: Int = 720, height: Int = 440) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
        self.annotations = annotations
        self.width = width
        self.height = height
    }
}
