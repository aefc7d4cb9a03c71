/// Checks a chart before drawing, and collects the values each axis must show.
extension Chart {
    /// Every x and y value the axes must cover (points, bar ends, annotations).
    struct Extent {
        var xs: [Double] = []
        var ys: [Double] = []
    }

    /// Throws a ``ReportError`` naming the chart, series and point for empty or
    /// non-finite data, bad ranges, and values ≤ 0 on a log axis.
    func validated() throws -> Extent {
        let name = "chart '\(title)'"
        guard width >= 240, height >= 180 else {
            throw ReportError("\(name) is \(width) × \(height) pixels; it needs at least 240 × 180")
        }
        guard !series.isEmpty else { throw ReportError("\(name) has no series") }
        try Chart.check(axis: x, "x", in: name)
        try Chart.check(axis: y, "y", in: name)
        var extent = Extent()
        for s in series {
            guard !s.points.isEmpty else { throw ReportError("\(name): series '\(s.name)' has no points") }
            for (i, p) in s.points.enumerated() {
                guard p.x.isFinite, p.y.isFinite else {
                    throw ReportError("\(name): series '\(s.name)' point \(i) is not finite (x = \(p.x), y = \(p.y))")
                }
                extent.xs.append(p.x)
                extent.ys.append(p.y)
                if case .horizontalBars(let from, let thickness) = s.style {
                    guard from.isFinite, thickness.isFinite, thickness > 0 else {
                        throw ReportError("\(name): series '\(s.name)' bars need a finite start and a positive thickness")
                    }
                    extent.xs.append(from)
                    extent.ys.append(p.y - thickness / 2)
                    extent.ys.append(p.y + thickness / 2)
                }
            }
        }
        for a in annotations {
            switch a {
            case .horizontalLine(let v, let label):
                try Chart.finite([v], label, in: name)
                extent.ys.append(v)
            case .verticalLine(let v, let label):
                try Chart.finite([v], label, in: name)
                extent.xs.append(v)
            case .verticalBand(let from, let to, let label):
                try Chart.finite([from, to], label, in: name)
                extent.xs += [from, to]
            case .polygon(let points, let label):
                guard points.count >= 3 else {
                    throw ReportError("\(name): polygon '\(label)' needs at least 3 points, got \(points.count)")
                }
                try Chart.finite(points.flatMap { [$0.x, $0.y] }, label, in: name)
                extent.xs += points.map(\.x)
                extent.ys += points.map(\.y)
            }
        }
        if x.scale == .log, let bad = extent.xs.first(where: { $0 <= 0 }) {
            throw ReportError("\(name): x axis '\(x.label)' is logarithmic but has the value \(NumberFormat.short(bad)) (needs > 0)")
        }
        if y.scale == .log, let bad = extent.ys.first(where: { $0 <= 0 }) {
            throw ReportError("\(name): y axis '\(y.label)' is logarithmic but has the value \(NumberFormat.short(bad)) (needs > 0)")
        }
        return extent
    }

    private static func check(axis: Axis, _ which: String, in name: String) throws {
        if let r = axis.range {
            guard r.lowerBound.isFinite, r.upperBound.isFinite, r.lowerBound < r.upperBound else {
                throw ReportError("\(name): \(which) axis range must be finite with low < high, got \(r.lowerBound)…\(r.upperBound)")
            }
            if axis.scale == .log, r.lowerBound <= 0 {
                throw ReportError("\(name): \(which) axis is logarithmic, so its range must be > 0, got \(r.lowerBound)…\(r.upperBound)")
            }
        }
        if let ticks = axis.ticks, ticks.contains(where: { !$0.value.isFinite }) {
            throw ReportError("\(name): \(which) axis has a non-finite tick")
        }
    }

    private static func finite(_ values: [Double], _ label: String, in name: String) throws {
        guard values.allSatisfy(\.isFinite) else {
            throw ReportError("\(name): annotation '\(label)' has a non-finite coordinate")
        }
    }
}
