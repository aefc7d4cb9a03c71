import Foundation
import Metrics

/// Imports guidellm's benchmark report JSON (`guidellm benchmark … --output-path
/// report.json`): one ``ImportedRun`` per entry of `benchmarks`.
///
/// Requests are read in either layout guidellm has written: ≤ 0.3 (`start_time`,
/// `first_token_time`, `last_token_time`, `end_time`, `prompt_tokens`,
/// `output_tokens` on each request) and ≥ 0.4 (`info.timings.request_start`,
/// `first_token_iteration`, `last_token_iteration`, `request_end`,
/// `input_metrics` / `output_metrics`). Times are epoch seconds; aggregate latencies
/// are milliseconds (`time_to_first_token_ms`) except `request_latency` (seconds).
public enum GuideLLMReport {
    static let format = "guidellm"

    /// Reads every benchmark in `data`. Throws ``InteropError`` naming the first
    /// wrong field; returns nothing unless every benchmark parsed.
    public static func importRuns(from data: Data) throws -> [ImportedRun] {
        let root = JSONCursor(try JSONValue.parse(data, format: format), format: format)
        let benchmarks = try root.field("benchmarks").array()
        guard !benchmarks.isEmpty else { throw try root.field("benchmarks").fail("at least one benchmark") }
        let reportArgs = try root.optional("args")
        return try benchmarks.map { try importBenchmark($0, reportArgs: reportArgs) }
    }

    static func importBenchmark(_ benchmark: JSONCursor, reportArgs: JSONCursor?) throws -> ImportedRun {
        var run = ImportedRun(tool: "guidellm", summary: RunSummary(records: []))
        var notes = [
            "guidellm reports TTFT and ITL in milliseconds and request latency in seconds: "
                + "converted to seconds",
            "guidellm's ITL, (last token − first token)/(output tokens − 1) per request, is our "
                + "TPOT (ours runs to the last byte, not the last token); filed under tpot",
            "guidellm's TPOT is not ours (it spreads the whole request, TTFT included, over "
                + "every output token): not imported",
        ]
        try readSetup(benchmark, reportArgs: reportArgs, into: &run)
        run.reported = try reportedStatistics(benchmark)

        let requests = try benchmark.field("requests")
        let statuses: [(String, RequestStatus)] = [("successful", .ok), ("errored", .error),
                                                   ("incomplete", .error)]
        var parsed: [(JSONCursor, RequestStatus, Bool)] = []
        for (key, status) in statuses {
            for request in try requests.optional(key)?.array() ?? [] {
                parsed.append((request, status, key == "incomplete"))
            }
        }

        if parsed.isEmpty {
            try aggregateSummary(benchmark, into: &run, notes: &notes)
        } else {
            run.records = try records(parsed, notes: &notes)
            run.summary = RunSummary(records: run.records)
            if try benchmark.optional("sampled_size") != nil {
                notes.append("guidellm kept a random sample of the requests: the summary covers "
                             + "the sample only")
            }
        }
        run.notes = notes
        return run
    }

    /// Model, target, concurrency or rate, and the strategy, from wherever the
    /// version at hand keeps them.
    static func readSetup(_ benchmark: JSONCursor, reportArgs: JSONCursor?,
                          into run: inout ImportedRun) throws {
        let worker = try benchmark.optional("worker")
        run.model = try worker?.optional("backend_model")?.string()
            ?? reportArgs?.optional("model")?.string()
        run.target = try worker?.optional("backend_target")?.string()
            ?? reportArgs?.optional("target")?.string()
        let holder = try benchmark.optional("args") ?? benchmark.optional("config")
        guard let strategy = try holder?.optional("strategy") else { return }
        let kind = try strategy.field("type_").string()
        run.settings["strategy"] = kind
        switch kind {
        case "synchronous":
            run.concurrency = 1
        case "concurrent":
            run.concurrency = try strategy.field("streams").count()
        case "constant", "poisson":
            run.rate = try strategy.field("rate").nonNegative()
        default:
            if let value = try strategy.optional("max_concurrency")?.scalarText {
                run.settings["max_concurrency"] = value
            }
        }
        for key in ["id_", "run_id"] {
            if let value = try benchmark.optional(key)?.scalarText { run.settings[key] = value }
        }
    }

    /// Rebuilds records; times are shifted so the earliest request start is 0.
    static func records(_ parsed: [(JSONCursor, RequestStatus, Bool)],
                        notes: inout [String]) throws -> [RequestRecord] {
        let timings = try parsed.map { try Timing(request: $0.0, ok: $0.1 == .ok) }
        let origin = timings.map(\.start).min() ?? 0
        notes.append("request times are epoch seconds shifted so the earliest request start is 0")
        notes.append("guidellm keeps no per-chunk times: no chunk times, so no ITL (pooled "
                     + "chunk gaps)")
        if parsed.contains(where: { $0.2 }) {
            notes.append("guidellm's incomplete requests (cancelled when the benchmark ended) "
                         + "are errors of kind cancelled")
        }
        return parsed.enumerated().map { index, entry in
            let (_, status, incomplete) = entry
            let timing = timings[index]
            var record = RequestRecord(index: index, sent: timing.start - origin, status: status)
            record.firstToken = timing.firstToken.map { $0 - origin }
            record.ended = timing.end.map { $0 - origin }
            record.inputTokens = timing.promptTokens
            record.outputTokens = timing.outputTokens
            record.response = timing.output
            if status != .ok {
                record.errorKind = incomplete ? .cancelled : .other
                record.error = timing.error ?? (incomplete ? "incomplete" : "errored")
            }
            return record
        }
    }

