import Foundation

/// Bodies of the small GET endpoints.
enum Replies {
    /// `GET /v1/models`: a list holding the configured model.
    static func models(_ model: String, ownedBy: String = "frontier") -> String {
        let created = Int(Date().timeIntervalSince1970)
        return #"{"object":"list","data":[{"id":\#(JSONText.quote(model)),"object":"model","created":\#(created),"owned_by":\#(JSONText.quote(ownedBy))}]}"#
    }

    /// Tokens of a `POST /tokenize` body: llama.cpp's `content` or vLLM's `prompt`, with
    /// the special token when `add_special` (llama.cpp) or `add_special_tokens` (vLLM) is true.
    static func tokenCount(_ body: [UInt8], tokenizer: TestTokenizer) throws -> Int {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
              let text = (object["content"] ?? object["prompt"]) as? String else {
            throw GenerationRequest.Invalid(message: "expected a JSON object with 'content' or 'prompt' (a string)")
        }
        let special = (object["add_special"] as? Bool ?? false) || (object["add_special_tokens"] as? Bool ?? false)
        return tokenizer.count(text) + (special ? tokenizer.special : 0)
    }

    /// `POST /tokenize`'s answer: the token ids (made up: 0, 1, …) and their count, as
    /// llama.cpp (`tokens`) and vLLM (`count`, `tokens`) answer.
    static func tokens(_ count: Int) -> String {
        #"{"count":\#(count),"tokens":[\#((0..<count).map(String.init).joined(separator: ","))]}"#
    }

    /// `GET /stats`: the statistics as JSON with sorted keys.
    static func stats(_ stats: TestServerStats) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(stats), let text = String(data: data, encoding: .utf8) else {
            // Encoding plain integers and doubles cannot fail; this keeps the reply valid JSON anyway.
            return "{}"
        }
        return text
    }

    /// `GET /metrics`: vLLM's names for the series a client lines up with its latencies,
    /// in the Prometheus text format (0.0.4). Running requests are the active streams;
    /// the plain test server has no queue, so waiting is 0 unless `extra` says otherwise.
    static func prometheus(_ stats: TestServerStats, model: String, extra: [MetricSample],
                           engine: TestEngine = .frontier) -> String {
        if engine == .llamacpp { return llamacppMetrics(stats, extra: extra) }
        let label = "{model_name=\(JSONText.quote(model))}"
        var samples: [MetricSample] = [
            MetricSample(name: "vllm:num_requests_running", type: .gauge,
                         help: "Number of requests in model execution batches.", value: Double(stats.streamsActive)),
            MetricSample(name: "vllm:num_requests_waiting", type: .gauge,
                         help: "Number of requests waiting to be processed.", value: 0),
            MetricSample(name: "vllm:generation_tokens_total", type: .counter,
                         help: "Number of generation tokens processed.", value: Double(stats.tokensSent)),
            MetricSample(name: "vllm:request_success_total", type: .counter,
                         help: "Count of successfully processed requests.", value: Double(stats.streamsCompleted)),
        ]
        for e in extra {
            if let i = samples.firstIndex(where: { $0.name == e.name }) { samples[i] = e } else { samples.append(e) }
        }
        var out = ""
        for s in samples {
            out += "# HELP \(s.name) \(s.help)\n# TYPE \(s.name) \(s.type.rawValue)\n"
            out += "\(s.name)\(label) \(s.value)\n"
        }
        return out
    }
}

extension Replies {
    /// llama-server's `--metrics` names, unlabelled as llama-server writes them.
    static func llamacppMetrics(_ stats: TestServerStats, extra: [MetricSample]) -> String {
        var samples: [MetricSample] = [
            MetricSample(name: "llamacpp:requests_processing", type: .gauge, help: "Number of requests processing.",
                         value: Double(stats.streamsActive)),
            MetricSample(name: "llamacpp:requests_deferred", type: .gauge, help: "Number of requests deferred.", value: 0),
            MetricSample(name: "llamacpp:tokens_predicted_total", type: .counter,
                         help: "Number of generation tokens processed.", value: Double(stats.tokensSent)),
            MetricSample(name: "llamacpp:n_decode_total", type: .counter, help: "Total number of llama_decode() calls.",
                         value: Double(stats.tokensSent)),
        ]
        for e in extra {
            if let i = samples.firstIndex(where: { $0.name == e.name }) { samples[i] = e } else { samples.append(e) }
        }
        return samples.map { "# HELP \($0.name) \($0.help)\n# TYPE \($0.name) \($0.type.rawValue)\n\($0.name) \($0.value)\n" }
            .joined()
    }
}

/// One series of `GET /metrics`: a gauge or counter with the server's model label.
public struct MetricSample: Sendable, Equatable {
    public enum Kind: String, Sendable { case gauge, counter }
    public var name: String
    public var type: Kind
    public var help: String
    public var value: Double

    public init(name: String, type: Kind, help: String, value: Double) {
        self.name = name
        self.type = type
        self.help = help
        self.value = value
    }
}
