import Foundation
import XCTest

/// A synthetic workload is a generator, not an array (issue 11): in a process of its own,
/// ten million requests of 400-token prompts — about 20 GB if built up front — cost next
/// to nothing until they are used, and simulating from 100,000 of them never makes a prompt.
final class WorkloadMemoryTests: CLITestCase {
    func testTenMillionSyntheticRequestsTakeNoMemoryUntilUsed() throws {
        let r = try run(["--db", dir.appendingPathComponent("m.db").path, "-e", """
            local w = workload.synthetic{ n = 1e7, input = 400, output = 10, seed = 1 }
            local n = 0
            for i = 1, 1000 do n = n + #w:get(i * 1e4).prompt end
            local s = sim.run{ gpu = 'H100-SXM', model = 'Llama-3.1-8B', concurrency = 64, keep = 'summary',
                               workload = workload.synthetic{ n = 1e5, input = 400, output = 10, seed = 2 } }
            print(#w, n > 1000 * 1600, s.requests, sys.peak_memory() < 400e6, sys.peak_memory())
            """])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("10000000\ttrue\t100000\ttrue\t"), r.stdout + r.stderr)
    }
}
