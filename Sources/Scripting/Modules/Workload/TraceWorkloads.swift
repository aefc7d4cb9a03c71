import Foundation
import LuaBridge
import Measure

/// `workload.trace`: a production trace replayed with its arrival times (docs/measure.md,
/// "Traces"). The formats are read by Measure (`AzureTrace`) or as JSON lines here.
enum TraceWorkloads {
    static let options: Set<String> = ["format", "clock", "time_field", "speed", "window", "max_tokens", "fields", "seed", "chat"]

    static var bindings: [LuaBinding] {
        [
            LuaBinding("trace", args: "path, [{format='azure'|'jsonl', clock='absolute'|'relative', time_field='timestamp', speed=1, window={from=, to=}, max_tokens=, fields={...}, seed=0, chat=false}]",
                       "A trace replayed with its arrival times (bench.run without concurrency or rate follows them): an Azure LLM inference CSV (TIMESTAMP, ContextTokens, GeneratedTokens; prompts made to those lengths) or JSON lines with a time field; speed divides the gaps, window keeps trace seconds [from, to).") { call in
                let path = try call.string(1)
                let o = try Options(call, 2, optional: true)
                try o.only(options)
                let format = try o.string("format") ?? (path.hasSuffix(".csv") || path.hasSuffix(".csv.txt") ? "azure" : "jsonl")
                guard format == "azure" || format == "jsonl" else { throw o.error("format", "'azure' or 'jsonl'") }
                let clockName = try o.string("clock") ?? (format == "azure" ? "absolute" : "relative")
                guard let clock = TraceTiming.Clock(rawValue: clockName) else { throw o.error("clock", "'absolute' or 'relative'") }
                var timing = TraceTiming(clock: clock, speed: try o.number("speed") ?? 1)
                if let w = try o.sub("window", only: ["from", "to"]) {
                    timing.from = try w.number("from")
                    timing.to = try w.number("to")
                }
                do { try timing.validate() } catch { throw call.argumentError(2, "\(error)") }
                let declared = try WorkloadModule.fieldNames(o, "fields")
                let seed = UInt64(truncatingIfNeeded: try o.int("seed") ?? 0)
                let chat = try o.bool("chat") ?? false
                let w: Workload
                if format == "azure" {
                    guard !o.has("time_field"), !o.has("max_tokens") else {
                        throw call.argumentError(2, "fields 'time_field' and 'max_tokens' are for JSON lines; an Azure trace has TIMESTAMP and GeneratedTokens")
                    }
                    w = try azure(path: path, timing: timing, declared: declared, seed: seed, chat: chat)
                } else {
                    guard !o.has("seed"), !o.has("chat") else {
                        throw call.argumentError(2, "fields 'seed' and 'chat' are for traces without text (format 'azure'); JSON lines carry their prompts")
                    }
                    w = try jsonl(path: path, timing: timing, timeField: try o.string("time_field") ?? "timestamp",
                                  defaultMaxTokens: try o.int("max_tokens"), declared: declared)
                }
                try call.push(object: WorkloadBox(w))
                return 1
            },
        ]
    }

    static func describe(_ t: TraceTiming) -> String {
        var s = "clock=\(t.clock.rawValue) speed=\(t.speed)"
        if t.from != nil || t.to != nil { s += " window=[\(t.from ?? 0), \(t.to.map { "\($0)" } ?? "end"))" }
        return s
    }

    static func azure(path: String, timing: TraceTiming, declared: Set<String>, seed: UInt64, chat: Bool) throws -> Workload {
        let rows = try AzureTrace.read(path: path, declared: declared)
        let kept = timing.schedule(rows.map(\.timestamp))
        guard !kept.isEmpty else { throw MeasureError.invalidArgument("\(path): no request of the trace falls in the window") }
        // A request that generated nothing is asked for one token: a request needs max_tokens ≥ 1.
        let zero = kept.count(where: { rows[$0.row].generatedTokens == 0 })
        let trace = Workload.LengthTrace(seed: seed, chat: chat, inputs: kept.map { rows[$0.row].contextTokens },
                                         outputs: kept.map { max(1, rows[$0.row].generatedTokens) }, arrivals: kept.map(\.time))
        let note = zero > 0 ? ", \(zero) with 0 generated tokens asked for 1" : ""
        return Workload(trace: trace, origin: "trace azure \(path) (\(kept.count) of \(rows.count) requests, \(describe(timing)) seed=\(seed)\(note))")
    }

    static func jsonl(path: String, timing: TraceTiming, timeField: String, defaultMaxTokens: Int?, declared: Set<String>) throws -> Workload {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MeasureError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        var requests: [WorkloadRequest] = []
        var stamps: [Double] = []
        for (n, line) in String(decoding: data, as: UTF8.self)
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            guard case .table(var t)? = try? JSON.decode(text) else {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "not a JSON object")
            }
            let stamp: Double?
            switch t[timeField] {
            case .string(let s)?: stamp = TraceTimestamp.parse(s)
            case let v?: stamp = v.number
            case nil: stamp = nil
            }
            guard let stamp, stamp.isFinite else {
                throw MeasureError.workloadFile(path: path, line: n + 1,
                    reason: "'\(timeField)' must be a time (seconds, or YYYY-MM-DD HH:MM:SS[.fraction]); name the field with time_field =")
            }
            t[timeField] = nil
            do { requests.append(try JSONLWorkload.request(from: t, defaultMaxTokens: defaultMaxTokens, declared: declared)) } catch {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "\(error)")
            }
            stamps.append(stamp)
        }
        guard !requests.isEmpty else { throw MeasureError.workloadFile(path: path, line: 1, reason: "no requests in the file") }
        let kept = timing.schedule(stamps)
        guard !kept.isEmpty else { throw MeasureError.invalidArgument("\(path): no request of the trace falls in the window") }
        let replay = kept.map { k -> WorkloadRequest in
            var r = requests[k.row]
            r.arrival = k.time
            return r
        }
        return Workload(requests: replay, origin: "trace jsonl \(path) (\(kept.count) of \(requests.count) requests, \(describe(timing)))")
    }
}
