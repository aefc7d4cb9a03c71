import Foundation
import Store

/// `frontier pull`: copies a tag's runs from the team store into the local file for
/// offline work. Runs the file already has (same global id) are skipped; each run is
/// written in one local transaction, so an interrupted pull leaves whole runs only. The
/// runs of one team sweep form one local sweep (the local id of its first run pulled).
public enum TeamPull {
    /// What a pull did.
    public struct Outcome: Sendable, Equatable {
        /// Local ids given to the runs pulled.
        public var pulled: [Int64] = []
        public var requests = 0
        /// Global ids of runs the local file already had.
        public var alreadyHere: [String] = []
    }

    /// Pulls the runs of `tag` (every sweep, or the team sweep given).
    public static func pull(from c: TeamConnection, into db: Database, tag: String, sweep: String? = nil) throws -> Outcome {
        try TeamSchema.migrate(c)
        let runs = try c.query("""
            SELECT run_uid, sweep, tag, source, target, model, concurrency, rate, settings::text, status, started_at,
                   ended_at, summary::text, verdict, notes, created
            FROM runs WHERE tag = $1 AND ($2::text IS NULL OR sweep = $2::text) ORDER BY started_at, run_uid
            """, [.text(tag), sweep.map(SQLValue.text) ?? .null], what: "listing the runs of tag '\(tag)'").rows
        var outcome = Outcome()
        for run in runs {
            guard let uid = run[0].text, let teamSweep = run[1].text else { continue }
            if try !db.query("SELECT 1 FROM runs WHERE uid = ?", [.text(uid)]).rows.isEmpty {
                outcome.alreadyHere.append(uid)
                continue
            }
            var rows: [String: [[SQLValue]]] = [:]
            for t in TeamTables.perRun {
                rows[t.name] = try c.query("SELECT \(t.selectList) FROM \(t.name) WHERE run_uid = $1 ORDER BY \(t.order)",
                                           [.text(uid)], what: "reading \(t.name) of run \(uid)").rows
            }
            let id: Int64 = try db.transaction {
                let localSweep = try db.query("SELECT min(sweep) FROM runs WHERE team_sweep = ?", [.text(teamSweep)]).rows.first?.first
                try db.execute("""
                    INSERT INTO runs (uid, team_sweep, tag, source, target, model, concurrency, rate, settings, status, started_at,
                                      ended_at, summary, verdict, notes, created, sweep)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), ?)
                    """, Array(run[0..<16]) + [localSweep ?? .null])
                let id = db.lastInsertRowID
                if localSweep == nil || localSweep == .null {
                    try db.execute("UPDATE runs SET sweep = run_id WHERE run_id = ?", [.integer(id)])
                }
                for t in TeamTables.perRun {
                    let marks = Array(repeating: "?", count: t.columns.count + 1).joined(separator: ", ")
                    _ = try db.executeEach("INSERT INTO \(t.name) (run_id, \(t.names.joined(separator: ", "))) VALUES (\(marks))",
                                           (rows[t.name] ?? []).lazy.map { [.integer(id)] + $0 })
                }
                return id
            }
            outcome.pulled.append(id)
            outcome.requests += rows[TeamTables.requests.name]?.count ?? 0
        }
        return outcome
    }
}
