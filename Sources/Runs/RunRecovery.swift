import Foundation
import Metrics
import Store

/// A run left `running` by a process that is gone, as recovery found and closed it.
public struct RecoveredRun: Sendable, Equatable {
    public var id: Int64
    public var tag: String?
    /// "host pid" of the process that was measuring it (nil for runs from before schema 8).
    public var owner: String?
    /// Requests it had stored: what its summary is computed from.
    public var requests: Int

    /// One line for the user.
    public var notice: String {
        var who = "a process"
        if let parts = owner?.split(separator: " "), parts.count == 2 { who = "process \(parts[1]) on \(parts[0])" }
        return "notice: run \(id)\(tag.map { " (tag \($0))" } ?? "") was left running by \(who), which is gone; "
            + "recovered as incomplete from its \(requests) stored request\(requests == 1 ? "" : "s")"
    }
}

/// Closes runs whose measuring process died without finishing them (kill -9, a crash, a
/// reboot): their stored requests are intact but the run has no summary and would stay
/// `running` forever. A run is abandoned when its owner (`runs.owner`, "host pid") is on
/// this host and that process no longer exists, or when its heartbeat (written every
/// few seconds by ``RunStore``) is older than ``staleAfter`` (another host, or a reused
/// PID). Runs from before owners were recorded count as abandoned an hour after they
/// started. Recovery computes the summary from the stored requests, exactly as a finished
/// run's, and sets status `incomplete`. Idempotent, and safe against another process
/// recovering at the same time (the update only applies to a run still `running`).
public enum RunRecovery {
    /// Seconds without a heartbeat after which a run's process is taken to be gone.
    public static let staleAfter: Double = 120
    /// For runs without an owner (stored before schema 8): seconds after their start.
    public static let ownerlessAfter: Double = 3600

    /// "host pid" of this process, as ``RunStore`` records it.
    public static let thisOwner = "\(hostName()) \(getpid())"

    /// What every open of a store does first: writes in the requests spilled when it
    /// could not take them (``RunSpill``), then recovers abandoned runs. Returns one
    /// notice per thing done, for the user (empty when there was nothing to do). Never
    /// throws: a store that still cannot take the spilled requests keeps them spilled.
    public static func onOpen(db: Database) -> [String] {
        var notices: [String] = []
        if let (files, rows) = try? RunSpill.restore(into: db, sql: RunStore.insertRequestKeepingExisting), files > 0 {
            notices.append("notice: wrote \(rows) spilled request\(rows == 1 ? "" : "s") from \(files) file\(files == 1 ? "" : "s") "
                + "in \(RunSpill.directory(for: db.path).path) into \(db.path)")
        }
        notices += ((try? recoverAbandoned(db: db)) ?? []).map(\.notice)
        return notices
    }

    /// Recovers every abandoned run in `db`; returns what it recovered (empty when none).
    @discardableResult
    public static func recoverAbandoned(db: Database, now: Double = Date().timeIntervalSince1970) throws -> [RecoveredRun] {
        let running = try db.query("SELECT run_id, tag, owner, heartbeat_at, started_at FROM runs WHERE status = 'running'")
        var recovered: [RecoveredRun] = []
        for row in running.rows {
            guard let id = row[0].int.map(Int64.init) else { continue }
            let owner = row[2].text, heartbeat = row[3].double, started = row[4].double
            guard abandoned(owner: owner, heartbeat: heartbeat, started: started, now: now) else { continue }
            let records = try StoredRequests.load(run: id, db: db).map(\.record)
            let summary = try RunSummary(records: records).json()
            let changed = try db.execute("""
                UPDATE runs SET status = 'incomplete', summary = ?, ended_at = ? WHERE run_id = ? AND status = 'running'
                """, [.text(summary), .real(heartbeat ?? started ?? now), .integer(id)])
            if changed == 1 {
                recovered.append(RecoveredRun(id: id, tag: row[1].text, owner: owner, requests: records.count))
            }
        }
        return recovered
    }

    static func abandoned(owner: String?, heartbeat: Double?, started: Double?, now: Double) -> Bool {
        guard let owner else { return (heartbeat ?? started ?? now) < now - ownerlessAfter }
        if owner == thisOwner { return false }
        let parts = owner.split(separator: " ")
        if parts.count == 2, String(parts[0]) == hostName(), let pid = Int32(parts[1]), !processExists(pid) {
            return true
        }
        return (heartbeat ?? started ?? now) < now - staleAfter
    }

    static func processExists(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// gethostname, not ProcessInfo's hostName (which may ask DNS and wait).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
