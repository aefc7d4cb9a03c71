/// The energy a run used, from a measured power series or estimated for a simulation,
/// and what it means per output token and per request.
///
/// Measured (a series of total board power over the run's GPUs, e.g. DCGM's
/// `DCGM_FI_DEV_POWER_USAGE` summed over GPUs, stored as `power_w`): samples at t_1 < … < t_n
/// within the run's window [0, D] are joined by the trapezoid rule and held flat from
/// 0 to t_1 and from t_n to D:
///
///     E = P_1 · t_1 + Σ (P_i + P_{i+1}) / 2 · (t_{i+1} − t_i) + P_n · (D − t_n)
///
/// Estimated (a simulated run: no meter): every GPU draws its board power scaled
/// between an idle share and full by how busy the engine was,
///
///     P = gpus × TDP × (idle + (1 − idle) × busy / D),   E = P × D
///
/// with idle = 0.2 by default (an assumption: data-centre GPUs idle at roughly 15–25 %
/// of board power). Average power is E / D.
public struct RunEnergy: Sendable, Equatable {
    /// Where the figure comes from.
    public enum Source: String, Sendable, Equatable {
        /// Integrated from a sampled power series.
        case measured
        /// Modelled from board power and the simulated engine's busy time.
        case estimated
    }

    /// Joules over the run.
    public let joules: Double
    /// The run's wall time D, seconds.
    public let seconds: Double
    /// Power samples used (0 for an estimate).
    public let samples: Int
    /// Measured or estimated.
    public let source: Source

    /// E / D, watts (all GPUs together).
    public var averageWatts: Double { seconds > 0 ? joules / seconds : 0 }
    /// E / output tokens; nil without tokens.
    public func joulesPerOutputToken(_ outputTokens: Double) -> Double? { outputTokens > 0 ? joules / outputTokens : nil }
    /// E / requests; nil without requests.
    public func joulesPerRequest(_ requests: Double) -> Double? { requests > 0 ? joules / requests : nil }

    /// Integrates `series` (seconds since the run started, watts) over [0, `seconds`];
    /// samples outside the window are left out. Throws when none is inside it.
    public static func measured(series: [(t: Double, watts: Double)], seconds: Double) throws -> RunEnergy {
        try Check.positive(seconds, "run duration")
        let inside = series.filter { $0.t >= 0 && $0.t <= seconds && $0.t.isFinite && $0.watts.isFinite }
            .sorted { $0.t < $1.t }
        guard let first = inside.first, let last = inside.last else {
            throw CostError.missing(name: "power samples", reason: "a measured energy needs power_w samples within the run (0 … \(seconds) s)")
        }
        for s in inside { try Check.nonNegative(s.watts, "power sample at t = \(s.t) s") }
        var joules = first.watts * first.t + last.watts * (seconds - last.t)
        for (a, b) in zip(inside, inside.dropFirst()) { joules += (a.watts + b.watts) / 2 * (b.t - a.t) }
        return RunEnergy(joules: joules, seconds: seconds, samples: inside.count, source: .measured)
    }

    /// The share of board power a GPU draws idle, unless told otherwise (an assumption, above).
    public static let defaultIdleShare = 0.2

    /// Models a simulated run's energy from each GPU's board power and the engine's busy time.
    public static func estimated(boardWatts: Double, gpus: Int, busySeconds: Double, seconds: Double,
                                 idleShare: Double = defaultIdleShare) throws -> RunEnergy {
        try Check.positive(seconds, "run duration")
        try Check.nonNegative(boardWatts, "board power")
        try Check.count(gpus, atLeast: 1, "gpus")
        try Check.fraction(idleShare, "idle share")
        let busy = min(1, max(0, busySeconds / seconds))
        let watts = Double(gpus) * boardWatts * (idleShare + (1 - idleShare) * busy)
        return RunEnergy(joules: watts * seconds, seconds: seconds, samples: 0, source: .estimated)
    }
}
