/// Many points as columns: `ids[i]` and `values[metric][i]`. The fast way in for a
/// million points (no dictionary per point), and what a columnar Lua table maps to.
public struct PointColumns: Sendable, Equatable {
    /// The caller's name for each point.
    public let ids: [String]
    /// Each metric's values, one per point.
    public let values: [String: [Double]]

    /// - Throws: ``FrontierError/columnLength(metric:got:expected:)`` when a column's length differs from the ids'.
    public init(ids: [String], values: [String: [Double]]) throws {
        for (metric, column) in values.sorted(by: { $0.key < $1.key }) where column.count != ids.count {
            throw FrontierError.columnLength(metric: metric, got: column.count, expected: ids.count)
        }
        self.ids = ids
        self.values = values
    }

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

    public var count: Int { ids.count }
}

extension CostMatrix {
    /// Extracts and validates the objectives' columns.
    /// - Throws: ``FrontierError/missingMetric(metric:index:id:)`` for a metric with no
    ///   column, ``FrontierError/nonFiniteValue(metric:index:id:value:)``.
    init(columns points: PointColumns, objectives: [Objective]) throws {
        self.init(columns: try objectives.map { objective in
            guard let column = points.values[objective.metric] else {
                throw FrontierError.missingMetric(metric: objective.metric, index: 0, id: points.ids.first ?? "1")
            }
            let sign = objective.direction == .minimize ? 1.0 : -1.0
            return try column.enumerated().map { i, v in
                guard v.isFinite else {
                    throw FrontierError.nonFiniteValue(metric: objective.metric, index: i, id: points.ids[i], value: v)
                }
                return sign * v
            }
        })
    }
}
