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
}
