import Foundation
import Metrics

/// Imports NVIDIA aiperf's per-request export, `profile_export.jsonl`: one JSON object
/// per line, `{"metadata": {...}, "metrics": {name: {"value": v, "unit": u}}, "error": …}`.
///
/// Send and end times come from `metadata.request_start_ns` / `request_end_ns` (epoch
/// nanoseconds); latencies from `metrics`, converted by their `unit`.
public enum AIPerfExport {
    static let format = "aiperf"

    /// Reads one run from `data`. Throws ``InteropError`` naming the line and the first
    /// wrong field (`line 3: metrics.time_to_first_token.unit`).
    public static func importRun(from data: Data) throws -> ImportedRun {
        guard let text = String(data: data, encoding: .utf8) else {
            throw InteropError.notJSON(format: format, line: nil, detail: "not UTF-8 text")
        }
        var entries: [Entry] = []
        var skipped = 0
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let value = try JSONValue.parse(Data(trimmed.utf8), format: format, line: offset + 1)
            let entry = try Entry(JSONCursor(value, path: "line \(offset + 1):", format: format))
            if entry.phase == nil || entry.phase == "profiling" {
                entries.append(entry)
            } else {
                skipped += 1
            }
        }
        guard !entries.isEmpty else {
            throw InteropError.invalidField(format: format, path: "(file)",
                                            expected: "at least one profiling record",
                                            found: skipped > 0 ? "only warmup records" : "no records")
        }

        let origin = entries.map(\.startNs).min() ?? 0
        let records = entries.enumerated().map { $0.element.record(index: $0.offset, origin: origin) }
        var notes = [
            "aiperf's per-request metrics carry their unit: converted to seconds",
            "aiperf's ITL, (request latency − TTFT)/(output tokens − 1) per request, is our TPOT; "
                + "its inter_chunk_latency list gives our chunk times",
            "send times are request_start_ns shifted so the first send is 0",
            "output tokens are output_sequence_length (reasoning included, as usage counts it), "
                + "else output_token_count",
            "profile_export.jsonl carries no model, target or load settings",
        ]
        if skipped > 0 { notes.append("\(skipped) non-profiling (warmup) records left out") }
        var run = ImportedRun(tool: "aiperf", summary: RunSummary(records: records),
                              records: records, notes: notes)
        if let tpot = LatencyStats(entries.compactMap(\.reportedITL)) {
            run.reported["tpot"] = ReportedStats(count: tpot.count, mean: tpot.mean,
                                                 stdev: tpot.stdev, min: tpot.min, p50: tpot.p50,
                                                 p90: tpot.p90, p95: tpot.p95, p99: tpot.p99,
                                                 max: tpot.max)
        }
        return run
    }

    /// One line, validated.
    private struct Entry {
        var startNs: Int64
        var endNs: Int64?
        var phase: String?
        var cancelled: Bool
        var ttft: Double?
        var latency: Double?
        var chunkGaps: [Double]
        var inputTokens: Int?
        var outputTokens: Int?
        var reportedITL: Double?
        var error: (code: Int?, message: String)?

        init(_ line: JSONCursor) throws {
            let metadata = try line.field("metadata")
            startNs = try metadata.field("request_start_ns").int64()
            endNs = try metadata.optional("request_end_ns")?.int64()
            phase = try metadata.optional("benchmark_phase")?.string()
            cancelled = try metadata.optional("was_cancelled")?.bool() ?? false
            if let error = try line.optional("error") {
                let type = try error.optional("type")?.string()
                let message = try error.optional("message")?.string() ?? ""
                self.error = (try error.optional("code")?.count(),
                              [type, message].compactMap { $0 }.filter { !$0.isEmpty }
                                  .joined(separator: ": "))
            }
            let ok = error == nil
            // A successful record must say when its first token came and when it ended.
            let metrics = ok ? try line.field("metrics") : try line.optional("metrics")
            let time = { (key: String) throws -> Double? in
                guard let metrics else { return nil }
                return try (ok ? metrics.field(key) : metrics.optional(key)).map { try Self.seconds($0) }
            }
            ttft = try time("time_to_first_token")
            latency = try time("request_latency")
            reportedITL = try metrics?.optional("inter_token_latency").map { try Self.seconds($0) }
            chunkGaps = try metrics?.optional("inter_chunk_latency").map { try Self.secondsList($0) } ?? []
            inputTokens = try (metrics?.optional("input_sequence_length")
                ?? metrics?.optional("error_isl"))?.field("value").count()
            outputTokens = try (metrics?.optional("output_sequence_length")
                ?? metrics?.optional("output_token_count"))?.field("value").count()
        }

        func record(index: Int, origin: Int64) -> RequestRecord {
            let sent = Double(startNs - origin) / 1e9
            var record = RequestRecord(index: index, sent: sent, status: error == nil ? .ok : .error)
            record.inputTokens = inputTokens
            record.outputTokens = outputTokens
            if let ttft {
                record.firstToken = sent + ttft
                record.chunkTimes = chunkOffsets(first: ttft, gaps: chunkGaps)
            }
            if let latency {
                record.ended = sent + latency
            } else if let endNs {
                record.ended = Double(endNs - origin) / 1e9
            }
            if let error {
                record.httpStatus = error.code.flatMap { (100...599).contains($0) ? $0 : nil }
                record.errorKind = cancelled ? .cancelled : Self.kind(httpStatus: record.httpStatus)
                record.error = error.message.isEmpty ? "error" : error.message
            }
            return record
        }

        static func kind(httpStatus: Int?) -> ErrorKind {
            switch httpStatus {
            case 429: return .http429
            case let code? where (400..<500).contains(code): return .http4xx
            case let code? where (500..<600).contains(code): return .http5xx
            default: return .other
            }
        }

        /// `{"value": v, "unit": u}` in seconds.
        static func seconds(_ metric: JSONCursor) throws -> Double {
            let scale = try unitScale(metric.field("unit"))
            return try metric.field("value").nonNegative() * scale
        }

        static func secondsList(_ metric: JSONCursor) throws -> [Double] {
            let scale = try unitScale(metric.field("unit"))
            return try metric.field("value").array().map { try $0.nonNegative() * scale }
        }

        static func unitScale(_ unit: JSONCursor) throws -> Double {
            switch try unit.string() {
            case "ns": return 1e-9
            case "us", "µs": return 1e-6
            case "ms": return 1e-3
            case "s", "sec": return 1
            default: throw unit.fail("a time unit (ns, us, ms, s, sec)")
            }
        }
    }
}
