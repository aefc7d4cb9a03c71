/// Colours, marker shapes and dash patterns given to series by position.
///
/// Made to survive greyscale printing and colour-blind readers: the six colours sit
/// at CIE L* ≈ 21, 71, 34, 58, 77, 48 (neighbouring series differ by at least 19),
/// and each position also has its own marker shape and dash pattern, so two series
/// stay apart even when their greys come out alike. Position 6 starts over.
public enum Palette {
    /// One series' look.
    public struct Entry: Sendable, Equatable {
        /// Fill and stroke colour, `#rrggbb`.
        public let color: String
        /// Approximate CIE L* lightness of the colour (0 black … 100 white).
        public let lightness: Double
        /// Marker shape.
        public let marker: Marker
        /// SVG `stroke-dasharray` ("" for solid).
        public let dash: String
    }

    /// Marker shapes, in the order series get them.
    public enum Marker: String, Sendable, CaseIterable {
        /// Filled circle.
        case circle
        /// Filled square.
        case square
        /// Filled upward triangle.
        case triangle
        /// Filled diamond.
        case diamond
        /// Diagonal cross (stroked).
        case cross
        /// Upright plus (stroked).
        case plus
    }

    /// The palette: navy, orange, purple, green, teal, brown.
    public static let entries: [Entry] = [
        Entry(color: "#08306b", lightness: 20.9, marker: .circle, dash: ""),
        Entry(color: "#e69f00", lightness: 70.6, marker: .square, dash: "8 4"),
        Entry(color: "#5e3c99", lightness: 33.8, marker: .triangle, dash: "2 3"),
        Entry(color: "#009e73", lightness: 57.7, marker: .diamond, dash: "8 3 2 3"),
        Entry(color: "#80cdc1", lightness: 77.3, marker: .cross, dash: "4 4"),
        Entry(color: "#a6611a", lightness: 47.9, marker: .plus, dash: "12 3 2 3 2 3"),
    ]

    /// The look of the series at `position` (0-based).
    public static func entry(_ position: Int) -> Entry {
        entries[((position % entries.count) + entries.count) % entries.count]
    }

    /// The dash pattern for a series at `position`; a `dashed` series at a solid
    /// position gets the first dashed pattern.
    static func dash(_ position: Int, dashed: Bool) -> String {
        let pattern = entry(position).dash
        return dashed && pattern.isEmpty ? entries[1].dash : pattern
    }

    /// Glyphs for the terminal plot, in marker order.
    static let glyphs: [Character] = ["●", "■", "▲", "◆", "×", "+"]

    /// Outline drawn around filled markers and bars, so light colours show on white.
    static let outline = "#222222"
}
