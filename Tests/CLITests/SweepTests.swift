import Foundation
import XCTest

/// Re-running a sweep script into one store under one tag: each invocation is its own
/// sweep, readers take the latest, and the others stay reachable (docs/store.md, "Sweeps").
final class SweepTests: CLITestCase {
    private func sweepScript() throws -> String {
        try write("sweep.lua", """
            local srv = bench.test_server{ ttft = 0.001, itl = 0.0005 }
            local wl = workload.synthetic{ n = 6, seed = 1, input = 16, output = 8 }
            local runs = bench.sweep{ target = srv, workload = wl, concurrency = {1, 2, 4}, tag = 'cap' }
            print(runs[1].sweep, runs[3].sweep)
            """)
    }

    func testReRunningASweepUnderOneTagMakesANewSweepAndReadersTakeTheLatest() throws {
        let db = dir.appendingPathComponent("sweeps.db").path
        let script = try sweepScript()
        let first = try run(["--db", db, "run", script])
        XCTAssertEqual(first.stdout, "1\t1\n", first.stderr)
        let second = try run(["--db", db, "run", script])
        XCTAssertEqual(second.stdout, "4\t4\n", second.stderr)

        let read = try run(["--db", db, "-e", """
            local latest = bench.runs{ tag = 'cap' }
            print(#latest, latest[1].run_id, latest[1].sweep)
            print(#bench.runs{ tag = 'cap', sweep = 'all' }, #bench.runs{ tag = 'cap', sweep = 1 }, #bench.runs(), #bench.runs{ sweep = 4 })
            for _, s in ipairs(bench.sweeps{ tag = 'cap' }) do print(s.sweep, s.tag, s.runs, table.concat(s.levels, ',')) end
            local cost = { cost = function(r) return 1 / r.concurrency end }
            print(frontier.saturation(latest, cost).run_id)
            local ok, e = pcall(frontier.saturation, bench.runs{ tag = 'cap', sweep = 'all' }, cost)
            print(ok, e)
            print(pcall(bench.runs, { tag = 'cap', sweep = 'newest' }))
            """])
        let lines = read.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7, read.stdout + read.stderr)
        guard lines.count == 7 else { return }
        XCTAssertEqual(lines[0], "3\t4\t4")
        XCTAssertEqual(lines[1], "6\t3\t6\t3")
        XCTAssertEqual(lines[2], "1\tcap\t3\t1,2,4")
        XCTAssertEqual(lines[3], "4\tcap\t3\t1,2,4")
        XCTAssertEqual(lines[4], "6")
        XCTAssertTrue(lines[5].hasPrefix("false\t"), lines[5])
        XCTAssertTrue(lines[5].contains("two runs at level 1 (run 1 of sweep 1 and run 4 of sweep 4)"), lines[5])
        XCTAssertTrue(lines[6].contains("field 'sweep' must be 'latest', 'all' or a sweep id"), lines[6])

        // The shell's commands follow the same rule.
        let latestCSV = try run(["export", "--db", db, "--tag", "cap"])
        XCTAssertEqual(latestCSV.stdout.split(whereSeparator: \.isNewline).count, 4, latestCSV.stderr)
        let allCSV = try run(["export", "--db", db, "--tag", "cap", "--sweep", "all"])
        XCTAssertEqual(allCSV.stdout.split(whereSeparator: \.isNewline).count, 7, allCSV.stderr)
        let html = dir.appendingPathComponent("first.html").path
        let report = try run(["report", "--db", db, "--tag", "cap", "--sweep", "1", "--out", html])
        XCTAssertEqual(report.stdout, "wrote \(html) (3 runs)\n", report.stderr)
        // --summary prints the report's answer for the latest sweep (each sweep with --sweep all).
        let summary = try run(["report", "--db", db, "--tag", "cap", "--summary", "--hourly", "2", "--sla", "ttft_p50=5"])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        XCTAssertTrue(summary.stdout.hasPrefix("cap · sweep 4 · measured · frontier-test · 3 levels\n  - Run at concurrency "), summary.stdout)
        XCTAssertTrue(summary.stdout.contains("the cheapest level meeting the SLA, $"), summary.stdout)
        let both = try run(["report", "--db", db, "--tag", "cap", "--sweep", "all", "--summary"])
        XCTAssertEqual(both.stdout.components(separatedBy: "cap · sweep ").count - 1, 2, both.stdout + both.stderr)
        let bad = try run(["report", "--db", db, "--tag", "cap", "--sweep", "old", "--out", html])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--sweep must be 'latest', 'all' or a sweep id"), bad.stderr)

        // Deleting one sweep keeps the other; tag= deletes every sweep of the tag.
        let delete = try run(["--db", db, "-e", """
            print(bench.delete{ sweep = 4 }, #bench.runs{ tag = 'cap' }, bench.runs{ tag = 'cap' }[1].sweep)
            print(bench.delete{ tag = 'cap' }, #bench.runs())
            """])
        XCTAssertEqual(delete.stdout, "3\t3\t1\n3\t0\n", delete.stderr)
    }

    /// Within one process: runs of a tag made one by one form one sweep; each
    /// bench.sweep / sim.sweep call starts a new one.
    func testOneInvocationIsOneSweepAndEachSweepCallIsItsOwn() throws {
        let db = dir.appendingPathComponent("one.db").path
        let r = try run(["--db", db, "-e", """
            local srv = bench.test_server{ ttft = 0.001, itl = 0.0005 }
            local wl = workload.synthetic{ n = 4, seed = 1, input = 16, output = 8 }
            local a = bench.run{ target = srv, workload = wl, concurrency = 1, tag = 'loop' }
            local b = bench.run{ target = srv, workload = wl, concurrency = 2, tag = 'loop' }
            local c = bench.run{ target = srv, workload = wl, concurrency = 1, tag = 'other' }
            print(a.sweep, b.sweep, c.sweep)
            local s1 = bench.sweep{ target = srv, workload = wl, concurrency = {1, 2}, tag = 'loop' }
            local s2 = bench.sweep{ target = srv, workload = wl, concurrency = {1, 2}, tag = 'loop' }
            print(s1[1].sweep, s1[2].sweep, s2[1].sweep, s2[2].sweep)
            local sims = sim.sweep{ gpu = 'A100-80G-SXM', model = 'Llama-3.1-8B', workload = wl, concurrency = {1, 2}, tag = 'loop' }
            print(sims[1].sweep, sims[2].sweep, #bench.runs{ tag = 'loop' }, #bench.sweeps{ tag = 'loop' })
            """])
        XCTAssertEqual(r.stdout, "1\t1\t3\n4\t4\t6\t6\n8\t8\t2\t4\n", r.stderr)
    }
}
