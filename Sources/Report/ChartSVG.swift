import Foundation

extension Chart {
    /// The chart as an SVG document: hand-written, no scripts, no external references.
    ///
    /// - Parameters:
    ///   - standalone: true writes an XML declaration and the SVG namespace (an `.svg`
    ///     file); false writes a bare `<svg>` for inlining in HTML, which needs neither.
    ///   - idPrefix: prefix for the element ids (clip path, title), unique per chart when
    ///     several charts share one HTML page.
    /// - Throws: ``ReportError`` for empty or non-finite data, bad ranges, or values ≤ 0
    ///   on a log axis.
    public func svg(standalone: Bool = true, idPrefix: String = "chart") throws -> String {
        let extent = try validated()
        var writer = SVGWriter(chart: self, extent: extent, idPrefix: Markup.escape(idPrefix))
        return writer.render(standalone: standalone)
    }
}

/// Lays out and writes one chart.
private struct SVGWriter {
    let chart: Chart
    let prefix: String
    var xMap: AxisMap
    var yMap: AxisMap
    let left: Double, right: Double, top: Double, bottom: Double
    let legendX: Double
    var out = ""

    static let tickSize = 11.0
    static let legendCharacters = 32

    init(chart: Chart, extent: Chart.Extent, idPrefix: String) {
        self.chart = chart
        prefix = idPrefix
        let w = Double(chart.width), h = Double(chart.height)
        top = 48
        bottom = h - 52
        // Fewer y ticks on short charts so labels do not touch.
        let yTarget = max(3, min(6, Int((bottom - top) / 60)))
        xMap = AxisMap(axis: chart.x, values: extent.xs)
        yMap = AxisMap(axis: chart.y, values: extent.ys, target: yTarget)
        let yLabelWidth = yMap.ticks.compactMap(\.label).map { SVG.textWidth($0, size: Self.tickSize) }.max() ?? 0
        left = 34 + yLabelWidth
        let longest = chart.series.map { min($0.name.count, Self.legendCharacters) }.max() ?? 0
        let legendWidth = 44 + Double(longest) * 12 * 0.6
        right = max(left + 80, w - legendWidth - 12)
        legendX = right + 16
        xMap.start = left
        xMap.end = right
        yMap.start = bottom
        yMap.end = top
    }

    mutating func render(standalone: Bool) -> String {
        let w = chart.width, h = chart.height
        if standalone {
            out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            out += "<svg xmlns=\"http://www.w3.org/2000/svg\" "
        } else {
            out += "<svg "
        }
        out += "width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\" role=\"img\" aria-labelledby=\"\(prefix)-title\" font-family=\"Helvetica, Arial, sans-serif\">\n"
        out += "<title id=\"\(prefix)-title\">\(Markup.escape(chart.title))</title>\n"
        out += "<defs><clipPath id=\"\(prefix)-plot\"><rect x=\"\(SVG.n(left - 7))\" y=\"\(SVG.n(top - 7))\" width=\"\(SVG.n(right - left + 14))\" height=\"\(SVG.n(bottom - top + 14))\"/></clipPath></defs>\n"
        out += "<rect x=\"0\" y=\"0\" width=\"\(w)\" height=\"\(h)\" fill=\"#ffffff\"/>\n"
        out += "<text x=\"\(SVG.n(Double(w) / 2))\" y=\"26\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#111111\">\(Markup.escape(chart.title))</text>\n"
        grid()
        areas()
        out += "<g clip-path=\"url(#\(prefix)-plot)\">\n"
        for (i, s) in chart.series.enumerated() { series(s, position: i) }
        out += "</g>\n"
        // Labels outside the clip: a point at the frame keeps its whole label.
        for (i, s) in chart.series.enumerated() { pointLabels(s, position: i) }
        lines()
        axes()
        legend()
        out += "</svg>\n"
        return out
    }

    // MARK: - Axes and grid

    mutating func grid() {
        out += "<g class=\"grid\" stroke-width=\"1\">\n"
        for t in xMap.ticks where xMap.contains(t.value) {
            let x = SVG.n(xMap.position(t.value))
            out += "<line x1=\"\(x)\" y1=\"\(SVG.n(top))\" x2=\"\(x)\" y2=\"\(SVG.n(bottom))\" stroke=\"\(t.major ? "#dddddd" : "#f0f0f0")\"/>\n"
        }
        for t in yMap.ticks where yMap.contains(t.value) {
            let y = SVG.n(yMap.position(t.value))
            out += "<line x1=\"\(SVG.n(left))\" y1=\"\(y)\" x2=\"\(SVG.n(right))\" y2=\"\(y)\" stroke=\"\(t.major ? "#dddddd" : "#f0f0f0")\"/>\n"
        }
        out += "</g>\n"
    }

