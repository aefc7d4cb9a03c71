import Foundation
import XCTest

/// What happens to a run when its process is stopped or killed, or its store is busy:
/// real `frontier` processes, real signals, real SQLite files (docs/reliability.md).
final class ReliabilityTests: CLITestCase {
    /// A measuring script that runs until stopped, printing 'running' once requests are stored.
    private func longRun() throws -> String {
        try write("long.lua", """
            local srv = bench.test_server{ ttft = 0.05, itl = 0.01 }
            local wl = workload.synthetic{ n = 5000, seed = 1, input = 20, output = 10 }
            local said = false
            bench.run{ target = srv, workload = wl, concurrency = 8, tag = 'long',
                       on_progress = function(p)
                         if p.done > 40 and not said then said = true print('running') io.stdout:flush() end
                       end }
            print('not reached')
            """)
    }

    /// status, has a summary with a makespan, requests stored, all ok, integrity_check.
    private func check(_ db: String) throws -> Result {
        try run(["--db", db, "-e", """
            local r = db.query("select status, summary is not null as s from runs where run_id = 1")[1]
            local n = db.query("select count(*) as n, sum(status = 'ok') as ok from requests where run_id = 1")[1]
            local run = bench.load(1)
            print(r.status, r.s == 1, n.n > 20 and n.n < 5000, n.n == n.ok, run.requests == n.n, run.makespan > 0,
                  db.query("pragma integrity_check")[1].integrity_check)
            """])
    }

