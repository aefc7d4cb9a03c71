import Foundation

/// SVG elements for markers and coordinates.
enum SVG {
    /// A coordinate with one decimal: enough for a screen, short in the file.
    static func n(_ v: Double) -> String {
        let text = String(format: "%.1f", v)
        return text == "-0.0" ? "0.0" : text
    }

    /// The marker `shape` centred on (x, y), `r` pixels in radius. With a `tip`, the
    /// marker carries it as its SVG `<title>` (a browser shows it on hover, script or
    /// not) and the class `pt` the report's script gives a styled tooltip and focus.
    static func marker(_ shape: Palette.Marker, x: Double, y: Double, r: Double = 4.5, color: String,
                       tip: String? = nil) -> String {
        let filled = "fill=\"\(color)\" stroke=\"\(Palette.outline)\" stroke-width=\"0.8\""
        let stroked = "fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.2\""
        let element: (tag: String, attributes: String)
        switch shape {
        case .circle:
            element = ("circle", "cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" \(filled)")
        case .square:
            let s = r * 0.85
            element = ("rect", "x=\"\(n(x - s))\" y=\"\(n(y - s))\" width=\"\(n(2 * s))\" height=\"\(n(2 * s))\" \(filled)")
        case .triangle:
            element = ("path", "d=\"M\(n(x)),\(n(y - r * 1.15))L\(n(x + r * 1.05)),\(n(y + r * 0.8))L\(n(x - r * 1.05)),\(n(y + r * 0.8))Z\" \(filled)")
        case .diamond:
            element = ("path", "d=\"M\(n(x)),\(n(y - r * 1.25))L\(n(x + r)),\(n(y))L\(n(x)),\(n(y + r * 1.25))L\(n(x - r)),\(n(y))Z\" \(filled)")
        case .cross:
            element = ("path", "d=\"M\(n(x - r)),\(n(y - r))L\(n(x + r)),\(n(y + r))M\(n(x - r)),\(n(y + r))L\(n(x + r)),\(n(y - r))\" \(stroked)")
        case .plus:
            element = ("path", "d=\"M\(n(x - r * 1.2)),\(n(y))L\(n(x + r * 1.2)),\(n(y))M\(n(x)),\(n(y - r * 1.2))L\(n(x)),\(n(y + r * 1.2))\" \(stroked)")
        }
        guard let tip else { return "<\(element.tag) \(element.attributes)/>" }
        return "<\(element.tag) class=\"pt\" tabindex=\"0\" \(element.attributes)><title>\(Markup.escape(tip))</title></\(element.tag)>"
    }

    /// Estimated width in pixels of `text` at `size`: SVG has no text metrics before
    /// rendering, and a sans-serif character averages about 0.6 em.
    static func textWidth(_ text: String, size: Double) -> Double {
        Double(text.count) * size * 0.6
    }
}
