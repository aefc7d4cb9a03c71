import XCTest
import LuaBridge
@testable import Scripting

/// The `connection` option of targets and test servers, and `resends` in run tables.
final class ConnectionOptionTests: HostTestCase {
    func testConnectionOptionIsCheckedAndStored() throws {
        XCTAssertEqual(try lua("return bench.openai{url = 'http://127.0.0.1:9/v1', model = 'm'}.connection"), ["keep_alive"])
        XCTAssertEqual(try lua("return bench.openai{url = 'http://127.0.0.1:9/v1', model = 'm', connection = 'close'}.connection"), ["close"])
        XCTAssertEqual(luaError("bench.openai{url = 'http://x/v1', model = 'm', connection = 'pooled'}")?
            .contains("field 'connection' must be 'keep_alive' or 'close', got 'pooled'"), true)
        XCTAssertEqual(luaError("bench.test_server{connection = 'sometimes'}")?
            .contains("field 'connection' must be 'keep_alive', 'close_after_stream' or 'close'"), true)
    }

    /// A llama-server-like test server: every request served, resends counted and stored.
    func testAServerThatClosesAfterEachStreamGivesAValidRunWithResends() throws {
        try lua("""
            srv = bench.test_server{ ttft = 0.01, itl = 0.002, connection = 'close_after_stream' }
            wl = workload.synthetic{ n = 12, seed = 1, input = 10, output = 4 }
            r = bench.run{ target = srv, workload = wl, concurrency = 2, server_metrics = false }
            closed = bench.run{ target = srv:target{ connection = 'close' }, workload = wl, concurrency = 2, server_metrics = false }
            """)
        XCTAssertEqual(try lua("return r.succeeded, r.failed, r.resends > 0, r.settings.connection"), [12, 0, true, "keep_alive"])
        XCTAssertEqual(try lua("return bench.load(r.run_id).resends == r.resends"), [true])
        XCTAssertEqual(try lua("return closed.succeeded, closed.resends, closed.settings.connection"), [12, 0, "close"])
    }
}
