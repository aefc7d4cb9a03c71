import TestServer
import XCTest

final class FaultTests: XCTestCase {
    private func server(_ kind: Fault.Kind, ttft: Double = 0, itl: Double = 0) -> TestServerConfig {
        var config = fastConfig(ttft: ttft, itl: itl)
        config.faults = [Fault(kind: kind)]
        return config
    }

    func testHTTPErrorFaults() throws {
        for (kind, status) in [(Fault.Kind.http429, 429), (.http500, 500)] {
            try withServer(server(kind, ttft: 1)) { server in
                let client = try RawHTTPClient(port: server.port)
                let start = monotonicNow()
                let response = try client.post("/v1/completions", completionBody())
                XCTAssertLessThan(monotonicNow() - start, 0.5, "error faults answer immediately")
                XCTAssertEqual(response.status, status)
                let error = try XCTUnwrap(response.json?["error"] as? [String: Any])
                XCTAssertNotNil(error["message"] as? String)
                XCTAssertEqual(server.stats().faultsInjected[kind.rawValue], 1)
                // Keep-alive survives an error reply.
                XCTAssertEqual(try client.request("GET", "/health").status, 200)
            }
        }
    }

    func testNonJSONFault() throws {
        try withServer(server(.nonJSON)) { server in
            let response = try RawHTTPClient(port: server.port).post("/v1/chat/completions", chatBody())
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.headers["content-type"], "text/html")
            XCTAssertEqual(response.text, "<html><body>upstream error</body></html>")
        }
    }

    func testResetSendsHalfTheTokensThenResets() throws {
        try withServer(server(.reset, itl: 0.005)) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.post("/v1/completions", completionBody(maxTokens: 10))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(tokenEvents(response).count, 5)
            XCTAssertEqual(response.ending, .reset, "a TCP reset, not a clean close")
            XCTAssertFalse(response.events.contains { $0.data == "[DONE]" })
            XCTAssertTrue(eventually { server.stats().streamsAborted == 1 && server.stats().streamsActive == 0 })
            XCTAssertEqual(server.stats().tokensSent, 5)
        }
    }

    func testMalformedInsertsOneBadEventAndContinues() throws {
        try withServer(server(.malformed)) { server in
            let response = try RawHTTPClient(port: server.port).post("/v1/completions", completionBody(maxTokens: 10))
            XCTAssertEqual(response.ending, .complete)
            XCTAssertEqual(response.events.count, 12, "10 tokens, the bad event, [DONE]")
            XCTAssertEqual(response.events[5].data, "{not json")
            XCTAssertNil(response.events[5].json)
            XCTAssertEqual(tokenEvents(response).count, 10)
            XCTAssertEqual(firstChoice(tokenEvents(response).last?.json)?["finish_reason"] as? String, "length")
            XCTAssertEqual(response.events.last?.data, "[DONE]")
        }
    }

    func testStallSendsHeadThenNothing() throws {
        try withServer(server(.stall)) { server in
            let client = try RawHTTPClient(port: server.port, timeout: 0.4)
            let start = monotonicNow()
            let response = try client.post("/v1/completions", completionBody(maxTokens: 3))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.headers["content-type"], "text/event-stream")
            XCTAssertEqual(response.ending, .timeout)
            XCTAssertGreaterThanOrEqual(monotonicNow() - start, 0.35)
            XCTAssertTrue(response.body.isEmpty)
            XCTAssertEqual(server.stats().streamsActive, 1)
            client.close()
            XCTAssertTrue(eventually { server.stats().streamsCancelled == 1 && server.stats().streamsActive == 0 })
        }
    }

    func testTruncateEndsEarlyWithoutFinishReason() throws {
        var config = server(.truncate)
        config.usage = .separateChunk
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            let response = try client.post("/v1/completions", completionBody(maxTokens: 10, includeUsage: true))
            XCTAssertEqual(response.ending, .complete)
            XCTAssertEqual(tokenEvents(response).count, 5)
            XCTAssertEqual(response.events.count, 6)
            XCTAssertEqual(response.events.last?.data, "[DONE]")
            for event in tokenEvents(response) {
                XCTAssertTrue(firstChoice(event.json)?["finish_reason"] is NSNull)
                XCTAssertNil(event.json?["usage"])
            }
            // The connection stays usable, as after a normal stream.
            XCTAssertEqual(try client.request("GET", "/health").status, 200)
        }
    }

    func testFaultCountRule() throws {
        var config = fastConfig()
        config.faults = [Fault(kind: .http429, fraction: 0.25)]
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            var statuses: [Int] = []
            for _ in 0..<8 {
                statuses.append(try client.post("/v1/completions", completionBody(maxTokens: 1, stream: false)).status)
            }
            XCTAssertEqual(statuses, [200, 200, 200, 429, 200, 200, 200, 429])
            XCTAssertEqual(server.stats().faultsInjected["429"], 2)
        }
    }

    /// `--faults 429:0.1,500:0.05,…` gives each kind its share (not all to the first).
    func testEachFaultKindGetsItsShare() throws {
        var config = fastConfig()
        config.faults = try Fault.parse("429:0.2,500:0.1")
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            let statuses = try (0..<40).map { _ in
                try client.post("/v1/completions", completionBody(maxTokens: 1, stream: false)).status
            }
            // 8 and 4 are due by request 40; the 500 due with a 429 on request 40 waits for the 41st.
            XCTAssertEqual(statuses.filter { $0 == 429 }.count, 8)
            XCTAssertEqual(statuses.filter { $0 == 500 }.count, 3)
            XCTAssertEqual(try client.post("/v1/completions", completionBody(maxTokens: 1, stream: false)).status, 500)
            XCTAssertEqual(server.stats().faultsInjected, ["429": 8, "500": 4])
        }
    }

    func testNonStreamedFaults() throws {
        try withServer(server(.reset)) { server in
            let response = try RawHTTPClient(port: server.port).post("/v1/completions",
                                                                     completionBody(maxTokens: 4, stream: false))
            XCTAssertEqual(response.status, 0, "the connection dies before any reply")
            XCTAssertTrue(response.ending == .reset || response.ending == .eof)
        }
        try withServer(server(.malformed)) { server in
            let response = try RawHTTPClient(port: server.port).post("/v1/completions",
                                                                     completionBody(maxTokens: 4, stream: false))
            XCTAssertEqual(response.status, 200)
            XCTAssertEqual(response.text, "{not json")
        }
    }
}
