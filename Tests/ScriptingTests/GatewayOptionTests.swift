import XCTest
import LuaBridge
@testable import Scripting

/// bench.openai's TLS, proxy and gateway options: read, checked, returned in the target
/// table, and stored with a run (paths and names, never keys).
final class GatewayOptionTests: HostTestCase {
    func testOptionsRoundTripThroughTheTargetTable() throws {
        try lua("""
            t = bench.openai{ url = 'https://gw.example', model = 'gpt-4o', api = 'chat',
              path = '/openai/deployments/{model}/chat/completions', query = { ['api-version'] = '2024-10-21' },
              api_key_env = 'AZURE_OPENAI_API_KEY', api_key_header = 'api-key', server_name = 'gw.internal',
              insecure = true, proxy = 'http://proxy.example:3128' }
            """)
        XCTAssertEqual(try lua("return t.path, t.query['api-version'], t.api_key_header, t.server_name, t.insecure, t.proxy"),
                       ["/openai/deployments/{model}/chat/completions", "2024-10-21", "api-key", "gw.internal", true,
                        "http://proxy.example:3128"])
        XCTAssertEqual(try lua("return bench.openai{ url = 'https://h/v1', model = 'm', proxy = false }.proxy"), [false])
    }

    func testBadOptionsAreRefusedWithTheirName() throws {
        XCTAssertEqual(luaError("bench.openai{url = 'https://h/v1', model = 'm', ca_fille = 'x'}")?.contains("ca_file"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'https://h/v1', model = 'm', proxy = 3128}")?
            .contains("field 'proxy' must be a proxy URL"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'https://h/v1', model = 'm', ca_file = '/no/such.pem'}")?
            .contains("ca_file '/no/such.pem' is not a readable file"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'https://h/v1', model = 'm', client_cert = '/etc/hostname'}")?
            .contains("client_cert and client_key go together"), true)
        XCTAssertEqual(luaError("bench.openai{url = 'https://h/v1', model = 'm', proxy = 'socks5://p:1080'}")?
            .contains("http:// proxy"), true)
    }

    /// Gateway settings and the insecure choice are stored with the run; no key value is.
    func testSettingsAreStoredWithTheRun() throws {
        try lua("""
            srv = bench.test_server{ ttft = 0.01, itl = 0.001 }
            wl = workload.synthetic{ n = 2, seed = 1, input = 10, output = 2 }
            r = bench.run{ target = srv:target{ insecure = true, query = { tag = 'x' }, proxy = false },
                           workload = wl, concurrency = 1, server_metrics = false, tokenizer = 'none' }
            """)
        XCTAssertEqual(try lua("return r.succeeded, r.settings.insecure, r.settings.query, r.settings.proxy"), [2, true, "tag", "none"])
    }

    /// The built-in test server over https with a private CA's certificate: refused with a
    /// sentence, trusted with ca_file, and insecure = true warns and is stored.
    func testHTTPSTestServerPrivateCAAndInsecure() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("frontier-lua-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try "subjectAltName=IP:127.0.0.1\n".write(to: dir.appendingPathComponent("ext"), atomically: true, encoding: .utf8)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        for args in [["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Lua Test CA"],
                     ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
                     ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                      "-out", "server.pem", "-days", "2", "-extfile", "ext"]] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["openssl"] + args
            p.currentDirectoryURL = dir
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "openssl \(args.joined(separator: " "))")
        }
        try lua("""
            srv = bench.test_server{ ttft = 0.01, itl = 0.001,
              tls = { cert_file = '\(dir.path)/server.pem', key_file = '\(dir.path)/server.key' } }
            wl = workload.synthetic{ n = 2, seed = 1, input = 10, output = 2 }
            function measure(t) return bench.run{ target = t, workload = wl, concurrency = 2, server_metrics = false, tokenizer = 'none' } end
            refused = measure(srv:target{ timeout = { connect = 1 } })
            trusted = measure(srv:target{ ca_file = '\(dir.path)/ca.pem' })
            insecure = measure(srv:target{ insecure = true })
            """)
        XCTAssertEqual(try lua("return srv.url:sub(1, 8)"), ["https://"])
        XCTAssertEqual(try lua("return refused.failed, refused.errors_by_kind.tls_untrusted"), [2, 2])
        XCTAssertEqual(try lua("return trusted.succeeded, trusted.settings.ca_file"), [2, .string(dir.path + "/ca.pem")])
        XCTAssertEqual(try lua("return insecure.succeeded, insecure.settings.insecure"), [2, true])
        XCTAssertEqual(try lua("return insecure.warnings[1]:find('insecure = true', 1, true) ~= nil"), [true])
    }
}
