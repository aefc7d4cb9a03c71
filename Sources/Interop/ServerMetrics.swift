/// An inference server (engine) frontier knows by its `/metrics` names, its `Server`
/// header or its model list.
public enum InferenceServer: String, Sendable, CaseIterable {
    /// vLLM (`vllm:` names).
    case vllm
    /// SGLang (`sglang:` names).
    case sglang
    /// Hugging Face Text Generation Inference (`tgi_` names).
    case tgi
    /// llama.cpp's `llama-server` (`llamacpp:` names, with `--metrics`).
    case llamacpp
    /// Ollama (no Prometheus endpoint: known by its `/api/version`, never by metrics).
    case ollama
}

/// The server-side series frontier stores during a run, picked from one scrape of a
/// server's `/metrics` (docs/interop.md cites where each name comes from). The names
/// live in one table, ``table``:
///
/// | series | vLLM | SGLang | TGI | llama.cpp |
/// |---|---|---|---|---|
/// | requests_running | `vllm:num_requests_running` | `sglang:num_running_reqs` | `tgi_batch_current_size` | `llamacpp:requests_processing` |
/// | requests_waiting | `vllm:num_requests_waiting` | `sglang:num_queue_reqs` | `tgi_queue_size` | `llamacpp:requests_deferred` |
/// | kv_cache_usage | `vllm:kv_cache_usage_perc`, else `vllm:gpu_cache_usage_perc` | `sglang:token_usage` | — | `llamacpp:kv_cache_usage_ratio` |
/// | generation_tokens_total | `vllm:generation_tokens_total` | `sglang:generation_tokens_total` | `tgi_request_generated_tokens_sum` | `llamacpp:tokens_predicted_total` |
/// | prompt_tokens_total | `vllm:prompt_tokens_total` | `sglang:prompt_tokens_total` | `tgi_request_input_length_sum` | `llamacpp:prompt_tokens_total` |
///
/// and, from NVIDIA's DCGM exporter whatever the engine, `power_w`
/// (`DCGM_FI_DEV_POWER_USAGE`, summed over GPUs) and `gpu_utilization`
/// (`DCGM_FI_DEV_GPU_UTIL`, percent, averaged and given as 0–1). Ollama has no
/// Prometheus endpoint. A user's mapping (``init(samples:mapping:)``) comes first.
///
/// A server with several engines, models or GPUs exports one series per label set:
/// counts and totals are summed over them, fractions averaged. Series no row names
/// are kept in ``unmapped`` under their own names.
public struct ServerMetrics: Sendable, Equatable {
    /// The engine whose names matched, nil when none did.
    public var server: InferenceServer?
    /// Requests being processed (in the running batch).
    public var requestsRunning: Double?
    /// Requests queued, not yet scheduled.
    public var requestsWaiting: Double?
    /// KV-cache usage as a fraction, 0–1 (1 = full).
    public var kvCacheUsage: Double?
    /// Generated tokens since the server started (counter).
    public var generationTokensTotal: Double?
    /// Prompt tokens processed since the server started (counter).
    public var promptTokensTotal: Double?
    /// Power drawn by the GPUs, watts (DCGM), summed over GPUs.
    public var powerW: Double?
    /// GPU utilisation as a fraction, 0–1 (DCGM), averaged over GPUs.
    public var gpuUtilization: Double?
    /// Every other series of the scrape under its own name, summed over label sets
    /// (histogram buckets and `_created` stamps left out).
    public var unmapped: [String: Double] = [:]

    /// The stable series names, in this order, as ``series`` keys them.
    public static let seriesNames = ["requests_running", "requests_waiting", "kv_cache_usage",
                                     "generation_tokens_total", "prompt_tokens_total", "power_w", "gpu_utilization"]

    /// How several label sets of one series combine.
    public enum Combine: Sendable { case sum, mean }

    /// One row of the table: a stable series, where each engine exports it (best name first).
    public struct Row: Sendable {
        /// The stable name (one of ``seriesNames``).
        public var series: String
        /// How label sets (engines, models, GPUs) combine.
        public var combine: Combine
        /// Multiplies the raw value (DCGM's percent → fraction).
        public var scale: Double
        /// Candidate names per engine, best first; `gpu` holds the DCGM names any engine may sit beside.
        public var names: [InferenceServer: [String]]
        public var gpu: [String]
    }

