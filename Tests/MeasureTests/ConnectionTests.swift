import AsyncHTTPClient
import Foundation
import Metrics
import NIOCore
import TestServer
import XCTest
@testable import Measure

/// Servers that close connections their own way (llama-server's keep-alive, `Connection:
/// close`), measured by the real client against the test server on loopback.
final class ConnectionTests: XCTestCase {
    func server(_ connection: ConnectionBehaviour, ttft: Double = 0.02, itl: Double = 0.002) throws -> TestServer {
        var c = TestServerConfig()
        c.ttft = ttft
        c.itl = itl
        c.connection = connection
        return try TestServer.start(c)
    }

    func measure(_ s: TestServer, requests n: Int, concurrency: Int, connection: Endpoint.Connection = .keepAlive,
                 resend: Bool = true, warmup: Int = 0, environment: [String: String] = [:]) throws -> RunOutcome {
        var e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        e.connection = connection
        e.totalTimeout = 60
        var plan = LoadPlan(shape: .closed(concurrency: concurrency))
        plan.resendUnanswered = resend
        plan.warmup = warmup
        let w = try Workload.synthetic(n: n, seed: 3, input: .fixed(20), output: .fixed(5))
        let run = try MeasureRun(endpoint: e, workload: w, plan: plan, tag: "test", store: nil, environment: environment)
        try run.start()
        let deadline = Date().addingTimeInterval(120)
        while !run.wait(timeout: 0.1) {
            if Date() > deadline { run.stop(.failed); XCTFail("run did not finish"); break }
        }
        return try run.finish()
    }

    /// Without resends, the llama-server behaviour fails the requests sent on the
    /// connections it closed, as `reset`, and the server never saw them: the bug the fix is for.
    func testClosingAfterEachStreamLosesReusedRequestsWithoutResends() throws {
        let s = try server(.closeAfterStream)
        defer { s.stop() }
        let o = try measure(s, requests: 16, concurrency: 2, resend: false)
        let resets = o.records.filter { $0.errorKind == .reset }.count
        XCTAssertGreaterThan(resets, 0, "a reused connection the server closed loses its request")
        XCTAssertEqual(o.summary.succeeded + resets, 16, "\(o.records.compactMap(\.error))")
        XCTAssertEqual(s.stats().requestsByEndpoint["/v1/completions"], o.summary.succeeded,
                       "the lost requests never reached the server")
        XCTAssertEqual(o.resends, 0)
    }

    /// With resends, every request is served once, none is an error, the resends are counted,
    /// and TTFT counts from the write of the request that was served.
    func testClosingAfterEachStreamIsResentOnAFreshConnection() throws {
        let s = try server(.closeAfterStream, ttft: 0.05)
        defer { s.stop() }
        let o = try measure(s, requests: 24, concurrency: 3)
        XCTAssertEqual(o.summary.succeeded, 24, "\(o.records.compactMap(\.error))")
        XCTAssertGreaterThan(o.resends, 0, "reused connections were found closed and the requests sent again")
        XCTAssertLessThanOrEqual(o.resends, 24, "at most one resend per request")
        XCTAssertEqual(s.stats().requestsByEndpoint["/v1/completions"], 24, "each request served exactly once")
        XCTAssertFalse(o.verdict.reasons.contains { $0.contains("error") }, "\(o.verdict.reasons)")
        let ttft = try XCTUnwrap(o.summary.ttft)
        // The server answers 50 ms after it reads the request; the first attempt's lost time is not in it.
        XCTAssertGreaterThanOrEqual(ttft.min, 0.05 - 0.005, "stamped right after the write (see RunTests)")
        XCTAssertLessThan(ttft.max, 0.05 + 0.04, "a resend's TTFT starts at its own write")
    }

    /// A server that says `Connection: close` gets a new connection for every request, no resends.
    func testServerConnectionCloseIsHonoured() throws {
        let s = try server(.close)
        defer { s.stop() }
        let o = try measure(s, requests: 12, concurrency: 3)
        XCTAssertEqual(o.summary.succeeded, 12, "\(o.records.compactMap(\.error))")
        XCTAssertEqual(o.resends, 0, "a closing server announced it: nothing to resend")
        XCTAssertEqual(s.stats().connectionsOpened, 12, "one connection per request")
    }

