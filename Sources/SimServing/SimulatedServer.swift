import Foundation
import Sim
import TestServer

/// Paces the test server's replies with the simulator's scheduler in real time: each
/// request becomes a `RealTimeEngine` submission, and each token the engine produces is
/// written to the client as it is produced.
public final class SimPacer: TokenPacer {
    /// The engine each request is submitted to.
    public let engine: RealTimeEngine

    public init(engine: RealTimeEngine) { self.engine = engine }

    public func start(promptTokens: Int, maxTokens: Int,
               deliver: @escaping @Sendable (Int) -> Void) throws -> any PacedRequest {
        // A prompt or output the cache cannot hold throws SimError; the server answers 400 with it.
        let ticket = try engine.submit(inputTokens: promptTokens, outputTokens: maxTokens, onTokens: deliver)
        return SimPacedRequest(engine: engine, ticket: ticket)
    }

    public func shutdown() { engine.stop() }

    /// vLLM's series for what the engine holds, from its snapshot at each scrape.
    public static func metrics(_ engine: RealTimeEngine) -> @Sendable () -> [MetricSample] {
        { [engine] in
            let s = engine.snapshot()
            return [
                MetricSample(name: "vllm:num_requests_running", type: .gauge,
                             help: "Number of requests in model execution batches.", value: Double(s.running)),
                MetricSample(name: "vllm:num_requests_waiting", type: .gauge,
                             help: "Number of requests waiting to be processed.", value: Double(s.waiting)),
                MetricSample(name: "vllm:gpu_cache_usage_perc", type: .gauge,
                             help: "GPU KV-cache usage. 1 means 100 percent usage.", value: s.kvCacheUsage),
                MetricSample(name: "vllm:generation_tokens_total", type: .counter,
                             help: "Number of generation tokens processed.", value: Double(s.generatedTokens)),
                MetricSample(name: "vllm:num_preemptions_total", type: .counter,
                             help: "Cumulative number of preemption from the engine.", value: Double(s.preemptions)),
            ]
        }
    }
}

/// One request in the engine; cancelling frees its KV cache.
struct SimPacedRequest: PacedRequest {
    let engine: RealTimeEngine
    let ticket: RealTimeEngine.Ticket

    func cancel() { engine.cancel(ticket) }
}

/// Why a simulated server could not be set up: an unknown GPU or model, a model that does
/// not fit, a bad count. The message is the simulator's ("Llama-3.1-70B needs 141 GB of
/// weights; 1 × L4 has 21.6 GB usable").
public struct SimServerError: Error, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    /// The message.
    public var description: String { message }
}

/// The OpenAI-compatible test server with its tokens paced by the simulator in real time
/// (`frontier serve --sim`, `sim.server{}` from Lua). See docs/sim.md, "Simulated server".
public final class SimulatedServer: Sendable {
    /// The HTTP server; its `stop()` also stops the engine.
    public let server: TestServer
    /// One line describing the deployment: "2 × A800-80G, Qwen2.5-32B, KV cache 401,123 tokens".
    public let summary: String
    /// The engine pacing the replies (for snapshots).
    public let engine: RealTimeEngine
    /// The server's configuration, pacer included.
    public let config: TestServerConfig

    private init(server: TestServer, summary: String, engine: RealTimeEngine, config: TestServerConfig) {
        self.server = server
        self.summary = summary
        self.engine = engine
        self.config = config
    }

    /// Starts a simulated server of `model` on `count` × `gpu` (preset names or aliases),
    /// answering to `modelName` (default: the model's preset name). `config` gives the
    /// rest (host, port, faults, usage, threads); its ttft, itl and model are not used.
    /// Throws ``SimServerError`` for a deployment that cannot exist, and `TestServerError`
    /// for a bad configuration or a port that cannot be bound. Blocks until it listens.
    public static func start(gpu: String, count: Int, model: String, config: TestServerConfig = TestServerConfig(),
                             modelName: String? = nil) throws -> SimulatedServer {
        let deployment: Deployment
        do {
            deployment = try Deployment(gpu: try GPUProfile.named(gpu), count: count, model: try ModelProfile.named(model))
        } catch let error as SimError {
            throw SimServerError(message: "\(error)")
        }
        var config = config
        config.model = modelName ?? deployment.model.name
        return try start(deployment: deployment, scheduler: .standard, config: config)
    }

    /// Starts the server with `config` (its model already set) paced by a new engine.
    public static func start(deployment: Deployment, scheduler: SchedulerConfig, config base: TestServerConfig) throws -> SimulatedServer {
        let engine = RealTimeEngine(deployment: deployment, scheduler: scheduler)
        var config = base
        config.pacer = SimPacer(engine: engine)
        config.metrics = SimPacer.metrics(engine)
        let server = try TestServer.start(config)
        engine.start()
        let summary = "\(deployment.count) × \(deployment.gpu.name), \(deployment.model.name), "
            + "KV cache \(grouped(engine.capacityTokens)) tokens"
        return SimulatedServer(server: server, summary: summary, engine: engine, config: config)
    }

    /// Stops the HTTP server (cutting off streams), then the engine. Idempotent.
    public func stop() {
        server.stop()  // calls the pacer's shutdown, which stops the engine
        engine.stop()  // in case the server had stopped before
    }
}

/// 401123 → "401,123": what a person reads at a glance.
private func grouped(_ n: Int) -> String {
    var digits = String(n.magnitude)
    var out = ""
    while digits.count > 3 {
        out = "," + digits.suffix(3) + out
        digits.removeLast(3)
    }
    return (n < 0 ? "-" : "") + digits + out
}
