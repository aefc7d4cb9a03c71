import Foundation
import LuaBridge
import Sim
import SimServing
import TestServer

extension SimModule {
    static let serverFields: Set<String> = ["gpu", "gpus", "model", "efficiency", "scheduler", "memory_fraction",
                                            "port", "model_name", "max_tokens"]

    /// `sim.server{…}`: a test-server userdata like bench.test_server's, paced by the engine.
    static func startServer(_ call: LuaCall) throws -> Int {
        let o = try Options(call, 1)
        try o.only(serverFields)
        let deployment = try deployment(o, call)
        let scheduler = try scheduler(o, call)
        let port = try o.int("port") ?? 0
        guard (0...65_535).contains(port) else { throw call.argumentError(1, "field 'port' must be 0 to 65535, got \(port)") }
        let maxTokens = try o.int("max_tokens")
        if let n = maxTokens, n < 1 { throw call.argumentError(1, "field 'max_tokens' must be at least 1, got \(n)") }
        var config = TestServerConfig()
        config.port = port
        config.model = try o.string("model_name") ?? deployment.model.name
        if let n = maxTokens { config.defaultMaxTokens = n }
        let sim = try SimulatedServer.start(deployment: deployment, scheduler: scheduler, config: config)
        // The bench.test_server type, so bench.run{ target = srv } and srv:target() work as they do for it.
        // The box's config holds the pacer, which holds the engine; srv:stop() stops both.
        try call.push(object: TestServerBox(sim.server, sim.config))
        return 1
    }

    /// `sim.snapshot(srv)`: the engine's state as a table.
    static func snapshot(_ call: LuaCall) throws -> Int {
        let box = try call.object(1, as: TestServerBox.self)
        guard let pacer = box.config.pacer as? SimPacer else {
            throw call.argumentError(1, "a server from sim.server{}, not a plain test server")
        }
        let s = pacer.engine.snapshot()
        return try call.returning(["running": .int(s.running), "waiting": .int(s.waiting),
                                   "kv_cache_usage": .double(s.kvCacheUsage), "kv_blocks_used": .int(s.kvBlocksUsed),
                                   "kv_blocks_total": .int(s.kvBlocksTotal), "generated_tokens": .int(s.generatedTokens),
                                   "preemptions": .int(s.preemptions), "iterations": .int(s.iterations),
                                   "finished": .int(s.finished), "cancelled": .int(s.cancelled)])
    }
}
