/// The shape of a curve whose knee is sought, as Kneedle names them.
public enum KneeShape: String, Sendable, Equatable, CaseIterable {
    /// Rising and flattening (quality against cost): the default.
    case concaveIncreasing
    /// Falling and flattening (cost per task against concurrency).
    case convexDecreasing
    /// Falling faster and faster.
    case concaveDecreasing
    /// Rising faster and faster.
    case convexIncreasing
}

/// A knee found by Kneedle.
public struct KneeResult: Sendable, Equatable {
    /// Position of the knee in the curve (for a frontier: in its `points`,
    /// whose `index` is the position in the original input).
    public let index: Int
    /// The knee point's id, when the curve came from points.
    public let id: String?
    /// The knee's x, as given.
    public let x: Double
    /// The knee's y, as given.
    public let y: Double
    /// The difference curve's value at the knee (normalised units, 0...1).
    public let difference: Double
    /// The threshold the difference curve fell below to confirm the knee.
    public let threshold: Double
}

/// Kneedle (Satopää, Albrecht, Irwin, Raghavan 2011): the point of maximum
/// curvature of a sampled curve, found without derivatives.
public enum Knee {
    /// The knee of the curve (`x`, `y`), x strictly ascending; nil when there is none.
    ///
    /// Steps: (1) normalise x and y to [0, 1] by min and max; (2) flip
    /// coordinates so the curve becomes concave increasing (see docs/frontier.md);
    /// (3) difference curve d = y − x; (4) each interior local maximum i of d is
    /// a candidate with threshold T = d[i] − S / (n − 1) (S the sensitivity,
    /// 1/(n − 1) the mean normalised x gap); it is confirmed when d falls below T
    /// later on before the next local maximum; (5) the knee is the confirmed
    /// candidate with the largest d (the earliest on ties). No smoothing is applied.
    ///
    /// A flat curve (all y equal) has no knee. Larger sensitivities demand a
    /// deeper fall after the knee and so find fewer knees.
    /// - Throws: ``FrontierError`` for fewer than 3 points, unequal lengths,
    ///   non-finite values, x not strictly ascending, or a negative sensitivity.
    public static func find(x: [Double], y: [Double], sensitivity: Double = 1,
                            shape: KneeShape = .concaveIncreasing) throws -> KneeResult? {
        try validate(x: x, y: y, sensitivity: sensitivity)
        guard let (xMin, xMax) = range(x), let (yMin, yMax) = range(y), yMax > yMin else { return nil }
        let n = x.count
        let transformed = (0..<n).map { i in
            flip((x[i] - xMin) / (xMax - xMin), (y[i] - yMin) / (yMax - yMin), shape)
        }
        // Flipping x reverses the order: walk the transformed curve left to
        // right, and map positions back to the input through `original`.
        let original = shape.flipsX ? Array((0..<n).reversed()) : Array(0..<n)
        let d = original.map { transformed[$0].y - transformed[$0].x }
        guard let (knee, threshold) = confirmedMaximum(d, sensitivity: sensitivity) else { return nil }
        let i = original[knee]
        return KneeResult(index: i, id: nil, x: x[i], y: y[i], difference: d[knee], threshold: threshold)
    }

    /// The knee of an efficient frontier (cost → quality, concave increasing).
    /// - Throws: ``FrontierError/tooFewPoints(what:needed:got:)`` when the
    ///   frontier has fewer than 3 points, or an invalid sensitivity.
    public static func find(on frontier: EfficientFrontier, sensitivity: Double = 1) throws -> KneeResult? {
        let points = frontier.points
        guard let knee = try find(x: points.map(\.cost), y: points.map(\.quality),
                                  sensitivity: sensitivity) else { return nil }
        return KneeResult(index: knee.index, id: points[knee.index].id, x: knee.x, y: knee.y,
                          difference: knee.difference, threshold: knee.threshold)
    }

    /// Candidates and their confirmation, steps (4) and (5).
    private static func confirmedMaximum(_ d: [Double], sensitivity: Double) -> (Int, Double)? {
        let n = d.count
        let step = sensitivity / Double(n - 1)
        let maxima = (1..<(n - 1)).filter { d[$0] > d[$0 - 1] && d[$0] >= d[$0 + 1] }
        var best: (index: Int, threshold: Double)?
        for (k, candidate) in maxima.enumerated() {
            let threshold = d[candidate] - step
            let stop = k + 1 < maxima.count ? maxima[k + 1] : n
            let confirmed = ((candidate + 1)..<stop).contains { d[$0] < threshold }
            if confirmed, best.map({ d[candidate] > d[$0.index] }) ?? true {
                best = (candidate, threshold)
            }
        }
        return best.map { ($0.index, $0.threshold) }
    }

    /// Maps normalised (x, y) so that a curve of `shape` becomes concave increasing.
    private static func flip(_ x: Double, _ y: Double, _ shape: KneeShape) -> (x: Double, y: Double) {
        switch shape {
        case .concaveIncreasing: return (x, y)
        case .convexDecreasing: return (x, 1 - y)
        case .concaveDecreasing: return (1 - x, y)
        case .convexIncreasing: return (1 - x, 1 - y)
        }
    }

    private static func range(_ values: [Double]) -> (Double, Double)? {
        guard let lo = values.min(), let hi = values.max() else { return nil }
        return (lo, hi)
    }

    private static func validate(x: [Double], y: [Double], sensitivity: Double) throws {
        guard x.count == y.count else {
            throw FrontierError.outOfRange(parameter: "number of y values", value: Double(y.count),
                                           expected: "equal to the number of x values (\(x.count))")
        }
        guard x.count >= 3 else { throw FrontierError.tooFewPoints(what: "a knee", needed: 3, got: x.count) }
        guard sensitivity >= 0, sensitivity.isFinite else {
            throw FrontierError.outOfRange(parameter: "sensitivity", value: sensitivity, expected: "finite and at least 0")
        }
        for (i, value) in x.enumerated() where !value.isFinite {
            throw FrontierError.nonFinite(what: "curve x", index: i, value: value)
        }
        for (i, value) in y.enumerated() where !value.isFinite {
            throw FrontierError.nonFinite(what: "curve y", index: i, value: value)
        }
        for i in 1..<x.count where x[i] <= x[i - 1] {
            throw FrontierError.notAscending(what: "curve x", previous: x[i - 1], next: x[i])
        }
    }
}

extension KneeShape {
    /// Whether making the curve concave increasing reverses the x order.
    var flipsX: Bool { self == .concaveDecreasing || self == .convexIncreasing }
}
