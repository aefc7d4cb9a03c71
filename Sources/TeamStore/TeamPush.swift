import Foundation
import Store

/// `frontier push`: copies finished runs from the local file to the team store. Each run
/// goes in one transaction keyed by its global id (`runs.uid`, given on first push), so a
/// run is there whole or not at all, pushing twice changes nothing, and pushers running at
/// once never store a run twice (the second waits on the first's key, then skips).
public enum TeamPush {
    /// Which local runs to push.
    public struct Selection: Sendable {
        public var tag: String?
        /// Local run ids; empty: every run (of the tag).
        public var runs: [Int64]
        public init(tag: String? = nil, runs: [Int64] = []) {
            self.tag = tag
            self.runs = runs
        }
    }

    /// What a push did.
    public struct Outcome: Sendable, Equatable {
        /// Local ids of the runs stored by this push.
        public var pushed: [Int64] = []
        /// Requests stored by this push.
        public var requests = 0
        /// Runs the team store already had.
        public var alreadyThere: [Int64] = []
        /// Runs still running locally: pushed once they end.
        public var stillRunning: [Int64] = []
    }

    /// Pushes the selected runs; `progress` hears of each run stored.
    public static func push(from db: Database, to c: TeamConnection, selection: Selection = .init(),
                            progress: ((Int64, Int) -> Void)? = nil) throws -> Outcome {
        try TeamSchema.migrate(c)
        try assignIDs(db)
        var outcome = Outcome()
        let rows = try localRuns(db, selection)
        // Ask once which runs the team store has, so a re-push reads no requests.
        var present = Set<String>()
        for chunk in stride(from: 0, to: rows.count, by: 1000) {
            let uids = rows[chunk..<min(rows.count, chunk + 1000)].compactMap { $0[1].text }
            let marks = (1...max(1, uids.count)).map { "$\($0)" }.joined(separator: ", ")
            guard !uids.isEmpty else { continue }
            for r in try c.query("SELECT run_uid FROM runs WHERE run_uid IN (\(marks))", uids.map(SQLValue.text)).rows {
                if let u = r[0].text { present.insert(u) }
            }
        }
        for row in rows {
            guard case .integer(let id) = row[0], let uid = row[1].text else { continue }
            if row[col("status")] == .text("running") { outcome.stillRunning.append(id); continue }
            if present.contains(uid) { outcome.alreadyThere.append(id); continue }
            let stored = try pushRun(row, id: id, uid: uid, from: db, to: c)
            if let n = stored {
                outcome.pushed.append(id)
                outcome.requests += n
                progress?(id, n)
            } else {
                outcome.alreadyThere.append(id)
            }
        }
        return outcome
    }

    /// The local columns read for a run, in this order.
    static let runColumns = ["run_id", "uid", "team_sweep", "tag", "source", "target", "model", "concurrency", "rate",
                             "settings", "status", "started_at", "ended_at", "summary", "verdict", "notes", "created", "owner"]
    private static func col(_ name: String) -> Int { runColumns.firstIndex(of: name) ?? 0 }

    /// Gives every run without one a global id, and every local sweep without one the
    /// global id of its first run, so a sweep pushed in parts stays one sweep.
    static func assignIDs(_ db: Database) throws {
        try db.transaction {
            try db.execute("UPDATE runs SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
            try db.execute("""
                UPDATE runs SET team_sweep = (SELECT f.uid FROM runs f WHERE f.sweep = runs.sweep ORDER BY f.run_id LIMIT 1)
                WHERE team_sweep IS NULL AND sweep IS NOT NULL
                """)
            try db.execute("UPDATE runs SET team_sweep = uid WHERE team_sweep IS NULL")
        }
    }

    private static func localRuns(_ db: Database, _ s: Selection) throws -> [[SQLValue]] {
        var sql = "SELECT \(runColumns.joined(separator: ", ")) FROM runs WHERE (?1 IS NULL OR tag = ?1)"
        if !s.runs.isEmpty { sql += " AND run_id IN (\(s.runs.map(String.init).joined(separator: ", ")))" }
        let found = try db.query(sql + " ORDER BY run_id", [s.tag.map(SQLValue.text) ?? .null]).rows
        let missing = Set(s.runs).subtracting(found.compactMap { $0[0].int.map(Int64.init) })
        if let first = missing.sorted().first {
            throw TeamStoreError.local("run \(first) is not in \(db.path)" + (s.tag.map { " under tag '\($0)'" } ?? ""))
        }
        return found
    }

    /// Stores one run and everything about it in one transaction; nil when another pusher
    /// stored it first. Returns the requests stored.
    private static func pushRun(_ row: [SQLValue], id: Int64, uid: String, from db: Database, to c: TeamConnection) throws -> Int? {
        let local: [TeamTables.Table: [[SQLValue]]] = try Dictionary(uniqueKeysWithValues: TeamTables.perRun.map { t in
            (t, try db.query("SELECT \(t.names.joined(separator: ", ")) FROM \(t.name) WHERE run_id = ? ORDER BY \(t.order)",
                             [.integer(id)]).rows)
        })
        return try c.transaction {
            let inserted = try c.query("""
                INSERT INTO runs (run_uid, sweep, tag, source, target, model, concurrency, rate, settings, status, started_at,
                                  ended_at, summary, verdict, notes, created, origin)
                VALUES ($1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::bigint, $8::float8, $9::jsonb,
                        $10::text, $11::float8, $12::float8, $13::jsonb, $14::text, $15::text, $16::text, $17::text)
                ON CONFLICT (run_uid) DO NOTHING RETURNING run_uid
                """, [.text(uid)] + Array(row[2..<runColumns.count]),
                what: "storing run \(id)")
            guard !inserted.rows.isEmpty else { return nil }
            for t in TeamTables.perRun { try TeamTables.insert(t, runUID: uid, rows: local[t] ?? [], into: c) }
            return local[TeamTables.requests]?.count ?? 0
        }
    }
}

extension TeamTables.Table: Hashable {
    static func == (a: Self, b: Self) -> Bool { a.name == b.name }
    func hash(into h: inout Hasher) { h.combine(name) }
}