    /// `connection = close` on the target: a new connection per request, stored in the settings.
    func testTargetConnectionCloseOpensOneConnectionPerRequest() throws {
        let s = try server(.keepAlive)
        defer { s.stop() }
        let o = try measure(s, requests: 10, concurrency: 2, connection: .close)
        XCTAssertEqual(o.summary.succeeded, 10)
        XCTAssertEqual(s.stats().connectionsOpened, 10)
        XCTAssertTrue(o.settings.contains(#""connection":"close""#), o.settings)
        let kept = try measure(s, requests: 10, concurrency: 2, warmup: 2)
        XCTAssertTrue(kept.settings.contains(#""connection":"keep_alive""#), kept.settings)
        XCTAssertLessThanOrEqual(s.stats().connectionsOpened, 10 + 4, "keep-alive reuses connections")
    }

    /// Connection resets and closes before a reply are resent; refusals, timeouts and
    /// cancellations are not.
    func testOnlyAConnectionLostBeforeAReplyIsResent() {
        XCTAssertTrue(StreamingRequest.closedBeforeReply(HTTPClientError.remoteConnectionClosed))
        XCTAssertTrue(StreamingRequest.closedBeforeReply(IOError(errnoCode: ECONNRESET, reason: "read")))
        XCTAssertFalse(StreamingRequest.closedBeforeReply(IOError(errnoCode: ECONNREFUSED, reason: "connect")))
        XCTAssertFalse(StreamingRequest.closedBeforeReply(HTTPClientError.cancelled))
        XCTAssertFalse(StreamingRequest.closedBeforeReply(HTTPClientError.connectTimeout))
        // Our own client's errors.
        XCTAssertTrue(StreamingRequest.closedBeforeReply(ConnectionClosedEarly()))
        XCTAssertFalse(StreamingRequest.closedBeforeReply(SendCancelled()))
        XCTAssertFalse(StreamingRequest.closedBeforeReply(ChannelError.connectTimeout(.seconds(1))))
        XCTAssertEqual(StreamingRequest.classify(ChannelError.connectTimeout(.seconds(1)), gotHead: false).0, .timeoutConnect)
        XCTAssertEqual(StreamingRequest.classify(SendCancelled(), gotHead: false).0, .cancelled)
        XCTAssertEqual(StreamingRequest.classify(ConnectionClosedEarly(), gotHead: true).1, "connection closed by the server mid-response")
    }

    /// Plain http goes through our own HTTP/1.1 client; `FRONTIER_HTTP_CLIENT=asynchttpclient`
    /// sends through AsyncHTTPClient. Both resend on a fresh connection, and the run says which sent it.
    func testEitherClientResendsAndTheRunSaysWhichSentIt() throws {
        let s = try server(.closeAfterStream)
        defer { s.stop() }
        for (env, name) in [([:], "nio"), (["FRONTIER_HTTP_CLIENT": "asynchttpclient"], "asynchttpclient")] {
            let before = s.stats().requestsByEndpoint["/v1/completions"] ?? 0
            let o = try measure(s, requests: 12, concurrency: 3, environment: env)
            XCTAssertEqual(o.summary.succeeded, 12, "\(name): \(o.records.compactMap(\.error))")
            XCTAssertGreaterThan(o.resends, 0, name)
            XCTAssertEqual((s.stats().requestsByEndpoint["/v1/completions"] ?? 0) - before, 12, "\(name): each served once")
            XCTAssertTrue(o.settings.contains(#""http_client":"\#(name)""#), o.settings)
        }
    }

    /// Over plain http a refused connection is recorded at once (not retried until the
    /// connect timeout), as `connect`, in words.
    func testARefusedConnectionIsRecordedAtOnce() throws {
        let s = try server(.keepAlive)
        let url = s.baseURL
        s.stop()  // nothing listens there now
        var e = Endpoint(baseURL: url, model: "frontier-test")
        e.connectTimeout = 30
        let w = try Workload.synthetic(n: 4, seed: 3, input: .fixed(20), output: .fixed(5))
        let run = try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: 2)), tag: "test", store: nil)
        let start = Date()
        try run.start()
        XCTAssertTrue(run.wait(timeout: 20), "a refused connection does not wait for timeout.connect")
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        let o = try run.finish()
        XCTAssertEqual(o.records.count, 4)
        for r in o.records {
            XCTAssertEqual(r.errorKind, .connect, r.error ?? "")
            XCTAssertTrue(r.error?.contains("connection refused") ?? false, r.error ?? "")
        }
    }

    /// A run of `requests` 3-token completions against a helper server on `port`, through
    /// our client and then through AsyncHTTPClient, each outcome with the environment it ran in.
    func measureWithEitherClient(port: Int, requests: Int, concurrency: Int) throws -> [([String: String], RunOutcome)] {
        try [[:], ["FRONTIER_HTTP_CLIENT": "asynchttpclient"]].map { env in
            var e = Endpoint(baseURL: "http://127.0.0.1:\(port)/v1", model: "m")
            e.totalTimeout = 30
            let w = try Workload.synthetic(n: requests, seed: 3, input: .fixed(5), output: .fixed(3))
            let run = try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: concurrency)), tag: "test",
                                     store: nil, environment: env)
            try run.start()
            XCTAssertTrue(run.wait(timeout: 60), "\(env)")
            return (env, try run.finish())
        }
    }

