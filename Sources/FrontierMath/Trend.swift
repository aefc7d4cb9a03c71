/// How a trend groups runs in time.
public enum TrendPeriod: String, Sendable, CaseIterable {
    /// One point per UTC calendar day.
    case day
    /// One point per week, Monday 00:00 UTC to the next Monday (ISO 8601 weeks).
    case week
    /// One point per run.
    case run
}

/// One run's contribution to a trend: when it started and its share of the figure as a
/// ratio. A date's value is Σ numerator / Σ denominator over its runs, so a cost per 1M
/// tokens is the date's whole bill over its whole token count, and a mean is a ratio
/// with denominators of 1.
public struct TrendSample: Sendable, Equatable {
    /// When the run started, Unix epoch seconds (UTC).
    public var time: Double
    /// The run's id, carried through to the point.
    public var id: Int64
    /// The run's numerator (dollars, a score, 1 for a pass).
    public var numerator: Double
    /// The run's denominator (millions of tokens, 1); ≥ 0.
    public var denominator: Double

    /// A sample.
    public init(time: Double, id: Int64, numerator: Double, denominator: Double = 1) {
        self.time = time
        self.id = id
        self.numerator = numerator
        self.denominator = denominator
    }
}

/// One point of a trend: a period and the figure over its runs.
public struct TrendPoint: Sendable, Equatable {
    /// The period: `2026-11-01` (a day, or a week's Monday), or the run's start
    /// `2026-11-01T03:04:05Z` for ``TrendPeriod/run``.
    public let date: String
    /// The period's start (the run's start for ``TrendPeriod/run``), Unix epoch seconds.
    public let start: Double
    /// Σ numerator / Σ denominator over the period's runs.
    public let value: Double
    /// The period's runs, in order of start time then id.
    public let ids: [Int64]
}

/// A figure by date: samples grouped into UTC periods (docs/cost.md, "Trends").
public enum Trend {
    static let secondsPerDay = 86_400.0
    /// Times beyond ±10¹³ s (about 317,000 years) are refused: they are corrupt, and
    /// their day count would not fit the integer calendar arithmetic.
    public static let timeLimit = 1e13

    /// The points of `samples` grouped `by` period, oldest first. A period whose
    /// denominators sum to 0 (no tokens to divide by) has no value and is left out.
    /// - Throws: ``FrontierError`` for a non-finite time or numerator, or a denominator
    ///   that is negative or not finite.
    public static func points(_ samples: [TrendSample], by period: TrendPeriod) throws -> [TrendPoint] {
        for (k, s) in samples.enumerated() {
            guard s.time.isFinite else { throw FrontierError.nonFinite(what: "start time of sample", index: k, value: s.time) }
            guard abs(s.time) < timeLimit else {
                throw FrontierError.outOfRange(parameter: "start time of sample \(k)", value: s.time, expected: "Unix epoch seconds within ±10¹³")
            }
            guard s.numerator.isFinite else { throw FrontierError.nonFinite(what: "numerator of sample", index: k, value: s.numerator) }
            guard s.denominator.isFinite, s.denominator >= 0 else {
                throw FrontierError.outOfRange(parameter: "denominator of sample \(k)", value: s.denominator, expected: "a finite number ≥ 0")
            }
        }
        let ordered = samples.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
        var groups: [(start: Double, members: [TrendSample])] = []
        for s in ordered {
            let start = periodStart(s.time, period)
            // Sorted by time, so a period's samples are adjacent (a run's own period is itself).
            if period != .run, let last = groups.last, last.start == start {
                groups[groups.count - 1].members.append(s)
            } else {
                groups.append((start, [s]))
            }
        }
        return groups.compactMap { g in
            let den = g.members.reduce(0) { $0 + $1.denominator }
            guard den > 0 else { return nil }
            let num = g.members.reduce(0) { $0 + $1.numerator }
            let date = period == .run ? timestamp(g.start) : day(g.start)
            return TrendPoint(date: date, start: g.start, value: num / den, ids: g.members.map(\.id))
        }
    }

    /// Start of the period holding `time`: midnight UTC, the Monday's midnight, or the time itself.
    public static func periodStart(_ time: Double, _ period: TrendPeriod) -> Double {
        let days = (time / secondsPerDay).rounded(.down)
        switch period {
        case .day: return days * secondsPerDay
        case .week:
            // 1970-01-01 was a Thursday: day d is (d + 3) mod 7 days after a Monday.
            let sinceMonday = (days + 3).truncatingRemainder(dividingBy: 7)
            return (days - (sinceMonday < 0 ? sinceMonday + 7 : sinceMonday)) * secondsPerDay
        case .run: return time
        }
    }

    /// The UTC calendar date of `time` (Unix epoch seconds): `2026-11-01`; "?" for a
    /// time that is not finite or beyond ``timeLimit``.
    public static func day(_ time: Double) -> String {
        guard time.isFinite, abs(time) < timeLimit else { return "?" }
        let (y, m, d) = civil(days: Int64((time / secondsPerDay).rounded(.down)))
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// The UTC date and time of `time` to the second: `2026-11-01T03:04:05Z`; "?" as for ``day(_:)``.
    public static func timestamp(_ time: Double) -> String {
        guard time.isFinite, abs(time) < timeLimit else { return "?" }
        let seconds = Int64(time.rounded(.down))
        let s = ((seconds % 86_400) + 86_400) % 86_400
        return day(Double(seconds)) + "T" + pad(s / 3600, 2) + ":" + pad(s / 60 % 60, 2) + ":" + pad(s % 60, 2) + "Z"
    }

    /// Year, month, day of a count of days since 1970-01-01 in the proleptic Gregorian
    /// calendar (H. Hinnant's `civil_from_days`): exact integer arithmetic, no time zone.
    static func civil(days z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let digits = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
