/// One run of a capacity sweep: what it achieved and how far it was from breaking the SLA.
public struct CapacityRun: Sendable, Equatable {
    /// Achieved requests per second.
    public var requestsPerS: Double
    /// The SLA margin: the largest relative excess over the SLA's clauses
    /// ((value − limit) / |limit| for upper bounds, (limit − value) / |limit| for lower
    /// ones); ≤ 0 meets the SLA, > 0 fails it (+∞ for a figure the run lacks).
    public var margin: Double

    /// A run's achieved rate and SLA margin.
    public init(requestsPerS: Double, margin: Double) {
        self.requestsPerS = requestsPerS
        self.margin = margin
    }
}

/// One load level of a sweep read for capacity, with its runs (repeats).
public struct CapacityLevel: Sendable, Equatable {
    /// The load asked for: request rate (open loop) or concurrency (closed loop).
    public var level: Double
    /// The runs at this level.
    public var runs: [CapacityRun]

    /// A level with its runs.
    public init(level: Double, runs: [CapacityRun]) {
        self.level = level
        self.runs = runs
    }

    /// The worst run's margin: a level meets the SLA when every run does.
    public var margin: Double { runs.map(\.margin).max() ?? .infinity }
    /// Whether every run at this level met the SLA.
    public var meetsSLA: Bool { margin <= 0 }
    /// Mean achieved requests per second.
    public var requestsPerS: Double { runs.map(\.requestsPerS).reduce(0, +) / Double(max(1, runs.count)) }
}

/// The capacity of one replica under an SLA.
public struct ReplicaCapacityResult: Sendable, Equatable {
    /// Requests per second one replica serves within the SLA.
    public let requestsPerS: Double
    /// Position of the highest level meeting the SLA (every lower one meeting it too).
    public let index: Int
    /// That level (rate or concurrency).
    public let level: Double
    /// Bootstrap interval of the capacity over repeated runs (nil without repeats).
    public let interval: BootstrapInterval?
    /// True when no level failed the SLA: the replica may serve more than the sweep asked.
    public let atSweepEnd: Bool
    /// Why, in words.
    public let reason: String
}

/// Replica capacity from a sweep.
public enum ReplicaCapacity {
    /// The capacity read off `levels` (strictly ascending).
    ///
    /// Level i is the highest meeting the SLA with every lower level meeting it too (a
    /// pass above a failure does not count). Open loop (`openLoop`, levels are request
    /// rates): the rate where the SLA margin crosses 0, interpolated linearly between
    /// level i (margin m_i ≤ 0) and the first failing level j (m_j > 0):
    /// L_i + (L_j − L_i) × (−m_i) / (m_j − m_i); level i itself when every level passes.
    /// Closed loop (concurrencies): the mean achieved requests per second at level i,
    /// not interpolated (throughput between two concurrencies is not known).
    ///
    /// Interval: when every level has the same number (≥ 2) of runs, the k-th runs of
    /// all levels are one repeat of the sweep; `Bootstrap.interval` resamples repeats
    /// and recomputes the capacity (0 when a resample has no level meeting the SLA).
    /// - Returns: nil when the first level already fails.
    /// - Throws: ``FrontierError`` for no levels, levels not strictly ascending, a level
    ///   without runs, non-finite or negative rates, or bad bootstrap settings.
    public static func find(_ levels: [CapacityLevel], openLoop: Bool, resamples: Int = 10_000,
                            confidence: Double = 0.95, seed: UInt64 = 1) throws -> ReplicaCapacityResult? {
        try validate(levels)
        guard let found = estimate(levels, openLoop: openLoop) else { return nil }
        let (i, capacity) = (found.0, found.capacity)
        let repeats = levels[0].runs.count
        var interval: BootstrapInterval?
        if repeats >= 2, levels.allSatisfy({ $0.runs.count == repeats }) {
            interval = try Bootstrap.interval(samples: (0..<repeats).map(Double.init), statistic: { picked in
                let sub = levels.map { l in CapacityLevel(level: l.level, runs: picked.map { l.runs[Int($0)] }) }
                return estimate(sub, openLoop: openLoop)?.capacity ?? 0
            }, resamples: resamples, confidence: confidence, seed: seed)
        }
        let failure = i + 1 < levels.count ? i + 1 : nil
        let reason = failure.map { "SLA met up to \(Format.number(levels[i].level)), fails from \(Format.number(levels[$0].level))" }
            ?? "SLA met at every level, up to \(Format.number(levels[i].level)): capacity may be higher"
        return ReplicaCapacityResult(requestsPerS: capacity, index: i, level: levels[i].level, interval: interval,
                                     atSweepEnd: failure == nil, reason: reason)
    }

    /// The highest passing level's index and the capacity there; nil when level 1 fails.
    static func estimate(_ levels: [CapacityLevel], openLoop: Bool) -> (Int, capacity: Double)? {
        let firstFailure = levels.firstIndex { !$0.meetsSLA }
        if firstFailure == 0 { return nil }
        let i = (firstFailure ?? levels.count) - 1
        guard openLoop else { return (i, levels[i].requestsPerS) }
        guard let j = firstFailure else { return (i, levels[i].level) }
        let (mi, mj) = (levels[i].margin, levels[j].margin)
        let t = mj.isFinite ? -mi / (mj - mi) : 0
        return (i, levels[i].level + (levels[j].level - levels[i].level) * t)
    }

    private static func validate(_ levels: [CapacityLevel]) throws {
        guard !levels.isEmpty else { throw FrontierError.tooFewPoints(what: "a capacity sweep", needed: 1, got: 0) }
        for (i, l) in levels.enumerated() {
            guard l.level.isFinite else { throw FrontierError.nonFinite(what: "sweep level", index: i, value: l.level) }
            if i > 0, l.level <= levels[i - 1].level {
                throw FrontierError.notAscending(what: "sweep levels", previous: levels[i - 1].level, next: l.level)
            }
            guard !l.runs.isEmpty else { throw FrontierError.tooFewPoints(what: "a sweep level", needed: 1, got: 0) }
            for r in l.runs {
                guard r.requestsPerS.isFinite, r.requestsPerS >= 0 else {
                    throw FrontierError.outOfRange(parameter: "requests_per_s", value: r.requestsPerS, expected: "a finite number ≥ 0")
                }
                guard !r.margin.isNaN else { throw FrontierError.nonFinite(what: "SLA margin", index: i, value: r.margin) }
            }
        }
    }
}
