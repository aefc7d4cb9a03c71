import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Runs

/// How `bench.run` sizes synthetic prompts in the target's tokens.
public enum TokenizerMethod: String, Sendable, CaseIterable {
    /// The server's `/tokenize`, else probe requests; a calibration cached in the store is used first.
    case auto
    /// Only the server's `/tokenize` (llama.cpp, vLLM, TGI, SGLang).
    case tokenize
    /// Only `usage.prompt_tokens` of a few one-token probe requests.
    case probe
    /// Words as tokens (no calibration).
    case none
}

/// Calibrates a target's tokens per word and refits a workload's synthetic prompts to
/// it. Runs on the caller's thread, before the load starts (never on the request path).
public enum PromptFit {
    /// Prompt lengths (words) of the probe requests: seven one-token generations, about
    /// 1,000 words in all, dense at short lengths where the intercept (a chat template's
    /// tokens) weighs most, and none longer than a small server's context per slot.
    static let probeWords = [8, 16, 32, 64, 128, 256, 512]
    /// Prompt lengths (words) sent to `/tokenize`, two texts each: cheap, so enough to pin the
    /// per-word slope and the intercept down to well under 2 % at short lengths.
    static let tokenizeWords = [8, 16, 32, 64, 128, 256, 512].flatMap { [$0, $0] }

    /// Where a calibration is cached (`tokenizer_calibrations.target`): the base URL, and
    /// " (chat)" for a chat target, whose template adds tokens a completions prompt lacks
    /// (a chat calibration reused for completions cut prompts ~30 tokens short).
    static func cacheKey(_ endpoint: Endpoint) -> String {
        endpoint.api == .chat ? endpoint.baseURL + " (chat)" : endpoint.baseURL
    }

    /// Measures the target: `/tokenize` first (unless `method` is `probe`), then probe
    /// requests (unless it is `tokenize`). Throws when no method gave a usable count.
    static func calibrate(_ endpoint: Endpoint, client: HTTPClient, headers: HTTPHeaders,
                          method: TokenizerMethod, transport: ClientTransport? = nil) throws -> TokenizerCalibration {
        var headers = headers
        headers.replaceOrAdd(name: "Content-Type", value: "application/json")
        var failures: [String] = []
        // A chat template adds tokens /tokenize does not see: chat targets are probed.
        if method == .tokenize || (method == .auto && endpoint.api == .completions) {
            do {
                let texts = tokenizeWords.enumerated().map { i, n in probeText(words: n, index: i) }
                let counts = try texts.map { try tokenize($0, endpoint, client: client, headers: headers, transport: transport) }
                if let c = TokenizerCalibration.fit(method: "tokenize", points: zip(tokenizeWords, counts).map { ($0, $1) }) { return c }
                failures.append("/tokenize gave no usable counts")
            } catch {
                failures.append("\(error)")
            }
        }
        if method == .probe || method == .auto {
            // A probe the server refuses (longer than its context, say) is left out; two
            // answers still give a line, and the refusals are said if too few answered.
            var points: [(words: Int, tokens: Int)] = [], refused: [String] = []
            for (i, n) in probeWords.enumerated() {
                do { points.append((n, try probe(probeText(words: n, index: 100 + i), endpoint, client: client, headers: headers, transport: transport))) }
                catch { refused.append("\(n) words: \(error)") }
            }
            if points.count >= 2, let c = TokenizerCalibration.fit(method: "probe", points: points) { return c }
            failures.append(refused.isEmpty ? "probe requests gave no usable usage.prompt_tokens"
                                            : "probe requests refused (\(refused.joined(separator: "; ")))")
        }
        throw MeasureError.invalidArgument("could not count the target's tokens: " + failures.joined(separator: "; "))
    }

    /// The tokens the target counts in each text: its `/tokenize` (completions targets,
    /// `auto` or `tokenize`), else one-token probe requests' `usage.prompt_tokens` (chat,
    /// whose template `/tokenize` does not see). For prompts frontier does not write itself
    /// (a needle's haystack), whose words cost other tokens than the calibration's.
    public static func count(_ texts: [String], endpoint: Endpoint, method: TokenizerMethod = .auto,
                             environment: [String: String] = ProcessInfo.processInfo.environment) throws -> [Int] {
        try RunPreparation.withClient(endpoint, apiKey: try endpoint.apiKey(environment: environment), environment: environment) { client, h, transport in
            var headers = h
            headers.replaceOrAdd(name: "Content-Type", value: "application/json")
            let viaTokenize = method == .tokenize || (method == .auto && endpoint.api == .completions)
            return try texts.map { text in
                viaTokenize ? try tokenize(text, endpoint, client: client, headers: headers, transport: transport)
                            : try probe(text, endpoint, client: client, headers: headers, transport: transport)
            }
        }
    }

