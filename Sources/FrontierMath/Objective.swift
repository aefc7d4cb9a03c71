/// Whether smaller or larger values of a metric are better.
public enum Direction: String, Sendable, Equatable, CaseIterable {
    /// Smaller is better (cost, latency).
    case minimize
    /// Larger is better (quality, throughput).
    case maximize

    /// Parses `minimize` or `maximize` (as scripts spell them).
    /// - Throws: ``FrontierError/invalidDirection(_:)`` for anything else.
    public init(parsing text: String) throws {
        guard let direction = Direction(rawValue: text) else {
            throw FrontierError.invalidDirection(text)
        }
        self = direction
    }
}

/// One metric to optimise, and which way.
public struct Objective: Sendable, Equatable {
    /// Name of the metric in each ``Point``'s `values`.
    public var metric: String
    /// Whether smaller or larger values are better.
    public var direction: Direction

    /// An objective on `metric` in `direction`.
    public init(metric: String, direction: Direction) {
        self.metric = metric
        self.direction = direction
    }

    /// An objective whose direction is given as text (`minimize` / `maximize`).
    /// - Throws: ``FrontierError/invalidDirection(_:)``.
    public init(metric: String, direction: String) throws {
        self.init(metric: metric, direction: try Direction(parsing: direction))
    }
}

/// Something to compare: an id and its named numeric metrics.
///
/// Ids are carried into results for convenience; they need not be unique,
/// because every result is also given by position in the input.
public struct Point: Sendable, Equatable {
    /// The caller's name for the point (a run, a model, a configuration).
    public var id: String
    /// Metric values by metric name.
    public var values: [String: Double]

    /// A point `id` with metric `values`.
    public init(id: String, values: [String: Double]) {
        self.id = id
        self.values = values
    }
}

extension Array where Element == Objective {
    /// Checks names are non-empty and distinct, and that there are at least `minimum`.
    func validate(minimum: Int) throws {
        guard count >= minimum else {
            throw FrontierError.tooFewObjectives(needed: minimum, got: count)
        }
        var seen = Set<String>()
        for objective in self {
            guard !objective.metric.isEmpty else { throw FrontierError.emptyMetricName }
            guard seen.insert(objective.metric).inserted else {
                throw FrontierError.duplicateObjective(metric: objective.metric)
            }
        }
    }
}
