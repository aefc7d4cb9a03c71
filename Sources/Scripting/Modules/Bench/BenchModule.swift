import Foundation
import LuaBridge
import Measure
import Metrics
import Quality
import Runs
import Store
import TeamStore
import TestServer

/// A running built-in test server as Lua holds it.
final class TestServerBox {
    let server: TestServer
    let config: TestServerConfig
    init(_ s: TestServer, _ c: TestServerConfig) {
        server = s
        config = c
    }
    deinit { server.stop() }
}

/// `bench.*`: targets, the built-in test server, runs and sweeps.
final class BenchModule {
    let store: StoreModule
    /// No progress line (--quiet, or not a terminal).
    let quiet: Bool
    private var wrapRun: LuaFunction?

    init(store: StoreModule, quiet: Bool) {
        self.store = store
        self.quiet = quiet
    }

    func register(in vm: LuaVM) throws {
        try vm.register(type: LuaType<TestServerBox>(
            "test_server", summary: "The built-in OpenAI-compatible test server (bench.test_server).",
            methods: [
                LuaBinding("target", args: "[{api=, model=, stream=, ...}]", "A bench.openai target pointing at this server.") { call in
                    let box = try call.object(1, as: TestServerBox.self)
                    var o = try Options(call, 2, optional: true).table
                    o["url"] = .string(box.server.baseURL)
                    if o["model"] == nil { o["model"] = .string(box.config.model) }
                    return try call.returning(try Self.endpointTable(Options(table: o, call: call, position: 2)))
                },
                LuaBinding("stats", "What the server has served: requests, faults, tokens, lateness of its writes.") { call in
                    let s = try call.object(1, as: TestServerBox.self).server.stats()
                    let data = try JSONEncoder().encode(s)
                    return try call.returning(try JSON.decode(String(decoding: data, as: UTF8.self)))
                },
                LuaBinding("stop", "Stops the server (also done when it is garbage-collected).") { call in
                    try call.object(1, as: TestServerBox.self).server.stop()
                    return 0
                },
            ],
            tostring: { "test_server(\($0.server.baseURL))" },
            field: { box, key, call in
                switch key {
                case "url": return try call.returning(.string(box.server.baseURL))
                case "port": return try call.returning(.int(box.server.port))
                default: return nil
                }
            }))

        try vm.register(module: "bench", summary: "Measure OpenAI-compatible servers: targets, runs, sweeps, the test server.", [
            LuaBinding("openai", args: "{url=, model=, api='completions'|'chat', api_key_env=, api_key_header='Authorization', api_key_scheme='Bearer', headers=, stream=true, connection='keep_alive'|'close', timeout={connect=, first_token=, total=}, body=, path=, query={...}, ca_file=, client_cert=, client_key=, server_name=, insecure=false, proxy='http://host:port'|false}",
                       "Describes a server to measure (checked now; the key is read from api_key_env at run time and never stored).") { call in
                try call.returning(try Self.endpointTable(try Options(call, 1)))
            },
            LuaBinding("test_server", args: "{port=0, ttft=0.05, itl=0.01, faults='429:0.1,reset', usage='final'|'separate'|'none', connection='keep_alive'|'close_after_stream'|'close', tokenizer='words'|'subword', engine='frontier'|'vllm'|'llamacpp', model=, max_tokens=16, threads=1, accuracy=, solutions=, echo=false, tls={cert_file=, key_file=, client_ca_file=}}",
                       "Starts the built-in streaming server on 127.0.0.1 with exact timing and injected faults (with accuracy=, it answers arithmetic, multiple-choice, needle and, given solutions= (a HumanEval file), code prompts, right that often; with echo = true, its last token says how many messages and tokens it received; with tls=, over https, requiring client certificates from client_ca_file).") { call in
                let o = try Options(call, 1, optional: true)
                try o.only(["port", "ttft", "itl", "faults", "usage", "connection", "tokenizer", "engine", "model", "max_tokens", "threads",
                            "accuracy", "solutions", "echo", "tls"])
                var c = TestServerConfig()
                if let p = try o.int("port") { c.port = p }
                if let v = try o.number("ttft") { c.ttft = v }
                if let v = try o.number("itl") { c.itl = v }
                if let f = try o.string("faults") {
                    do { c.faults = try Fault.parse(f) } catch { throw call.argumentError(1, "field 'faults': \(error)") }
                }
                if let u = try o.string("usage") {
                    guard let mode = UsageMode(rawValue: u) else { throw call.argumentError(1, "field 'usage' must be 'final', 'separate' or 'none', got '\(u)'") }
                    c.usage = mode
                }
                if let v = try o.string("connection") {
                    guard let mode = ConnectionBehaviour(rawValue: v) else {
                        throw call.argumentError(1, "field 'connection' must be 'keep_alive', 'close_after_stream' or 'close', got '\(v)'")
                    }
                    c.connection = mode
                }
                if let v = try o.string("tokenizer") {
                    guard let t = TestTokenizer(rawValue: v) else {
                        throw call.argumentError(1, "field 'tokenizer' must be 'words' or 'subword', got '\(v)'")
                    }
                    c.tokenizer = t
                }
                if let v = try o.string("engine") {
                    guard let e = TestEngine(rawValue: v) else {
                        throw call.argumentError(1, "field 'engine' must be 'frontier', 'vllm' or 'llamacpp', got '\(v)'")
                    }
                    c.engine = e
                }
                if let m = try o.string("model") { c.model = m }
                if let n = try o.int("max_tokens") { c.defaultMaxTokens = n }
                if let n = try o.int("threads") { c.threads = n }
                if let a = try o.number("accuracy") {
                    guard (0...1).contains(a) else { throw call.argumentError(1, "field 'accuracy' must be a probability in 0...1, got \(a)") }
                    c.accuracy = a
                }
                c.echo = try o.bool("echo") ?? false
                if let t = try o.sub("tls", only: ["cert_file", "key_file", "client_ca_file"]) {
                    c.tls = TestServerTLS(certFile: try t.required("cert_file", t.string, "a PEM certificate file"),
                                          keyFile: try t.required("key_file", t.string, "a PEM private key file"),
                                          clientCAFile: try t.string("client_ca_file"))
                }
                if let path = try o.string("solutions") {
                    guard c.accuracy != nil else { throw call.argumentError(1, "field 'solutions' needs 'accuracy' (how often the stand-in answers right)") }
                    do { c.solutions = try StandInSolutions.load(path: path) } catch let e as QualityError {
                        throw call.argumentError(1, wrapping: e, prefix: "field 'solutions': ")
                    }
                }
                guard c.ttft >= 0, c.itl >= 0 else { throw call.argumentError(1, "ttft and itl must be 0 or more seconds") }
                let server = try TestServer.start(c)
                try call.push(object: TestServerBox(server, c))
                return 1
            },
            LuaBinding("run", args: "{target=, workload=, concurrency= | rate=, burstiness=, max_in_flight=, tag=, warmup=, duration=, max_requests=, seed=, on_progress=, on_response=, on_done=, keep_responses=, keep_order=, client_threads=, validity={...}, server_metrics={...}, tokenizer='auto'|'tokenize'|'probe'|'none', db=}",
                       "Measures one load level (a trace workload without concurrency or rate follows its arrival times); stores the run and its requests; returns the run (summary figures, offered load, verdict). on_response(r) sees each finished request from the progress poll and may return follow-up requests; on_done(run) gets the run's figures.") { [unowned self] call in
                try self.run(call: call)
            },
            LuaBinding("sweep", args: "{..., concurrency={8, 16, ...} | rate={...}}",
                       "Runs bench.run at each level in turn; returns the list of runs (stops early if a run is stopped or interrupted).") { [unowned self] call in
                try self.sweep(call: call)
            },
            LuaBinding("load", args: "run_id, [db]", "A stored run (measured, simulated or imported) as a run table.") { [unowned self] call in
                let id = try call.integer(1)
                let handle = try self.handle(path: try call.optString(2))
                let row = try StoredRuns.load(id: id, db: handle.db())
                return try self.pushRun(row.merging(["db": .string(handle.path)]) { a, _ in a }, call)
            },
            LuaBinding("delete", args: "{run= | runs={…} | sweep= | tag=, db=}",
                       "Deletes stored runs with their requests, scores and server metrics (one transaction); returns how many went. tag= deletes every sweep of the tag. A running run is refused.") { [unowned self] call in
                let o = try Options(call, 1)
                try o.only(["run", "runs", "sweep", "tag", "db"])
                let handle = try self.handle(path: try o.string("db"))
                let given = ["run", "runs", "sweep", "tag"].filter { o.has($0) }
                guard given.count == 1 else {
                    throw call.argumentError(1, "give one of 'run', 'runs', 'sweep' or 'tag'\(given.isEmpty ? "" : ", not \(given.joined(separator: " and "))")")
                }
                func id(_ v: LuaValue, _ field: String) throws -> Int64 {
                    if let n = v.integer { return Int64(n) }
                    if case .table = v, let id = try RunView(call, 1, v).runID { return id }
                    throw call.argumentError(1, "field '\(field)' must be a run id or a stored run table, got \(v.typeName)")
                }
                var ids: [Int64] = []
                if let v = o.table["run"] {
                    ids = [try id(v, "run")]
                } else if let v = o.table["runs"] {
                    guard case .array(let list) = v else { throw o.error("runs", "a list of run ids or run tables") }
                    ids = try list.enumerated().map { try id($1, "runs[\($0 + 1)]") }
                } else if o.has("sweep") {
                    guard case .id(let sweep) = try o.sweep() else { throw o.error("sweep", "a sweep id (see bench.sweeps)") }
                    ids = try RunRecords.list(sweep: .id(sweep), db: handle.db()).map(\.id)
                } else if let tag = try o.string("tag") {
                    ids = try RunRecords.list(tag: tag, sweep: .all, db: handle.db()).map(\.id)
                }
                return try call.returning(.int(try RunRecords.delete(ids: ids, db: handle.db())))
            },
            LuaBinding("runs", args: "[{tag=, sweep='latest'|'all'|id, source=, db= | store='postgres://…'}]",
                       "Stored runs as run tables, oldest first: of a tag, its latest sweep unless sweep= says otherwise; with no tag, every run (or the sweep given). store= reads a team store's runs of the tag (docs/scale.md).") { [unowned self] call in
                let o = try Options(call, 1, optional: true)
                try o.only(["tag", "sweep", "source", "db", "store"])
                if o.has("store") && o.has("db") { throw call.argumentError(1, "give either 'store' (a team store) or 'db' (a file), not both") }
                let path = try o.string("store").map { try TeamStoreBinding.cache(store: $0, tag: try o.string("tag")) } ?? o.string("db")
                let handle = try self.handle(path: path)
                let rows = try StoredRuns.list(tag: try o.string("tag"), source: try o.string("source"), sweep: try o.sweep(),
                                               db: handle.db())
                try call.pushArray(count: rows.count) { i in
                    _ = try self.pushRun(rows[i].merging(["db": .string(handle.path)]) { a, _ in a }, call)
                }
                return 1
            },
            LuaBinding("sweeps", args: "[{tag=, db=}]",
                       "The stored sweeps (of one tag, or all), oldest first: {sweep=id, tag=, runs=, sources={…}, levels={…}, started_at=}. A sweep is the runs of one tag from one invocation.") { [unowned self] call in
                let o = try Options(call, 1, optional: true)
                try o.only(["tag", "db"])
                let handle = try self.handle(path: try o.string("db"))
                return try call.returning(.array(try Sweeps.list(tag: try o.string("tag"), db: handle.db()).map(StoredRuns.table)))
            },
            LuaBinding("compare", args: "a, b, [{hardware=, confidence=0.95, resamples=10000, seed=1}]",
                       "Two runs side by side (every summary figure, and cost with hardware) with the change, and whether TTFT/TPOT/E2E differ beyond noise (bootstrap interval of the difference).") { [unowned self] call in
                try call.returning(try CompareBinding.run(call, store: self.store))
            },
            LuaBinding("export", args: "{tag=, sweep='latest'|'all'|id, run=, runs=, what='runs'|'requests', format='csv'|'jsonl', out=, db=}",
                       "Runs (summary figures) or requests as CSV or JSON Lines with stable columns (docs/interop.md); of a tag, its latest sweep unless sweep= says otherwise; writes out= or returns the text.") { [unowned self] call in
                try ExportBinding.run(call, store: self.store)
            },
            LuaBinding("request_page", args: "run_id, [{after=-1, limit=1000, chunks=true, db=}]",
                       "Stored requests of a run with idx > after, at most limit (≤ 10,000), with chunk times unless chunks=false (run:each_request() uses it).") { [unowned self] call in
                let o = try Options(call, 2, optional: true)
                try o.only(["after", "limit", "chunks", "db"])
                let handle = try self.handle(path: try o.string("db"))
                try StoredRuns.pushRequests(run: try call.integer(1), after: try o.int("after") ?? -1,
                                            limit: max(1, min(10_000, try o.int("limit") ?? 1000)),
                                            chunks: try o.bool("chunks") ?? true, db: handle.db(), call)
                return 1
            },
            LuaBinding("server_metrics", args: "run_id, [{name=, db=}]",
                       "The server series sampled during a run, as rows {t, name, value} in time order (run:server_metrics() uses it).") { [unowned self] call in
                let o = try Options(call, 2, optional: true)
                try o.only(["name", "db"])
                let handle = try self.handle(path: try o.string("db"))
                let rows = try ServerMetricRecords.load(run: Int64(try call.integer(1)), name: try o.string("name"), db: handle.db())
                return try call.returning(.array(rows.map { ["t": .double($0.t), "name": .string($0.name), "value": .double($0.value)] }))
            },
        ])
    }