    /// A Python HTTP server on 127.0.0.1 that reads each POST, logs its path, then runs
    /// `respond` (Python, in the handler's body); HTTP/1.1 keep-alive or HTTP/1.0.
    func postServer(http11: Bool, respond: String) throws -> PythonHelper {
        let script = """
import http.server, json, sys, time
log = open(sys.argv[1], "a")
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "\(http11 ? "HTTP/1.1" : "HTTP/1.0")"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        log.write(self.path + "\\n"); log.flush()
\(respond)
    def log_message(self, *a): pass
s = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
"""
        return try PythonHelper(script: script, arguments: [])
    }

    /// A redirect is recorded with where it points, not followed, by either client.
    func testARedirectIsRecordedWithWhereItPointsAndNotFollowed() throws {
        let helper = try postServer(http11: true, respond: """
        self.send_response(301)
        self.send_header("Location", "http://127.0.0.1:%d/moved%s" % (self.server.server_address[1], self.path))
        self.send_header("Content-Length", "0")
        self.end_headers()
""")
        defer { helper.stop() }
        for (env, o) in try measureWithEitherClient(port: helper.port, requests: 3, concurrency: 1) {
            XCTAssertEqual(o.records.count, 3)
            for r in o.records {
                XCTAssertEqual(r.httpStatus, 301)
                XCTAssertEqual(r.errorKind, .http4xx)
                XCTAssertTrue(r.error?.contains("redirects to http://127.0.0.1:\(helper.port)/moved/v1/completions") ?? false,
                              "\(env): \(r.error ?? "")")
            }
        }
        XCTAssertEqual(helper.logged, Array(repeating: "/v1/completions", count: 6), "never followed to /moved")
    }

    /// An HTTP/1.0 server that streams without a length and closes at the end (simple mock
    /// servers do): the body ends at the close, every request gets its own connection.
    func testAnHTTP10StreamEndingAtTheCloseIsReadWhole() throws {
        let helper = try postServer(http11: false, respond: #"""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for i in range(3):
            chunk = {"choices": [{"index": 0, "text": "t%d " % i, "finish_reason": "length" if i == 2 else None}]}
            self.wfile.write(("data: " + json.dumps(chunk) + "\n\n").encode()); self.wfile.flush()
            time.sleep(0.01)
        self.wfile.write(b"data: [DONE]\n\n")
"""#)
        defer { helper.stop() }
        for (env, o) in try measureWithEitherClient(port: helper.port, requests: 4, concurrency: 2) {
            XCTAssertEqual(o.summary.succeeded, 4, "\(env): \(o.records.compactMap(\.error))")
            for r in o.records { XCTAssertEqual(r.chunkTimes.count, 3, "\(env)") }
            XCTAssertEqual(o.resends, 0, "\(env): the server said it would close: nothing to resend")
        }
        XCTAssertEqual(helper.logged.count, 8, "each request served once")
    }
}
