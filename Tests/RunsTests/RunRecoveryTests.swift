import Foundation
import Metrics
@testable import Runs
import Store
import XCTest

/// Which `running` runs recovery closes, and what it writes (docs/reliability.md).
final class RunRecoveryTests: StoreFileTestCase {
    func testAbandonedIsJudgedByOwnerAndHeartbeat() {
        let now = 10_000.0, host = RunRecovery.hostName()
        // This process: never abandoned, however old its heartbeat.
        XCTAssertFalse(RunRecovery.abandoned(owner: RunRecovery.thisOwner, heartbeat: 0, started: 0, now: now))
        // A dead process on this host: abandoned at once. (PID 2^22 + 1 exceeds Linux's pid_max.)
        XCTAssertTrue(RunRecovery.abandoned(owner: "\(host) 4194305", heartbeat: now, started: now, now: now))
        // A live process on this host (the parent of this one) with a fresh heartbeat: kept.
        XCTAssertFalse(RunRecovery.abandoned(owner: "\(host) \(getppid())", heartbeat: now - 5, started: 0, now: now))
        // Another host: only a stale heartbeat counts.
        XCTAssertFalse(RunRecovery.abandoned(owner: "elsewhere 1", heartbeat: now - 60, started: 0, now: now))
        XCTAssertTrue(RunRecovery.abandoned(owner: "elsewhere 1", heartbeat: now - 121, started: 0, now: now))
        // Before owners were recorded: an hour after the start.
        XCTAssertFalse(RunRecovery.abandoned(owner: nil, heartbeat: nil, started: now - 3000, now: now))
        XCTAssertTrue(RunRecovery.abandoned(owner: nil, heartbeat: nil, started: now - 3601, now: now))
    }

    func testRecoveryWritesTheSummaryOfTheStoredRequests() throws {
        let db = try Database(path: path)
        try db.execute("""
            INSERT INTO runs (tag, source, status, started_at, owner, heartbeat_at)
            VALUES ('t', 'measured', 'running', 100, 'elsewhere 7', 130), ('u', 'measured', 'running', 100, ?, 130)
            """, [.text(RunRecovery.thisOwner)])
        // Two requests: sent 0 and 1, ended 2 and 4 → makespan 4 − 0 = 4 s; TTFT 0.5 and 1.
        try db.execute("""
            INSERT INTO requests (run_id, idx, sent, first_token, ended, ttft, e2e, input_tokens, output_tokens, status)
            VALUES (1, 0, 0, 0.5, 2, 0.5, 2, 10, 5, 'ok'), (1, 1, 1, 2, 4, 1, 3, 10, 5, 'ok')
            """)
        let recovered = try RunRecovery.recoverAbandoned(db: db, now: 1000)
        XCTAssertEqual(recovered, [RecoveredRun(id: 1, tag: "t", owner: "elsewhere 7", requests: 2)])
        XCTAssertEqual(recovered.first?.notice,
                       "notice: run 1 (tag t) was left running by process 7 on elsewhere, which is gone; "
                       + "recovered as incomplete from its 2 stored requests")
        let run = try RunRecords.load(id: 1, db: db)
        XCTAssertEqual(run.status, "incomplete")
        XCTAssertEqual(run.endedAt, 130, "the last heartbeat: when it was last known alive")
        let summary = try XCTUnwrap(run.summary)
        XCTAssertEqual(summary.requests, 2)
        XCTAssertEqual(summary.makespan, 4)
        XCTAssertEqual(summary.ttft?.mean, 0.75)
        XCTAssertEqual(summary.outputTokens, 10)
        // This process's own run stays running; a second pass finds nothing.
        XCTAssertEqual(try RunRecords.load(id: 2, db: db).status, "running")
        XCTAssertEqual(try RunRecovery.recoverAbandoned(db: db, now: 1000), [])
    }
}