    mutating func axes() {
        out += "<rect x=\"\(SVG.n(left))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(right - left))\" height=\"\(SVG.n(bottom - top))\" fill=\"none\" stroke=\"#444444\"/>\n"
        out += "<g class=\"x-ticks\" font-size=\"\(Int(Self.tickSize))\" fill=\"#222222\" text-anchor=\"middle\">\n"
        let xTicks = xMap.ticks.filter { xMap.contains($0.value) }
        let shown = thinned(xTicks)
        for (t, labelled) in zip(xTicks, shown) {
            let x = xMap.position(t.value)
            let length = t.major ? 5.0 : 3.0
            out += "<line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(bottom))\" x2=\"\(SVG.n(x))\" y2=\"\(SVG.n(bottom + length))\" stroke=\"#444444\"/>\n"
            if labelled, let label = t.label {
                out += "<text x=\"\(SVG.n(x))\" y=\"\(SVG.n(bottom + 18))\">\(Markup.escape(label))</text>\n"
            }
        }
        out += "</g>\n"
        out += "<g class=\"y-ticks\" font-size=\"\(Int(Self.tickSize))\" fill=\"#222222\" text-anchor=\"end\">\n"
        for t in yMap.ticks where yMap.contains(t.value) {
            let y = yMap.position(t.value)
            let length = t.major ? 5.0 : 3.0
            out += "<line x1=\"\(SVG.n(left - length))\" y1=\"\(SVG.n(y))\" x2=\"\(SVG.n(left))\" y2=\"\(SVG.n(y))\" stroke=\"#444444\"/>\n"
            if let label = t.label {
                out += "<text x=\"\(SVG.n(left - 8))\" y=\"\(SVG.n(y + 4))\">\(Markup.escape(label))</text>\n"
            }
        }
        out += "</g>\n"
        let midX = (left + right) / 2, midY = (top + bottom) / 2
        out += "<text x=\"\(SVG.n(midX))\" y=\"\(SVG.n(Double(chart.height) - 12))\" text-anchor=\"middle\" font-size=\"13\" fill=\"#111111\">\(Markup.escape(chart.x.label))</text>\n"
        out += "<text transform=\"translate(16,\(SVG.n(midY))) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\" fill=\"#111111\">\(Markup.escape(chart.y.label))</text>\n"
    }

    /// Which x tick labels to draw: every one if they fit, else every second, fourth…
    func thinned(_ ticks: [Tick]) -> [Bool] {
        var every = 1
        while every < ticks.count {
            var lastEnd = -Double.infinity
            var fits = true
            for (i, t) in ticks.enumerated() where i.isMultiple(of: every) {
                guard let label = t.label else { continue }
                let half = SVG.textWidth(label, size: Self.tickSize) / 2
                let x = xMap.position(t.value)
                if x - half < lastEnd + 6 { fits = false; break }
                lastEnd = x + half
            }
            if fits { break }
            every *= 2
        }
        return ticks.indices.map { $0.isMultiple(of: every) }
    }

    // MARK: - Annotations

    mutating func areas() {
        for a in chart.annotations {
            switch a {
            case .verticalBand(let from, let to, let label):
                var x1 = xMap.position(min(from, to)), x2 = xMap.position(max(from, to))
                x1 = max(left, x1); x2 = min(right, x2)
                // A zone of one point still needs to be visible.
                if x2 - x1 < 10 { let mid = (x1 + x2) / 2; x1 = mid - 5; x2 = mid + 5 }
                out += "<g class=\"band\"><title>\(Markup.escape(label))</title>"
                out += "<rect x=\"\(SVG.n(x1))\" y=\"\(SVG.n(top))\" width=\"\(SVG.n(x2 - x1))\" height=\"\(SVG.n(bottom - top))\" fill=\"#000000\" fill-opacity=\"0.09\"/>"
                out += "<text x=\"\(SVG.n((x1 + x2) / 2))\" y=\"\(SVG.n(top + 14))\" text-anchor=\"middle\" font-size=\"11\" font-style=\"italic\" fill=\"#333333\">\(Markup.escape(label))</text></g>\n"
            case .polygon(let points, let label):
                let d = points.map { "\(SVG.n(xMap.position($0.x))),\(SVG.n(yMap.position($0.y)))" }.joined(separator: " ")
                let cx = points.map { xMap.position($0.x) }.reduce(0, +) / Double(points.count)
                let cy = points.map { yMap.position($0.y) }.reduce(0, +) / Double(points.count)
                out += "<g class=\"polygon\" clip-path=\"url(#\(prefix)-plot)\"><title>\(Markup.escape(label))</title>"
                out += "<polygon points=\"\(d)\" fill=\"#000000\" fill-opacity=\"0.09\" stroke=\"#666666\" stroke-dasharray=\"3 3\"/>"
                out += "<text x=\"\(SVG.n(cx))\" y=\"\(SVG.n(cy))\" text-anchor=\"middle\" font-size=\"11\" font-style=\"italic\" fill=\"#333333\">\(Markup.escape(label))</text></g>\n"
            case .horizontalLine, .verticalLine:
                continue
            }
        }
    }

