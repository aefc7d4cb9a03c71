import XCTest
import LuaBridge
@testable import Scripting

/// Server-side metrics sampled during a measured run, from the test server's /metrics.
final class ServerMetricsTests: HostTestCase {
    func testTheStoredSeriesMatchWhatTheServerServed() throws {
        try lua("""
            srv = bench.test_server{ ttft = 0.02, itl = 0.01 }
            wl = workload.synthetic{ n = 24, seed = 1, input = 20, output = 40 }
            r = bench.run{ target = srv, workload = wl, concurrency = 6, server_metrics = { interval = 0.1 } }
            tokens = r:server_metrics('generation_tokens_total')
            running = r:server_metrics('requests_running')
            """)
        // 24 requests × 40 tokens at 10 ms: about 1.6 s, so ten-odd samples at 0.1 s.
        XCTAssertEqual(try lua("return #tokens >= 5, #running == #tokens"), [true, true])
        // A counter never goes down and never exceeds what the server sent (960 tokens).
        XCTAssertEqual(try lua("""
            for i = 2, #tokens do if tokens[i].value < tokens[i - 1].value then return 'fell at ' .. i end end
            return tokens[#tokens].value <= srv:stats().tokensSent and srv:stats().tokensSent == 960
            """), [true])
        // Running requests never exceed the concurrency, and the load shows up in them.
        XCTAssertEqual(try lua("""
            local most = 0
            for _, s in ipairs(running) do most = math.max(most, s.value) end
            return most <= 6, most >= 1
            """), [true, true])
        XCTAssertEqual(try lua("return tokens[1].t >= 0 and tokens[#tokens].t <= r.makespan + 1"), [true])
        XCTAssertEqual(try lua("return r.warnings"), [.nil])
    }

    func testAMissingEndpointIsAWarningNotAFailedRun() throws {
        try lua("""
            srv = bench.test_server{ ttft = 0, itl = 0 }
            wl = workload.synthetic{ n = 10, seed = 1, input = 5, output = 5 }
            r = bench.run{ target = srv, workload = wl, concurrency = 2, server_metrics = { url = srv.url .. '/none', interval = 0.05 } }
            off = bench.run{ target = srv, workload = wl, concurrency = 2, server_metrics = false }
            """)
        XCTAssertEqual(try lua("return r.status, r.succeeded, #r:server_metrics()"), ["completed", 10, 0])
        XCTAssertEqual(try lua("return r.warnings[1]:find('answered 404', 1, true) ~= nil"), [true])
        XCTAssertEqual(try lua("return #off:server_metrics(), off.warnings"), [0, .nil])
        XCTAssertEqual(luaError("bench.run{ target = srv, workload = wl, concurrency = 1, server_metrics = 'yes' }")?
            .contains("field 'server_metrics' must be a boolean or {interval=, url=, series=, max_unmapped=}, got string"), true)
    }
}