    /// The default store, or another file.
    func handle(path: String?) throws -> DBHandle { store.handle(path: path) }

    /// Attaches run.lua's methods and pushes the run.
    func pushRun(_ t: [String: LuaValue], _ call: LuaCall) throws -> Int {
        if wrapRun == nil { wrapRun = try call.vm.function(evaluating: "require('run').wrap") }
        guard let wrap = wrapRun else { return try call.returning(.table(t)) }
        return try wrap.callReturningResults(in: call, [.table(t)])
    }

    // MARK: targets

    static let endpointFields: Set<String> = ["url", "model", "api", "api_key_env", "headers", "stream", "timeout", "body", "connection", "kind",
                                              "ca_file", "client_cert", "client_key", "server_name", "insecure", "proxy",
                                              "path", "query", "api_key_header", "api_key_scheme"]

    static func endpoint(from o: Options) throws -> Endpoint {
        try o.only(endpointFields)
        let url = try o.required("url", o.string, "base URL ending in /v1")
        let model = try o.required("model", o.string, "model name")
        var api = Endpoint.API.completions
        if let a = try o.string("api") {
            guard let v = Endpoint.API(rawValue: a) else { throw o.call.argumentError(o.position, "field 'api' must be 'completions' or 'chat', got '\(a)'") }
            api = v
        }
        var headers: [String: String] = [:]
        if let h = try o.entries("headers") {  // header names are data
            for (k, v) in h.table {
                guard let s = v.string else { throw h.error(k, "a string (header value)") }
                headers[k] = s
            }
        }
        var e = Endpoint(baseURL: url, model: model, api: api, apiKeyEnv: try o.string("api_key_env"),
                         headers: headers, stream: try o.bool("stream") ?? true)
        if let t = try o.sub("timeout", only: ["connect", "first_token", "total"]) {
            if let v = try t.positive("connect") { e.connectTimeout = v }
            if let v = try t.positive("first_token") { e.firstTokenTimeout = v }
            if let v = try t.positive("total") { e.totalTimeout = v }
        }
        if let c = try o.string("connection") {
            guard let v = Endpoint.Connection(rawValue: c) else {
                throw o.call.argumentError(o.position, "field '\(o.path)connection' must be 'keep_alive' or 'close', got '\(c)'")
            }
            e.connection = v
        }
        if let b = o.table["body"], !b.isNil {
            guard case .table = b else { throw o.error("body", "a table of extra request fields") }
            e.extraBody = try JSON.encode(b)
        }
        e.tls = TLSOptions(caFile: try o.string("ca_file"), clientCertificate: try o.string("client_cert"),
                           clientKey: try o.string("client_key"), serverName: try o.string("server_name"),
                           insecure: try o.bool("insecure") ?? false)
        switch o.table["proxy"] ?? .nil {
        case .nil: break
        case .bool(false): e.proxy = .none
        case .string(let u): e.proxy = .url(u)
        default: throw o.error("proxy", "a proxy URL (http://host:port) or false (no proxy, whatever the environment says)")
        }
        e.path = try o.string("path")
        if let q = try o.entries("query") {  // parameter names are data
            for (k, v) in q.table {
                if let str = v.string { e.query[k] = str } else if let n = v.integer { e.query[k] = String(n) } else {
                    throw q.error(k, "a string (query parameter value)")
                }
            }
        }
        if let h = try o.string("api_key_header") { e.apiKeyHeader = h }
        e.apiKeyScheme = try o.string("api_key_scheme")
        do { try e.validate() } catch { throw o.call.argumentError(o.position, "\(error)") }
        return e
    }