    mutating func lines() {
        var verticalLabels = 0
        for a in chart.annotations {
            switch a {
            case .horizontalLine(let value, let label) where yMap.contains(value):
                let y = yMap.position(value)
                out += "<g class=\"threshold\"><line x1=\"\(SVG.n(left))\" y1=\"\(SVG.n(y))\" x2=\"\(SVG.n(right))\" y2=\"\(SVG.n(y))\" stroke=\"#b00000\" stroke-width=\"1.4\" stroke-dasharray=\"6 3\"/>"
                let above = y - top > 16
                out += "<text x=\"\(SVG.n(right - 4))\" y=\"\(SVG.n(above ? y - 4 : y + 13))\" text-anchor=\"end\" font-size=\"11\" fill=\"#b00000\">\(Markup.escape(label))</text></g>\n"
            case .verticalLine(let value, let label) where xMap.contains(value):
                let x = xMap.position(value)
                out += "<g class=\"marker-line\"><line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(top))\" x2=\"\(SVG.n(x))\" y2=\"\(SVG.n(bottom))\" stroke=\"#333333\" stroke-width=\"1.4\" stroke-dasharray=\"2 3\"/>"
                // Label near the line's top, on whichever side has room; each vertical
                // line's label one row lower than the previous one's, so close lines'
                // labels do not overprint.
                let fitsRight = x + 4 + SVG.textWidth(label, size: 11) < right
                let y = top + 13 + 14 * Double(verticalLabels)
                verticalLabels += 1
                out += "<text x=\"\(SVG.n(fitsRight ? x + 4 : x - 4))\" y=\"\(SVG.n(y))\" text-anchor=\"\(fitsRight ? "start" : "end")\" font-size=\"11\" fill=\"#333333\">\(Markup.escape(label))</text></g>\n"
            default:
                continue
            }
        }
    }

    // MARK: - Series

    mutating func series(_ s: Series, position: Int) {
        let look = Palette.entry(position)
        let dash = Palette.dash(position, dashed: s.dashed)
        let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
        out += "<g class=\"series\" data-series=\"\(position)\"><title>\(Markup.escape(s.name))</title>\n"
        let pixels = s.points.map { (x: xMap.position($0.x), y: yMap.position($0.y)) }
        let tips = s.points.map { tip(s, $0) }
        switch s.style {
        case .markers:
            for (p, tip) in zip(pixels, tips) { out += SVG.marker(look.marker, x: p.x, y: p.y, color: look.color, tip: tip) + "\n" }
        case .line:
            let d = pixels.map { "\(SVG.n($0.x)),\(SVG.n($0.y))" }.joined(separator: " ")
            out += "<polyline points=\"\(d)\" fill=\"none\" stroke=\"\(look.color)\" stroke-width=\"2\"\(dashAttribute)/>\n"
            // Markers on a long line would merge into a smear; the dash tells it apart.
            if pixels.count <= 60 {
                for (p, tip) in zip(pixels, tips) {
                    out += SVG.marker(look.marker, x: p.x, y: p.y, color: look.color, tip: tip) + "\n"
                }
            }
        case .step:
            var d: [String] = []
            for (i, p) in pixels.enumerated() {
                if i > 0 { d.append("\(SVG.n(p.x)),\(SVG.n(pixels[i - 1].y))") }
                d.append("\(SVG.n(p.x)),\(SVG.n(p.y))")
            }
            out += "<polyline points=\"\(d.joined(separator: " "))\" fill=\"none\" stroke=\"\(look.color)\" stroke-width=\"2\"\(dashAttribute)/>\n"
        case .horizontalBars(let from, let thickness):
            let x0 = xMap.position(from)
            for (p, point) in zip(pixels, s.points) {
                let y1 = yMap.position(point.y + thickness / 2), y2 = yMap.position(point.y - thickness / 2)
                let x = min(x0, p.x), width = abs(p.x - x0)
                out += "<rect x=\"\(SVG.n(x))\" y=\"\(SVG.n(min(y1, y2)))\" width=\"\(SVG.n(width))\" height=\"\(SVG.n(abs(y2 - y1)))\" fill=\"\(look.color)\" stroke=\"\(Palette.outline)\" stroke-width=\"0.8\"/>\n"
            }
        }
        out += "</g>\n"
    }