    func testSIGTERMAndSIGHUPEndARunLikeCtrlC() throws {
        for (signal, status) in [(SIGTERM, Int32(143)), (SIGHUP, Int32(129))] {
            let db = dir.appendingPathComponent("sig\(signal).db").path
            let (p, _, o, e) = try start(["--db", db, "run", try longRun()])
            let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
            XCTAssertTrue(out.wait(for: "running", timeout: 60), out.snapshot() + err.snapshot())
            kill(p.processIdentifier, signal)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, status, err.text())
            XCTAssertTrue(err.text().contains("interrupted: run 1 stopped after"), err.text())
            XCTAssertFalse(out.text().contains("not reached"))
            let c = try check(db)
            XCTAssertEqual(c.stdout, "interrupted\ttrue\ttrue\ttrue\ttrue\ttrue\tok\n", c.stderr)
        }
    }

    func testSIGTERMAtTheREPLPromptEndsTheSession() throws {
        let (p, i, o, e) = try start(["--db", dir.appendingPathComponent("repl.db").path])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        i.fileHandleForWriting.write(Data("print('ready')\n".utf8))
        XCTAssertTrue(out.wait(for: "ready"), out.snapshot() + err.snapshot())
        usleep(200_000)  // back at the prompt, waiting for the next line
        kill(p.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { p.terminate(); return XCTFail("the REPL did not end on SIGTERM") }
        XCTAssertEqual(p.terminationStatus, 143, err.text())
    }

    func testAKilledRunIsRecoveredAsIncompleteOnTheNextOpen() throws {
        let db = dir.appendingPathComponent("killed.db").path
        let (p, _, o, e) = try start(["--db", db, "run", try longRun()])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "running", timeout: 60), out.snapshot() + err.snapshot())
        usleep(500_000)  // a few batches (one every 200 ms) reach the file
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        let c = try check(db)
        XCTAssertEqual(c.stdout, "incomplete\ttrue\ttrue\ttrue\ttrue\ttrue\tok\n", c.stderr)
        XCTAssertTrue(c.stderr.contains("notice: run 1 (tag long) was left running by process \(p.processIdentifier)"), c.stderr)
        XCTAssertTrue(c.stderr.contains("recovered as incomplete from its"), c.stderr)
        // Recovered once: the next open has nothing to say, and a report reads the run.
        let again = try run(["--db", db, "-e", "print(bench.load(1).status)"])
        XCTAssertEqual(again.stdout, "incomplete\n")
        XCTAssertFalse(again.stderr.contains("notice"), again.stderr)
        let html = dir.appendingPathComponent("r.html").path
        let report = try run(["report", "--db", db, "--tag", "long", "--out", html])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(try String(contentsOfFile: html, encoding: .utf8).contains(">1 (incomplete)<"), "the report says so")
    }

    /// kill -9 at three moments: as the run begins (few or no requests stored yet), and
    /// while a second run goes after a first one completed. Every stored request stays,
    /// the killed run is recovered with a summary of exactly what was stored, the
    /// completed run is untouched.
    func testKilledAtTheStartOrAfterAFinishedRunEveryStoredRequestIsKept() throws {
        let script = try write("two.lua", """
            local srv = bench.test_server{ ttft = 0.05, itl = 0.01 }
            local wl = workload.synthetic{ n = 5000, seed = 1, input = 20, output = 10 }
            local which = arg[1]
            if which == 'second' then
              bench.run{ target = srv, workload = workload.synthetic{ n = 16, seed = 2, input = 20, output = 10 },
                         concurrency = 8, tag = 'first' }
            end
            local said = false
            bench.run{ target = srv, workload = wl, concurrency = 8, tag = 'long',
                       on_progress = function(p)
                         if not said and (which == 'start' or p.done > 10) then said = true print('running') io.stdout:flush() end
                       end }
            """)
        for (moment, killed) in [("start", 1), ("second", 2)] {
            let db = dir.appendingPathComponent("kill-\(moment).db").path
            let (p, _, o, e) = try start(["--db", db, "run", script, moment])
            let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
            XCTAssertTrue(out.wait(for: "running", timeout: 60), out.snapshot() + err.snapshot())
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let c = try run(["--db", db, "-e", """
                for _, r in ipairs(db.query('select run_id, status, json_extract(summary, "$.requests") as n from runs order by run_id')) do
                  local stored = db.query('select count(*) as n from requests where run_id = ?', r.run_id)[1].n
                  print(r.run_id, r.status, r.n == stored, stored)
                end
                print(db.query('pragma integrity_check')[1].integrity_check)
                """])
            let lines = c.stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, killed + 1, c.stdout + c.stderr)
            if killed == 2 { XCTAssertEqual(lines.first, "1\tcompleted\ttrue\t16", moment) }
            XCTAssertTrue(lines.dropLast().last?.hasPrefix("\(killed)\tincomplete\ttrue\t") ?? false, moment + ": " + c.stdout + c.stderr)
            XCTAssertEqual(lines.last, "ok", moment)
            XCTAssertTrue(c.stderr.contains("notice: run \(killed) (tag long) was left running"), c.stderr)
        }
    }

    /// A second process holds the store's write lock longer than SQLite's busy timeout
    /// (5 s) while a run stores its requests: the run waits, then writes every one.
    func testABusyStoreDelaysButNeverDropsFinishedRequests() throws {
        let db = dir.appendingPathComponent("busy.db").path
        let script = try write("busy.lua", """
            local srv = bench.test_server{ ttft = 0.02, itl = 0.005 }
            local wl = workload.synthetic{ n = 600, seed = 1, input = 20, output = 10 }  -- about 10 s: the lock lands mid-run even on a busy machine
            local said = false
            local r = bench.run{ target = srv, workload = wl, concurrency = 4, tag = 'busy',
                       on_progress = function(p)
                         if p.done > 20 and not said then said = true print('running') io.stdout:flush() end
                       end }
            print(r.status, r.requests, r.succeeded)
            """)
        let (p, _, o, e) = try start(["--db", db, "run", script])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "running", timeout: 60), out.snapshot() + err.snapshot())
        let holder = try run(["--db", db, "-e", "db.exec('BEGIN IMMEDIATE') sys.sleep(7) db.exec('COMMIT') print('released')"])
        XCTAssertEqual(holder.stdout, "released\n", holder.stderr)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, err.text())
        XCTAssertEqual(out.text().split(separator: "\n").last, "completed\t600\t600", out.snapshot() + err.snapshot())
        XCTAssertTrue(err.text().contains("is locked by another connection"), err.text())
        let stored = try run(["--db", db, "-e", "print(db.query('select count(*) as n from requests where run_id = 1')[1].n)"])
        XCTAssertEqual(stored.stdout, "600\n", stored.stderr)
    }
}
