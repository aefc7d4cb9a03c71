import Foundation
import Metrics
import TestServer
import XCTest
@testable import Measure

/// Targets as companies run them, measured for real on loopback: a TLS server (Python's
/// `ssl`) with certificates from a private CA made by `openssl`, a CONNECT proxy, a
/// gateway that wants its own URL shape and key header. Each case passes with the right
/// option and fails, without it, with a sentence that names the cause and the fix.
final class TLSTests: XCTestCase {
    var pki: TestPKI!
    var helpers: [PythonHelper] = []

    override func setUpWithError() throws {
        pki = try TestPKI.make()
    }

    override func tearDown() {
        for h in helpers { h.stop() }
        pki?.remove()
    }

    func tlsServer(cert: String? = nil, clientCA: String? = nil, expectPath: String? = nil,
                   expectHeader: String? = nil) throws -> PythonHelper {
        var args = [cert ?? pki.serverCert, pki.serverKey, clientCA ?? "-"]
        if let expectPath { args += [expectPath, expectHeader ?? ""] }
        let h = try PythonHelper(script: PythonHelper.tlsServer, arguments: args)
        helpers.append(h)
        return h
    }

    func proxy(deny: Bool = false) throws -> PythonHelper {
        let h = try PythonHelper(script: PythonHelper.connectProxy, arguments: deny ? ["deny"] : [])
        helpers.append(h)
        return h
    }

    func target(_ port: Int, host: String = "127.0.0.1", _ change: (inout Endpoint) -> Void = { _ in }) -> Endpoint {
        var e = Endpoint(baseURL: "https://\(host):\(port)/v1", model: "m")
        // A TLS failure is retried until the connect timeout: keep it short.
        e.connectTimeout = 1
        e.totalTimeout = 20
        change(&e)
        return e
    }