    /// A point's exact values, for its tooltip: series and label, its note (which run),
    /// and both coordinates with their axis titles.
    func tip(_ s: Series, _ point: ChartPoint) -> String {
        let name = [s.name, point.label].compactMap { $0?.isEmpty == false ? $0 : nil }.joined(separator: " · ")
        return "\(name)\(point.note.map { "\n" + $0 } ?? "")\n\(chart.x.label): \(NumberFormat.exact(point.x))"
            + "\n\(chart.y.label): \(NumberFormat.exact(point.y))"
    }

    mutating func pointLabels(_ s: Series, position: Int) {
        guard s.points.contains(where: { $0.label?.isEmpty == false }) else { return }
        out += "<g class=\"labels\" data-series=\"\(position)\">\n"
        for point in s.points {
            guard let label = point.label, !label.isEmpty, xMap.contains(point.x), yMap.contains(point.y) else { continue }
            let p = (x: xMap.position(point.x), y: yMap.position(point.y))
            if case .horizontalBars(let from, _) = s.style {
                // Bar labels sit past the bar's end, outward from the base.
                let outward = point.x >= from
                out += "<text x=\"\(SVG.n(outward ? p.x + 4 : p.x - 4))\" y=\"\(SVG.n(p.y + 4))\" text-anchor=\"\(outward ? "start" : "end")\" font-size=\"10.5\" fill=\"#222222\">\(Markup.escape(label))</text>\n"
            } else {
                let onRight = p.x + 7 + SVG.textWidth(label, size: 10.5) < right
                let below = p.y - top < 16   // no room above a point at the top
                out += "<text x=\"\(SVG.n(onRight ? p.x + 7 : p.x - 7))\" y=\"\(SVG.n(below ? p.y + 16 : p.y - 7))\" text-anchor=\"\(onRight ? "start" : "end")\" font-size=\"10.5\" fill=\"#222222\">\(Markup.escape(label))</text>\n"
            }
        }
        out += "</g>\n"
    }

    // MARK: - Legend

    mutating func legend() {
        out += "<g class=\"legend\" font-size=\"12\" fill=\"#111111\">\n"
        for (i, s) in chart.series.enumerated() {
            let look = Palette.entry(i)
            let y = top + 10 + Double(i) * 20
            let x = legendX
            // role and tabindex: the report's script lets a click or Enter hide the series.
            out += "<g class=\"legend-entry\" data-series=\"\(i)\" role=\"button\" tabindex=\"0\"><title>\(Markup.escape(s.name))</title>"
            switch s.style {
            case .markers:
                out += SVG.marker(look.marker, x: x + 11, y: y, color: look.color)
            case .line, .step:
                let dash = Palette.dash(i, dashed: s.dashed)
                let dashAttribute = dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\""
                out += "<line x1=\"\(SVG.n(x))\" y1=\"\(SVG.n(y))\" x2=\"\(SVG.n(x + 22))\" y2=\"\(SVG.n(y))\" stroke=\"\(look.color)\" stroke-width=\"2\"\(dashAttribute)/>"
                if case .line = s.style { out += SVG.marker(look.marker, x: x + 11, y: y, color: look.color) }
            case .horizontalBars:
                out += "<rect x=\"\(SVG.n(x + 2))\" y=\"\(SVG.n(y - 6))\" width=\"18\" height=\"12\" fill=\"\(look.color)\" stroke=\"\(Palette.outline)\" stroke-width=\"0.8\"/>"
            }
            var name = s.name
            if name.count > Self.legendCharacters { name = String(name.prefix(Self.legendCharacters - 1)) + "…" }
            out += "<text x=\"\(SVG.n(x + 28))\" y=\"\(SVG.n(y + 4))\">\(Markup.escape(name))</text></g>\n"
        }
        out += "</g>\n"
    }
}
