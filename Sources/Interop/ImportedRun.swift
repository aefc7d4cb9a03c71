import Metrics

/// One run read from another tool's result file, in our terms: times in seconds,
/// figures under our names and definitions (docs/metrics.md, docs/interop.md).
///
/// When the file has per-request detail, `records` holds the reconstructed requests
/// and `summary` is `RunSummary(records:)` over them. When it has only aggregates,
/// `records` is empty, `summary` holds the figures that map exactly (counts, tokens,
/// throughputs, and a latency statistic only when the file gives all of its fields)
/// and the rest stay 0 or nil; `notes` says which.
public struct ImportedRun: Sendable, Equatable {
    /// The tool that wrote the file: `vllm`, `guidellm` or `aiperf`.
    public var tool: String
    /// The model benchmarked, when the file says.
    public var model: String?
    /// What was benchmarked (server URL, backend), when the file says.
    public var target: String?
    /// Closed loop: requests kept in flight, when the file says.
    public var concurrency: Int?
    /// Open loop: intended arrival rate (requests/s), when the file says.
    public var rate: Double?
    /// Every other setting the file gives, as text (for `runs.settings`).
    public var settings: [String: String]
    /// The run's figures by our definitions.
    public var summary: RunSummary
    /// Latency statistics as the tool reported them, converted to seconds and keyed by
    /// our metric name (`ttft`, `tpot`, `itl`, `e2e`) after mapping the tool's names
    /// (guidellm's ITL is filed under `tpot`). Kept even when `records` exist, so the
    /// tool's figures can be compared with ours.
    public var reported: [String: ReportedStats]
    /// The requests, reconstructed as faithfully as the file allows (may be empty).
    public var records: [RequestRecord]
    /// Every definitional difference or loss applied while importing, in plain words.
    public var notes: [String]

    /// Creates an imported run; importers fill it, tests compare it.
    public init(tool: String, model: String? = nil, target: String? = nil,
                concurrency: Int? = nil, rate: Double? = nil, settings: [String: String] = [:],
                summary: RunSummary, reported: [String: ReportedStats] = [:],
                records: [RequestRecord] = [], notes: [String] = []) {
        self.tool = tool
        self.model = model
        self.target = target
        self.concurrency = concurrency
        self.rate = rate
        self.settings = settings
        self.summary = summary
        self.reported = reported
        self.records = records
        self.notes = notes
    }
}

/// A latency statistic as a tool reported it: any field may be missing (vLLM gives
/// mean, median, stdev and chosen percentiles, never min or max). Seconds.
public struct ReportedStats: Sendable, Equatable {
    /// Number of samples behind the statistic.
    public var count: Int?
    /// Arithmetic mean.
    public var mean: Double?
    /// Standard deviation as the tool computed it.
    public var stdev: Double?
    /// Smallest sample.
    public var min: Double?
    /// Median.
    public var p50: Double?
    /// 90th percentile.
    public var p90: Double?
    /// 95th percentile.
    public var p95: Double?
    /// 99th percentile.
    public var p99: Double?
    /// Largest sample.
    public var max: Double?

    /// Creates a statistic from whichever fields are known.
    public init(count: Int? = nil, mean: Double? = nil, stdev: Double? = nil, min: Double? = nil,
                p50: Double? = nil, p90: Double? = nil, p95: Double? = nil, p99: Double? = nil,
                max: Double? = nil) {
        self.count = count
        self.mean = mean
        self.stdev = stdev
        self.min = min
        self.p50 = p50
        self.p90 = p90
        self.p95 = p95
        self.p99 = p99
        self.max = max
    }

    /// True when no field is known.
    public var isEmpty: Bool {
        [mean, stdev, min, p50, p90, p95, p99, max].allSatisfy { $0 == nil } && count == nil
    }

    /// The full statistic, when every field is known (else nil: a summary never
    /// carries a made-up field).
    public var complete: LatencyStats? {
        guard let count, let mean, let stdev, let min, let p50, let p90, let p95, let p99,
              let max else { return nil }
        return LatencyStats(count: count, mean: mean, stdev: stdev, min: min, p50: p50,
                            p90: p90, p95: p95, p99: p99, max: max)
    }
}

extension ImportedRun {
    /// Checks what no tool can mean: negative counts, times or latencies, percentiles out
    /// of order, a first token before the request was sent. Throws
    /// ``InteropError/invalidField(format:path:expected:found:)`` naming the first such
    /// figure; run by every import before anything is stored.
    func validate(format: String) throws {
        func fail(_ path: String, _ expected: String, _ found: Double) -> InteropError {
            .invalidField(format: format, path: path, expected: expected, found: "number \(found)")
        }
        let s = summary
        for (name, n) in [("requests", s.requests), ("succeeded", s.succeeded), ("failed", s.failed),
                          ("truncated", s.truncated), ("input_tokens", s.inputTokens), ("output_tokens", s.outputTokens)]
        where n < 0 {
            throw fail(name, "a whole number ≥ 0", Double(n))
        }
        guard s.makespan >= 0, s.makespan.isFinite else { throw fail("makespan (duration)", "a number ≥ 0", s.makespan) }
        if let c = concurrency, c < 1 { throw fail("concurrency", "at least 1", Double(c)) }
        if let r = rate, !(r >= 0) { throw fail("rate", "a number ≥ 0", r) }
        for (figure, stats) in reported.sorted(by: { $0.key < $1.key }) {
            let ordered: [(String, Double?)] = [("min", stats.min), ("p50", stats.p50), ("p90", stats.p90),
                                                ("p95", stats.p95), ("p99", stats.p99), ("max", stats.max)]
            for (name, v) in ordered + [("mean", stats.mean), ("stdev", stats.stdev)] {
                if let v, !(v >= 0 && v.isFinite) { throw fail("\(figure).\(name)", "a finite number ≥ 0 (seconds)", v) }
            }
            var previous: (String, Double)?
            for case let (name, v?) in ordered {
                if let (lower, w) = previous, v < w {
                    throw fail("\(figure).\(name)", "at least \(figure).\(lower) (\(w)): percentiles in order", v)
                }
                previous = (name, v)
            }
            if let mean = stats.mean, let lo = stats.min, let hi = stats.max, !(lo <= mean && mean <= hi) {
                throw fail("\(figure).mean", "between \(figure).min (\(lo)) and \(figure).max (\(hi))", mean)
            }
        }
        for (i, r) in records.enumerated() {
            let path = "requests[\(i + 1)]"
            if let t = r.ttft, !(t >= 0) { throw fail("\(path).ttft", "a number ≥ 0 (the first token after the send)", t) }
            if let e = r.e2e, !(e >= 0) { throw fail("\(path).e2e", "a number ≥ 0 (the end after the send)", e) }
            if let t = r.ttft, let e = r.e2e, e < t { throw fail("\(path).e2e", "at least its ttft (\(t))", e) }
            for (name, n) in [("input_tokens", r.inputTokens), ("output_tokens", r.outputTokens)] {
                if let n, n < 0 { throw fail("\(path).\(name)", "a whole number ≥ 0", Double(n)) }
            }
        }
    }
}
