import TestServer
import XCTest

/// Token arrival against the configured schedule. Tolerances are generous on purpose: the
/// machine is shared and noisy; the server's own lateness stats are the precise measure.
final class TimingTests: XCTestCase {
    func testStreamedTokensArriveOnSchedule() throws {
        try withServer(fastConfig(ttft: 0.1, itl: 0.02)) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.post("/v1/completions", completionBody(maxTokens: 10))
            let tokens = tokenEvents(response)
            XCTAssertEqual(tokens.count, 10)
            let first = try XCTUnwrap(tokens.first?.time)
            let last = try XCTUnwrap(tokens.last?.time)
            XCTAssertLessThan(response.headTime, 0.05, "the head goes out at once")
            XCTAssertGreaterThanOrEqual(first, 0.1)
            XCTAssertLessThan(first, 0.1 + 0.08)
            XCTAssertGreaterThanOrEqual(last, 0.28)
            XCTAssertLessThan(last, 0.28 + 0.08)
            for (index, token) in tokens.enumerated() {
                XCTAssertGreaterThanOrEqual(token.time, 0.1 + Double(index) * 0.02, "token \(index) early")
            }
            // Stats are recorded after the flush, so the client may be a moment ahead.
            XCTAssertTrue(eventually { server.stats().lateness.count == 10 })
            let stats = server.stats()
            XCTAssertLessThan(stats.lateness.max, 0.05)
        }
    }

    func testNonStreamedBodyArrivesAtLastTokenDeadline() throws {
        try withServer(fastConfig(ttft: 0.05, itl: 0.02)) { server in
            let client = try RawHTTPClient(port: server.port)
            try client.sendRaw(RawHTTPClient.requestText("POST", "/v1/completions",
                                                         body: completionBody(maxTokens: 6, stream: false)))
            let start = monotonicNow()
            let response = client.readResponse()
            let elapsed = monotonicNow() - start
            XCTAssertEqual(response.status, 200)
            XCTAssertGreaterThanOrEqual(elapsed, 0.05 + 5 * 0.02 - 0.002)
            XCTAssertLessThan(elapsed, 0.15 + 0.08)
        }
    }

    /// Schedules are absolute: a request on a reused connection gets its own clock.
    func testKeepAliveRequestsEachGetFullSchedule() throws {
        try withServer(fastConfig(ttft: 0.05, itl: 0.01)) { server in
            let client = try RawHTTPClient(port: server.port)
            for _ in 0..<3 {
                let response = try client.post("/v1/completions", completionBody(maxTokens: 3))
                let tokens = tokenEvents(response)
                XCTAssertEqual(tokens.count, 3)
                XCTAssertGreaterThanOrEqual(tokens.first?.time ?? 0, 0.05)
                XCTAssertGreaterThanOrEqual(tokens.last?.time ?? 0, 0.07)
            }
        }
    }
}