    /// Counts, tokens and makespan from the aggregates, when no request was kept.
    static func aggregateSummary(_ benchmark: JSONCursor, into run: inout ImportedRun,
                                 notes: inout [String]) throws {
        let metrics = try benchmark.field("metrics")
        let totals = try benchmark.optional("total_count") ?? metrics.field("request_totals")
        let succeeded = try totals.field("successful").count()
        let errored = try totals.optional("errored")?.count() ?? 0
        let incomplete = try totals.optional("incomplete")?.count() ?? 0
        let sum = { (name: String) throws -> Int in
            guard let successful = try metrics.optional(name)?.optional("successful") else { return 0 }
            return Int((try successful.optional("total_sum")?.double() ?? 0).rounded())
        }
        run.summary = .aggregate(succeeded: succeeded, failed: errored + incomplete,
                                 makespan: try benchmark.field("duration").nonNegative(),
                                 inputTokens: try sum("prompt_token_count"),
                                 outputTokens: try sum("output_token_count"))
        var kinds: [String: Int] = [:]
        if errored > 0 { kinds[ErrorKind.other.rawValue] = errored }
        if incomplete > 0 { kinds[ErrorKind.cancelled.rawValue] = incomplete }
        run.summary.errorsByKind = kinds
        run.summary.adopt(run.reported)
        notes.append("no requests kept: counts, tokens and throughputs from the aggregates; "
                     + "makespan is guidellm's duration")
        notes.append("guidellm's percentile method is not checked against ours")
    }

    /// guidellm's successful-request distributions, in seconds under our names.
    static func reportedStatistics(_ benchmark: JSONCursor) throws -> [String: ReportedStats] {
        guard let metrics = try benchmark.optional("metrics") else { return [:] }
        let mapping = [("time_to_first_token_ms", "ttft", 0.001),
                       ("inter_token_latency_ms", "tpot", 0.001),
                       ("request_latency", "e2e", 1.0)]
        var result: [String: ReportedStats] = [:]
        for (theirs, ours, scale) in mapping {
            guard let summary = try metrics.optional(theirs)?.optional("successful") else { continue }
            let value = { (cursor: JSONCursor?) throws -> Double? in try cursor.map { try $0.double() * scale } }
            let percentiles = try summary.optional("percentiles")
            var stats = ReportedStats()
            stats.count = try summary.optional("count")?.count()
            stats.mean = try value(summary.optional("mean"))
            stats.stdev = try value(summary.optional("std_dev"))
            stats.min = try value(summary.optional("min"))
            stats.max = try value(summary.optional("max"))
            stats.p50 = try value(summary.optional("median") ?? percentiles?.optional("p50"))
            stats.p90 = try value(percentiles?.optional("p90"))
            stats.p95 = try value(percentiles?.optional("p95"))
            stats.p99 = try value(percentiles?.optional("p99"))
            if !stats.isEmpty { result[ours] = stats }
        }
        return result
    }
}

/// One guidellm request's times (epoch seconds) and counts, in either layout.
private struct Timing {
    var start: Double
    var firstToken: Double?
    var end: Double?
    var promptTokens: Int?
    var outputTokens: Int?
    var output: String?
    var error: String?

    /// Successful requests must have every time and count; others may lack them.
    init(request: JSONCursor, ok: Bool) throws {
        let read = { (cursor: JSONCursor, key: String) throws -> Double? in
            ok ? try cursor.field(key).nonNegative() : try cursor.optional(key)?.nonNegative()
        }
        let count = { (key: String) throws -> Int? in
            ok ? try request.field(key).count() : try request.optional(key)?.count()
        }
        if let info = try request.optional("info") {
            let timings = try info.field("timings")
            start = try timings.optional("request_start")?.nonNegative()
                ?? timings.field("resolve_start").nonNegative()
            firstToken = try read(timings, "first_token_iteration")
            end = try timings.optional("request_end")?.nonNegative()
                ?? read(timings, "resolve_end")
            error = try info.optional("error")?.string()
            promptTokens = try request.optional("prompt_tokens")?.count()
                ?? request.optional("input_metrics")?.optional("total_tokens")?.count()
            outputTokens = try request.optional("output_tokens")?.count()
                ?? request.optional("output_metrics")?.optional("total_tokens")?.count()
            if ok, outputTokens == nil { _ = try request.field("output_tokens") }
        } else {
            start = try request.field("start_time").nonNegative()
            firstToken = try read(request, "first_token_time")
            end = try read(request, "end_time")
            promptTokens = try count("prompt_tokens")
            outputTokens = try count("output_tokens")
            error = try request.optional("error")?.string()
        }
        output = try request.optional("output")?.string()
    }
}
