import Foundation
import Metrics

/// One measured run to calibrate against: its records, and the requests and load
/// that produced them (the simulator replays them).
public struct CalibrationRun: Sendable {
    /// The measured records (failed ones count towards the makespan only).
    public var measured: [RequestRecord]
    /// The requests sent, in order, with their exact token counts.
    public var requests: [SimRequest]
    /// The load they were sent under.
    public var load: SimLoad

    /// A run to calibrate against.
    public init(measured: [RequestRecord], requests: [SimRequest], load: SimLoad) {
        self.measured = measured
        self.requests = requests
        self.load = load
    }
}

/// A term of the performance model that a calibration can fit, with the box it is
/// searched in.
public enum CalibrationTerm: String, CaseIterable, Sendable {
    case mfu
    case decodeMFU = "decode_mfu"
    case decodeBatchHalf = "decode_batch_half"
    case mbu
    case overhead
    case sequenceOverhead = "sequence_overhead"
    case batchOverhead = "batch_overhead"

    /// Where the search looks (natural units: fractions, sequences, seconds).
    public var range: ClosedRange<Double> {
        switch self {
        case .mfu, .decodeMFU, .mbu: return 0.001...1
        case .decodeBatchHalf: return 0...64
        case .overhead, .batchOverhead: return 0...0.1
        case .sequenceOverhead: return 0...0.02
        }
    }

    func value(in e: Efficiency) -> Double {
        switch self {
        case .mfu: return e.mfu
        case .decodeMFU: return e.decodeMFU ?? e.mfu
        case .decodeBatchHalf: return e.decodeBatchHalf
        case .mbu: return e.mbu
        case .overhead: return e.iterationOverhead
        case .sequenceOverhead: return e.sequenceOverhead
        case .batchOverhead: return e.batchOverhead
        }
    }

    func set(_ v: Double, in e: inout Efficiency) {
        switch self {
        case .mfu: e.mfu = v
        case .decodeMFU: e.decodeMFU = v
        case .decodeBatchHalf: e.decodeBatchHalf = v
        case .mbu: e.mbu = v
        case .overhead: e.iterationOverhead = v
        case .sequenceOverhead: e.sequenceOverhead = v
        case .batchOverhead: e.batchOverhead = v
        }
    }
}

/// One figure of one run: measured, simulated before and after the fit.
public struct CalibrationFigure: Sendable, Equatable {
    /// Position of the run in the list given to `fit`.
    public var run: Int
    /// One of ``Calibration/figureNames`` ("ttft_mean", "tpot_p50", "makespan", …).
    public var name: String
    /// The measured value (seconds).
    public var measured: Double
    /// Simulated with the deployment's efficiency as given.
    public var before: Double
    /// Simulated with the fitted efficiency.
    public var after: Double
    /// (before − measured) ÷ measured.
    public var errorBefore: Double { (before - measured) / measured }
    /// (after − measured) ÷ measured.
    public var errorAfter: Double { (after - measured) / measured }
}

/// A fitted term: its value, how well the data pin it, and whether it sits on a bound.
public struct FittedTerm: Sendable, Equatable {
    public var term: CalibrationTerm
    public var value: Double
    /// Standard error from the curvature of the fit (natural units); nil when the data
    /// leave it undetermined or there are no more figures than terms.
    public var stderr: Double?
    /// Within 0.5 % of the search box's edge: the model may be missing something.
    public var atBound: Bool
    /// False when the data cannot tell this term's value apart (flat or confounded).
    public var identified: Bool
}

/// What `Calibration.fit` found.
public struct CalibrationResult: Sendable, Equatable {
    /// The deployment's efficiency with the chosen terms fitted.
    public var efficiency: Efficiency
    /// Each fitted term.
    public var terms: [FittedTerm]
    /// Every figure compared, run by run.
    public var figures: [CalibrationFigure]
    /// √(mean squared relative error) over `figures`, before the fit.
    public var rmsErrorBefore: Double
    /// √(mean squared relative error) over `figures`, after the fit.
    public var rmsErrorAfter: Double
    /// Simulations run by the search.
    public var evaluations: Int
    /// Terms at a bound or not identified, in words.
    public var warnings: [String]
    /// How many measured chunk gaps set `efficiency.stepJitter` (0: it was given, or the
    /// runs stored too few gaps and the deployment's value was kept).
    public var stepJitterGaps: Int
}