    /// Runs `n` requests with an explicit environment (never the machine's proxies).
    func measure(_ e: Endpoint, n: Int = 2, environment: [String: String] = [:]) throws -> RunOutcome {
        let w = try Workload.synthetic(n: n, seed: 1, input: .fixed(8), output: .fixed(3))
        let run = try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: 2)), tag: "tls",
                                 store: nil, environment: environment)
        try run.start()
        let deadline = Date().addingTimeInterval(60)
        while !run.wait(timeout: 0.1) {
            if Date() > deadline { run.stop(.failed); XCTFail("run did not finish"); break }
        }
        return try run.finish()
    }

    func assertAllSucceeded(_ o: RunOutcome, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(o.summary.succeeded, o.records.count, "\(o.records.compactMap(\.error))", file: file, line: line)
        XCTAssertGreaterThan(o.records.count, 0, file: file, line: line)
    }

    func assertAllFailed(_ o: RunOutcome, _ kind: ErrorKind, saying parts: [String],
                         file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertGreaterThan(o.records.count, 0, file: file, line: line)
        for r in o.records {
            XCTAssertEqual(r.errorKind, kind, r.error ?? "", file: file, line: line)
            for p in parts { XCTAssertTrue((r.error ?? "").contains(p), "'\(p)' not in: \(r.error ?? "nil")", file: file, line: line) }
        }
    }

    func settings(_ o: RunOutcome) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(o.settings.utf8)) as? [String: Any])
    }

    // MARK: (a) a private CA

    func testPrivateCAIsRefusedWithTheIssuerAndTrustedWithCAFileOrSSLCertFile() throws {
        let s = try tlsServer()
        let refused = try measure(target(s.port))
        assertAllFailed(refused, .tlsUntrusted, saying: ["127.0.0.1:\(s.port)", "'Frontier Test CA'", "not trusted", "ca_file"])

        let trusted = try measure(target(s.port) { $0.tls.caFile = pki.ca })
        assertAllSucceeded(trusted)
        XCTAssertEqual(try settings(trusted)["ca_file"] as? String, pki.ca)

        let fromEnvironment = try measure(target(s.port), environment: ["SSL_CERT_FILE": pki.ca])
        assertAllSucceeded(fromEnvironment)
        XCTAssertEqual(try settings(fromEnvironment)["tls_trust"] as? String, "SSL_CERT_FILE (\(pki.ca))")
        let fromDirectory = try measure(target(s.port), environment: ["SSL_CERT_DIR": pki.caDirectory])
        assertAllSucceeded(fromDirectory)
        // Both, as Debian's environment sets them: the bundle, and the directory added to it.
        let both = try measure(target(s.port), environment: ["SSL_CERT_FILE": pki.clientCert, "SSL_CERT_DIR": pki.caDirectory])
        assertAllSucceeded(both)
        XCTAssertEqual(try settings(both)["tls_trust"] as? String, "SSL_CERT_FILE (\(pki.clientCert)) and SSL_CERT_DIR (\(pki.caDirectory))")
    }

    // MARK: (b) mutual TLS

    func testClientCertificateRequiredIsNamedAndClientCertPasses() throws {
        let s = try tlsServer(clientCA: pki.ca)
        let refused = try measure(target(s.port) { $0.tls.caFile = pki.ca })
        assertAllFailed(refused, .tlsClientCertificate, saying: ["requires a client certificate", "client_cert", "client_key"])

        let passed = try measure(target(s.port) {
            $0.tls.caFile = pki.ca
            $0.tls.clientCertificate = pki.clientCert
            $0.tls.clientKey = pki.clientKey
        })
        assertAllSucceeded(passed)
        let stored = try settings(passed)
        XCTAssertEqual(stored["client_cert"] as? String, pki.clientCert)
        XCTAssertNil(stored["client_key"], "the key's path is not needed to read a report")
    }

    /// The built-in test server's TLS option (the same PKI): mutual TLS with client_ca_file.
    func testBuiltInTestServerServesTLSAndRequiresClientCertificates() throws {
        var c = TestServerConfig()
        c.tls = TestServerTLS(certFile: pki.serverCert, keyFile: pki.serverKey, clientCAFile: pki.ca)
        let s = try TestServer.start(c)
        defer { s.stop() }
        XCTAssertTrue(s.baseURL.hasPrefix("https://"))
        var e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        e.connectTimeout = 1
        e.tls.caFile = pki.ca
        assertAllFailed(try measure(e), .tlsClientCertificate, saying: ["client_cert"])
        e.tls.clientCertificate = pki.clientCert
        e.tls.clientKey = pki.clientKey
        assertAllSucceeded(try measure(e))
        var bad = TestServerConfig()
        bad.tls = TestServerTLS(certFile: "/no/such.pem", keyFile: pki.serverKey)
        XCTAssertThrowsError(try TestServer.start(bad))
    }

    // MARK: (c) an expired certificate

    func testExpiredCertificateIsSaidSoAndInsecureWarnsAndIsStored() throws {
        let s = try tlsServer(cert: pki.expiredCert)
        let refused = try measure(target(s.port) { $0.tls.caFile = pki.ca })
        assertAllFailed(refused, .tlsExpired, saying: ["expired on", "renew it"])

        let insecure = try measure(target(s.port) { $0.tls.insecure = true })
        assertAllSucceeded(insecure)
        XCTAssertTrue(insecure.warnings.contains { $0.contains("insecure = true") && $0.contains("verification is off") },
                      "\(insecure.warnings)")
        XCTAssertEqual(try settings(insecure)["insecure"] as? Bool, true)
    }

    // MARK: (d) a certificate for another name

    func testWrongNameIsNamedAndServerNamePasses() throws {
        let s = try tlsServer(cert: pki.wrongNameCert)
        let refused = try measure(target(s.port) { $0.tls.caFile = pki.ca })
        assertAllFailed(refused, .tlsName, saying: ["is for gateway.internal.example, not 127.0.0.1", "server_name = 'gateway.internal.example'"])

        let named = try measure(target(s.port) {
            $0.tls.caFile = pki.ca
            $0.tls.serverName = "gateway.internal.example"
        })
        assertAllSucceeded(named)
        XCTAssertEqual(try settings(named)["server_name"] as? String, "gateway.internal.example")
    }

    // MARK: proxies

    func testProxyOptionAndEnvironmentTunnelThroughCONNECTAndNoProxyBypasses() throws {
        let s = try tlsServer()
        let p = try proxy()
        let viaOption = try measure(target(s.port) {
            $0.tls.caFile = pki.ca
            $0.proxy = .url("http://127.0.0.1:\(p.port)")
        })
        assertAllSucceeded(viaOption)
        XCTAssertTrue(p.logged.contains("CONNECT 127.0.0.1:\(s.port)"), "\(p.logged)")
        XCTAssertEqual(try settings(viaOption)["proxy"] as? String, "127.0.0.1:\(p.port)")
        XCTAssertEqual(try settings(viaOption)["proxy_source"] as? String, "proxy")

        let before = p.logged.count
        let viaEnvironment = try measure(target(s.port) { $0.tls.caFile = pki.ca },
                                         environment: ["HTTPS_PROXY": "http://user:secret@127.0.0.1:\(p.port)"])
        assertAllSucceeded(viaEnvironment)
        XCTAssertGreaterThan(p.logged.count, before, "the requests went through the proxy")
        let stored = try settings(viaEnvironment)
        XCTAssertEqual(stored["proxy_source"] as? String, "HTTPS_PROXY")
        XCTAssertFalse(viaEnvironment.settings.contains("secret"), "proxy credentials are never stored")

        let count = p.logged.count
        let bypassed = try measure(target(s.port) { $0.tls.caFile = pki.ca },
                                   environment: ["HTTPS_PROXY": "http://127.0.0.1:\(p.port)", "NO_PROXY": "localhost,127.0.0.1"])
        assertAllSucceeded(bypassed)
        XCTAssertEqual(p.logged.count, count, "NO_PROXY lists the host: straight to it")
        XCTAssertNil(try settings(bypassed)["proxy"])

        let off = try measure(target(s.port) { $0.tls.caFile = pki.ca; $0.proxy = .none },
                              environment: ["HTTPS_PROXY": "http://127.0.0.1:\(p.port)"])
        assertAllSucceeded(off)
        XCTAssertEqual(p.logged.count, count, "proxy = false ignores the environment")

        // An http target takes HTTP_PROXY (not HTTPS_PROXY), through a CONNECT tunnel as well.
        let plain = try TestServer.start(TestServerConfig())
        defer { plain.stop() }
        var e = Endpoint(baseURL: plain.baseURL, model: "frontier-test")
        e.totalTimeout = 20
        let viaHTTPProxy = try measure(e, environment: ["HTTP_PROXY": "http://127.0.0.1:\(p.port)", "HTTPS_PROXY": "http://127.0.0.1:1"])
        assertAllSucceeded(viaHTTPProxy)
        XCTAssertTrue(p.logged.contains("CONNECT 127.0.0.1:\(plain.port)"), "\(p.logged)")
        XCTAssertEqual(try settings(viaHTTPProxy)["proxy_source"] as? String, "HTTP_PROXY")
    }

    func testProxyThatRefusesOrIsDownIsNamed() throws {
        let s = try tlsServer()
        let denying = try proxy(deny: true)
        let refused = try measure(target(s.port) { $0.tls.caFile = pki.ca; $0.proxy = .url("http://127.0.0.1:\(denying.port)") })
        assertAllFailed(refused, .proxy, saying: ["the proxy 127.0.0.1:\(denying.port)", "refused to open a tunnel to 127.0.0.1:\(s.port)", "NO_PROXY"])

        // A port nothing listens on: bind one, close it.
        let dead = try TestServer.start(TestServerConfig())
        let deadPort = dead.port
        dead.stop()
        let down = try measure(target(s.port) { $0.tls.caFile = pki.ca }, environment: ["HTTPS_PROXY": "127.0.0.1:\(deadPort)"])
        assertAllFailed(down, .proxy, saying: ["could not connect to the proxy 127.0.0.1:\(deadPort)", "HTTPS_PROXY"])
    }

    // MARK: gateway URL shapes

    func testAzureStylePathQueryAndKeyHeader() throws {
        let expected = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21"
        let s = try tlsServer(expectPath: expected, expectHeader: "api-key: s3cret-key")
        var e = target(s.port) {
            $0.baseURL = "https://127.0.0.1:\(s.port)"
            $0.model = "gpt-4o"
            $0.api = .chat
            $0.tls.caFile = pki.ca
            $0.path = "/openai/deployments/{model}/chat/completions"
            $0.query = ["api-version": "2024-10-21"]
            $0.apiKeyEnv = "AZURE_OPENAI_API_KEY"
            $0.apiKeyHeader = "api-key"
        }
        let o = try measure(e, environment: ["AZURE_OPENAI_API_KEY": "s3cret-key"])
        assertAllSucceeded(o)
        XCTAssertTrue(s.logged.allSatisfy { $0 == "POST \(expected) s3cret-key" }, "\(s.logged)")
        XCTAssertFalse(o.settings.contains("s3cret"), "keys are never stored")
        let stored = try settings(o)
        XCTAssertEqual(stored["path"] as? String, "/openai/deployments/{model}/chat/completions")
        XCTAssertEqual(stored["query"] as? String, "api-version")
        XCTAssertEqual(stored["api_key_header"] as? String, "api-key")

        // The same gateway given as the full URL it documents.
        e = target(s.port) {
            $0.baseURL = "https://127.0.0.1:\(s.port)" + expected
            $0.model = "gpt-4o"
            $0.api = .chat
            $0.tls.caFile = pki.ca
            $0.apiKeyEnv = "AZURE_OPENAI_API_KEY"
            $0.apiKeyHeader = "api-key"
        }
        let full = try measure(e, environment: ["AZURE_OPENAI_API_KEY": "s3cret-key"])
        assertAllSucceeded(full)
        XCTAssertEqual(try settings(full)["url"] as? String,
                       "https://127.0.0.1:\(s.port)/openai/deployments/gpt-4o/chat/completions?api-version=…", "query values may be secrets")

        // Without the key header the gateway refuses: recorded as its HTTP status.
        e.apiKeyHeader = "Authorization"
        let refused = try measure(e, environment: ["AZURE_OPENAI_API_KEY": "s3cret-key"])
        XCTAssertTrue(refused.records.allSatisfy { $0.errorKind == .http4xx && $0.httpStatus == 401 })
    }
}

