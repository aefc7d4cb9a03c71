import Foundation
import XCTest

/// Measuring from the shell: `frontier serve`, a script measuring it, Ctrl-C mid-run.
final class MeasureCLITests: CLITestCase {
    func testServeThenMeasureItFromAScript() throws {
        let (server, _, o, _) = try start(["serve", "--port", "0", "--ttft", "0.02", "--itl", "0.005"])
        let out = Collector(o.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "/v1"), out.snapshot())
        guard let url = out.snapshot().split(separator: " ").first(where: { $0.hasPrefix("http://") }) else {
            server.terminate()
            return XCTFail(out.snapshot())
        }
        let script = try write("measure.lua", """
            local target = bench.openai{ url = arg[1], model = 'frontier-test' }
            local wl = workload.synthetic{ n = 10, seed = 1, input = 20, output = 5 }
            local r = bench.run{ target = target, workload = wl, concurrency = 2, tag = 'cli' }
            print(r.requests, r.succeeded, r.status)
            """)
        let r = try run(["--db", "cli.db", "run", script, String(url)])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "10\t10\tcompleted\n")
        XCTAssertFalse(r.stderr.contains("\u{1B}[2K"), "no progress line when stderr is not a terminal")
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        XCTAssertEqual(server.terminationStatus, 0)
        XCTAssertTrue(out.text().contains(" requests, 50 tokens sent"), out.snapshot())  // 10 × 5 tokens; requests include /metrics reads
    }

    func testCtrlCDuringARunKeepsFinishedRequestsAndMarksItInterrupted() throws {
        let db = dir.appendingPathComponent("int.db").path
        let script = try write("long.lua", """
            local srv = bench.test_server{ ttft = 0.05, itl = 0.01 }
            local wl = workload.synthetic{ n = 5000, seed = 1, input = 20, output = 10 }
            bench.run{ target = srv, workload = wl, concurrency = 8, tag = 'long',
                       on_progress = function(p) if p.done > 20 then print('running') io.stdout:flush() end end }
            print('not reached')
            """)
        let (p, _, o, e) = try start(["--db", db, "run", script])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "running", timeout: 60), out.snapshot() + err.snapshot())
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130, err.text())
        XCTAssertTrue(err.text().contains("interrupted: run 1 stopped after"), err.text())
        XCTAssertFalse(out.text().contains("not reached"))
        let check = try run(["--db", db, "-e", """
            local r = db.query("select status from runs where run_id = 1")[1]
            local n = db.query("select count(*) as n, sum(status = 'ok') as ok from requests where run_id = 1")[1]
            print(r.status, n.n > 20 and n.n < 5000, n.n == n.ok)
            """])
        XCTAssertEqual(check.stdout, "interrupted\ttrue\ttrue\n", check.stderr)
    }

    /// `frontier compare`: two measured runs, a slower server the second time.
    func testCompareTwoStoredRuns() throws {
        let script = try write("two.lua", """
            local wl = workload.synthetic{ n = 30, seed = 1, input = 20, output = 6 }
            local fast = bench.test_server{ ttft = 0.01, itl = 0.002 }
            local slow = bench.test_server{ ttft = 0.08, itl = 0.002 }
            bench.run{ target = fast, workload = wl, concurrency = 2 }
            bench.run{ target = slow, workload = wl, concurrency = 2 }
            """)
        XCTAssertEqual(try run(["--db", "cmp.db", "--quiet", "run", script]).status, 0)
        let r = try run(["compare", "--db", "cmp.db", "1", "2", "--hourly", "3.6"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("run 1 (a) vs run 2 (b)\nmetric"), r.stdout)
        XCTAssertTrue(r.stdout.contains("cost.per_request"), r.stdout)
        // TTFT rose by about 70 ms on every request: far beyond noise.
        let ttft = r.stdout.split(separator: "\n").last { $0.hasPrefix("ttft.mean ") }.map(String.init) ?? ""
        XCTAssertTrue(ttft.hasSuffix("differs"), r.stdout)
        let missing = try run(["compare", "--db", "cmp.db", "1", "7"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no run 7 in cmp.db"), missing.stderr)
        XCTAssertEqual(try run(["compare", "--db", "cmp.db", "1"]).status, 2, "a missing run id is a usage error")
    }
}
