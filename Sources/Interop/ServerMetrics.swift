/// An inference server whose `/metrics` names ``ServerMetrics`` knows.
public enum InferenceServer: String, Sendable, CaseIterable {
    /// vLLM (`vllm:` names).
    case vllm
    /// SGLang (`sglang:` names).
    case sglang
    /// Hugging Face Text Generation Inference (`tgi_` names).
    case tgi
}

/// The server-side series frontier stores during a run, picked from one scrape of a
/// server's `/metrics`: requests running and waiting, KV-cache usage, and the token
/// counters. Names per server (docs/interop.md cites where each comes from):
///
/// | series | vLLM | SGLang | TGI |
/// |---|---|---|---|
/// | requests_running | `vllm:num_requests_running` | `sglang:num_running_reqs` | `tgi_batch_current_size` |
/// | requests_waiting | `vllm:num_requests_waiting` | `sglang:num_queue_reqs` | `tgi_queue_size` |
/// | kv_cache_usage | `vllm:kv_cache_usage_perc`, else `vllm:gpu_cache_usage_perc` | `sglang:token_usage` | — |
/// | generation_tokens_total | `vllm:generation_tokens_total` | `sglang:generation_tokens_total` | `tgi_request_generated_tokens_sum` |
/// | prompt_tokens_total | `vllm:prompt_tokens_total` | `sglang:prompt_tokens_total` | `tgi_request_input_length_sum` |
///
/// A server with several engines or models exports one series per label set: counts
/// and totals are summed over them, KV-cache usage (a fraction 0–1) is averaged.
public struct ServerMetrics: Sendable, Equatable {
    /// The server the names matched, nil when none did.
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

    /// The stable series names, in this order, as ``series`` keys them.
    public static let seriesNames = ["requests_running", "requests_waiting", "kv_cache_usage",
                                     "generation_tokens_total", "prompt_tokens_total"]

    private enum Combine { case sum, mean }

    /// Candidate metric names per server, per series, best first.
    private static let names: [(InferenceServer, [[String]])] = [
        (.vllm, [["vllm:num_requests_running"], ["vllm:num_requests_waiting"],
                 ["vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc"],
                 ["vllm:generation_tokens_total"], ["vllm:prompt_tokens_total"]]),
        (.sglang, [["sglang:num_running_reqs"], ["sglang:num_queue_reqs"], ["sglang:token_usage"],
                   ["sglang:generation_tokens_total"], ["sglang:prompt_tokens_total"]]),
        (.tgi, [["tgi_batch_current_size"], ["tgi_queue_size"], [],
                ["tgi_request_generated_tokens_sum"], ["tgi_request_input_length_sum"]]),
    ]

    /// Picks the series from one scrape's samples. The server is the first of vLLM,
    /// SGLang, TGI with any of its names present; a series it does not export is nil.
    public init(samples: [PrometheusSample]) {
        var byName: [String: [Double]] = [:]
        for sample in samples where !sample.value.isNaN {
            byName[sample.name, default: []].append(sample.value)
        }
        guard let (server, candidates) = Self.names.first(where: { _, lists in
            lists.joined().contains { byName[$0] != nil }
        }) else { return }
        self.server = server
        let pick = { (index: Int, combine: Combine) -> Double? in
            guard let values = candidates[index].lazy.compactMap({ byName[$0] }).first else { return nil }
            let total = values.reduce(0, +)
            return combine == .sum ? total : total / Double(values.count)
        }
        requestsRunning = pick(0, .sum)
        requestsWaiting = pick(1, .sum)
        kvCacheUsage = pick(2, .mean)
        generationTokensTotal = pick(3, .sum)
        promptTokensTotal = pick(4, .sum)
    }

    /// The known values by stable series name (``seriesNames``); missing ones left out.
    public var series: [String: Double] {
        let values = [requestsRunning, requestsWaiting, kvCacheUsage, generationTokensTotal,
                      promptTokensTotal]
        var result: [String: Double] = [:]
        for (name, value) in zip(Self.seriesNames, values) {
            if let value { result[name] = value }
        }
        return result
    }
}
