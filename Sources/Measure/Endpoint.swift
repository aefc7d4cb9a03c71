import Foundation

/// An OpenAI-compatible server to measure. The API key is read from the
/// environment variable named `apiKeyEnv` when a run starts; it is never
/// stored with a run nor printed.
public struct Endpoint: Sendable, Equatable {
    public enum API: String, Sendable, CaseIterable {
        case completions
        case chat
    }

    /// Base URL ending in `/v1` (a trailing slash is dropped), or a gateway's full endpoint URL
    /// (ending in `/completions`, perhaps with a query string).
    public var baseURL: String
    public var model: String
    public var api: API
    public var apiKeyEnv: String?
    /// Extra request headers (values may be secrets: only names are stored).
    public var headers: [String: String]
    /// Ask for a streamed response (SSE). When false, one JSON body.
    public var stream: Bool
    public var connectTimeout: Double
    /// A request with no content chunk after this long fails as `timeout_first_token`.
    public var firstTokenTimeout: Double
    /// A request not finished after this long fails as `timeout_total`.
    public var totalTimeout: Double
    /// Extra fields merged into every request body (temperature, top_p…), as JSON text of an object.
    public var extraBody: String?
    /// Whether connections are kept for the next request or closed after each reply.
    public var connection: Connection = .keepAlive
    /// Trust and identity for https targets (private CA, mutual TLS, SNI, insecure).
    public var tls = TLSOptions()
    /// Which proxy the requests go through (default: the environment's).
    public var proxy: ProxyChoice = .environment
    /// The path appended to the base URL instead of `/completions` or `/chat/completions`
    /// (gateways such as Azure OpenAI); `{model}` in it is replaced by the model name.
    public var path: String?
    /// Query parameters added to every request URL (`api-version` for Azure OpenAI).
    /// Values are stored with the run only by name, as they may carry secrets.
    public var query: [String: String] = [:]
    /// The header the API key goes in (`Authorization`, or `api-key` for Azure OpenAI).
    public var apiKeyHeader = "Authorization"
    /// What precedes the key in its header; nil: `Bearer` in `Authorization`, nothing in any other header.
    public var apiKeyScheme: String?

    /// How the client treats its connections.
    public enum Connection: String, Sendable, CaseIterable {
        /// Reuse a connection for the next request (a request whose pooled connection
        /// turns out closed before any reply is sent again once on a fresh one).
        case keepAlive = "keep_alive"
        /// `Connection: close` on every request: a new connection each time.
        case close
    }

