import Foundation
import TestServer
import XCTest

/// Many streams at once, and zero-delay throughput. These print what they measured; their
/// assertions are loose because CI machines are small and shared.
final class LoadTests: XCTestCase {
    func testSixtyFourConcurrentStreamsStayOnSchedule() throws {
        try withServer(fastConfig(ttft: 0.05, itl: 0.01)) { server in
            let request = RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: 50))
            let outcome = try StreamDrainer.run(port: server.port, streams: 64, request: request)
            XCTAssertEqual(outcome.completed, 64)
            XCTAssertEqual(outcome.events, Array(repeating: 51, count: 64), "every stream: 50 tokens and [DONE]")
            // The server records a write after its flush, so the client can see the end first.
            XCTAssertTrue(eventually { server.stats().streamsCompleted == 64 })
            let stats = server.stats()
            XCTAssertEqual(stats.lateness.count, 64 * 50)
            print(String(format: "64 streams x 50 tokens: lateness p50 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms",
                         stats.lateness.p50 * 1e3, stats.lateness.p99 * 1e3, stats.lateness.max * 1e3,
                         stats.lateness.mean * 1e3))
            // Generous: these machines are shared; the benchmark (scripts/bench/client.sh) gives the real figure.
            XCTAssertLessThan(stats.lateness.p50, 0.05, "median write within 50 ms of its deadline")
        }
    }

    func testZeroDelayThroughput() throws {
        try withServer(fastConfig()) { server in
            let client = try RawHTTPClient(port: server.port, timeout: 30)
            let tokens = 200_000
            let start = monotonicNow()
            try client.sendRaw(RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: tokens)))
            let outcome = client.drainCountingEvents()
            let elapsed = monotonicNow() - start
            XCTAssertTrue(outcome.sawMarker)
            XCTAssertEqual(outcome.events, tokens + 1)
            print(String(format: "zero delay: %d chunks in %.3f s = %.0f chunks/s (one stream, test client)",
                         tokens, elapsed, Double(tokens) / elapsed))
            XCTAssertTrue(eventually { server.stats().tokensSent == tokens })
        }
    }
}