    /// The workload with every synthetic prompt (one with an input length asked for)
    /// cut or extended to the words that make its length in the target's tokens.
    public static func fit(_ w: Workload, _ c: TokenizerCalibration) -> Workload {
        var out = w
        switch w.storage {
        case .synthetic(var s, let n):
            s.fit = c  // applied as each request is made
            out.storage = .synthetic(s, count: n)
        case .trace(var t):
            t.fit = c
            out.storage = .trace(t)
        case .list(var requests):
            for i in requests.indices {
                guard let tokens = requests[i].inputTokensHint else { continue }
                let words = c.words(forTokens: tokens)
                switch requests[i].prompt {
                case .text(let t): requests[i].prompt = .text(resize(t, to: words, salt: i))
                case .messages(var ms):
                    guard !ms.isEmpty else { continue }
                    ms[0].content = resize(ms[0].content, to: words, salt: i)
                    requests[i].prompt = .messages(ms)
                }
            }
            out.storage = .list(requests)
        }
        return out
    }

    /// `text` with `words` words: its first ones (the unique tag leads), then common words
    /// chosen from `salt`, so the result is the same every time.
    static func resize(_ text: String, to words: Int, salt: Int) -> String {
        var parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        if parts.count > words {
            // The tag's words and one more stay, as in PromptText.make.
            parts.removeLast(parts.count - max(words, min(PromptText.tagWordCount + 1, parts.count)))
        } else {
            var k = salt &* 7919
            while parts.count < words {
                k = k &* 1_103_515_245 &+ 12345
                parts.append(PromptText.words[Int(UInt(bitPattern: k >> 16) % UInt(PromptText.words.count))])
            }
        }
        return parts.joined(separator: " ")
    }

    static func probeText(words: Int, index: Int) -> String {
        var rng = SeededRNG(seed: UInt64(9_000 + index))
        // Tagged like a workload's prompt (PromptText.tagWords), so the tag costs what it does in a run.
        return PromptText.make(tokens: words, tag: "0-\(index)", rng: &rng)
    }

    /// Base URL without `/v1`: where llama.cpp, vLLM and TGI serve `/tokenize`.
    static func root(_ endpoint: Endpoint) -> String {
        endpoint.apiBase.hasSuffix("/v1") ? String(endpoint.apiBase.dropLast(3)) : endpoint.apiBase
    }

    /// `POST /tokenize`: one body that llama.cpp (`content`), vLLM (`prompt`, `model`) and
    /// TGI (`inputs`) each read; the answer is a count, a token list, or a list.
    static func tokenize(_ text: String, _ endpoint: Endpoint, client: HTTPClient, headers: HTTPHeaders,
                         transport: ClientTransport? = nil) throws -> Int {
        let body: [String: Any] = ["content": text, "prompt": text, "inputs": text, "model": endpoint.model, "add_special": true]
        let object = try post(transport?.url(for: root(endpoint) + "/tokenize") ?? root(endpoint) + "/tokenize", body, endpoint, client: client, headers: headers)
        if let d = object as? [String: Any] {
            if let n = d["count"] as? Int { return n }
            if let tokens = d["tokens"] as? [Any] { return tokens.count }
        }
        if let list = object as? [Any] { return list.count }
        throw MeasureError.invalidArgument("/tokenize answered without a count or a token list")
    }

    /// A one-token request (not streamed); its `usage.prompt_tokens`.
    static func probe(_ text: String, _ endpoint: Endpoint, client: HTTPClient, headers: HTTPHeaders,
                      transport: ClientTransport? = nil) throws -> Int {
        var body: [String: Any] = ["model": endpoint.model, "max_tokens": 1, "stream": false]
        if endpoint.api == .chat { body["messages"] = [["role": "user", "content": text]] } else { body["prompt"] = text }
        let object = try post(transport?.requestURL ?? endpoint.url, body, endpoint, client: client, headers: headers)
        guard let usage = (object as? [String: Any])?["usage"] as? [String: Any], let n = usage["prompt_tokens"] as? Int else {
            throw MeasureError.invalidArgument("a probe request's reply has no usage.prompt_tokens")
        }
        return n
    }

    private static func post(_ url: String, _ body: [String: Any], _ endpoint: Endpoint, client: HTTPClient,
                             headers: HTTPHeaders) throws -> Any {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        let request = try HTTPClient.Request(url: url, method: .POST, headers: headers, body: .data(data))
        let deadline = NIODeadline.now() + .nanoseconds(Int64(min(endpoint.totalTimeout, 60) * 1e9))
        let response = try client.execute(request: request, deadline: deadline).wait()
        guard response.status == .ok else {
            throw MeasureError.invalidArgument("POST \(url) answered \(response.status.code)")
        }
        let bytes = response.body.map { Data($0.readableBytesView) } ?? Data()
        do {
            return try JSONSerialization.jsonObject(with: bytes)
        } catch {
            throw MeasureError.invalidArgument("POST \(url) answered text that is not JSON")
        }
    }
}
