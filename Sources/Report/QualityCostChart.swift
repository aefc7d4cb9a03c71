/// A configuration placed by its cost and quality.
public struct CostQualityPoint: Sendable, Equatable {
    /// Name drawn beside the point (model, hardware, load level…).
    public var label: String
    /// Cost (per task, per 1M tokens…; the axis label gives the unit).
    public var cost: Double
    /// Quality score.
    public var quality: Double

    /// A point.
    public init(label: String, cost: Double, quality: Double) {
        self.label = label
        self.cost = cost
        self.quality = quality
    }
}

extension Chart {
    /// Quality against cost: every configuration labelled, the efficient frontier
    /// joined by a line, the optimal cost-effectiveness zone shaded.
    ///
    /// - Parameters:
    ///   - points: the configurations.
    ///   - frontier: positions in `points` of the efficient-frontier points (the hull
    ///     from `EfficientFrontier`); they are joined in ascending cost.
    ///   - zone: positions of the points in the optimal zone; the band spans their costs.
    ///   - knee: position of the frontier's knee, drawn as a marker of its own.
    ///   - logCost: a log cost axis, for costs spread over decades.
    /// - Throws: ``ReportError`` for no points, a position out of range, or bad values.
    public static func qualityVsCost(title: String = "Quality vs cost", points: [CostQualityPoint],
                                     frontier: [Int] = [], zone: [Int] = [], knee: Int? = nil,
                                     costLabel: String = "cost per task ($)", qualityLabel: String = "quality",
                                     logCost: Bool = false) throws -> Chart {
        guard !points.isEmpty else { throw ReportError("chart '\(title)': no points to plot") }
        for (name, positions) in [("frontier", frontier), ("zone", zone), ("knee", knee.map { [$0] } ?? [])] {
            if let bad = positions.first(where: { !points.indices.contains($0) }) {
                throw ReportError("chart '\(title)': \(name) position \(bad) is not a point (there are \(points.count), from 0)")
            }
        }
        let onFrontier = Set(frontier)
        func chartPoint(_ p: CostQualityPoint) -> ChartPoint { ChartPoint(x: p.cost, y: p.quality, label: p.label) }
        var series: [Series] = []
        let others = points.indices.filter { !onFrontier.contains($0) }.map { chartPoint(points[$0]) }
        if !others.isEmpty {
            series.append(Series(name: "configurations", points: others, style: .markers))
        }
        let hull = onFrontier.sorted().map { points[$0] }.sorted { ($0.cost, -$0.quality) < ($1.cost, -$1.quality) }
        if !hull.isEmpty {
            series.append(Series(name: "efficient frontier", points: hull.map(chartPoint), style: .line))
        }
        if let knee {
            series.append(Series(name: "knee", points: [chartPoint(points[knee])], style: .markers))
        }
        var annotations: [Annotation] = []
        if !zone.isEmpty {
            let costs = zone.map { points[$0].cost }
            annotations.append(.verticalBand(from: costs.min() ?? 0, to: costs.max() ?? 0, label: "optimal zone"))
        }
        return Chart(title: title,
                     x: Axis(label: costLabel, scale: logCost ? .log : .linear),
                     y: Axis(label: qualityLabel),
                     series: series, annotations: annotations)
    }
}
