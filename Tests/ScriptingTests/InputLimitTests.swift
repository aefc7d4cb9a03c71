import Foundation
import LuaBridge
@testable import Scripting
import XCTest

/// Sizes and combinations that cannot work are refused up front, naming the limit
/// (issue 11: `n = 1e10` aborted the process; `concurrency = 1e12` was accepted).
final class InputLimitTests: HostTestCase {
    func testWorkloadSizeIsCheckedBeforeAllocating() {
        let e = luaError("workload.synthetic{ n = 1e10, input = 10, output = 10 }") ?? ""
        XCTAssertTrue(e.contains("field 'n' must be 1 to 10000000, got 10000000000"), e)
        let g = luaError("workload.generate(1e10, function(i) return { prompt = 'x', max_tokens = 1 } end)") ?? ""
        XCTAssertTrue(g.contains("n must be 1 to 10000000"), g)
    }

    /// A synthetic workload is a generator: request i is the same whether or not others
    /// were made before it (memory: `WorkloadMemoryTests` in CLITests, in a process of its own).
    func testALargeSyntheticWorkloadIsMadeLazily() throws {
        let r = try lua("""
            local w = workload.synthetic{ n = 1e7, input = 400, output = 10, seed = 3 }
            local last = w:get(1e7)
            local again = workload.synthetic{ n = 1e7, input = 400, output = 10, seed = 3 }:get(1e7)
            return #w, last.max_tokens, last.prompt == again.prompt, select(2, last.prompt:gsub('%S+', ''))
            """)
        XCTAssertEqual(r, [10_000_000, 10, true, 400])
    }

    func testConcurrencyIsBounded() {
        let e = luaError("""
            local s = bench.test_server{}
            bench.run{ target = s, workload = workload.synthetic{ n = 2, input = 5, output = 2 }, concurrency = 1e12, quiet = true }
            """) ?? ""
        XCTAssertTrue(e.contains("concurrency must be 1 to 100000"), e)
    }

    func testPromptAndMessagesTogetherAreRefused() {
        let e = luaError("""
            workload.generate(1, function(i) return { prompt = 'x', messages = { { role = 'user', content = 'y' } }, max_tokens = 1 } end)
            """) ?? ""
        XCTAssertTrue(e.contains("give 'prompt' (completions) or 'messages' (chat), not both"), e)
    }

    func testARefusedConnectionSaysSo() throws {
        // A port nothing listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = Int(UInt16(bigEndian: addr.sin_port))
        close(fd)
        let r = try lua("""
            local t = bench.openai{ url = 'http://127.0.0.1:\(port)/v1', model = 'm', timeout = { connect = 0.5 } }  -- refused connects are retried until then
            local run = bench.run{ target = t, workload = workload.synthetic{ n = 1, input = 5, output = 2 }, concurrency = 1, quiet = true, server_metrics = false, tokenizer = 'none',
                                   validity = { min_duration = 0, min_requests = 1 } }
            local first = run:each_request()()
            return first.error_kind, first.error
            """)
        XCTAssertEqual(r.first, "connect")
        XCTAssertEqual(r.last, "connection refused (is the server running and listening on that port?)")
    }
}