    /// The one table of engine series names.
    public static let table: [Row] = [
        Row(series: "requests_running", combine: .sum, scale: 1, names: [
            .vllm: ["vllm:num_requests_running"], .sglang: ["sglang:num_running_reqs"],
            .tgi: ["tgi_batch_current_size"], .llamacpp: ["llamacpp:requests_processing"]], gpu: []),
        Row(series: "requests_waiting", combine: .sum, scale: 1, names: [
            .vllm: ["vllm:num_requests_waiting"], .sglang: ["sglang:num_queue_reqs"],
            .tgi: ["tgi_queue_size"], .llamacpp: ["llamacpp:requests_deferred"]], gpu: []),
        Row(series: "kv_cache_usage", combine: .mean, scale: 1, names: [
            .vllm: ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"], .sglang: ["sglang:token_usage"],
            .llamacpp: ["llamacpp:kv_cache_usage_ratio"]], gpu: []),
        Row(series: "generation_tokens_total", combine: .sum, scale: 1, names: [
            .vllm: ["vllm:generation_tokens_total"], .sglang: ["sglang:generation_tokens_total"],
            .tgi: ["tgi_request_generated_tokens_sum"], .llamacpp: ["llamacpp:tokens_predicted_total"]], gpu: []),
        Row(series: "prompt_tokens_total", combine: .sum, scale: 1, names: [
            .vllm: ["vllm:prompt_tokens_total"], .sglang: ["sglang:prompt_tokens_total"],
            .tgi: ["tgi_request_input_length_sum"], .llamacpp: ["llamacpp:prompt_tokens_total"]], gpu: []),
        Row(series: "power_w", combine: .sum, scale: 1, names: [:], gpu: ["DCGM_FI_DEV_POWER_USAGE"]),
        Row(series: "gpu_utilization", combine: .mean, scale: 0.01, names: [:], gpu: ["DCGM_FI_DEV_GPU_UTIL"]),
    ]

    /// Engines in the order they are tried (the first with any of its names present wins).
    static let engineOrder: [InferenceServer] = [.vllm, .sglang, .tgi, .llamacpp]

    /// Every metric name the table knows.
    static let knownNames: Set<String> = Set(table.flatMap { $0.names.values.joined() + $0.gpu })

    /// Picks the series from one scrape's samples. `mapping` (stable series name →
    /// metric name) is the user's and comes before the table; a mapped name that is
    /// absent leaves the series to the table.
    public init(samples: [PrometheusSample], mapping: [String: String] = [:]) {
        var byName: [String: [Double]] = [:]
        for sample in samples where !sample.value.isNaN {
            byName[sample.name, default: []].append(sample.value)
        }
        server = Self.engineOrder.first { engine in
            Self.table.contains { row in row.names[engine, default: []].contains { byName[$0] != nil } }
        }
        let claimed = Set(mapping.values)
        var values: [String: Double] = [:]
        for row in Self.table {
            var candidates = row.gpu
            if let server { candidates = row.names[server, default: []] + candidates }
            if let mine = mapping[row.series] { candidates.insert(mine, at: 0) }
            guard let found = candidates.lazy.compactMap({ byName[$0] }).first else { continue }
            let total = found.reduce(0, +)
            values[row.series] = (row.combine == .sum ? total : total / Double(found.count)) * row.scale
        }
        requestsRunning = values["requests_running"]
        requestsWaiting = values["requests_waiting"]
        kvCacheUsage = values["kv_cache_usage"]
        generationTokensTotal = values["generation_tokens_total"]
        promptTokensTotal = values["prompt_tokens_total"]
        powerW = values["power_w"]
        gpuUtilization = values["gpu_utilization"]
        // Histogram buckets differ only by `le` (a sum of them means nothing); `_created` is a timestamp.
        for (name, found) in byName where !Self.knownNames.contains(name) && !claimed.contains(name)
            && !name.hasSuffix("_bucket") && !name.hasSuffix("_created") {
            unmapped[name] = found.reduce(0, +)
        }
    }

    /// The known values by stable series name (``seriesNames``); missing ones left out.
    public var series: [String: Double] {
        let values = [requestsRunning, requestsWaiting, kvCacheUsage, generationTokensTotal,
                      promptTokensTotal, powerW, gpuUtilization]
        var result: [String: Double] = [:]
        for (name, value) in zip(Self.seriesNames, values) {
            if let value { result[name] = value }
        }
        return result
    }
}
