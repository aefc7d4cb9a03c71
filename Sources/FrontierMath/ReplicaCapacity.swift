/// One load level of a sweep read for capacity: the requests per second it achieved
/// (one value per repeated run) and whether it met the SLA.
public struct CapacityLevel: Sendable, Equatable {
    /// The load asked for: request rate (open loop) or concurrency (closed loop).
    public var level: Double
    /// Achieved requests per second of each run at this level.
    public var requestsPerS: [Double]
    /// Whether every run at this level met the SLA.
    public var meetsSLA: Bool

    /// A level with its runs' achieved rates and verdict.
    public init(level: Double, requestsPerS: [Double], meetsSLA: Bool) {
        self.level = level
        self.requestsPerS = requestsPerS
        self.meetsSLA = meetsSLA
    }
}

/// The capacity of one replica under an SLA.
public struct ReplicaCapacityResult: Sendable, Equatable {
    /// Position of the level in the sweep.
    public let index: Int
    /// The level (rate or concurrency) the capacity was read at.
    public let level: Double
    /// Mean achieved requests per second at that level.
    public let requestsPerS: Double
    /// Bootstrap interval of that mean over repeated runs (nil for a single run).
    public let interval: BootstrapInterval?
    /// True when no level failed the SLA: the replica may serve more than the sweep asked.
    public let atSweepEnd: Bool
    /// Why, in words.
    public let reason: String
}

/// Replica capacity from a sweep.
public enum ReplicaCapacity {
    /// The achieved requests per second at the highest level that meets the SLA with
    /// every lower level meeting it too (a lucky pass above a failure does not count).
    /// No interpolation: between the last passing and the first failing level the SLA
    /// boundary is unknown, so the conservative reading is the level that was seen to
    /// pass. Open and closed loop alike: the achieved rate, not the offered one.
    /// - Returns: nil when the first level already fails.
    /// - Throws: ``FrontierError`` for no levels, levels not strictly ascending, a level
    ///   without runs, non-finite or negative rates, or bad bootstrap settings.
    public static func find(_ levels: [CapacityLevel], resamples: Int = 10_000, confidence: Double = 0.95,
                            seed: UInt64 = 1) throws -> ReplicaCapacityResult? {
        guard !levels.isEmpty else { throw FrontierError.tooFewPoints(what: "a capacity sweep", needed: 1, got: 0) }
        for (i, l) in levels.enumerated() {
            guard l.level.isFinite else { throw FrontierError.nonFinite(what: "sweep level", index: i, value: l.level) }
            if i > 0, l.level <= levels[i - 1].level {
                throw FrontierError.notAscending(what: "sweep levels", previous: levels[i - 1].level, next: l.level)
            }
            guard !l.requestsPerS.isEmpty else { throw FrontierError.tooFewPoints(what: "a sweep level", needed: 1, got: 0) }
            for r in l.requestsPerS where !(r.isFinite && r >= 0) {
                throw FrontierError.outOfRange(parameter: "requests_per_s", value: r, expected: "a finite number ≥ 0")
            }
        }
        let firstFailure = levels.firstIndex { !$0.meetsSLA }
        if firstFailure == 0 { return nil }
        let i = (firstFailure ?? levels.count) - 1
        let samples = levels[i].requestsPerS
        let mean = samples.reduce(0, +) / Double(samples.count)
        let interval = samples.count >= 2
            ? try Bootstrap.interval(samples: samples, statistic: .mean, resamples: resamples, confidence: confidence, seed: seed)
            : nil
        let reason = firstFailure.map { "SLA met up to \(Format.number(levels[i].level)), fails from \(Format.number(levels[$0].level))" }
            ?? "SLA met at every level, up to \(Format.number(levels[i].level)): capacity may be higher"
        return ReplicaCapacityResult(index: i, level: levels[i].level, requestsPerS: mean, interval: interval,
                                     atSweepEnd: firstFailure == nil, reason: reason)
    }
}