/// Fits terms of the performance model (by default every ``CalibrationTerm``) so that
/// simulated runs match measured ones: Nelder–Mead over the terms' boxes, minimising
/// the sum of squared relative errors of each run's TTFT (mean, p50, p90), TPOT (mean,
/// p50), E2E mean, makespan and, where the run stored its stream, ITL (mean, p50, p90),
/// and of every request's own TPOT (request i of the replay against request i
/// measured). Deterministic. Each term's standard error comes from
/// the Jacobian of the relative errors at the optimum, σ² (JᵀJ)⁻¹ with σ² the residual
/// variance; a term whose error is larger than its value, or whose column makes JᵀJ
/// singular, is reported as not identified. Runs at several concurrencies and lengths
/// separate the terms; one run rarely pins more than two.
public enum Calibration {
    /// The figures compared per run.
    public static let figureNames = ["ttft_mean", "ttft_p50", "ttft_p90", "tpot_mean", "tpot_p50", "e2e_mean", "makespan",
                                     "itl_mean", "itl_p50", "itl_p90"]

    /// Calibrates on one run.
    public static func fit(measured: [RequestRecord], requests: [SimRequest], load: SimLoad,
                           deployment: Deployment, scheduler: SchedulerConfig = .standard,
                           terms: [CalibrationTerm] = CalibrationTerm.allCases) throws -> CalibrationResult {
        try fit(runs: [CalibrationRun(measured: measured, requests: requests, load: load)],
                deployment: deployment, scheduler: scheduler, terms: terms)
    }

