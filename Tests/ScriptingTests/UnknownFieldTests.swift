import XCTest
import LuaBridge
@testable import Scripting

/// Unknown fields are errors at every depth of every options table, named by their path.
final class UnknownFieldTests: HostTestCase {
    let workload = "wl = workload.synthetic{ n = 4, seed = 1, input = 20, output = 5 }"

    /// Asserts that `code` fails naming `path` as unknown and listing every name in `expected`.
    func assertUnknown(_ code: String, _ path: String, lists expected: [String], file: StaticString = #filePath, line: UInt = #line) {
        guard let e = luaError(code) else { return XCTFail("accepted: \(code)", file: file, line: line) }
        XCTAssertTrue(e.contains("unknown field '\(path)'"), e, file: file, line: line)
        guard let listed = e.range(of: "expected one of: ").map({ String(e[$0.upperBound...]) }) else {
            return XCTFail("no list of fields: \(e)", file: file, line: line)
        }
        let names = Set(listed.prefix { $0 != ")" }.components(separatedBy: ", "))
        for name in expected { XCTAssertTrue(names.contains(name), "'\(name)' not listed: \(e)", file: file, line: line) }
    }

    func testSimTablesAreCheckedAtDepth() throws {
        try lua(workload)
        assertUnknown("sim.run{ gpu = 'A800', model = 'Qwen2.5-32B', workload = wl, concurrency = 1, efficiency = { mbuu = 0.5 } }",
                      "efficiency.mbuu", lists: ["mbu", "mfu", "overhead", "allreduce_gb_per_s", "allreduce_latency"])
        assertUnknown("sim.run{ gpu = 'A800', model = 'Qwen2.5-32B', workload = wl, concurrency = 1, scheduler = { max_seq = 4 } }",
                      "scheduler.max_seq", lists: ["policy", "priority", "max_seqs", "max_batched_tokens", "chunked_prefill", "block_size"])
        assertUnknown("sim.run{ gpu = { name = 'A800', tflopz = 1 }, model = 'Qwen2.5-32B', workload = wl, concurrency = 1 }",
                      "gpu.tflopz", lists: ["tflops", "bandwidth_tb_per_s", "memory_gb"])
        assertUnknown("sim.deployment{ gpu = 'A800', model = 'Qwen2.5-32B', efficiency = { mfuu = 0.5 } }",
                      "efficiency.mfuu", lists: ["mbu", "mfu"])
        // Known names still work.
        XCTAssertEqual(try lua("return sim.deployment{ gpu = 'A800', model = 'Qwen2.5-32B', efficiency = { mbu = 0.5 } }.gpu"), ["A800"])
    }

    func testBenchTablesAreCheckedAtDepth() throws {
        try lua(workload)
        let target = "target = bench.openai{ url = 'http://127.0.0.1:9/v1', model = 'm' }"
        assertUnknown("bench.run{ \(target), workload = wl, concurrency = 1, validity = { min_duraton = 1 } }",
                      "validity.min_duraton", lists: ["min_duration", "min_requests", "max_error_rate", "max_send_lag_p99", "max_client_cpu"])
        assertUnknown("bench.run{ \(target), workload = wl, concurrency = 1, server_metrics = { intervall = 1 } }",
                      "server_metrics.intervall", lists: ["interval", "url"])
        assertUnknown("bench.run{ target = { url = 'http://127.0.0.1:9/v1', model = 'm', timeout = { conect = 1 } }, workload = wl, concurrency = 1 }",
                      "target.timeout.conect", lists: ["connect", "first_token", "total"])
        assertUnknown("bench.openai{ url = 'http://127.0.0.1:9/v1', model = 'm', timeout = { firsttoken = 1 } }",
                      "timeout.firsttoken", lists: ["connect", "first_token", "total"])
        // The top level lists every field, also those read apart from the rest.
        assertUnknown("bench.run{ \(target), workload = wl, concurency = 1 }", "concurency",
                      lists: ["target", "workload", "on_progress", "concurrency", "rate", "validity", "server_metrics"])
    }

    func testCostTablesAreCheckedAtDepth() throws {
        assertUnknown("cost.gpu{ name = 'A800', capex = { kind = 'capex', hourly = 1, hourli = 2 } }",
                      "capex.hourli", lists: ["kind", "hourly", "schedule"])
        assertUnknown("cost.capex{ price = 10000, years = 3, financing = { rate = 0.05, month = 36 } }",
                      "financing.month", lists: ["rate", "months", "amount"])
        let prices = "cloud = cost.cloud{ hourly = 2 }, api = cost.api{ input = 1, output = 2 }, tokens_per_s = 100"
        assertUnknown("local g = cost.gpu{ name = 'A800' }; g.params.prise = 1; cost.breakeven{ gpu = g, \(prices) }",
                      "gpu.params.prise", lists: ["price", "years", "utilization", "power_kw", "residual"])
        assertUnknown("cost.breakeven{ gpu = cost.gpu{ name = 'A800' }, cloud = { hourly = 2, hourlyy = 3 }, api = cost.api{ input = 1, output = 2 }, tokens_per_s = 100 }",
                      "cloud.hourlyy", lists: ["hourly", "gpus", "name"])
        // Tables as the constructors return them are accepted.
        XCTAssertEqual(try lua("return cost.breakeven{ gpu = cost.gpu{ name = 'A800', capex = cost.capex{ price = 10000, years = 3 } }, \(prices) } ~= nil"), [true])
    }

    func testDistributionTablesAreChecked() throws {
        assertUnknown("workload.synthetic{ n = 5, input = { kind = 'uniform', min = 1, max = 5, maxx = 6 }, output = 5 }",
                      "input.maxx", lists: ["kind", "min", "max"])
        XCTAssertEqual(try lua("return #workload.synthetic{ n = 5, input = dist.uniform{ min = 1, max = 5 }, output = dist.fixed(5) }"), [5])
    }

    func testOtherOptionTables() throws {
        assertUnknown("frontier.hull({ { id = 'a', cost = 1, quality = 1 } }, { costt = 'cost' })", "costt", lists: ["cost", "quality"])
        assertUnknown("frontier.knee({ { id = 'a', cost = 1, quality = 1 } }, { sensitivty = 2 })", "sensitivty", lists: ["cost", "quality", "sensitivity"])
        assertUnknown("document(function() end, { name = 'f', summary = 's', arg = 'x' })", "arg", lists: ["name", "args", "summary"])
    }
}
