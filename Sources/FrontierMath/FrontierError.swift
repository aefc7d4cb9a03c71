import Foundation

/// Why an input to the frontier math was rejected.
///
/// Every case names the offending metric, point, level or parameter, so that a
/// script author can fix the input without reading this target's code. Point
/// positions (`index`) are 0-based positions in the array that was passed in.
public enum FrontierError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A point has no value for a metric an objective names.
    case missingMetric(metric: String, index: Int, id: String)
    /// A point's value for a metric is NaN or infinite.
    case nonFiniteValue(metric: String, index: Int, id: String, value: Double)
    /// A direction string other than `minimize` or `maximize`.
    case invalidDirection(String)
    /// An objective with an empty metric name.
    case emptyMetricName
    /// Two objectives on the same metric.
    case duplicateObjective(metric: String)
    /// Fewer objectives than the computation needs.
    case tooFewObjectives(needed: Int, got: Int)
    /// Fewer points (or samples, or levels) than the computation needs.
    case tooFewPoints(what: String, needed: Int, got: Int)
    /// A numeric parameter outside its allowed range.
    case outOfRange(parameter: String, value: Double, expected: String)
    /// A sequence that must strictly ascend does not.
    case notAscending(what: String, previous: Double, next: Double)
    /// Quality per dollar needs a positive cost.
    case nonPositiveCost(id: String, cost: Double)
    /// Quality per dollar is only meaningful for non-negative quality.
    case negativeQuality(id: String, quality: Double)
    /// A sweep level whose cost per task is not positive (relative falls divide by it).
    case nonPositiveCostPerTask(level: Double, cost: Double)
    /// Some sweep levels carry an SLA verdict and others do not.
    case inconsistentSLA(level: Double)
    /// The cheapest level meeting the SLA was asked for, but no level has a verdict.
    case noSLAVerdicts
    /// Columns of points that do not line up.
    case columnLength(metric: String, got: Int, expected: Int)
    /// A metric of a sampled point has no samples.
    case noSamples(metric: String, id: String)
    /// A sample, curve coordinate or level that is NaN or infinite
    /// (`what` names it: "sample", "curve x", "sweep level").
    case nonFinite(what: String, index: Int, value: Double)
    /// A custom bootstrap statistic returned NaN or an infinity (on resample
    /// `resample`, or on the original samples when nil).
    case nonFiniteStatistic(resample: Int?, value: Double)

    /// The problem in words, naming what is wrong and where.
    public var description: String {
        switch self {
        case let .missingMetric(metric, index, id):
            return "metric '\(metric)' missing from point \(index) (id '\(id)')"
        case let .nonFiniteValue(metric, index, id, value):
            return "metric '\(metric)' of point \(index) (id '\(id)') is not finite (\(value))"
        case let .invalidDirection(text):
            return "direction must be minimize or maximize, got '\(text)'"
        case .emptyMetricName:
            return "objective metric name must not be empty"
        case let .duplicateObjective(metric):
            return "metric '\(metric)' appears in more than one objective"
        case let .tooFewObjectives(needed, got):
            return "need at least \(needed) objectives, got \(got)"
        case let .tooFewPoints(what, needed, got):
            return "\(what) needs at least \(needed) points, got \(got)"
        case let .outOfRange(parameter, value, expected):
            return "\(parameter) must be \(expected), got \(Format.number(value))"
        case let .notAscending(what, previous, next):
            return "\(what) must be strictly ascending: \(Format.number(next)) follows \(Format.number(previous))"
        case let .nonPositiveCost(id, cost):
            return "quality per dollar needs a positive cost; point '\(id)' has cost \(Format.number(cost))"
        case let .negativeQuality(id, quality):
            return "quality per dollar needs a non-negative quality; point '\(id)' has quality \(Format.number(quality))"
        case let .nonPositiveCostPerTask(level, cost):
            return "cost per task must be positive and finite; level \(Format.number(level)) has \(Format.number(cost))"
        case let .inconsistentSLA(level):
            return "SLA verdicts must be given for every level or for none; level \(Format.number(level)) differs"
        case .noSLAVerdicts:
            return "the cheapest level meeting the SLA needs an SLA verdict on every level"
        case let .columnLength(metric, got, expected):
            return "column '\(metric)' has \(got) values for \(expected) points"
        case let .noSamples(metric, id):
            return "metric '\(metric)' of point '\(id)' has no samples"
        case let .nonFinite(what, index, value):
            return "\(what) \(index) is not finite (\(value))"
        case let .nonFiniteStatistic(resample, value):
            let on = resample.map { "resample \($0)" } ?? "the original samples"
            return "statistic returned a non-finite value (\(value)) on \(on)"
        }
    }
}

/// Number formatting shared by error messages and saturation reasons.
enum Format {
    /// Integral values without a decimal point ("48", not "48.0"); others in the
    /// shortest form that round-trips.
    static func number(_ value: Double) -> String {
        if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    /// A fraction as a percentage with one decimal ("3.1%"), without a
    /// trailing ".0" ("5%"), so default thresholds read naturally.
    static func percent(_ fraction: Double) -> String {
        let text = String(format: "%.1f", fraction * 100)
        return (text.hasSuffix(".0") ? String(text.dropLast(2)) : text) + "%"
    }
}
