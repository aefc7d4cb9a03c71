/// How a trace's timestamps become send times (docs/measure.md, "Traces"): offsets from
/// the trace's start (absolute timestamps) or as given (relative), cut to a window of the
/// trace, then divided by a speed-up factor.
public struct TraceTiming: Sendable, Equatable {
    /// What a trace's time field holds.
    public enum Clock: String, Sendable, CaseIterable {
        /// Points in time (Unix seconds or a date-time): replayed from the earliest.
        case absolute
        /// Seconds since the trace's start: replayed as given.
        case relative
    }

    public var clock: Clock
    /// 2 replays twice as fast (gaps halved); 0.5 half as fast.
    public var speed: Double
    /// Keep requests whose offset (trace seconds, before the speed-up) is at least `from`…
    public var from: Double?
    /// …and below `to`. The window's start becomes the replay's start.
    public var to: Double?

    public init(clock: Clock, speed: Double = 1, from: Double? = nil, to: Double? = nil) {
        self.clock = clock
        self.speed = speed
        self.from = from
        self.to = to
    }

    public func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1e6 else {
            throw MeasureError.invalidArgument("speed must be in (0, 1e6], got \(speed)")
        }
        for (name, v) in [("window.from", from), ("window.to", to)] {
            if let v, !(v.isFinite && v >= 0) { throw MeasureError.invalidArgument("\(name) must be a number of seconds ≥ 0, got \(v)") }
        }
        if let f = from, let t = to, t <= f {
            throw MeasureError.invalidArgument("window.to (\(t)) must be after window.from (\(f))")
        }
    }

    /// The rows kept and their send times (seconds after the replay starts), in send
    /// order: by time, rows at the same time in trace order.
    public func schedule(_ stamps: [Double]) -> [(row: Int, time: Double)] {
        guard let first = stamps.min() else { return [] }
        let origin = clock == .absolute ? first : 0
        let start = from ?? 0
        var kept: [(row: Int, time: Double)] = []
        for (row, stamp) in stamps.enumerated() {
            let offset = stamp - origin
            if offset < start { continue }
            if let to, offset >= to { continue }
            kept.append((row, (offset - start) / speed))
        }
        // Stable: a trace's own order breaks ties.
        return kept.enumerated().sorted { a, b in
            a.element.time != b.element.time ? a.element.time < b.element.time : a.offset < b.offset
        }.map(\.element)
    }
}

/// Timestamps as traces write them.
public enum TraceTimestamp {
    /// Seconds: a plain number (Unix seconds, or seconds since the trace's start), or a
    /// UTC date-time `YYYY-MM-DD HH:MM:SS[.fraction]` (`T` between date and time, a
    /// trailing `Z` allowed), as the Azure LLM inference traces write them. nil otherwise.
    public static func parse(_ text: String) -> Double? {
        let s = text.trimmingCharacters(in: .whitespaces)
        if let d = Double(s), d.isFinite { return d }
        var body = Substring(s)
        if body.hasSuffix("Z") { body = body.dropLast() }
        let parts = body.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        let time = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard date.count == 3, time.count == 3,
              let y = Int(date[0]), let mo = Int(date[1]), let d = Int(date[2]),
              let h = Int(time[0]), let mi = Int(time[1]), let sec = Double(time[2]),
              (1...12).contains(mo), (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi),
              sec >= 0, sec < 61 else { return nil }
        return Double(daysFromCivil(y, mo, d)) * 86_400 + Double(h * 3600 + mi * 60) + sec
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