    /// Calibrates on several runs of the same deployment at once. The scatter of step
    /// times (``Efficiency/stepJitter``) is not searched: with `estimateStepJitter` it is
    /// read from the runs' chunk gaps (``stepJitter(_:)``) before the search, which then
    /// fits the other terms with it in place (percentile figures depend on it).
    public static func fit(runs: [CalibrationRun], deployment: Deployment, scheduler: SchedulerConfig = .standard,
                           terms: [CalibrationTerm] = CalibrationTerm.allCases,
                           estimateStepJitter: Bool = true) throws -> CalibrationResult {
        var deployment = deployment
        var jitterGaps = 0
        if estimateStepJitter, let (sigma, gaps) = stepJitter(runs.map(\.measured)) {
            deployment.efficiency.stepJitter = sigma
            jitterGaps = gaps
        }
        let targets = runs.map { figures($0.measured) }
        guard targets.contains(where: { $0.contains { $0 != nil } }) else {
            throw SimError.noMeasurements("calibration needs measured ok requests with a TTFT, a TPOT or a makespan")
        }
        guard !terms.isEmpty else { throw SimError.invalid(name: "terms", expected: "at least one term to fit", got: "none") }
        // Fail early on requests the deployment cannot run, not inside the search.
        let start = try simulate(runs, deployment, scheduler)

        func efficiency(_ x: [Double]) -> Efficiency {
            var e = deployment.efficiency
            for (term, u) in zip(terms, x) { term.set(scale(u, term.range), in: &e) }
            return e
        }
        func residuals(_ x: [Double]) -> [Double]? {
            var d = deployment
            d.efficiency = efficiency(x)
            // Inputs were checked by the first simulation, so a failure here cannot happen; nil rejects it anyway.
            guard let simulated = try? simulate(runs, d, scheduler) else { return nil }
            return relativeErrors(targets, simulated)
        }
        let x0 = terms.map { unscale($0.value(in: deployment.efficiency), $0.range) }
        let outcome = NelderMead.minimize(start: x0, maxEvaluations: 200 + 100 * terms.count) { x in
            residuals(x).map { $0.reduce(0) { $0 + $1 * $1 } } ?? .infinity
        }
        let best = NelderMead.clamp(outcome.point)
        var fitted = deployment
        fitted.efficiency = efficiency(best)
        let end = try simulate(runs, fitted, scheduler)
        let fittedTerms = uncertainty(terms: terms, at: best, residuals: residuals)

        var rows: [CalibrationFigure] = []
        for run in runs.indices {
            for k in figureNames.indices {
                guard let m = targets[run][k], m > 0, let b = start[run][k], let a = end[run][k] else { continue }
                rows.append(CalibrationFigure(run: run, name: figureNames[k], measured: m, before: b, after: a))
            }
        }
        func rms(_ errors: [Double]) -> Double {
            errors.isEmpty ? 0 : (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
        }
        var warnings: [String] = []
        for t in fittedTerms {
            if t.atBound {
                warnings.append("\(t.term.rawValue) = \(formatNumber(t.value)) sits on the edge of its range "
                    + "\(formatNumber(t.term.range.lowerBound))…\(formatNumber(t.term.range.upperBound)): "
                    + "the model may be missing what the data show")
            }
            if !t.identified {
                warnings.append("\(t.term.rawValue) is not identified by these runs: add runs at other "
                    + "concurrencies or lengths, or fix it and fit fewer terms")
            }
        }
        return CalibrationResult(efficiency: fitted.efficiency, terms: fittedTerms, figures: rows,
                                 rmsErrorBefore: rms(rows.map(\.errorBefore)), rmsErrorAfter: rms(rows.map(\.errorAfter)),
                                 evaluations: outcome.evaluations, warnings: warnings, stepJitterGaps: jitterGaps)
    }

    /// The fewest chunk gaps a step-time scatter is estimated from.
    public static let minimumJitterGaps = 50

    /// How much a measured engine's step times scatter: the robust spread (1.4826 × the
    /// median absolute deviation, the standard deviation for normal data) of
    /// ln(gap ÷ its request's median gap) over the chunk gaps of every ok request, pooled
    /// over `runs`, with the number of gaps. Dividing by each request's own median takes
    /// out what the model explains (the batch it ran in); the robust spread ignores the
    /// few long gaps where another prompt's prefill joined. nil with fewer than
    /// ``minimumJitterGaps`` gaps (chunk times not stored, or runs too short).
    public static func stepJitter(_ runs: [[RequestRecord]]) -> (sigma: Double, gaps: Int)? {
        var logs: [Double] = []
        for records in runs {
            for r in records where r.status == .ok {
                let gaps = r.chunkGaps.filter { $0 > 0 }
                guard gaps.count >= 3 else { continue }
                let median = LatencyStats.percentile(gaps.sorted(), 50)
                guard median > 0 else { continue }
                logs.append(contentsOf: gaps.map { Foundation.log($0 / median) })
            }
        }
        guard logs.count >= minimumJitterGaps else { return nil }
        let center = LatencyStats.percentile(logs.sorted(), 50)
        let deviation = LatencyStats.percentile(logs.map { abs($0 - center) }.sorted(), 50)
        return (min(1, 1.4826 * deviation), logs.count)
    }

    /// Each term's value, standard error and flags at the optimum `x` (unit-box coordinates).
    static func uncertainty(terms: [CalibrationTerm], at x: [Double],
                            residuals: ([Double]) -> [Double]?) -> [FittedTerm] {
        let p = terms.count
        let r0 = residuals(x) ?? []
        let m = r0.count
        // Central differences where the box allows, one-sided at its edges.
        var jacobian = Array(repeating: Array(repeating: 0.0, count: p), count: m)
        let h = 1e-3
        for j in 0..<p {
            var up = x, down = x
            up[j] = min(1, x[j] + h)
            down[j] = max(0, x[j] - h)
            guard let ru = residuals(up), let rd = residuals(down), ru.count == m, rd.count == m else { continue }
            let width = up[j] - down[j]
            for i in 0..<m { jacobian[i][j] = (ru[i] - rd[i]) / width }
        }
        var normal = Array(repeating: Array(repeating: 0.0, count: p), count: p)
        for a in 0..<p { for b in 0..<p { normal[a][b] = (0..<m).reduce(0) { $0 + jacobian[$1][a] * jacobian[$1][b] } } }
        let inverse = invert(normal)
        let variance = m > p ? r0.reduce(0) { $0 + $1 * $1 } / Double(m - p) : nil
        return terms.enumerated().map { j, term in
            let width = term.range.upperBound - term.range.lowerBound
            let value = scale(x[j], term.range)
            var stderr: Double?
            if let inverse, let variance, inverse[j][j] >= 0 {
                stderr = (variance * inverse[j][j]).squareRoot() * width
            }
            let flat = normal[j][j] < 1e-12
            let loose = stderr.map { $0 > max(abs(value), 1e-12) } ?? (m > p)
            return FittedTerm(term: term, value: value, stderr: inverse == nil ? nil : stderr,
                              atBound: x[j] < 0.005 || x[j] > 0.995,
                              identified: inverse != nil && !flat && !loose)
        }
    }

    /// The inverse of a small symmetric matrix by Gauss–Jordan with partial pivoting;
    /// nil when it is singular (a pivot below 1e-10 of the largest diagonal entry).
    static func invert(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        guard n > 0 else { return nil }
        let scaleRef = max(a.indices.map { abs(a[$0][$0]) }.max() ?? 0, 1e-300)
        var m = a
        var inv = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }),
                  abs(m[pivot][col]) > 1e-10 * scaleRef else { return nil }
            m.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = m[col][col]
            for k in 0..<n { m[col][k] /= d; inv[col][k] /= d }
            for row in 0..<n where row != col {
                let f = m[row][col]
                guard f != 0 else { continue }
                for k in 0..<n { m[row][k] -= f * m[col][k]; inv[row][k] -= f * inv[col][k] }
            }
        }
        return inv
    }

    /// Relative errors of every figure both sides have; a figure the simulation lacks
    /// counts as fully wrong.
    static func relativeErrors(_ targets: [[Double?]], _ simulated: [[Double?]]) -> [Double] {
        var out: [Double] = []
        for (measured, sim) in zip(targets, simulated) {
            for (m, s) in zip(measured, sim) {
                guard let m, m > 0 else { continue }
                out.append(s.map { ($0 - m) / m } ?? 1)
            }
        }
        return out
    }

    /// The compared figures in ``figureNames`` order, by the definitions of
    /// `RunSummary` (docs/metrics.md), computed directly because the search needs only
    /// these, hundreds of times. nil where there is no sample.
    /// `itl` is the inter-token latency when known otherwise (a simulation's counted
    /// sample); by default it comes from the records' chunk gaps.
    static func figures(_ records: [RequestRecord], itl: LatencyStats? = nil) -> [Double?] {
        var ttft: [Double] = [], tpot: [Double] = [], e2e: [Double] = []
        var first = Double.infinity, last = -Double.infinity
        for r in records {
            first = min(first, r.sent)
            last = max(last, r.ended ?? r.sent)
            guard r.status == .ok else { continue }
            if let t = r.ttft { ttft.append(t) }
            if let t = r.timePerOutputToken { tpot.append(t) }
            if let t = r.e2e { e2e.append(t) }
        }
        ttft.sort()
        tpot.sort()
        func mean(_ v: [Double]) -> Double? { v.isEmpty ? nil : v.reduce(0, +) / Double(v.count) }
        func pct(_ v: [Double], _ p: Double) -> Double? { v.isEmpty ? nil : LatencyStats.percentile(v, p) }
        // A measured run's stream gaps, where it stored them (one token per chunk is
        // what makes them step times; engines that batch tokens into chunks still
        // give the right mean).
        let gaps = itl ?? LatencyStats(records.lazy.filter { $0.status == .ok }.flatMap(\.chunkGaps))
        let aggregates = [mean(ttft), pct(ttft, 50), pct(ttft, 90), mean(tpot), pct(tpot, 50), mean(e2e),
                          last > first ? last - first : nil, gaps?.mean, gaps?.p50, gaps?.p90]
        return aggregates + perRequest(records)
    }

    /// Each request's TPOT, in request order (nil for a failed one), after the run's
    /// aggregates. Matched request by request, they carry what aggregates blur: the
    /// requests of a run's last, partly full wave ran with fewer sequences, so their
    /// step times pin how a step grows with the batch.
    static func perRequest(_ records: [RequestRecord]) -> [Double?] {
        records.map { $0.status == .ok ? $0.timePerOutputToken : nil }
    }

    static func simulate(_ runs: [CalibrationRun], _ deployment: Deployment,
                         _ scheduler: SchedulerConfig) throws -> [[Double?]] {
        try runs.map { run in
            let result = try Simulator.run(requests: run.requests, load: run.load, deployment: deployment,
                                           scheduler: scheduler, chunkTimes: false)
            return figures(result.records, itl: result.itl)
        }
    }

    static func scale(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        range.lowerBound + min(1, max(0, x)) * (range.upperBound - range.lowerBound)
    }

    static func unscale(_ v: Double, _ range: ClosedRange<Double>) -> Double {
        min(1, max(0, (v - range.lowerBound) / (range.upperBound - range.lowerBound)))
    }
}
