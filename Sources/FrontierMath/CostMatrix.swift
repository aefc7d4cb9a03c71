/// Points reduced to columns of numbers in which smaller is always better.
///
/// Every Pareto computation works on this form: maximised metrics are negated
/// (exact for doubles), so one dominance test serves both directions, and the
/// column layout keeps the sweeps over a million points cache-friendly.
struct CostMatrix {
    /// `columns[k][i]`: objective `k` of point `i`, to be minimised.
    var columns: [[Double]]

    /// Number of points.
    var count: Int { columns.first?.count ?? 0 }

    /// Number of objectives.
    var dimensions: Int { columns.count }

    init(columns: [[Double]]) { self.columns = columns }

    /// Extracts and validates the objectives' metrics of `points`.
    /// - Throws: ``FrontierError/missingMetric(metric:index:id:)`` or
    ///   ``FrontierError/nonFiniteValue(metric:index:id:value:)``.
    init(points: [Point], objectives: [Objective]) throws {
        var columns = [[Double]](repeating: [Double](repeating: 0, count: points.count), count: objectives.count)
        let signs = objectives.map { $0.direction == .minimize ? 1.0 : -1.0 }
        // Point-major: each point's dictionary is visited once for all objectives,
        // which matters when a million of them are scattered over the heap.
        for (index, point) in points.enumerated() {
            for (k, objective) in objectives.enumerated() {
                guard let value = point.values[objective.metric] else {
                    throw FrontierError.missingMetric(metric: objective.metric, index: index, id: point.id)
                }
                guard value.isFinite else {
                    throw FrontierError.nonFiniteValue(metric: objective.metric, index: index,
                                                       id: point.id, value: value)
                }
                columns[k][index] = signs[k] * value
            }
        }
        self.columns = columns
    }

    /// Whether point `a` dominates point `b`: no worse everywhere, better somewhere.
    func dominates(_ a: Int, _ b: Int) -> Bool {
        var strictly = false
        for column in columns {
            let va = column[a], vb = column[b]
            if va > vb { return false }
            if va < vb { strictly = true }
        }
        return strictly
    }
}
