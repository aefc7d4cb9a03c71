/// A point of the efficient frontier.
public struct FrontierPoint: Sendable, Equatable {
    /// The point's id.
    public let id: String
    /// Position of the point in the input.
    public let index: Int
    /// Its cost (the minimised metric).
    public let cost: Double
    /// Its quality (the maximised metric).
    public let quality: Double
}

/// The efficient frontier of cost (minimised) against quality (maximised): the
/// upper-left convex hull of the Pareto set, in ascending cost.
///
/// The Pareto set in two dimensions is a staircase; the hull keeps the points
/// that some trade-off rate between cost and quality would pick as best (the
/// vertices of its concave majorant), which is the curve knee and zone work on.
public struct EfficientFrontier: Sendable, Equatable {
    /// Name of the cost metric.
    public let costMetric: String
    /// Name of the quality metric.
    public let qualityMetric: String
    /// The hull's vertices, in strictly ascending cost (and quality).
    public let points: [FrontierPoint]
    /// The whole Pareto set, ascending cost, one point per distinct (cost, quality).
    public let pareto: [FrontierPoint]

    /// The frontier of `points` on metrics `cost` and `quality`.
    ///
    /// Steps: the Pareto set over (cost minimised, quality maximised); identical
    /// (cost, quality) pairs collapse to the earliest point in the input; then
    /// Andrew's monotone chain keeps the upper hull, dropping points on or below
    /// the segment joining their neighbours (so collinear points are not
    /// vertices). Arithmetic is plain double precision.
    /// - Throws: ``FrontierError`` for missing or non-finite metrics, or equal metric names.
    public init(points: [Point], cost: String = "cost", quality: String = "quality") throws {
        let objectives = try Self.objectives(cost, quality)
        try self.init(matrix: try CostMatrix(points: points, objectives: objectives), id: { points[$0].id },
                      cost: cost, quality: quality)
    }

    /// The same, for points given as columns (no dictionary per point).
    public init(points: PointColumns, cost: String = "cost", quality: String = "quality") throws {
        let objectives = try Self.objectives(cost, quality)
        try self.init(matrix: try CostMatrix(columns: points, objectives: objectives), id: { points.id(at: $0) },
                      cost: cost, quality: quality)
    }

    private static func objectives(_ cost: String, _ quality: String) throws -> [Objective] {
        let objectives = [Objective(metric: cost, direction: .minimize),
                          Objective(metric: quality, direction: .maximize)]
        try objectives.validate(minimum: 2)
        return objectives
    }

    private init(matrix: CostMatrix, id: (Int) -> String, cost: String, quality: String) throws {
        let mask = Pareto.frontMask(matrix)
        var front = mask.indices.filter { mask[$0] }.map { i in
            FrontierPoint(id: id(i), index: i, cost: matrix.columns[0][i],
                          quality: -matrix.columns[1][i])
        }
        // On a 2-D front cost and quality rise together; ties in cost are exact
        // duplicates, and the index keeps the earliest of them first.
        front.sort { ($0.cost, $0.index) < ($1.cost, $1.index) }
        var distinct: [FrontierPoint] = []
        for point in front where distinct.last?.cost != point.cost {
            distinct.append(point)
        }
        self.costMetric = cost
        self.qualityMetric = quality
        self.pareto = distinct
        self.points = Self.upperHull(distinct)
    }

    /// Andrew's monotone chain, upper half, over points in ascending cost.
    private static func upperHull(_ sorted: [FrontierPoint]) -> [FrontierPoint] {
        var hull: [FrontierPoint] = []
        for point in sorted {
            // Pop while the last two and the new point do not make a clockwise
            // (right) turn: the middle one is on or below the chord.
            while hull.count >= 2, cross(hull[hull.count - 2], hull[hull.count - 1], point) >= 0 {
                hull.removeLast()
            }
            hull.append(point)
        }
        return hull
    }

    /// z of (a − o) × (b − o): positive for a counter-clockwise turn o → a → b.
    private static func cross(_ o: FrontierPoint, _ a: FrontierPoint, _ b: FrontierPoint) -> Double {
        (a.cost - o.cost) * (b.quality - o.quality) - (a.quality - o.quality) * (b.cost - o.cost)
    }

    /// Ids of the hull's points, ascending cost.
    public var ids: [String] { points.map(\.id) }
}
