/// How much to report about the points that dominate each point.
///
/// Counting is O(n log n) for two objectives and O(n²) for three or more;
/// listing ids is O(n²) in the worst case, so it is opt-in.
public enum DominatorDetail: Sendable, Equatable {
    /// Only front membership.
    case none
    /// Front membership and, for every point, how many points dominate it.
    case count
    /// Counts, and the positions (and ids) of at most `limit` dominators per
    /// point: the first `limit` in input order.
    case ids(limit: Int = .max)
}

/// The Pareto set of some points, with each point's dominators.
///
/// All arrays are in the order the points were given.
public struct ParetoResult: Sendable, Equatable {
    /// The objectives the front was computed over.
    public let objectives: [Objective]
    /// Each point's id; empty for anonymous points (``PointColumns/init(count:values:)``),
    /// whose ids are their positions (see ``id(at:)``).
    public let ids: [String]
    /// Whether each point is on the front (dominated by no point).
    public let onFront: [Bool]
    /// How many points dominate each point (nil with ``DominatorDetail/none``).
    public let dominatorCounts: [Int]?
    /// Positions of each point's dominators, in input order, at most the limit
    /// asked for (nil unless ``DominatorDetail/ids(limit:)``).
    public let dominatorIndices: [[Int]]?

    /// Positions of the front's points, ascending.
    public var frontIndices: [Int] { onFront.indices.filter { onFront[$0] } }

    /// Point `i`'s id: its name, or its position (1-based) for anonymous points.
    public func id(at i: Int) -> String { ids.isEmpty ? String(i + 1) : ids[i] }

    /// Ids of the front's points, in input order.
    public var frontIds: [String] { frontIndices.map(id(at:)) }

    /// Ids of each point's listed dominators (nil unless ids were asked for).
    public var dominatorIds: [[String]]? {
        dominatorIndices.map { lists in lists.map { list in list.map(id(at:)) } }
    }
}

/// Pareto sets: the points no other point beats on every objective at once.
public enum Pareto {
    /// The Pareto front of `points` over `objectives` (at least two).
    ///
    /// Point `a` dominates `b` when `a` is no worse than `b` on every objective
    /// and strictly better on at least one; equal points do not dominate each
    /// other, so duplicates can all be on the front. Two objectives: a radix
    /// sort and a sweep, O(n log n) with counts (a merge-sort inversion count);
    /// without counts a linear prefilter first drops most dominated points.
    /// Three or more: a lexicographic sort, then a filter against the front
    /// found so far, O(n · front size); counts and ids there are pairwise, O(n²).
    ///
    /// - Parameter dominators: what to report about each point's dominators
    ///   (default: counts).
    /// - Throws: ``FrontierError`` for fewer than two objectives, duplicate or
    ///   empty metric names, a missing or non-finite metric, or an id limit below 1.
    public static func front(_ points: [Point], objectives: [Objective],
                             dominators: DominatorDetail = .count) throws -> ParetoResult {
        try check(objectives, dominators)
        return front(try CostMatrix(points: points, objectives: objectives), ids: points.map(\.id),
                     objectives: objectives, dominators: dominators)
    }

    /// The same, for points given as columns (no dictionary per point).
    public static func front(_ points: PointColumns, objectives: [Objective],
                             dominators: DominatorDetail = .count) throws -> ParetoResult {
        try check(objectives, dominators)
        return front(try CostMatrix(columns: points, objectives: objectives), ids: points.ids,
                     objectives: objectives, dominators: dominators)
    }

    private static func check(_ objectives: [Objective], _ dominators: DominatorDetail) throws {
        try objectives.validate(minimum: 2)
        if case let .ids(limit) = dominators, limit < 1 {
            throw FrontierError.outOfRange(parameter: "dominator id limit", value: Double(limit),
                                           expected: "at least 1")
        }
    }

    private static func front(_ matrix: CostMatrix, ids: [String], objectives: [Objective],
                              dominators: DominatorDetail) -> ParetoResult {
        let onFront: [Bool]
        var counts: [Int]?
        var lists: [[Int]]?
        if dominators == .none {
            onFront = frontMask(matrix)
        } else if matrix.dimensions == 2, matrix.count < Sweep2D.maximumCount {
            // One full sort serves both the front and the counts.
            let sweep = Sweep2D(x: matrix.columns[0], y: matrix.columns[1])
            onFront = sweep.frontMask()
            counts = sweep.dominatorCounts()
        } else {
            onFront = LexicographicFilter.frontMask(matrix)
        }
        switch dominators {
        case .none:
            break
        case .count:
            counts = counts ?? DominatorListing.list(matrix, limit: 0, counts: nil).counts
        case let .ids(limit):
            let found = DominatorListing.list(matrix, limit: limit, counts: counts)
            counts = found.counts
            lists = found.lists
        }
        return ParetoResult(objectives: objectives, ids: ids, onFront: onFront,
                            dominatorCounts: counts, dominatorIndices: lists)
    }

    /// Whether `a` dominates `b` over `objectives`: no worse on every objective
    /// and strictly better on at least one.
    /// - Throws: ``FrontierError`` for a missing or non-finite metric, or
    ///   invalid objectives (one objective is allowed here).
    public static func dominates(_ a: Point, _ b: Point, objectives: [Objective]) throws -> Bool {
        try objectives.validate(minimum: 1)
        return try CostMatrix(points: [a, b], objectives: objectives).dominates(0, 1)
    }

    /// Front membership of every row of `matrix` (used where no counts are wanted).
    static func frontMask(_ matrix: CostMatrix) -> [Bool] {
        if matrix.dimensions == 2, matrix.count < Sweep2D.maximumCount {
            return FrontPrefilter.frontMask(x: matrix.columns[0], y: matrix.columns[1])
        }
        return LexicographicFilter.frontMask(matrix)
    }
}
