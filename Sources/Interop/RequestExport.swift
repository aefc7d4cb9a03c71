import Metrics

/// The stable columns of an exported request (CSV header, JSON Lines keys): the
/// store's `requests` columns, plus the derived `tpot` and `chunk_count`. Times are
/// seconds since the run's start, like the store's; `chunk_times` (offsets from
/// `sent`) is a JSON array in JSON Lines and space-separated in CSV, last, so a run
/// exported and imported back (`FrontierRequests`) keeps every figure.
public enum RequestExport {
    /// Column names, in CSV order. New ones are only appended (docs/interop.md).
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
    static var statistics: [(String, KeyPath<LatencyStats, Double>)] { [
        ("mean", \.mean), ("stdev", \.stdev), ("min", \.min), ("p50", \.p50), ("p90", \.p90),
        ("p95", \.p95), ("p99", \.p99), ("max", \.max),
    ] }

    /// Column names, in CSV order: ``RunSummary/Field`` in its order, a distribution as
    /// `<name>_count` and `<name>_<statistic>`; `errors_by_kind` (a map) is left out.
    public static let columns: [String] = RunSummary.Field.allCases.flatMap { field -> [String] in
        if field.isDistribution {
            return ["\(field.rawValue)_count"] + statistics.map { "\(field.rawValue)_\($0.0)" }
        }
        return field == .errorsByKind ? [] : [field.rawValue]
    }

    /// The summary's values by column name; a statistic the run lacks is null.
    public static func values(_ summary: RunSummary) -> [String: ExportValue] {
        var values: [String: ExportValue] = [:]
        for field in RunSummary.Field.allCases {
            switch field {
            case .errorsByKind: continue
            case .requests, .succeeded, .failed, .truncated, .inputTokens, .outputTokens:
                values[field.rawValue] = summary[scalar: field].map { .int(Int($0)) } ?? .null
            case .tokensApprox:
                values[field.rawValue] = .bool(summary.tokensApproximate)
            case _ where field.isDistribution:
                let stats = summary[distribution: field]
                values["\(field.rawValue)_count"] = stats.map { .int($0.count) } ?? .null
                for (statistic, path) in statistics {
                    values["\(field.rawValue)_\(statistic)"] = stats.map { .double($0[keyPath: path]) } ?? .null
                }
            default:
                values[field.rawValue] = summary[scalar: field].map { .double($0) } ?? .null
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
