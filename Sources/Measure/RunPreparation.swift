import AsyncHTTPClient
import Foundation
import Interop
import NIOHTTP1
import Runs

/// What is found out about a target before a run: which engine answers, and how it
/// counts the words of synthetic prompts (which then get refitted). Runs on the
/// caller's thread, before the load; nothing here fails a run (trouble is a warning).
public struct RunPreparation: Sendable {
    /// The workload to send (synthetic prompts refitted when a calibration was found).
    public var workload: Workload
    public var engine: EngineIdentity
    /// The calibration the prompts were fitted with, and whether it came from the store.
    public var calibration: TokenizerCalibration?
    public var calibrationCached = false
    public var warnings: [String] = []

    /// Identifies the engine (`identifyEngine`) and fits the prompts (`tokenizer`), with the
    /// calibration cached per target and model in `store` (read for `auto`, written after measuring).
    public static func prepare(endpoint: Endpoint, workload: Workload, tokenizer: TokenizerMethod,
                               identifyEngine: Bool = true, store: RunStore?,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws -> RunPreparation {
        let apiKey = try endpoint.apiKey(environment: environment)
        var p = RunPreparation(workload: workload, engine: EngineIdentity())
        let wantsFit = tokenizer != .none && workload.hasInputTokenHints
        guard identifyEngine || wantsFit else { return p }
        return try withClient(endpoint, apiKey: apiKey, environment: environment) { client, headers, transport in
            try prepare(&p, endpoint: endpoint, workload: workload, tokenizer: tokenizer, identifyEngine: identifyEngine,
                        wantsFit: wantsFit, store: store, client: client, headers: headers, transport: transport)
            return p
        }
    }

    /// Runs `body` with a client for questions asked before a run (engine, tokens): a
    /// dead target must not hold anything up, so no retried connects and a short timeout.
    static func withClient<T>(_ endpoint: Endpoint, apiKey: String?, environment: [String: String],
                              _ body: (HTTPClient, HTTPHeaders, ClientTransport) throws -> T) throws -> T {
        let transport = try ClientTransport(endpoint, environment: environment)
        var config = HTTPClient.Configuration()
        transport.apply(to: &config)
        config.connectionPool.retryConnectionEstablishment = false
        config.timeout = .init(connect: .nanoseconds(Int64(min(endpoint.connectTimeout, 5) * 1e9)))
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
        defer { try? client.syncShutdown() }  // nothing is in flight any more; a shutdown error changes nothing
        var headers = HTTPHeaders()
        for (k, v) in endpoint.requestHeaders(apiKey: apiKey) { headers.replaceOrAdd(name: k, value: v) }
        return try body(client, headers, transport)
    }

    private static func prepare(_ p: inout RunPreparation, endpoint: Endpoint, workload: Workload, tokenizer: TokenizerMethod,
                                identifyEngine: Bool, wantsFit: Bool, store: RunStore?, client: HTTPClient,
                                headers: HTTPHeaders, transport: ClientTransport) throws {
        if identifyEngine {
            let (identity, reachable) = EngineIdentity.identify(endpoint, client: client, headers: headers, transport: transport)
            p.engine = identity
            // Unreachable: the run records that itself, request by request.
            guard reachable else { return }
        }
        guard wantsFit else { return }
        let key = PromptFit.cacheKey(endpoint)
        if tokenizer == .auto, let cached = try store?.tokenizerCalibration(target: key, model: endpoint.model) {
            p.calibration = cached
            p.calibrationCached = true
        } else {
            do {
                let c = try PromptFit.calibrate(endpoint, client: client, headers: headers, method: tokenizer, transport: transport)
                try store?.saveTokenizerCalibration(c, target: key, model: endpoint.model)
                p.calibration = c
            } catch let e as MeasureError {
                p.warnings.append("prompts are sized in words, not the server's tokens: \(e)")
            }
        }
        if let c = p.calibration { p.workload = PromptFit.fit(workload, c) }
    }

    /// The settings stored with the run.
    public var settings: [String: Any] {
        var s: [String: Any] = [:]
        if let e = engine.engine { s["engine"] = e.rawValue }
        if let v = engine.version { s["engine_version"] = v }
        if let how = engine.evidence { s["engine_evidence"] = how }
        if let c = calibration {
            s["tokenizer"] = c.method + (calibrationCached ? " (cached)" : "")
            s["tokens_per_word"] = c.perWord
            s["token_intercept"] = c.intercept
        }
        return s
    }
}
