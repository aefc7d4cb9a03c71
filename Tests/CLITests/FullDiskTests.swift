import Foundation
import XCTest

/// A store whose file system fills mid-run, for real: a 1 MB tmpfs (mounting needs root,
/// which the CI machine has). The run fails naming the error, the requests that could not
/// be written go to a spill file on another file system, and once there is room again the
/// next open writes them in: every finished request is stored (docs/reliability.md).
final class FullDiskTests: CLITestCase {
    private func sh(_ args: [String]) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", args.joined(separator: " ") + " 2>/dev/null"]
        guard (try? p.run()) != nil else { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    func testAFullDiskLosesNoFinishedRequest() throws {
        let small = dir.appendingPathComponent("small").path, spill = dir.appendingPathComponent("spill").path
        try FileManager.default.createDirectory(atPath: small, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: spill, withIntermediateDirectories: true)
        guard sh(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small]) == 0 else {
            throw XCTSkip("mounting a small tmpfs needs root (CI runs as root); RunSpillTests covers the logic without it")
        }
        defer { _ = sh(["umount", small]) }
        let db = small + "/f.db"
        let script = try write("fill.lua", """
            local srv = bench.test_server{ ttft = 0.001, itl = 0.0001 }
            local wl = workload.synthetic{ n = 3000, seed = 1, input = 20, output = 200 }
            local ok, e = pcall(bench.run, { target = srv, workload = wl, concurrency = 16, tag = 'full' })
            print(ok, e)
            """)
        let env = ["TMPDIR": spill]
        let r = try run(["--db", db, "run", script], env: env)
        XCTAssertTrue(r.stdout.hasPrefix("false\tcould not store every request of run 1: SQLite error 13 (database or disk is full)"),
                      r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("they are kept in \(spill)/frontier-spill-"), r.stdout)
        XCTAssertTrue(r.stderr.contains("finished requests could not be written to \(db)"), r.stderr)

        // Room again (the same path, as a disk cleaned up would be): the next open writes them in.
        XCTAssertEqual(sh(["mount", "-o", "remount,size=64m", small]), 0)
        let after = try run(["--db", db, "-e", """
            local r = db.query("select status, json_extract(summary, '$.requests') as n from runs where run_id = 1")[1]
            local stored = db.query('select count(*) as n from requests where run_id = 1')[1].n
            print(r.status, r.n > 0, r.n < 3000, stored == r.n, db.query('pragma integrity_check')[1].integrity_check)
            """], env: env)
        XCTAssertTrue(after.stderr.contains("notice: wrote"), after.stderr)
        XCTAssertTrue(after.stderr.contains("spilled requests from 1 file"), after.stderr)
        XCTAssertTrue(["failed\ttrue\ttrue\ttrue\tok\n", "incomplete\ttrue\ttrue\ttrue\tok\n"].contains(after.stdout),
                      after.stdout + after.stderr)
        let spillFiles = try FileManager.default.subpathsOfDirectory(atPath: spill).filter { $0.hasSuffix(".jsonl") }
        XCTAssertEqual(spillFiles, [], "written in and removed")
    }
}
