import AsyncHTTPClient
import Foundation
import Interop
import NIOCore
import NIOHTTP1

/// Which engine serves a target, and how frontier knows: `owned_by` in `/v1/models`,
/// the `Server` header, or a version endpoint (`/version` for vLLM, `/api/version` for
/// Ollama). Read once before a run, off the request path.
public struct EngineIdentity: Sendable, Equatable {
    /// The engine, nil when nothing said.
    public var engine: InferenceServer?
    /// The engine's version, when it says.
    public var version: String?
    /// What told: `owned_by`, `server_header` or `version_endpoint`.
    public var evidence: String?

    public init(engine: InferenceServer? = nil, version: String? = nil, evidence: String? = nil) {
        self.engine = engine
        self.version = version
        self.evidence = evidence
    }

    /// The engine an `owned_by` value or a `Server` header names.
    static func engine(named text: String) -> InferenceServer? {
        let t = text.lowercased()
        if t.contains("llama.cpp") || t.contains("llamacpp") || t.contains("llama-cpp") { return .llamacpp }
        if t.contains("vllm") { return .vllm }
        if t.contains("sglang") { return .sglang }
        if t.contains("text-generation-inference") || t == "tgi" || t.hasPrefix("tgi") { return .tgi }
        if t.contains("ollama") || t == "library" { return .ollama }
        return nil
    }

    /// Asks the target with `client`; gives up quietly (an unknown engine) within about
    /// `timeout` seconds per question. `reachable` is false when not even `/v1/models` got an answer.
    static func identify(_ endpoint: Endpoint, client: HTTPClient, headers: HTTPHeaders,
                         timeout: Double = 3, transport: ClientTransport? = nil) -> (identity: EngineIdentity, reachable: Bool) {
        func get(_ url: String) -> HTTPClient.Response? {
            guard let request = try? HTTPClient.Request(url: transport?.url(for: url) ?? url, method: .GET, headers: headers) else { return nil }
            let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout * 1e9))
            // An engine that has no such route or refuses is simply not identified by it.
            return try? client.execute(request: request, deadline: deadline).wait()
        }
        func json(_ r: HTTPClient.Response?) -> Any? {
            guard let r, r.status == .ok, let body = r.body else { return nil }
            return try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        }
        var id = EngineIdentity()
        let models = get(endpoint.apiBase + "/models")
        guard models != nil else { return (id, false) }
        if let list = (json(models) as? [String: Any])?["data"] as? [[String: Any]] {
            let mine = list.first { $0["id"] as? String == endpoint.model } ?? list.first
            if let owner = mine?["owned_by"] as? String, let e = engine(named: owner) {
                id.engine = e
                id.evidence = "owned_by"
            }
        }
        if id.engine == nil, let server = models?.headers.first(name: "server"), let e = engine(named: server) {
            id.engine = e
            id.evidence = "server_header"
        }
        let root = endpoint.apiBase.hasSuffix("/v1") ? String(endpoint.apiBase.dropLast(3)) : endpoint.apiBase
        if id.engine == nil || id.engine == .vllm, let v = (json(get(root + "/version")) as? [String: Any])?["version"] as? String {
            id.version = v
            if id.engine == nil { id.engine = .vllm; id.evidence = "version_endpoint" }
        }
        if id.engine == nil || id.engine == .ollama,
           let v = (json(get(root + "/api/version")) as? [String: Any])?["version"] as? String {
            id.version = v
            if id.engine == nil { id.engine = .ollama; id.evidence = "version_endpoint" }
        }
        return (id, true)
    }
}