    public init(baseURL: String, model: String, api: API = .completions, apiKeyEnv: String? = nil,
                headers: [String: String] = [:], stream: Bool = true, connectTimeout: Double = 10,
                firstTokenTimeout: Double = 60, totalTimeout: Double = 600, extraBody: String? = nil) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.model = model
        self.api = api
        self.apiKeyEnv = apiKeyEnv
        self.headers = headers
        self.stream = stream
        self.connectTimeout = connectTimeout
        self.firstTokenTimeout = firstTokenTimeout
        self.totalTimeout = totalTimeout
        self.extraBody = extraBody
    }

    /// The base URL without its query string, and the query string (nil if none).
    private var baseParts: (String, String?) {
        guard let q = baseURL.firstIndex(of: "?") else { return (baseURL, nil) }
        return (String(baseURL[..<q]), String(baseURL[baseURL.index(after: q)...]))
    }

    /// The base URL is already the full endpoint (it ends in `/completions`), as a gateway
    /// documents it; nothing is appended to its path.
    public var isFullURL: Bool {
        let (base, _) = baseParts
        return path == nil && base.hasSuffix("/completions")
    }

    /// The URL requests are posted to: the base URL, then `path` (or the API's path unless
    /// the base URL is already a full endpoint), then the base URL's query and `query`.
    public var url: String {
        let (base, baseQuery) = baseParts
        var u = base
        if let path {
            let filled = path.replacingOccurrences(
                of: "{model}", with: model.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? model)
            u += filled.hasPrefix("/") ? filled : "/" + filled
        } else if !isFullURL {
            u += api == .chat ? "/chat/completions" : "/completions"
        }
        var items = baseQuery.map { [$0] } ?? []
        // Sorted, so the URL (and the stored settings) do not depend on dictionary order.
        let allowed = CharacterSet.urlQueryAllowed.subtracting(["&", "=", "+", "?", "#"])
        for (k, v) in query.sorted(by: { $0.key < $1.key }) {
            items.append((k.addingPercentEncoding(withAllowedCharacters: allowed) ?? k) + "="
                         + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? v))
        }
        return items.isEmpty ? u : u + "?" + items.joined(separator: "&")
    }

    /// Where `/models`, `/tokenize` and `/metrics` are looked for: the base URL without its
    /// query, and without the API's path when it is a full endpoint URL.
    public var apiBase: String {
        var (base, _) = baseParts
        if isFullURL {
            for suffix in ["/chat/completions", "/completions"] where base.hasSuffix(suffix) {
                base = String(base.dropLast(suffix.count))
                break
            }
        }
        return base
    }

    /// The base URL as stored and shown: query values are replaced by `…`, as they may carry secrets.
    public var storedURL: String {
        let (base, baseQuery) = baseParts
        guard let baseQuery else { return base }
        let names = baseQuery.split(separator: "&").map { $0.split(separator: "=", maxSplits: 1).first.map(String.init) ?? "" }
        return base + "?" + names.map { $0 + "=…" }.joined(separator: "&")
    }

    /// The API key's header and the extra headers, in the order they are sent (extra headers win).
    public func requestHeaders(apiKey: String?) -> [(String, String)] {
        var out: [(String, String)] = []
        if let apiKey { out.append((apiKeyHeader, apiKeyValue(apiKey))) }
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { out.append((k, v)) }
        return out
    }

    /// The API key's header value: with the scheme (`Bearer key`) or the key alone.
    public func apiKeyValue(_ key: String) -> String {
        let scheme = apiKeyScheme ?? (apiKeyHeader.lowercased() == "authorization" ? "Bearer" : "")
        return scheme.isEmpty ? key : scheme + " " + key
    }

    /// Checks what can be checked before sending anything.
    public func validate() throws {
        guard let u = URL(string: url), let scheme = u.scheme, ["http", "https"].contains(scheme), u.host != nil else {
            throw MeasureError.invalidArgument("url must be an http:// or https:// URL, got '\(baseURL)'")
        }
        guard !model.isEmpty else { throw MeasureError.invalidArgument("model must not be empty") }
        for (name, v) in [("connect", connectTimeout), ("first_token", firstTokenTimeout), ("total", totalTimeout)]
            where !(v > 0 && v <= 1e6) {
            throw MeasureError.invalidArgument("timeout \(name) must be a number of seconds in (0, 1e6], got \(v)")
        }
        if let path, path.contains("?") || path.contains("#") {
            throw MeasureError.invalidArgument("path must be a path only (put parameters in query), got '\(path)'")
        }
        guard !apiKeyHeader.isEmpty, apiKeyHeader.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw MeasureError.invalidArgument("api_key_header must be a header name (letters, digits, '-'), got '\(apiKeyHeader)'")
        }
        try tls.validate()
        try proxy.validate()
        if let extra = extraBody {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(extra.utf8)), obj is [String: Any] else {
                throw MeasureError.invalidArgument("extra body must be a JSON object")
            }
        }
    }

    /// The API key from the environment, or nil. An unset variable that was named is an error.
    public func apiKey(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> String? {
        guard let name = apiKeyEnv, !name.isEmpty else { return nil }
        guard let key = environment[name], !key.isEmpty else {
            throw MeasureError.invalidArgument("api_key_env names \(name), which is not set in the environment")
        }
        return key
    }

    /// The JSON body for one request. Written by hand (no Foundation
    /// serializer): it runs once per request, on the event loop that sends it.
    func body(for r: WorkloadRequest, extra: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + (r.promptLength * 5 / 4))
        out.append(UInt8(ascii: "{"))
        if let extra, !extra.isEmpty {
            out.append(contentsOf: extra)
            out.append(UInt8(ascii: ","))
        }
        JSONText.key("model", into: &out)
        JSONText.string(model, into: &out)
        out.append(contentsOf: Array(",\"max_tokens\":\(r.maxTokens),\"stream\":\(stream)".utf8))
        if stream { out.append(contentsOf: Array(",\"stream_options\":{\"include_usage\":true}".utf8)) }
        out.append(UInt8(ascii: ","))
        switch (api, r.prompt) {
        case (.completions, .text(let t)):
            JSONText.key("prompt", into: &out)
            JSONText.string(t, into: &out)
        case (.completions, .messages(let ms)):
            JSONText.key("prompt", into: &out)
            JSONText.string(ms.map(\.content).joined(separator: "\n"), into: &out)
        case (.chat, .text(let t)):
            JSONText.key("messages", into: &out)
            JSONText.messages([ChatMessage(role: "user", content: t)], into: &out)
        case (.chat, .messages(let ms)):
            JSONText.key("messages", into: &out)
            JSONText.messages(ms, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// The members of `extraBody` without its braces, minus the fields the
    /// client sets itself, encoded once.
    var extraBodyFields: [UInt8]? {
        guard let extra = extraBody,
              var obj = (try? JSONSerialization.jsonObject(with: Data(extra.utf8))) as? [String: Any] else { return nil }
        for k in ["model", "max_tokens", "stream", "stream_options", "prompt", "messages"] { obj[k] = nil }
        guard !obj.isEmpty, let data = try? JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys]) else { return nil }
        return Array(data.dropFirst().dropLast())
    }

    /// Settings safe to store: no key, no header values.
    public var storedSettings: [String: String] {
        var s = ["url": storedURL, "model": model, "api": api.rawValue, "stream": String(stream),
                 "timeout_connect": String(connectTimeout), "timeout_first_token": String(firstTokenTimeout),
                 "timeout_total": String(totalTimeout), "connection": connection.rawValue]
        if let k = apiKeyEnv { s["api_key_env"] = k }
        if !headers.isEmpty { s["headers"] = headers.keys.sorted().joined(separator: ",") }
        if let e = extraBody { s["extra_body"] = e }
        if let p = path { s["path"] = p }
        if !query.isEmpty { s["query"] = query.keys.sorted().joined(separator: ",") }
        if apiKeyHeader != "Authorization" { s["api_key_header"] = apiKeyHeader }
        if let scheme = apiKeyScheme { s["api_key_scheme"] = scheme }
        for (k, v) in tls.storedSettings { s[k] = v }
        if proxy == .none { s["proxy"] = "none" }
        return s
    }
}

/// Minimal JSON writing for request bodies.
enum JSONText {
    static func key(_ k: String, into out: inout [UInt8]) {
        string(k, into: &out)
        out.append(UInt8(ascii: ":"))
    }

    static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    static func messages(_ ms: [ChatMessage], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, m) in ms.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "{"))
            key("role", into: &out)
            string(m.role, into: &out)
            out.append(UInt8(ascii: ","))
            key("content", into: &out)
            string(m.content, into: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }
}

extension WorkloadRequest {
    /// Bytes of prompt text, to size the body buffer.
    var promptLength: Int {
        switch prompt {
        case .text(let t): return t.utf8.count
        case .messages(let ms): return ms.reduce(0) { $0 + $1.content.utf8.count + 32 }
        }
    }
}