/// The pure parts: URL shapes, key headers, NO_PROXY, proxy URLs, certificate names.
final class GatewayShapeTests: XCTestCase {
    func testURLShapes() {
        var e = Endpoint(baseURL: "https://gw.example/v1/", model: "m", api: .chat)
        XCTAssertEqual(e.url, "https://gw.example/v1/chat/completions")
        e.query = ["b": "2", "a": "x y"]
        XCTAssertEqual(e.url, "https://gw.example/v1/chat/completions?a=x%20y&b=2")
        e = Endpoint(baseURL: "https://gw.example/openai/deployments/d1/chat/completions?api-version=1", model: "m", api: .chat)
        XCTAssertTrue(e.isFullURL)
        XCTAssertEqual(e.url, "https://gw.example/openai/deployments/d1/chat/completions?api-version=1")
        XCTAssertEqual(e.apiBase, "https://gw.example/openai/deployments/d1")
        e = Endpoint(baseURL: "https://gw.example", model: "org/model name")
        e.path = "deployments/{model}/completions"
        XCTAssertEqual(e.url, "https://gw.example/deployments/org%2Fmodel%20name/completions")
        e.path = "/x?y=1"
        XCTAssertThrowsError(try e.validate())
    }

    func testKeyHeaderAndScheme() {
        var e = Endpoint(baseURL: "http://h/v1", model: "m")
        XCTAssertEqual(e.requestHeaders(apiKey: "k").first?.0, "Authorization")
        XCTAssertEqual(e.requestHeaders(apiKey: "k").first?.1, "Bearer k")
        e.apiKeyHeader = "api-key"
        XCTAssertEqual(e.requestHeaders(apiKey: "k").first?.1, "k", "no scheme outside Authorization")
        e.apiKeyScheme = "Token"
        XCTAssertEqual(e.requestHeaders(apiKey: "k").first?.1, "Token k")
        e.apiKeyHeader = "bad header"
        XCTAssertThrowsError(try e.validate())
    }