    static func endpointTable(_ o: Options) throws -> LuaValue {
        let e = try endpoint(from: o)
        var t: [String: LuaValue] = ["kind": "openai", "url": .string(e.baseURL), "model": .string(e.model),
                                     "api": .string(e.api.rawValue), "stream": .bool(e.stream),
                                     "connection": .string(e.connection.rawValue),
                                     "timeout": ["connect": .double(e.connectTimeout), "first_token": .double(e.firstTokenTimeout),
                                                 "total": .double(e.totalTimeout)]]
        if let k = e.apiKeyEnv { t["api_key_env"] = .string(k) }
        if !e.headers.isEmpty { t["headers"] = .table(e.headers.mapValues { .string($0) }) }
        if let b = e.extraBody { t["body"] = try JSON.decode(b) }
        if let v = e.tls.caFile { t["ca_file"] = .string(v) }
        if let v = e.tls.clientCertificate { t["client_cert"] = .string(v) }
        if let v = e.tls.clientKey { t["client_key"] = .string(v) }
        if let v = e.tls.serverName { t["server_name"] = .string(v) }
        if e.tls.insecure { t["insecure"] = .bool(true) }
        switch e.proxy {
        case .environment: break
        case .none: t["proxy"] = .bool(false)
        case .url(let u): t["proxy"] = .string(u)
        }
        if let v = e.path { t["path"] = .string(v) }
        if !e.query.isEmpty { t["query"] = .table(e.query.mapValues { .string($0) }) }
        if e.apiKeyHeader != "Authorization" { t["api_key_header"] = .string(e.apiKeyHeader) }
        if let v = e.apiKeyScheme { t["api_key_scheme"] = .string(v) }
        return .table(t)
    }
}
