/// A scatter or line chart drawn with Unicode characters for a terminal.
///
/// Lines and steps are braille dots (2 × 4 per character); each point is a marker
/// glyph per series (● ■ ▲ ◆ × +, the SVG markers' order); axes are box-drawing
/// characters. The same data at the same size always gives the same text.
public struct TerminalPlot: Sendable, Equatable {
    /// Optional first line.
    public var title: String?
    /// Horizontal axis (label, linear or log, optional range).
    public var x: Axis
    /// Vertical axis.
    public var y: Axis
    /// Series: `.markers` draws a scatter, `.line` and `.step` a line with markers.
    public var series: [Series]

    /// A plot.
    public init(title: String? = nil, x: Axis, y: Axis, series: [Series]) {
        self.title = title
        self.x = x
        self.y = y
        self.series = series
    }

    /// The plot in exactly `height` lines of at most `width` characters (trailing
    /// spaces trimmed, no final newline): title, y label, plot rows with y tick labels
    /// on the left, x axis, x tick labels, x label, legend.
    /// - Throws: ``ReportError`` for bad data (as ``Chart/svg(standalone:idPrefix:)``),
    ///   bar series, or a size too small for at least 3 rows and 10 columns of plot.
    public func render(width: Int, height: Int) throws -> String {
        if series.contains(where: { if case .horizontalBars = $0.style { return true } else { return false } }) {
            throw ReportError("a terminal plot draws markers, lines and steps, not bars")
        }
        let chart = Chart(title: title ?? "plot", x: x, y: y, series: series)
        let extent = try chart.validated()

        let legend = legendLines(width: width)
        let fixedLines = (title?.isEmpty == false ? 1 : 0) + 1 + 3 + legend.count
        let rows = height - fixedLines
        // First fit y with a provisional height to learn how wide its labels are.
        let yMap = AxisMap(axis: y, values: extent.ys, target: max(2, rows / 2))
        let yLabels = yMap.ticks.filter { $0.label != nil && yMap.contains($0.value) }
        let gutter = (yLabels.compactMap { $0.label?.count }.max() ?? 0) + 1
        let columns = width - gutter - 1
        guard rows >= 3, columns >= 10 else {
            throw ReportError("a terminal plot of \(width) × \(height) characters is too small: it needs at least 3 rows and 10 columns for the plot")
        }
        let xMap = AxisMap(axis: x, values: extent.xs, target: max(2, columns / 8))
        var canvas = BrailleCanvas(columns: columns, rows: rows)

        func dot(_ p: ChartPoint) -> (x: Int, y: Int) {
            (Self.cell(xMap, p.x, count: canvas.dotColumns, flipped: false),
             Self.cell(yMap, p.y, count: canvas.dotRows, flipped: true))
        }
        for s in series where s.style != .markers {
            let dots = s.points.map(dot)
            for i in dots.indices.dropFirst() {
                if s.style == .step {
                    let corner = (x: dots[i].x, y: dots[i - 1].y)
                    canvas.line(from: dots[i - 1], to: corner)
                    canvas.line(from: corner, to: dots[i])
                } else {
                    canvas.line(from: dots[i - 1], to: dots[i])
                }
            }
        }
        for (i, s) in series.enumerated() where s.style != .step {
            let glyph = Self.glyph(i)
            for p in s.points { let d = dot(p); canvas.mark(dotX: d.x, dotY: d.y, glyph: glyph) }
        }

        var lines: [String] = []
        if let title, !title.isEmpty { lines.append(String(title.prefix(width))) }
        lines.append(String(y.label.prefix(width)))
        // y tick labels on the rows their values fall in; the first tick wins a row.
        var rowLabels: [Int: String] = [:]
        for t in yLabels {
            let row = Self.cell(yMap, t.value, count: canvas.dotRows, flipped: true) / 4
            if rowLabels[row] == nil, let label = t.label { rowLabels[row] = label }
        }
        for row in 0..<rows {
            let label = rowLabels[row] ?? ""
            let pad = String(repeating: " ", count: gutter - 1 - label.count)
            lines.append(pad + label + (rowLabels[row] == nil ? " │" : " ┤") + canvas.text(row: row))
        }
        // x axis with ┬ under each labelled tick, labels centred under them.
        var axis = Array(repeating: Character("─"), count: columns)
        var labelLine = Array(repeating: Character(" "), count: width)
        var lastEnd = -1
        for t in xMap.ticks where xMap.contains(t.value) {
            guard let label = t.label else { continue }
            let column = Self.cell(xMap, t.value, count: canvas.dotColumns, flipped: false) / 2
            let start = gutter + 1 + column - label.count / 2
            // Skip a label that would touch the previous one or run off the edge.
            guard start > lastEnd + 1, start >= 0, start + label.count <= width else { continue }
            axis[column] = "┬"
            for (k, ch) in label.enumerated() { labelLine[start + k] = ch }
            lastEnd = start + label.count - 1
        }
        lines.append(String(repeating: " ", count: gutter) + "└" + String(axis))
        lines.append(String(labelLine))
        let xLabel = String(x.label.prefix(width))
        lines.append(String(repeating: " ", count: max(0, gutter + 1 + (columns - xLabel.count) / 2)) + xLabel)
        lines += legend
        return lines.map(Self.trimmed).joined(separator: "\n")
    }

    /// The legend, "● name" per series, wrapped to `width`.
    private func legendLines(width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for (i, s) in series.enumerated() {
            let entry = "\(Self.glyph(i)) \(s.name)"
            if current.isEmpty {
                current = entry
            } else if current.count + 3 + entry.count <= width {
                current += "   " + entry
            } else {
                lines.append(current)
                current = entry
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { String($0.prefix(width)) }
    }

    /// Dot index of `value` along an axis of `count` dots (row 0 at the top when flipped).
    private static func cell(_ map: AxisMap, _ value: Double, count: Int, flipped: Bool) -> Int {
        var unit = map
        unit.start = 0
        unit.end = 1
        let t = min(1, max(0, unit.position(value)))
        let index = Int((t * Double(count - 1)).rounded())
        return flipped ? count - 1 - index : index
    }

    private static func glyph(_ position: Int) -> Character {
        Palette.glyphs[position % Palette.glyphs.count]
    }

    private static func trimmed(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
