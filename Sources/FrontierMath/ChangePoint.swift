/// When a series counts as having changed (docs/cost.md, "Change points").
///
/// A split of a segment into two is flagged when its shift in mean is at least
/// `minimumShift` pooled standard deviations **and** at least `minimumChange` of the
/// mean before it, with at least `minimumSegment` points on each side.
public struct ChangePointRule: Sendable, Equatable {
    /// Smallest shift in mean, in pooled standard deviations (≥ 0).
    public var minimumShift: Double
    /// Smallest relative change, |after − before| / |before| (≥ 0; 0.05 is 5 %).
    public var minimumChange: Double
    /// Fewest points in a segment (≥ 2: one point a side would make every outlier a change).
    public var minimumSegment: Int

    /// A rule; the defaults are 2 pooled standard deviations, 5 % and 2 points a side.
    public init(minimumShift: Double = 2, minimumChange: Double = 0.05, minimumSegment: Int = 2) {
        self.minimumShift = minimumShift
        self.minimumChange = minimumChange
        self.minimumSegment = minimumSegment
    }

    /// - Throws: ``FrontierError/outOfRange(parameter:value:expected:)`` naming the first
    ///   setting out of range.
    public func validate() throws {
        guard minimumShift.isFinite, minimumShift >= 0 else {
            throw FrontierError.outOfRange(parameter: "minimum shift", value: minimumShift, expected: "a finite number ≥ 0 (pooled standard deviations)")
        }
        guard minimumChange.isFinite, minimumChange >= 0 else {
            throw FrontierError.outOfRange(parameter: "minimum change", value: minimumChange, expected: "a finite number ≥ 0 (a fraction: 0.05 is 5 %)")
        }
        guard minimumSegment >= 2 else {
            throw FrontierError.outOfRange(parameter: "minimum segment", value: Double(minimumSegment), expected: "at least 2 points")
        }
    }
}

/// A flagged change in the mean of a series.
public struct ChangePoint: Sendable, Equatable {
    /// Position (0-based) of the first value after the change.
    public let index: Int
    /// Mean of the segment before the change, between the previous change point (or the
    /// start) and this one.
    public let before: Double
    /// Mean of the segment after the change, up to the next change point (or the end).
    public let after: Double
    /// Pooled standard deviation of the split that found the change:
    /// √(SSE / (n − 2)) over the n values of the segment it split.
    public let pooledStdev: Double
    /// |shift in mean| / pooled standard deviation at that split; nil when the pooled
    /// standard deviation is 0 (both sides constant: any shift is infinitely many).
    public let shiftInStdevs: Double?

    /// after − before.
    public var shift: Double { after - before }
    /// (after − before) / |before|: 0.25 is a 25 % rise; nil when `before` is 0.
    public var change: Double? { before == 0 ? nil : (after - before) / abs(before) }
}

/// Change points of a series by binary segmentation (docs/cost.md, "Change points").
///
/// The best split of a segment is the one that minimises the sum of squared deviations
/// of each side from its own mean (least squares, two constant means), among splits
/// leaving at least `minimumSegment` values a side; ties go to the earliest split. The
/// split is flagged by ``ChangePointRule``; a flagged split's two sides are then split
/// the same way, until no side has a flagged split. Deterministic: no randomness, no
/// iteration order that could vary.
public enum ChangePoints {
    /// The least-squares best split of one segment.
    public struct Split: Sendable, Equatable {
        /// Position (0-based, in the values given) of the first value of the second side.
        public let index: Int
        /// Mean of the first side.
        public let before: Double
        /// Mean of the second side.
        public let after: Double
        /// Sum of squared deviations of both sides from their own means.
        public let sse: Double
        /// √(sse / (n − 2)).
        public let pooledStdev: Double
    }

    /// The best split of `values`, or nil when they are fewer than 2 × `minimumSegment`.
    public static func bestSplit(_ values: [Double], minimumSegment: Int = 2) -> Split? {
        bestSplit(values[...], minimumSegment: max(1, minimumSegment))
    }

    /// The flagged change points of `values`, in order.
    /// - Throws: ``FrontierError`` for a non-finite value or a rule out of range.
    public static func find(_ values: [Double], rule: ChangePointRule = ChangePointRule()) throws -> [ChangePoint] {
        try rule.validate()
        if let k = values.firstIndex(where: { !$0.isFinite }) {
            throw FrontierError.nonFinite(what: "value", index: k, value: values[k])
        }
        // Binary segmentation over (start, end) ranges, with an explicit stack so a long
        // series cannot exhaust the call stack.
        var found: [(index: Int, pooled: Double, score: Double?)] = []
        var pending = [values.startIndex..<values.endIndex]
        while let range = pending.popLast() {
            guard let split = bestSplit(values[range], minimumSegment: rule.minimumSegment) else { continue }
            let verdict = judge(split, rule)
            guard verdict.flagged else { continue }
            found.append((split.index, split.pooledStdev, verdict.shiftInStdevs))
            pending.append(range.lowerBound..<split.index)
            pending.append(split.index..<range.upperBound)
        }
        found.sort { $0.index < $1.index }
        // Before and after are the means of the final segments either side, so a series
        // that steps twice reads 1 → 2 → 3, not 1 → 2.5 then 2 → 3.
        let bounds = [values.startIndex] + found.map(\.index) + [values.endIndex]
        let means = zip(bounds, bounds.dropFirst()).map { mean(values[$0..<$1]) }
        return found.enumerated().map { k, f in
            ChangePoint(index: f.index, before: means[k], after: means[k + 1], pooledStdev: f.pooled, shiftInStdevs: f.score)
        }
    }

    /// Whether a split passes the rule, and its shift in pooled standard deviations
    /// (nil when the pooled deviation is 0).
    static func judge(_ s: Split, _ rule: ChangePointRule) -> (flagged: Bool, shiftInStdevs: Double?) {
        let shift = abs(s.after - s.before)
        let score: Double? = s.pooledStdev > 0 ? shift / s.pooledStdev : nil
        guard shift > 0 else { return (false, score) }
        if let score, score < rule.minimumShift { return (false, score) }
        // From a mean of 0 any shift is an unbounded relative change.
        if s.before != 0, shift / abs(s.before) < rule.minimumChange { return (false, score) }
        return (true, score)
    }

    private static func bestSplit(_ values: ArraySlice<Double>, minimumSegment m: Int) -> Split? {
        let n = values.count
        guard n >= 2 * m, n >= 3 else { return nil }
        var best: Split?
        // Direct sums per side (not running totals) keep the rounding of each SSE small;
        // series here are dates, so O(n²) is cheap.
        for k in (values.startIndex + m)...(values.endIndex - m) {
            let left = values[values.startIndex..<k], right = values[k..<values.endIndex]
            let a = mean(left), b = mean(right)
            let sse = squares(left, a) + squares(right, b)
            if best == nil || sse < (best?.sse ?? .infinity) {
                best = Split(index: k, before: a, after: b, sse: sse, pooledStdev: (sse / Double(n - 2)).squareRoot())
            }
        }
        return best
    }

    static func mean(_ v: ArraySlice<Double>) -> Double {
        v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count)
    }

    private static func squares(_ v: ArraySlice<Double>, _ m: Double) -> Double {
        v.reduce(0) { $0 + ($1 - m) * ($1 - m) }
    }
}
