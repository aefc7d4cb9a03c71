import Foundation
import TestServer
import XCTest

/// A pacer with fixed timing on its own queue: `burst` tokens every `gap` seconds after `first`.
/// Records what it was asked for and which requests were cancelled.
final class FixedPacer: TokenPacer, @unchecked Sendable {
    let first: Double, gap: Double, burst: Int
    private let lock = NSLock()
    private var started: [(prompt: Int, max: Int)] = []  // guarded by lock
    private var cancelledCount = 0  // guarded by lock
    private var shutdowns = 0  // guarded by lock
    /// Prompts longer than this are refused.
    var limit = Int.max

    init(first: Double = 0.02, gap: Double = 0.005, burst: Int = 1) {
        self.first = first
        self.gap = gap
        self.burst = burst
    }

    struct Refused: Error, CustomStringConvertible {
        var description: String { "prompt too long for this pacer" }
    }

    final class Request: PacedRequest, @unchecked Sendable {
        private let lock = NSLock()
        private var cancelled = false  // guarded by lock
        let onCancel: @Sendable () -> Void
        init(onCancel: @escaping @Sendable () -> Void) { self.onCancel = onCancel }
        var isCancelled: Bool { lock.withLock { cancelled } }
        func cancel() {
            let first = lock.withLock { () -> Bool in
                defer { cancelled = true }
                return !cancelled
            }
            if first { onCancel() }
        }
    }

    func start(promptTokens: Int, maxTokens: Int, deliver: @escaping @Sendable (Int) -> Void) throws -> any PacedRequest {
        guard promptTokens <= limit else { throw Refused() }
        lock.withLock { started.append((promptTokens, maxTokens)) }
        let request = Request { [self] in lock.withLock { cancelledCount += 1 } }
        let queue = DispatchQueue(label: "fixed-pacer")
        var sent = 0, step = 0
        while sent < maxTokens {
            let n = min(burst, maxTokens - sent)
            sent += n
            queue.asyncAfter(deadline: .now() + first + gap * Double(step)) {
                if !request.isCancelled { deliver(n) }
            }
            step += 1
        }
        return request
    }

    func shutdown() { lock.withLock { shutdowns += 1 } }

    var requests: [(prompt: Int, max: Int)] { lock.withLock { started } }
    var cancellations: Int { lock.withLock { cancelledCount } }
    var shutdownCount: Int { lock.withLock { shutdowns } }
}

final class PacedTests: XCTestCase {
    private func pacedConfig(_ pacer: FixedPacer) -> TestServerConfig {
        var config = fastConfig(ttft: 5, itl: 5)  // would time out the tests if they were used
        config.pacer = pacer
        return config
    }

    func testPacedStreamIsCompleteAndValid() throws {
        for burst in [1, 3] {
            let pacer = FixedPacer(burst: burst)
            var config = pacedConfig(pacer)
            config.usage = .separateChunk
            try withServer(config) { server in
                let client = try RawHTTPClient(port: server.port)
                let started = monotonicNow()
                let response = try client.post("/v1/completions",
                                               completionBody(maxTokens: 10, includeUsage: true, prompt: "one two three four"))
                XCTAssertLessThan(monotonicNow() - started, 2, "paced, not the 5 s ttft")
                XCTAssertEqual(response.status, 200)
                XCTAssertEqual(response.ending, .complete)
                XCTAssertEqual(response.events.last?.data, "[DONE]")
                let tokens = tokenEvents(response)
                XCTAssertEqual(tokens.count, 10)
                XCTAssertEqual(tokens.compactMap { firstChoice($0.json)?["text"] as? String }, Array(repeating: " tok", count: 10))
                XCTAssertEqual(firstChoice(tokens.last?.json)?["finish_reason"] as? String, "length")
                let usage = response.events.compactMap(\.json).compactMap { $0["usage"] as? [String: Int] }
                XCTAssertEqual(usage, [["prompt_tokens": 4, "completion_tokens": 10, "total_tokens": 14]])
                XCTAssertEqual(pacer.requests.map(\.prompt), [4])
                XCTAssertEqual(pacer.requests.map(\.max), [10])
                XCTAssertTrue(eventually {
                    let s = server.stats()
                    return s.streamsCompleted == 1 && s.tokensSent == 10 && s.streamsActive == 0
                }, "\(server.stats())")
                // Lateness in paced mode: delivery to write, one sample per token.
                XCTAssertEqual(server.stats().lateness.count, 10)
                XCTAssertLessThan(server.stats().lateness.max, 1)
            }
        }
    }

    func testPacedChatAndBodyReplies() throws {
        let pacer = FixedPacer()
        try withServer(pacedConfig(pacer)) { server in
            let client = try RawHTTPClient(port: server.port)
            let chat = try client.post("/v1/chat/completions", chatBody(maxTokens: 4))
            XCTAssertEqual(tokenEvents(chat).count, 4)
            XCTAssertEqual((firstChoice(tokenEvents(chat).first?.json)?["delta"] as? [String: Any])?["role"] as? String, "assistant")
            let started = monotonicNow()
            let body = try client.post("/v1/completions", completionBody(maxTokens: 6, stream: false))
            let elapsed = monotonicNow() - started
            XCTAssertEqual(body.status, 200)
            XCTAssertEqual(firstChoice(body.json)?["text"] as? String, String(repeating: " tok", count: 6))
            XCTAssertEqual((body.json?["usage"] as? [String: Int])?["completion_tokens"], 6)
            // The body goes out after the last delivery: 20 ms + 5 × 5 ms.
            XCTAssertGreaterThan(elapsed, 0.04)
            XCTAssertEqual(pacer.requests.map(\.prompt), [5, 3])  // "be brief" + "say three words"; the prompt
        }
        XCTAssertEqual(pacer.shutdownCount, 1, "stop() shuts the pacer down once")
    }

    func testDisconnectCancelsThePacedRequest() throws {
        let pacer = FixedPacer(first: 0.01, gap: 0.01)
        try withServer(pacedConfig(pacer)) { server in
            let client = try RawHTTPClient(port: server.port)
            try client.sendRaw(RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: 1000)))
            XCTAssertTrue(eventually { server.stats().tokensSent >= 3 })
            client.close()
            XCTAssertTrue(eventually { pacer.cancellations == 1 }, "the pacer's request is cancelled")
            XCTAssertTrue(eventually { server.stats().streamsCancelled == 1 && server.stats().streamsActive == 0 })
            XCTAssertLessThan(server.stats().tokensSent, 1000)
        }
    }

    func testRefusedRequestsGet400AndFaultsStillApply() throws {
        let pacer = FixedPacer()
        pacer.limit = 3
        var config = pacedConfig(pacer)
        config.faults = [Fault(kind: .truncate, fraction: 1)]
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            let refused = try client.post("/v1/completions", completionBody(maxTokens: 4, prompt: "a b c d e"))
            XCTAssertEqual(refused.status, 400)
            XCTAssertTrue(refused.text.contains("prompt too long for this pacer"), refused.text)
            let truncated = try client.post("/v1/completions", completionBody(maxTokens: 8, prompt: "a b"))
            XCTAssertEqual(truncated.status, 200)
            XCTAssertEqual(tokenEvents(truncated).count, 4, "half the tokens, then [DONE] with no finish reason")
            XCTAssertEqual(truncated.events.last?.data, "[DONE]")
            XCTAssertTrue(eventually { pacer.cancellations == 1 }, "a reply cut short stops its generation")
        }
    }
}
