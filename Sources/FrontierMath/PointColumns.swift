/// Many points as columns: `ids[i]` and `values[metric][i]`. The fast way in for a
/// million points (no dictionary per point), and what a columnar Lua table maps to.
public struct PointColumns: Sendable, Equatable {
    /// The caller's name for each point; empty for anonymous points (see ``id(at:)``).
    public let ids: [String]
    /// Each metric's values, one per point.
    public let values: [String: [Double]]
    /// How many points there are.
    public let count: Int

    /// - Throws: ``FrontierError/columnLength(metric:got:expected:)`` when a column's length differs from the ids'.
    public init(ids: [String], values: [String: [Double]]) throws {
        try self.init(ids: ids, count: ids.count, values: values)
    }

    /// Anonymous points, named by position ("1", "2", …) wherever a result names them:
    /// for a caller that names the points of its results itself and would otherwise
    /// make a string per point (the Lua bindings read a million ids in place).
    /// - Throws: ``FrontierError/columnLength(metric:got:expected:)`` when a column's length is not `count`.
    public init(count: Int, values: [String: [Double]]) throws {
        try self.init(ids: [], count: count, values: values)
    }

    private init(ids: [String], count: Int, values: [String: [Double]]) throws {
        for (metric, column) in values.sorted(by: { $0.key < $1.key }) where column.count != count {
            throw FrontierError.columnLength(metric: metric, got: column.count, expected: count)
        }
        self.ids = ids
        self.count = count
        self.values = values
    }

    /// Point `i`'s id: its name, or its position (1-based) for anonymous points.
    public func id(at i: Int) -> String { ids.isEmpty ? String(i + 1) : ids[i] }

    /// The same points as columns.
    public init(_ points: [Point], metrics: [String]) throws {
        var values: [String: [Double]] = [:]
        for m in metrics {
            values[m] = try points.enumerated().map { i, p in
                guard let v = p.values[m] else { throw FrontierError.missingMetric(metric: m, index: i, id: p.id) }
                return v
            }
        }
        try self.init(ids: points.map(\.id), values: values)
    }
}

extension CostMatrix {
    /// Extracts and validates the objectives' columns.
    /// - Throws: ``FrontierError/missingMetric(metric:index:id:)`` for a metric with no
    ///   column, ``FrontierError/nonFiniteValue(metric:index:id:value:)``.
    init(columns points: PointColumns, objectives: [Objective]) throws {
        self.init(columns: try objectives.map { objective in
            guard let column = points.values[objective.metric] else {
                throw FrontierError.missingMetric(metric: objective.metric, index: 0, id: points.count > 0 ? points.id(at: 0) : "1")
            }
            let sign = objective.direction == .minimize ? 1.0 : -1.0
            return try column.enumerated().map { i, v in
                guard v.isFinite else {
                    throw FrontierError.nonFiniteValue(metric: objective.metric, index: i, id: points.id(at: i), value: v)
                }
                return sign * v
            }
        })
    }
}
