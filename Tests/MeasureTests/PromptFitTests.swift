import Foundation
import Interop
import Metrics
import Runs
import TestServer
import XCTest
@testable import Measure

/// Prompts sized in the server's tokens, and the engine that answers, against test
/// servers whose tokenizer is not a word count.
final class PromptFitTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("promptfit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func server(tokenizer: TestTokenizer = .subword, engine: TestEngine = .frontier) throws -> TestServer {
        var c = TestServerConfig()
        c.ttft = 0.005
        c.itl = 0.001
        c.tokenizer = tokenizer
        c.engine = engine
        return try TestServer.start(c)
    }

    func measure(_ e: Endpoint, _ w: Workload, preparation: RunPreparation?) throws -> RunOutcome {
        let run = try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: 4)), tag: nil,
                                 store: nil, preparation: preparation)
        try run.start()
        let deadline = Date().addingTimeInterval(60)
        while !run.wait(timeout: 0.1) {
            if Date() > deadline { run.stop(.failed); XCTFail("run did not finish"); break }
        }
        return try run.finish()
    }

    /// Words sent as tokens are off by far more than 2 % with a subword tokenizer; fitted
    /// through `/tokenize`, the served mean is within 2 % of the requested one.
    /// The tag is "Request" and three words picked by a hash of "seed-index": no digits, so
    /// it costs the same tokens whatever the seed (a six-digit seed's tag once cost llama.cpp
    /// ~4 tokens more than the calibration's probes), the same for the same request, and
    /// different between requests.
    func testTheTagIsFourWordsWithoutTheSeedsDigits() {
        for tag in ["7-1", "123456-1", "987654-2999"] {
            let words = PromptText.tagWords(tag)
            XCTAssertEqual(words.count, 4)
            XCTAssertEqual(words[0], "Request")
            XCTAssertTrue(words[3].hasSuffix(":"))
            XCTAssertFalse(words.joined().contains { $0.isNumber }, "\(words)")
            XCTAssertEqual(PromptText.tagWords(tag), words, "the same request, the same tag")
        }
        let tags = Set((0..<3000).map { PromptText.tagWords("123456-\($0)").joined(separator: " ") })
        XCTAssertGreaterThan(tags.count, 2990, "3,000 requests, at most a few tags shared by chance (120³ of them)")
        var rng = SeededRNG(seed: 1)
        XCTAssertEqual(PromptText.make(tokens: 10, tag: "5-1", rng: &rng).split(separator: " ").count, 10, "the tag's words count in the length")
    }

    func testTokenizeFitsPromptsToTheServersTokensAndIsCached() throws {
        let s = try server()
        defer { s.stop() }
        let e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        let w = try Workload.synthetic(n: 48, seed: 5, input: .uniform(min: 40, max: 200), output: .fixed(2))
        let unfitted = try measure(e, w, preparation: nil)
        let before = try XCTUnwrap(unfitted.inputLength)
        XCTAssertGreaterThan(abs(before.difference), 0.02, "the test tokenizer is not a word count")
        XCTAssertTrue(unfitted.warnings.contains { $0.contains("requested") }, "\(unfitted.warnings)")

        let store = try RunStore(path: dir.appendingPathComponent("f.db").path)
        defer { store.close() }
        let p = try RunPreparation.prepare(endpoint: e, workload: w, tokenizer: .auto, store: store)
        let c = try XCTUnwrap(p.calibration)
        XCTAssertEqual(c.method, "tokenize")
        XCTAssertFalse(p.calibrationCached)
        XCTAssertGreaterThan(c.perWord, 1.0, "long words are two tokens")
        XCTAssertGreaterThan(c.intercept, 2, "BOS, \"Request\" (seven letters: two tokens) and the tag's colon")
        XCTAssertEqual(s.stats().requestsByEndpoint["/tokenize"], 14)
        let fitted = try measure(e, w, preparation: p)
        let after = try XCTUnwrap(fitted.inputLength)
        XCTAssertEqual(after.requested.mean, before.requested.mean, accuracy: 1e-9, "the same lengths were asked for")
        XCTAssertLessThanOrEqual(abs(after.difference), 0.02, "served \(after.served.mean) vs requested \(after.requested.mean)")
        XCTAssertFalse(fitted.warnings.contains { $0.contains("requested") }, "\(fitted.warnings)")
        XCTAssertTrue(fitted.settings.contains(#""tokenizer":"tokenize""#), fitted.settings)

        let again = try RunPreparation.prepare(endpoint: e, workload: w, tokenizer: .auto, store: store)
        XCTAssertTrue(again.calibrationCached, "the calibration is read from the store")
        XCTAssertEqual(again.calibration, c)
        XCTAssertEqual(s.stats().requestsByEndpoint["/tokenize"], 14, "the server is not asked again")
        XCTAssertEqual(again.workload, p.workload, "the same fit")
    }

    /// A chat target is calibrated with probe requests (the template's tokens count).
    func testChatTargetsAreCalibratedWithProbeRequests() throws {
        let s = try server()
        defer { s.stop() }
        let e = Endpoint(baseURL: s.baseURL, model: "frontier-test", api: .chat)
        let w = try Workload.synthetic(n: 32, seed: 2, input: .fixed(100), output: .fixed(2), chat: true)
        let p = try RunPreparation.prepare(endpoint: e, workload: w, tokenizer: .auto, store: nil)
        XCTAssertEqual(p.calibration?.method, "probe")
        XCTAssertNil(s.stats().requestsByEndpoint["/tokenize"])
        let o = try measure(e, w, preparation: p)
        let l = try XCTUnwrap(o.inputLength)
        XCTAssertLessThanOrEqual(abs(l.difference), 0.02, "served \(l.served.mean) vs requested \(l.requested.mean)")
    }

    /// One URL, two APIs: a chat calibration (template tokens in its intercept) is cached
    /// apart from the completions one, and neither is reused for the other.
    func testChatAndCompletionsCalibrationsAreCachedApart() throws {
        let s = try server()
        defer { s.stop() }
        let store = try RunStore(path: dir.appendingPathComponent("apart.db").path)
        defer { store.close() }
        let chat = Endpoint(baseURL: s.baseURL, model: "frontier-test", api: .chat)
        let plain = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        let w = try Workload.synthetic(n: 8, seed: 3, input: .fixed(64), output: .fixed(2))
        let c = try RunPreparation.prepare(endpoint: chat, workload: w, tokenizer: .auto, store: store)
        XCTAssertEqual(c.calibration?.method, "probe")
        let p = try RunPreparation.prepare(endpoint: plain, workload: w, tokenizer: .auto, store: store)
        XCTAssertFalse(p.calibrationCached, "the chat calibration is not the completions one")
        XCTAssertEqual(p.calibration?.method, "tokenize")
        let again = try RunPreparation.prepare(endpoint: chat, workload: w, tokenizer: .auto, store: store)
        XCTAssertTrue(again.calibrationCached)
        XCTAssertEqual(again.calibration, c.calibration)
        XCTAssertEqual(try store.tokenizerCalibration(target: s.baseURL + " (chat)", model: "frontier-test"), c.calibration)
    }

    /// A words tokenizer changes nothing; `none` never asks; a server without any way to
    /// count is a warning, not a failure.
    func testNoCalibrationNeededOrPossible() throws {
        let s = try server(tokenizer: .words)
        defer { s.stop() }
        let e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        let w = try Workload.synthetic(n: 8, seed: 1, input: .uniform(min: 1, max: 50), output: .fixed(2))
        let p = try RunPreparation.prepare(endpoint: e, workload: w, tokenizer: .auto, store: nil)
        XCTAssertEqual(Array(p.workload), Array(w), "a server that counts words gets the prompts as written")
        let off = try RunPreparation.prepare(endpoint: e, workload: w, tokenizer: .none, identifyEngine: false, store: nil)
        XCTAssertNil(off.calibration)
        let dead = Endpoint(baseURL: "http://127.0.0.1:9/v1", model: "m")
        let nowhere = try RunPreparation.prepare(endpoint: dead, workload: w, tokenizer: .tokenize, identifyEngine: false, store: nil)
        XCTAssertNil(nowhere.calibration)
        XCTAssertEqual(nowhere.workload, w)
        XCTAssertTrue(nowhere.warnings.first?.contains("sized in words") ?? false, "\(nowhere.warnings)")
    }

    func testTheEngineIsIdentified() throws {
        for (engine, expected, version) in [(TestEngine.llamacpp, InferenceServer.llamacpp, nil as String?),
                                             (.vllm, .vllm, "0.0.0-frontier-test"), (.frontier, nil, nil)] {
            let s = try server(tokenizer: .words, engine: engine)
            defer { s.stop() }
            let e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
            let w = try Workload.synthetic(n: 2, seed: 1, input: .fixed(5), output: .fixed(2))
            let p = try RunPreparation.prepare(endpoint: e, workload: w, tokenizer: .none, store: nil)
            XCTAssertEqual(p.engine.engine, expected, "\(engine)")
            XCTAssertEqual(p.engine.version, version, "\(engine)")
            if let expected {
                XCTAssertEqual(p.engine.evidence, "owned_by")
                let o = try measure(e, w, preparation: p)
                XCTAssertTrue(o.settings.contains(#""engine":"\#(expected.rawValue)""#), o.settings)
            } else {
                XCTAssertNil(p.settings["engine"])
            }
        }
        XCTAssertEqual(EngineIdentity.engine(named: "llama.cpp"), .llamacpp, "the Server header llama-server sends")
        XCTAssertEqual(EngineIdentity.engine(named: "text-generation-inference"), .tgi)
        XCTAssertNil(EngineIdentity.engine(named: "uvicorn"))
    }

    /// llama-server's metric names are mapped, and its other series stored under their names.
    func testLlamaCppMetricsAreSampled() throws {
        var c = TestServerConfig()
        c.ttft = 0.01
        c.itl = 0.01
        c.engine = .llamacpp
        let s = try TestServer.start(c)
        defer { s.stop() }
        let e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        let w = try Workload.synthetic(n: 8, seed: 1, input: .fixed(5), output: .fixed(30))
        let run = try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: 2)), tag: nil,
                                 store: nil, serverMetrics: ServerMetricsOptions(interval: 0.05))
        try run.start()
        while !run.wait(timeout: 0.1) {}
        let o = try run.finish()
        let names = Set(o.serverMetrics.map(\.name))
        XCTAssertTrue(names.isSuperset(of: ["requests_running", "requests_waiting", "generation_tokens_total"]), "\(names)")
        XCTAssertTrue(names.contains("llamacpp:n_decode_total"), "unmapped, under its own name")
        XCTAssertEqual(o.warnings, [])
        let last = try XCTUnwrap(o.serverMetrics.last { $0.name == "generation_tokens_total" })
        XCTAssertLessThanOrEqual(last.value, 240)
    }
}
