/// A tick on an axis.
public struct Tick: Sendable, Equatable {
    /// Position in data units.
    public var value: Double
    /// Text under or beside the tick; nil draws a tick without text (log minor ticks).
    public var label: String?
    /// Major ticks get a grid line and usually a label; minor ones a fainter line.
    public var major: Bool

    /// A tick.
    public init(value: Double, label: String?, major: Bool = true) {
        self.value = value
        self.label = label
        self.major = major
    }
}
