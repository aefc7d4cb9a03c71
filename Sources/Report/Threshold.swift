/// A labelled bound drawn as a line across a chart (an SLA limit, a capacity).
public struct Threshold: Sendable, Equatable {
    /// Where, in the axis' data units.
    public var value: Double
    /// Text beside the line, e.g. "SLA: TTFT p99 ≤ 1 s".
    public var label: String

    /// A threshold.
    public init(value: Double, label: String) {
        self.value = value
        self.label = label
    }
}
