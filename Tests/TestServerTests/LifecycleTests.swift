import TestServer
import XCTest

final class LifecycleTests: XCTestCase {
    func testClientDisconnectMidStreamCancelsTheStream() throws {
        try withServer(fastConfig(ttft: 0, itl: 0.02)) { server in
            let client = try RawHTTPClient(port: server.port)
            try client.sendRaw(RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: 500)))
            usleep(100_000)
            XCTAssertEqual(server.stats().streamsActive, 1)
            client.close()
            XCTAssertTrue(eventually {
                let stats = server.stats()
                return stats.streamsActive == 0 && stats.streamsCancelled == 1 && stats.connectionsActive == 0
            })
            let sent = server.stats().tokensSent
            usleep(100_000)
            XCTAssertEqual(server.stats().tokensSent, sent, "no writes after the client left")
            XCTAssertLessThan(sent, 500)
            // The server is fine afterwards.
            let again = try RawHTTPClient(port: server.port).post("/v1/completions", completionBody(maxTokens: 2))
            XCTAssertEqual(tokenEvents(again).count, 2)
        }
    }

    func testStopIsIdempotentAndClosesOpenStreams() throws {
        let server = try TestServer.start(fastConfig(itl: 0.05))
        let client = try RawHTTPClient(port: server.port)
        try client.sendRaw(RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: 100)))
        usleep(80_000)
        server.stop()
        let response = client.readResponse()
        XCTAssertEqual(response.status, 200)
        XCTAssertNotEqual(response.ending, .complete)
        XCTAssertNotEqual(response.ending, .timeout)
        server.stop()
        server.stop()
        XCTAssertEqual(server.stats().streamsCancelled, 1)
        XCTAssertEqual(server.stats().streamsActive, 0)
        XCTAssertThrowsError(try RawHTTPClient(port: server.port), "nothing listens after stop")
    }

    func testConcurrentStopCallsAreSafe() throws {
        let server = try TestServer.start(fastConfig())
        DispatchQueue.concurrentPerform(iterations: 4) { _ in server.stop() }
        XCTAssertThrowsError(try RawHTTPClient(port: server.port))
    }

    func testTwoServersAtOnce() throws {
        var slow = fastConfig(ttft: 0.05)
        slow.model = "a"
        var other = fastConfig()
        other.model = "b"
        try withServer(slow) { first in
            try withServer(other) { second in
                XCTAssertNotEqual(first.port, second.port)
                let a = try RawHTTPClient(port: first.port).request("GET", "/v1/models")
                let b = try RawHTTPClient(port: second.port).request("GET", "/v1/models")
                XCTAssertEqual((a.json?["data"] as? [[String: Any]])?.first?["id"] as? String, "a")
                XCTAssertEqual((b.json?["data"] as? [[String: Any]])?.first?["id"] as? String, "b")
                XCTAssertEqual(first.stats().requests, 1)
                XCTAssertEqual(second.stats().requests, 1)
            }
        }
    }

    func testInvalidConfigAndBusyPortThrow() throws {
        var bad = fastConfig()
        bad.itl = -1
        XCTAssertThrowsError(try TestServer.start(bad)) { error in
            XCTAssertTrue("\(error)".contains("itl"), "\(error)")
        }
        bad = fastConfig()
        bad.faults = [Fault(kind: .reset, fraction: 2)]
        XCTAssertThrowsError(try TestServer.start(bad))
        try withServer(fastConfig()) { server in
            var same = fastConfig()
            same.port = server.port
            XCTAssertThrowsError(try TestServer.start(same)) { error in
                XCTAssertTrue("\(error)".contains("\(server.port)"), "\(error)")
            }
        }
    }

    func testSeveralEventLoopThreads() throws {
        var config = fastConfig(itl: 0.001)
        config.threads = 3
        try withServer(config) { server in
            let clients = try (0..<6).map { _ in try RawHTTPClient(port: server.port) }
            for client in clients {
                try client.sendRaw(RawHTTPClient.requestText("POST", "/v1/completions", body: completionBody(maxTokens: 20)))
            }
            for client in clients {
                XCTAssertEqual(tokenEvents(client.readResponse()).count, 20)
            }
            XCTAssertTrue(eventually { server.stats().streamsCompleted == 6 })
        }
    }
}
