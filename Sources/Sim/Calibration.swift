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

/// One figure of one run: measured, simulated before and after the fit.
public struct CalibrationFigure: Sendable, Equatable {
    /// Position of the run in the list given to `fit`.
    public var run: Int
    /// "ttft_mean", "tpot_mean" or "makespan".
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

/// What `Calibration.fit` found.
public struct CalibrationResult: Sendable, Equatable {
    /// The deployment's efficiency with `mfu`, `mbu` and `iterationOverhead` fitted.
    public var efficiency: Efficiency
    /// Every figure compared, run by run.
    public var figures: [CalibrationFigure]
    /// √(mean squared relative error) over `figures`, before the fit.
    public var rmsErrorBefore: Double
    /// √(mean squared relative error) over `figures`, after the fit.
    public var rmsErrorAfter: Double
    /// Simulations run by the search.
    public var evaluations: Int
}

/// Fits `mfu`, `mbu` and `iterationOverhead` so that simulated runs match measured
/// ones: Nelder–Mead over a bounded box (mfu and mbu in [0.05, 1], overhead in
/// [0, 50 ms]), minimising the sum of squared relative errors of mean TTFT, mean
/// TPOT and makespan over all runs. Deterministic. One run rarely pins all three
/// (decode time is bandwidth + overhead in one sum); runs at several concurrencies
/// or prompt lengths separate them.
public enum Calibration {
    static let mfuRange = 0.05...1.0
    static let mbuRange = 0.05...1.0
    static let overheadRange = 0.0...0.05

    /// Calibrates on one run.
    public static func fit(measured: [RequestRecord], requests: [SimRequest], load: SimLoad,
                           deployment: Deployment, scheduler: SchedulerConfig = .standard) throws -> CalibrationResult {
        try fit(runs: [CalibrationRun(measured: measured, requests: requests, load: load)],
                deployment: deployment, scheduler: scheduler)
    }

    /// Calibrates on several runs of the same deployment at once.
    public static func fit(runs: [CalibrationRun], deployment: Deployment,
                           scheduler: SchedulerConfig = .standard) throws -> CalibrationResult {
        let targets = runs.map { figures($0.measured) }
        guard targets.contains(where: { $0.contains { $0 != nil } }) else {
            throw SimError.noMeasurements("calibration needs measured ok requests with a TTFT, a TPOT or a makespan")
        }
        // Fail early on requests the deployment cannot run, not inside the search.
        let start = try simulate(runs, deployment, scheduler)

        func efficiency(_ x: [Double]) -> Efficiency {
            var e = deployment.efficiency
            e.mfu = scale(x[0], mfuRange)
            e.mbu = scale(x[1], mbuRange)
            e.iterationOverhead = scale(x[2], overheadRange)
            return e
        }
        func loss(_ simulated: [[Double?]]) -> Double {
            var sum = 0.0
            for (measured, sim) in zip(targets, simulated) {
                for (m, s) in zip(measured, sim) {
                    guard let m, let s, m > 0 else { continue }
                    sum += ((s - m) / m) * ((s - m) / m)
                }
            }
            return sum
        }
        let e0 = deployment.efficiency
        let x0 = [unscale(e0.mfu, mfuRange), unscale(e0.mbu, mbuRange), unscale(e0.iterationOverhead, overheadRange)]
        let outcome = NelderMead.minimize(start: x0) { x in
            var d = deployment
            d.efficiency = efficiency(x)
            // Inputs were checked by the first simulation, so a failure here cannot happen; infinity rejects it anyway.
            return (try? simulate(runs, d, scheduler)).map(loss) ?? .infinity
        }
        var fitted = deployment
        fitted.efficiency = efficiency(NelderMead.clamp(outcome.point))
        let end = try simulate(runs, fitted, scheduler)

        let names = ["ttft_mean", "tpot_mean", "makespan"]
        var rows: [CalibrationFigure] = []
        for run in runs.indices {
            for k in names.indices {
                guard let m = targets[run][k], m > 0, let b = start[run][k], let a = end[run][k] else { continue }
                rows.append(CalibrationFigure(run: run, name: names[k], measured: m, before: b, after: a))
            }
        }
        func rms(_ errors: [Double]) -> Double {
            errors.isEmpty ? 0 : (errors.map { $0 * $0 }.reduce(0, +) / Double(errors.count)).squareRoot()
        }
        return CalibrationResult(efficiency: fitted.efficiency, figures: rows,
                                 rmsErrorBefore: rms(rows.map(\.errorBefore)), rmsErrorAfter: rms(rows.map(\.errorAfter)),
                                 evaluations: outcome.evaluations)
    }

    /// Mean TTFT and mean TPOT over ok requests, and makespan over all: the
    /// definitions of `RunSummary` (docs/metrics.md), computed directly because the
    /// search needs only these three, hundreds of times. nil where there is none.
    static func figures(_ records: [RequestRecord]) -> [Double?] {
        var ttft = 0.0, ttftCount = 0, tpot = 0.0, tpotCount = 0
        var first = Double.infinity, last = -Double.infinity
        for r in records {
            first = min(first, r.sent)
            last = max(last, r.ended ?? r.sent)
            guard r.status == .ok else { continue }
            if let t = r.ttft { ttft += t; ttftCount += 1 }
            if let t = r.timePerOutputToken { tpot += t; tpotCount += 1 }
        }
        return [ttftCount > 0 ? ttft / Double(ttftCount) : nil, tpotCount > 0 ? tpot / Double(tpotCount) : nil,
                last > first ? last - first : nil]
    }

    static func simulate(_ runs: [CalibrationRun], _ deployment: Deployment,
                         _ scheduler: SchedulerConfig) throws -> [[Double?]] {
        try runs.map { run in
            let result = try Simulator.run(requests: run.requests, load: run.load, deployment: deployment,
                                           scheduler: scheduler)
            return figures(result.records)
        }
    }

    static func scale(_ x: Double, _ range: ClosedRange<Double>) -> Double {
        range.lowerBound + min(1, max(0, x)) * (range.upperBound - range.lowerBound)
    }

    static func unscale(_ v: Double, _ range: ClosedRange<Double>) -> Double {
        min(1, max(0, (v - range.lowerBound) / (range.upperBound - range.lowerBound)))
    }
}
