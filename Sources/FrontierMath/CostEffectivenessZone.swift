/// One efficient-frontier point, judged for the optimal cost-effectiveness zone.
public struct ZoneEntry: Sendable, Equatable {
    /// The frontier point.
    public let point: FrontierPoint
    /// Quality per dollar, quality / cost.
    public let qualityPerDollar: Double
    /// Quality bought by the last step along the frontier per dollar of it:
    /// (q − q_prev) / (c − c_prev); for the cheapest point the step is from
    /// (0, 0) ("buy nothing, get nothing"), so it equals quality / cost.
    public let marginalQualityPerDollar: Double
    /// Whether the point is in the zone.
    public let inZone: Bool
}

/// The optimal cost-effectiveness zone of an efficient frontier.
///
/// A frontier point is in the zone when both hold, with r* the best quality per
/// dollar on the frontier and τ the tolerance:
/// - its quality per dollar is at least (1 − τ) · r*, and
/// - its marginal quality per dollar is at least (1 − τ) · r*: the last step
///   along the frontier still buys quality nearly as cheaply as the best
///   average does (diminishing returns have not set in).
///
/// On a concave frontier the zone is a contiguous run of points in cost order
/// that contains the best-ratio point. See docs/frontier.md.
public struct CostEffectivenessZone: Sendable, Equatable {
    /// The tolerance τ used.
    public let tolerance: Double
    /// r*, the best quality per dollar on the frontier.
    public let bestQualityPerDollar: Double
    /// Id of the (cheapest) frontier point with quality per dollar r*.
    public let bestId: String
    /// Every frontier point in ascending cost, with its figures.
    public let entries: [ZoneEntry]

    /// Ids of the zone's points, ascending cost.
    public var ids: [String] { entries.filter(\.inZone).map(\.point.id) }

    /// The zone of `frontier` with tolerance `tolerance` (a fraction, default 0.2).
    /// - Throws: ``FrontierError`` for an empty frontier, a tolerance outside
    ///   [0, 1), a frontier point with cost ≤ 0 or quality < 0.
    public init(frontier: EfficientFrontier, tolerance: Double = 0.2) throws {
        guard tolerance >= 0, tolerance < 1 else {
            throw FrontierError.outOfRange(parameter: "tolerance", value: tolerance, expected: "in [0, 1)")
        }
        let points = frontier.points
        guard !points.isEmpty else {
            throw FrontierError.tooFewPoints(what: "an optimal zone", needed: 1, got: 0)
        }
        for point in points {
            guard point.cost > 0 else { throw FrontierError.nonPositiveCost(id: point.id, cost: point.cost) }
            guard point.quality >= 0 else {
                throw FrontierError.negativeQuality(id: point.id, quality: point.quality)
            }
        }
        let ratios = points.map { $0.quality / $0.cost }
        let marginals = points.indices.map { i in
            let (c0, q0) = i == 0 ? (0, 0) : (points[i - 1].cost, points[i - 1].quality)
            return (points[i].quality - q0) / (points[i].cost - c0)
        }
        var bestIndex = 0
        for i in ratios.indices where ratios[i] > ratios[bestIndex] { bestIndex = i }
        let best = ratios[bestIndex]
        // A relative slack of 1e-12 keeps τ = 0 from excluding the best point
        // itself, whose marginal equals its ratio up to rounding.
        let floor = (1 - tolerance) * best * (1 - 1e-12)
        self.tolerance = tolerance
        self.bestQualityPerDollar = best
        self.bestId = points[bestIndex].id
        self.entries = points.indices.map { i in
            ZoneEntry(point: points[i], qualityPerDollar: ratios[i], marginalQualityPerDollar: marginals[i],
                      inZone: ratios[i] >= floor && marginals[i] >= floor)
        }
    }
}
