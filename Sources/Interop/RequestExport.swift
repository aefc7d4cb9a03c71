import Metrics

/// The stable columns of an exported request (CSV header, JSON Lines keys): the
/// store's `requests` columns, plus the derived `tpot` and `chunk_count`. Times are
/// seconds since the run's start, like the store's; `chunk_times` (offsets from
/// `sent`) is a JSON array in JSON Lines and space-separated in CSV, last, so a run
/// exported and imported back (`FrontierRequests`) keeps every figure.
public enum RequestExport {
    /// Column names, in CSV order. Never renamed; new ones are only appended.
    public static let columns = [
        "run_id", "idx", "status", "intended", "sent", "first_token", "ended", "ttft", "e2e",
        "tpot", "input_tokens", "output_tokens", "tokens_approx", "http_status", "error_kind",
        "error", "chunk_count", "max_tokens", "response", "chunk_times",
    ]

    /// The record's values by column name (JSON Lines: `Export.jsonLine(values(…))`).
    public static func values(_ record: RequestRecord, runID: Int) -> [String: ExportValue] {
        let double = { (value: Double?) in value.map(ExportValue.double) ?? .null }
        let int = { (value: Int?) in value.map(ExportValue.int) ?? .null }
        let text = { (value: String?) in value.map(ExportValue.string) ?? .null }
        return [
            "run_id": .int(runID), "idx": .int(record.index), "status": .string(record.status.rawValue),
            "intended": double(record.intended), "sent": .double(record.sent),
            "first_token": double(record.firstToken), "ended": double(record.ended),
            "ttft": double(record.ttft), "e2e": double(record.e2e),
            "tpot": double(record.timePerOutputToken),
            "input_tokens": int(record.inputTokens), "output_tokens": int(record.outputTokens),
            "tokens_approx": .bool(record.tokensApproximate), "http_status": int(record.httpStatus),
            "error_kind": text(record.errorKind?.rawValue), "error": text(record.error),
            "chunk_count": .int(record.chunkTimes.count), "max_tokens": int(record.maxTokens),
            "response": text(record.response), "chunk_times": .doubles(record.chunkTimes),
        ]
    }

    /// The record as CSV cells in ``columns`` order.
    public static func row(_ record: RequestRecord, runID: Int) -> [String?] {
        let values = values(record, runID: runID)
        return columns.map { values[$0]?.csvField }
    }
}

/// The stable columns of an exported run summary: one column per figure, statistics
/// flattened as `<figure>_<statistic>` (`ttft_p50`, `e2e_max`), names as in
/// `runs.summary` (docs/metrics.md). The caller puts the run's own columns (`run_id`,
/// `tag`, `source`, `model`, …) in front.
public enum SummaryExport {
    /// The distributions, by stored name, and the statistics of each, in column order.
    // Computed, not stored: key paths are not Sendable, so a stored global would be refused.
    static var distributions: [(String, KeyPath<RunSummary, LatencyStats?>)] { [
        ("ttft", \.ttft), ("tpot", \.tpot), ("itl", \.itl), ("e2e", \.e2e),
        ("tokens_per_second", \.tokensPerSecond), ("ttft_from_intended", \.ttftFromIntended),
        ("e2e_from_intended", \.e2eFromIntended), ("send_lag", \.sendLag),
    ] }
    static var statistics: [(String, KeyPath<LatencyStats, Double>)] { [
        ("mean", \.mean), ("stdev", \.stdev), ("min", \.min), ("p50", \.p50), ("p90", \.p90),
        ("p95", \.p95), ("p99", \.p99), ("max", \.max),
    ] }

    /// Column names, in CSV order. Never renamed; new ones are only appended.
    public static let columns: [String] = [
        "requests", "succeeded", "failed", "truncated", "success_rate", "makespan",
        "request_throughput", "output_throughput", "total_throughput", "achieved_concurrency",
        "input_tokens", "output_tokens", "tokens_approximate",
    ] + distributions.flatMap { name, _ in
        ["\(name)_count"] + statistics.map { "\(name)_\($0.0)" }
    }

    /// The summary's values by column name; a statistic the run lacks is null.
    public static func values(_ summary: RunSummary) -> [String: ExportValue] {
        var values: [String: ExportValue] = [
            "requests": .int(summary.requests), "succeeded": .int(summary.succeeded),
            "failed": .int(summary.failed), "truncated": .int(summary.truncated),
            "success_rate": .double(summary.successRate), "makespan": .double(summary.makespan),
            "request_throughput": .double(summary.requestThroughput),
            "output_throughput": .double(summary.outputThroughput),
            "total_throughput": .double(summary.totalThroughput),
            "achieved_concurrency": .double(summary.achievedConcurrency),
            "input_tokens": .int(summary.inputTokens), "output_tokens": .int(summary.outputTokens),
            "tokens_approximate": .bool(summary.tokensApproximate),
        ]
        for (name, path) in distributions {
            let stats = summary[keyPath: path]
            values["\(name)_count"] = stats.map { .int($0.count) } ?? .null
            for (statistic, field) in statistics {
                values["\(name)_\(statistic)"] = stats.map { .double($0[keyPath: field]) } ?? .null
            }
        }
        return values
    }

    /// The summary as CSV cells in ``columns`` order.
    public static func row(_ summary: RunSummary) -> [String?] {
        let values = values(summary)
        return columns.map { values[$0]?.csvField }
    }
}
