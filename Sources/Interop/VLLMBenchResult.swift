import Foundation
import Metrics

/// Imports vLLM's `bench serve` result JSON (`vllm bench serve --save-result`,
/// formerly `benchmarks/benchmark_serving.py`), with or without its per-request detail
/// (`--save-detailed`: `ttfts`, `itls`, `input_lens`, `output_lens`, `errors`, …).
///
/// vLLM times are milliseconds in the aggregates (`mean_ttft_ms`) and seconds in the
/// per-request lists (`ttfts`, `itls`, `latencies`). docs/interop.md has the mapping.
public enum VLLMBenchResult {
    static let format = "vllm"
    /// The latency figures vLLM reports, by vLLM's name and ours.
    static let statistics = [("ttft", "ttft"), ("tpot", "tpot"), ("itl", "itl"), ("e2el", "e2e")]

    /// Reads one run from `data`. Throws ``InteropError`` naming the first wrong field.
    public static func importRun(from data: Data) throws -> ImportedRun {
        let root = JSONCursor(try JSONValue.parse(data, format: format), format: format)
        let members = try root.object()
        let duration = try root.field("duration").nonNegative()
        let completed = try root.field("completed").count()
        let failed = try root.optional("failed")?.count() ?? 0
        let totalInput = try root.optional("total_input_tokens")?.count() ?? 0
        let totalOutput = try root.optional("total_output_tokens")?.count() ?? 0

        var notes = [
            "vLLM reports latencies in milliseconds: converted to seconds",
            "vLLM's TPOT excludes the first token like ours: (e2e − ttft)/(output tokens − 1)",
            "vLLM's ITL is the gaps between chunks pooled over requests, like ours",
            "vLLM's E2EL ends at the last content chunk; ours at the last byte",
        ]
        var run = ImportedRun(tool: "vllm", summary: RunSummary(records: []))
        run.model = try root.optional("model_id")?.string()
        run.concurrency = try root.optional("max_concurrency")?.count()
        if let rate = try root.optional("request_rate") {
            if case .string = rate.value {
                guard try rate.string().lowercased() == "inf" else { throw rate.fail("a number or \"inf\"") }
            } else {
                run.rate = try rate.nonNegative()
            }
        }
        run.reported = try reportedStatistics(root, keys: members.keys)

        if root.has("ttfts") {
            run.records = try records(root, notes: &notes)
            run.summary = RunSummary(records: run.records)
            if !root.has("start_times") {
                run.summary.rebase(makespan: duration, records: run.records)
                notes.append("send times unknown: every request laid out from 0; makespan is "
                             + "vLLM's duration and the throughputs use it")
            }
            if run.summary.succeeded != completed {
                notes.append("vLLM says \(completed) requests completed but the detail has "
                             + "\(run.summary.succeeded) without an error")
            }
        } else {
            run.summary = .aggregate(succeeded: completed, failed: failed, makespan: duration,
                                     inputTokens: totalInput, outputTokens: totalOutput)
            run.summary.adopt(run.reported)
            notes.append("no per-request detail: counts, tokens and throughputs from the "
                         + "aggregates; latency statistics only in `reported` (vLLM gives no "
                         + "min or max, so none is complete)")
        }
        notes.append("throughputs are per second of vLLM's duration (dispatch start to all "
                     + "done) where ours use the makespan (first send to last end)")
        run.settings = settings(members)
        run.notes = notes
        return run
    }

