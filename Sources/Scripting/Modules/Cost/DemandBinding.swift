import Cost
import Foundation
import LuaBridge

/// `cost.demand{}`: a demand profile from rates, arrival times (a list, a CSV file or a
/// stored run's requests) or a function of time, with its burstiness summary.
enum DemandBinding {
    static let fields: Set<String> = ["rates", "timestamps", "csv", "column", "run", "fn", "hours", "interval",
                                      "start", "max_gap", "peak_to_mean", "speed_up"]

    static func make(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let o = Options(table: try call.fields(1, skipping: ["fn"]), call: call, position: 1)
        try o.only(fields)
        let fn = try call.function(1, field: "fn")
        let sources = ["rates", "timestamps", "csv", "run"].filter { o.has($0) } + (fn == nil ? [] : ["fn"])
        guard sources.count == 1 else {
            throw call.argumentError(1, sources.isEmpty
                ? "give one of 'rates', 'timestamps', 'csv', 'run' or 'fn' (a function of time)"
                : "give one source of demand, not \(sources.joined(separator: " and "))")
        }
        let interval = try o.positive("interval") ?? 3600
        let start = try o.number("start"), maxGap = try o.positive("max_gap"), speedUp = try o.number("speed_up")
        if speedUp != nil, !["timestamps", "csv", "run"].contains(sources[0]) {
            throw call.argumentError(1, "field 'speed_up' replays arrival times faster: give it with 'timestamps', 'csv' or 'run'")
        }
        do {
            var profile: DemandProfile
            switch sources[0] {
            case "rates":
                profile = try DemandProfile(rates: try numbers(o, "rates"), interval: interval)
            case "timestamps":
                profile = try DemandProfile(arrivals: try numbers(o, "timestamps"), interval: interval, start: start, maxGap: maxGap,
                                            speedUp: speedUp ?? 1)
            case "csv":
                let path = try o.required("csv", o.string, "path of a CSV file with a timestamp column")
                let times = try csvColumn(path, column: try o.string("column") ?? "timestamp", call)
                profile = try DemandProfile(arrivals: times, interval: interval, start: start, maxGap: maxGap, speedUp: speedUp ?? 1)
            case "run":
                let run = try RunView(call, 1, o.table["run"])
                // A run's own send times: ours, so put in order rather than refused.
                let times = try run.requests(store).map(\.record.sent).sorted()
                profile = try DemandProfile(arrivals: times, interval: interval, start: start ?? 0, maxGap: maxGap,
                                            speedUp: speedUp ?? 1)
            default:
                let hours = try o.positive("hours") ?? 168
                let intervals = (hours * 3600 / interval).rounded()
                guard intervals >= 1, intervals <= Double(DemandProfile.maxIntervals) else {
                    throw call.argumentError(1, "hours / interval must give 1 to \(DemandProfile.maxIntervals) intervals, got \(intervals)")
                }
                let count = Int(intervals)
                profile = try DemandProfile(rates: try (0..<count).map { k in
                    // At each interval's middle, seconds from the start.
                    let t = (Double(k) + 0.5) * interval
                    guard let r = try fn?.call(.double(t)).first?.number else {
                        throw call.argumentError(1, "field 'fn' must return a number (requests per second) for t = \(t)")
                    }
                    return r
                }, interval: interval)
            }
            if let k = try o.number("peak_to_mean") { profile = try profile.withPeakToMean(k) }
            return table(profile)
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e)
        }
    }

    /// A list of numbers in field `key`; a hole (nil) is a gap in the profile.
    static func numbers(_ o: Options, _ key: String) throws -> [Double] {
        switch o.table[key] {
        case .array(let a)?:
            return try a.enumerated().map { i, v in
                guard let d = v.number else {
                    throw o.call.argumentError(o.position, "field '\(o.path)\(key)[\(i + 1)]' must be a number, got \(v.typeName)")
                }
                return d
            }
        case .table(let t)? where t.keys.allSatisfy({ Int($0) != nil }):
            let present = Set(t.keys.compactMap { Int($0) })
            let hole = (1...(present.max() ?? 1)).first { !present.contains($0) } ?? 1
            throw o.call.argumentError(o.position, "field '\(key)' has a gap: no value at [\(hole)] (a profile needs every interval)")
        default:
            throw o.error(key, "a list of numbers")
        }
    }

    /// The numbers of one column of a CSV file with a header line (seconds; no quoting).
    static func csvColumn(_ path: String, column: String, _ call: LuaCall) throws -> [Double] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw call.argumentError(1, "field 'csv': cannot read '\(path)'")
        }
        var lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw call.argumentError(1, "field 'csv': '\(path)' is empty") }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard let c = header.firstIndex(of: column) else {
            throw call.argumentError(1, "field 'csv': '\(path)' has no column '\(column)' (columns: \(header.joined(separator: ", ")))")
        }
        return try lines.enumerated().map { i, line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard c < cells.count, let d = Double(cells[c].trimmingCharacters(in: .whitespaces)) else {
                throw call.argumentError(1, "field 'csv': line \(i + 2) of '\(path)': column '\(column)' must be a number of seconds")
            }
            return d
        }
    }

    /// The table Lua sees; `read` takes it back.
    static func table(_ p: DemandProfile) -> LuaValue {
        let s = p.summary
        var t: [String: LuaValue] = [
            "kind": "demand", "rates": .array(p.rates.map { .double($0) }), "interval": .double(p.interval),
            "intervals": .int(p.rates.count), "hours": .double(p.duration / 3600), "requests": .double(p.requests),
            "mean": .double(s.mean), "peak": .double(s.peak), "min": .double(s.min),
            "p50": .double(s.p50), "p90": .double(s.p90), "p99": .double(s.p99),
        ]
        if let k = s.peakToMean { t["peak_to_mean"] = .double(k) }
        return .table(t)
    }

    static let tableFields: Set<String> = ["kind", "rates", "interval", "intervals", "hours", "requests", "mean",
                                           "peak", "min", "p50", "p90", "p99", "peak_to_mean"]

    /// A `cost.demand{}` table read back.
    static func read(_ o: Options, _ key: String) throws -> DemandProfile {
        guard case .table(let t)? = o.table[key], t["kind"]?.string == "demand", let d = try o.sub(key, only: tableFields) else {
            throw o.error(key, "a cost.demand{} table")
        }
        do {
            return try DemandProfile(rates: try numbers(d, "rates"), interval: try d.required("interval", d.positive, "seconds"))
        } catch let e as CostError {
            throw o.call.argumentError(o.position, wrapping: e, prefix: "\(key): ")
        }
    }
}