    func testNoProxyAndProxyURLs() throws {
        XCTAssertTrue(ProxyServer.bypasses(host: "api.internal.example", port: 443, noProxy: ".internal.example"))
        XCTAssertTrue(ProxyServer.bypasses(host: "internal.example", port: 443, noProxy: "internal.example"))
        XCTAssertTrue(ProxyServer.bypasses(host: "x", port: 1, noProxy: "*"))
        XCTAssertFalse(ProxyServer.bypasses(host: "notinternal.example", port: 443, noProxy: "internal.example"))
        XCTAssertTrue(ProxyServer.bypasses(host: "h", port: 8000, noProxy: "h:8000"))
        XCTAssertFalse(ProxyServer.bypasses(host: "h", port: 8001, noProxy: "h:8000"))
        let p = try ProxyServer.parse("http://u:p%40ss@proxy.example:3128")
        XCTAssertEqual(p.address, "proxy.example:3128")
        XCTAssertEqual(p.password, "p@ss")
        XCTAssertEqual(try ProxyServer.parse("proxy.example").port, 80)
        XCTAssertThrowsError(try ProxyServer.parse("socks5://proxy:1080"))
        let env = ["https_proxy": "http://p:1", "HTTP_PROXY": "http://q:2", "no_proxy": "skip.example"]
        XCTAssertEqual(try ProxyServer.fromEnvironment(for: URL(string: "https://a.example/v1")!, env)?.0.address, "p:1")
        XCTAssertEqual(try ProxyServer.fromEnvironment(for: URL(string: "http://a.example/v1")!, env)?.1, "HTTP_PROXY")
        XCTAssertNil(try ProxyServer.fromEnvironment(for: URL(string: "https://skip.example/v1")!, env))
        XCTAssertEqual(ProxyServer.redacted("http://u:p@h:1"), "http://…@h:1")
    }

    func testTLSOptionsAreCheckedWhenTheTargetIsDescribed() {
        var e = Endpoint(baseURL: "https://h/v1", model: "m")
        e.tls.clientCertificate = "/etc/hostname"
        XCTAssertThrowsError(try e.validate()) { XCTAssertTrue("\($0)".contains("client_cert and client_key go together")) }
        e.tls = TLSOptions(caFile: "/no/such/ca.pem")
        XCTAssertThrowsError(try e.validate()) { XCTAssertTrue("\($0)".contains("ca_file '/no/such/ca.pem' is not a readable file")) }
    }
}