    /// `mean_ttft_ms`, `median_ttft_ms`, `std_ttft_ms`, `p99_ttft_ms`, … in seconds.
    static func reportedStatistics(_ root: JSONCursor,
                                   keys: Dictionary<String, JSONValue>.Keys) throws -> [String: ReportedStats] {
        var result: [String: ReportedStats] = [:]
        for (theirs, ours) in statistics {
            let seconds = { (key: String) throws -> Double? in
                try root.optional(key).map { try $0.double() / 1000 }
            }
            var stats = ReportedStats()
            stats.mean = try seconds("mean_\(theirs)_ms")
            stats.stdev = try seconds("std_\(theirs)_ms")
            stats.p50 = try seconds("median_\(theirs)_ms") ?? seconds("p50_\(theirs)_ms")
            stats.p90 = try seconds("p90_\(theirs)_ms")
            stats.p95 = try seconds("p95_\(theirs)_ms")
            stats.p99 = try seconds("p99_\(theirs)_ms")
            if !stats.isEmpty { result[ours] = stats }
        }
        return result
    }

    /// Rebuilds one record per entry of the per-request lists.
    static func records(_ root: JSONCursor, notes: inout [String]) throws -> [RequestRecord] {
        let ttfts = try root.field("ttfts").array()
        let count = ttfts.count
        func list(_ key: String, required: Bool) throws -> [JSONCursor]? {
            guard let field = required ? try root.field(key) : try root.optional(key) else { return nil }
            let items = try field.array()
            guard items.count == count else {
                throw field.fail("an array of \(count) entries, one per request like ttfts")
            }
            return items
        }
        let itls = try list("itls", required: true) ?? []
        let inputs = try list("input_lens", required: true) ?? []
        let outputs = try list("output_lens", required: true) ?? []
        let errors = try list("errors", required: false)
        let texts = try list("generated_texts", required: false)
        let latencies = try list("latencies", required: false)
        let starts = try list("start_times", required: false)

        let startValues = try starts?.map { try $0.double() }
        let origin = startValues?.min() ?? 0
        if starts != nil {
            notes.append("send times from vLLM's start_times, shifted so the first send is 0")
        }
        if errors == nil {
            notes.append("no errors list: every request taken as successful")
        }
        notes.append("chunk times rebuilt from ttfts and itls: the first chunk at the TTFT, "
                     + "each later one at the previous plus its gap")
        notes.append("vLLM's input_lens are the client tokenizer's prompt lengths and "
                     + "output_lens the server's usage when given, else the client tokenizer; "
                     + "not marked approximate")

        var records: [RequestRecord] = []
        records.reserveCapacity(count)
        for index in 0..<count {
            let sent = (startValues?[index]).map { $0 - origin } ?? 0
            let message = try errors?[index].optionalString() ?? ""
            let latency = try latencies?[index].nonNegative()
            var record = RequestRecord(index: index, sent: sent, status: .ok)
            record.inputTokens = try inputs[index].count()
            record.response = try texts?[index].optionalString()
            if !message.isEmpty {
                // vLLM leaves ttft 0, itls empty and output length 0 on failures.
                record.status = .error
                record.errorKind = .other
                record.error = message
                if let latency, latency > 0 { record.ended = sent + latency }
                records.append(record)
                continue
            }
            let ttft = try ttfts[index].nonNegative()
            let gaps = try itls[index].array().map { try $0.nonNegative() }
            record.chunkTimes = chunkOffsets(first: ttft, gaps: gaps)
            record.firstToken = sent + ttft
            record.ended = sent + (latency ?? record.chunkTimes[record.chunkTimes.count - 1])
            record.outputTokens = try outputs[index].count()
            records.append(record)
        }
        return records
    }

    /// Top-level scalars that are not statistics: the run's setup (backend, label,
    /// date, num_prompts, burstiness, …) and totals, as text.
    static func settings(_ members: [String: JSONValue]) -> [String: String] {
        var settings: [String: String] = [:]
        for (key, value) in members {
            let isStatistic = key.hasSuffix("_ms")
                && statistics.contains { key.hasSuffix("_\($0.0)_ms") }
            guard !isStatistic, let text = JSONCursor(value, format: format).scalarText else { continue }
            settings[key] = text
        }
        return settings
    }
}

extension JSONCursor {
    /// A string, or nil for null.
    func optionalString() throws -> String? {
        if value == .null { return nil }
        return try string()
    }
}
