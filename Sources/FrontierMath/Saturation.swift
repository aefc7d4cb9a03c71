/// One level of a load sweep.
public struct SweepLevel: Sendable, Equatable {
    /// The load: concurrency (or request rate), ascending across a sweep.
    public var level: Double
    /// Cost per task at this level (any currency; positive).
    public var costPerTask: Double
    /// Whether the level meets the SLA; nil when no SLA was judged.
    public var meetsSLA: Bool?

    /// A level of a sweep.
    public init(level: Double, costPerTask: Double, meetsSLA: Bool? = nil) {
        self.level = level
        self.costPerTask = costPerTask
        self.meetsSLA = meetsSLA
    }
}

/// Where and why a sweep saturates.
public struct SaturationResult: Sendable, Equatable {
    /// Which rule picked the level.
    /// Raw values are the names Lua and reports show (snake_case, docs/lua-style.md).
    public enum Rule: String, Sendable, Equatable {
        /// Cost per task fell by less than the fraction at the next level.
        case diminishingCost = "diminishing_cost"
        /// The next level fails the SLA.
        case slaBreaks = "sla_breaks"
        /// Both rules pick the same level.
        case diminishingCostAndSLA = "diminishing_cost_and_sla"
        /// Cost per task kept falling by at least the fraction to the last level.
        case endOfSweep = "end_of_sweep"
        /// The first level already fails the SLA: no level qualifies.
        case slaFailsAtFirstLevel = "sla_fails_at_first_level"
    }

    /// Position of the saturation level in the sweep (nil when no level qualifies).
    public let index: Int?
    /// The saturation level (nil when no level qualifies).
    public let level: SweepLevel?
    /// The rule that decided.
    public let rule: Rule
    /// Why, in words ("cost per task fell 3.1% from 48 to 64, less than 5%").
    public let reason: String
}

/// Saturation of a concurrency sweep: where more load stops paying.
public enum Saturation {
    /// The saturation level of `levels` (strictly ascending load).
    ///
    /// The earlier of: (a) level i − 1 for the first i whose cost per task fell by
    /// less than `minimumFall` relative to level i − 1 (a rise counts as a fall
    /// below it); (b) the level before the first level failing the SLA. When
    /// neither happens, the last level (`endOfSweep`: not saturated within the sweep).
    /// - Throws: ``FrontierError`` for no levels, levels not strictly ascending,
    ///   a cost per task ≤ 0 or non-finite, SLA verdicts on some levels only, or
    ///   `minimumFall` outside [0, 1).
    public static func find(_ levels: [SweepLevel], minimumFall: Double = 0.05) throws -> SaturationResult {
        try validate(levels)
        guard minimumFall >= 0, minimumFall < 1 else {
            throw FrontierError.outOfRange(parameter: "minimum fall", value: minimumFall, expected: "in [0, 1)")
        }
        let firstFailure = levels.firstIndex { $0.meetsSLA == false }
        if firstFailure == 0 {
            return SaturationResult(index: nil, level: nil, rule: .slaFailsAtFirstLevel,
                                    reason: "SLA fails from \(Format.number(levels[0].level)), the first level")
        }
        let firstSmallFall = (1..<levels.count).first { fall(levels, $0) < minimumFall }
        // Each rule names the level after the saturation level; the earlier wins.
        switch (firstSmallFall, firstFailure) {
        case let (small?, failure?) where small == failure:
            let reason = costReason(levels, small, minimumFall) + "; " + slaReason(levels, failure)
            return result(levels, small - 1, .diminishingCostAndSLA, reason)
        case let (small?, failure?):
            return small < failure
                ? result(levels, small - 1, .diminishingCost, costReason(levels, small, minimumFall))
                : result(levels, failure - 1, .slaBreaks, slaReason(levels, failure))
        case let (small?, nil):
            return result(levels, small - 1, .diminishingCost, costReason(levels, small, minimumFall))
        case let (nil, failure?):
            return result(levels, failure - 1, .slaBreaks, slaReason(levels, failure))
        case (nil, nil):
            let last = levels.count - 1
            let reason = last == 0
                ? "only one level (\(Format.number(levels[0].level)))"
                : "cost per task still \(change(levels, last)) at the last level, "
                    + "at least \(Format.percent(minimumFall))"
            return result(levels, last, .endOfSweep, reason)
        }
    }

    /// The level with the lowest cost per task among those meeting the SLA (the
    /// lowest load on ties); nil when none does.
    /// - Throws: ``FrontierError`` as ``find(_:minimumFall:)``, and
    ///   ``FrontierError/noSLAVerdicts`` when the levels carry no SLA verdicts.
    public static func cheapestMeeting(_ levels: [SweepLevel]) throws -> SweepLevel? {
        try validate(levels)
        if levels[0].meetsSLA == nil { throw FrontierError.noSLAVerdicts }
        var best: SweepLevel?
        for level in levels where level.meetsSLA == true {
            if best.map({ level.costPerTask < $0.costPerTask }) ?? true { best = level }
        }
        return best
    }

    /// Relative fall of cost per task from level i − 1 to level i (negative for a rise).
    private static func fall(_ levels: [SweepLevel], _ i: Int) -> Double {
        (levels[i - 1].costPerTask - levels[i].costPerTask) / levels[i - 1].costPerTask
    }

    /// "fell 3.1% from 48 to 64" or "rose 2% from 48 to 64".
    private static func change(_ levels: [SweepLevel], _ i: Int) -> String {
        let f = fall(levels, i)
        let verb = f >= 0 ? "fell" : "rose"
        return "\(verb) \(Format.percent(abs(f))) from \(Format.number(levels[i - 1].level)) "
            + "to \(Format.number(levels[i].level))"
    }

    private static func costReason(_ levels: [SweepLevel], _ i: Int, _ minimumFall: Double) -> String {
        let tail = fall(levels, i) >= 0 ? ", less than \(Format.percent(minimumFall))" : ""
        return "cost per task \(change(levels, i))\(tail)"
    }

    private static func slaReason(_ levels: [SweepLevel], _ i: Int) -> String {
        "SLA fails from \(Format.number(levels[i].level))"
    }

    private static func result(_ levels: [SweepLevel], _ i: Int, _ rule: SaturationResult.Rule,
                               _ reason: String) -> SaturationResult {
        SaturationResult(index: i, level: levels[i], rule: rule, reason: reason)
    }

    private static func validate(_ levels: [SweepLevel]) throws {
        guard let first = levels.first else {
            throw FrontierError.tooFewPoints(what: "a saturation sweep", needed: 1, got: 0)
        }
        for (i, level) in levels.enumerated() {
            guard level.level.isFinite else {
                throw FrontierError.nonFinite(what: "sweep level", index: i, value: level.level)
            }
            guard level.costPerTask > 0, level.costPerTask.isFinite else {
                throw FrontierError.nonPositiveCostPerTask(level: level.level, cost: level.costPerTask)
            }
            guard (level.meetsSLA == nil) == (first.meetsSLA == nil) else {
                throw FrontierError.inconsistentSLA(level: level.level)
            }
            if i > 0, level.level <= levels[i - 1].level {
                throw FrontierError.notAscending(what: "sweep levels", previous: levels[i - 1].level, next: level.level)
            }
        }
    }
}
