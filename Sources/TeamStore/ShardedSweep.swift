import Foundation
import Store

/// One shard's part of a sweep spread over machines. The shards share a sweep id (the
/// tag, or `FRONTIER_SWEEP_ID`), register the whole list of levels in the team store
/// (`sweep_plans`), claim each level they measure with a heartbeat (`sweep_levels`), and
/// push each run as it ends. A level already done — a completed run of the sweep in the
/// team store or in the local file — is skipped, so re-running a shard finishes only
/// what is missing, and a level another live shard has claimed (its heartbeat fresh) is left
/// to it. Without a team store (none given, or unreachable) the shard measures into its
/// local file alone and says how to push later; runs kept that way for an unreachable store
/// are listed in ``UnpushedRuns`` so `frontier run` can exit non-zero and be retried.
public final class ShardedSweep: @unchecked Sendable {
    public let shard: Shard
    public let sweepID: String
    public let kind: String
    public let levels: [Double]
    private let localPath: String
    private var team: TeamConnection?
    private let teamAddress: String?
    private let say: (String) -> Void
    private let owner: String
    private var heartbeat: DispatchSourceTimer?
    private let beatQueue = DispatchQueue(label: "frontier.sweep-heartbeat")
    /// Seconds between heartbeats; a claim older than ``staleAfter`` is shown as missing.
    static let heartbeatInterval = 5.0
    public static let staleAfter = 30.0

    /// Opens the sweep: connects to `teamStore` (a `postgres://` URL, or nil) and records
    /// the plan. Different levels under the same sweep id are refused (two scripts, one id).
    public init(shard: Shard, sweepID: String, tag: String?, kind: String, levels: [Double], localPath: String,
                teamStore: String?, stopWhen: (@Sendable () -> Bool)? = nil, say: @escaping (String) -> Void) throws {
        guard Set(levels).count == levels.count else {
            throw TeamStoreError.local("a sharded sweep's levels must differ from each other; got \(levels.map { Self.format($0) }.joined(separator: ", "))")
        }
        self.shard = shard
        self.sweepID = sweepID
        self.kind = kind
        self.levels = levels
        self.localPath = localPath
        self.teamAddress = teamStore
        self.say = say
        owner = "\(ProcessInfo.processInfo.hostName) \(getpid())"
        guard let teamStore else { return }
        let address = try TeamAddress(teamStore)  // a malformed address is the user's to fix: an error
        do {
            let c = try TeamConnection(address, stopWhen: stopWhen)
            try TeamSchema.migrate(c)
            try c.query("""
                INSERT INTO sweep_plans (sweep, tag, kind, levels, shards) VALUES ($1::text, $2::text, $3::text, $4::float8[], $5::bigint)
                ON CONFLICT (sweep) DO NOTHING
                """, [.text(sweepID), tag.map(SQLValue.text) ?? .null, .text(kind), .text(Self.arrayLiteral(levels)),
                      .integer(Int64(shard.count))], what: "recording sweep '\(sweepID)'")
            let plan = try c.query("SELECT kind, levels::text FROM sweep_plans WHERE sweep = $1", [.text(sweepID)]).rows.first
            if let plan, plan[0].text != kind || plan[1].text != Self.arrayLiteral(levels) {
                throw TeamStoreError.local("sweep '\(sweepID)' in \(address.display) has other levels (\(plan[0].text ?? "?") \(plan[1].text ?? "?")); "
                                           + "give this one another id (FRONTIER_SWEEP_ID) or another tag")
            }
            team = c
        } catch let e as TeamStoreError {
            if case .unreachable = e { offline(e) } else { throw e }
        }
    }

    deinit { stopHeartbeat() }

    /// Positions (in `levels`) this shard still has to measure, in order.
    public func pending() throws -> [Int] {
        let mine = levels.indices.filter(shard.owns)
        let local = try doneLocally()
        var done = Set(local.values)
        var claimed: [Double: String] = [:]
        // Runs an earlier try of this shard kept locally (the store was out of reach) go up first,
        // so a retry on a kept file pushes them instead of leaving them local for good.
        if team != nil, !local.isEmpty { pushLocal(Array(local.keys)) }
        if let team {
            do {
                // A claim beating within staleAfter belongs to a live shard (another process):
                // measuring it here too would store the level twice.
                for r in try team.query("""
                    SELECT level, shard, owner, extract(epoch FROM now() - heartbeat_at)::float8 FROM sweep_levels
                    WHERE sweep = $1 AND owner <> $2 AND heartbeat_at > now() - $3::float8 * interval '1 second'
                    """, [.text(sweepID), .text(owner), .real(Self.staleAfter)], what: "reading the levels claimed").rows {
                    if let d = r[0].double {
                        claimed[d] = "shard \(r[1].text ?? "?") (\(r[2].text ?? "?"), heartbeat \(Self.format((r[3].double ?? 0).rounded())) s ago)"
                    }
                }
                for r in try team.query("""
                    SELECT DISTINCT coalesce(concurrency::float8, rate) FROM runs WHERE sweep = $1 AND status = 'completed'
                    """, [.text(sweepID)], what: "reading the levels done").rows {
                    if let d = r[0].double { done.insert(d) }
                }
            } catch let e as TeamStoreError { offline(e) }
        }
        // Out of reach: what stayed local from an earlier try is still unpushed.
        if team == nil, teamAddress != nil { UnpushedRuns.shared.add(local.keys.map { .init(path: localPath, runID: $0) }) }
        let skipped = mine.filter { done.contains(levels[$0]) }
        if !skipped.isEmpty {
            say("shard \(shard): \(kind) \(skipped.map { Self.format(levels[$0]) }.joined(separator: ", ")) already done in sweep '\(sweepID)'; skipping")
        }
        for k in mine where !done.contains(levels[k]) {
            if let who = claimed[levels[k]] { say("shard \(shard): \(kind) \(Self.format(levels[k])) is being measured by \(who); skipping") }
        }
        return mine.filter { !done.contains(levels[$0]) && claimed[levels[$0]] == nil }
    }

    /// Claims level `k` in the team store and keeps its heartbeat until ``finish(_:runID:)``.
    /// Returns false when another live shard claimed it since ``pending()``: skip the level.
    /// A claim is taken over only when it is this process's or its heartbeat is stale.
    @discardableResult
    public func begin(_ k: Int) -> Bool {
        guard let team else { return true }
        do {
            let claim = try team.query("""
                INSERT INTO sweep_levels (sweep, level, shard, owner) VALUES ($1::text, $2::float8, $3::text, $4::text)
                ON CONFLICT (sweep, level) DO UPDATE SET shard = excluded.shard, owner = excluded.owner,
                    started_at = now(), heartbeat_at = now()
                WHERE sweep_levels.owner = excluded.owner
                   OR sweep_levels.heartbeat_at <= now() - $5::float8 * interval '1 second'
                RETURNING owner
                """, [.text(sweepID), .real(levels[k]), .text(shard.description), .text(owner), .real(Self.staleAfter)],
                what: "claiming a level")
            if claim.rows.isEmpty {
                say("shard \(shard): \(kind) \(Self.format(levels[k])) was claimed by another live shard meanwhile; skipping")
                return false
            }
        } catch let e as TeamStoreError { offline(e); return true } catch { return true }
        let timer = DispatchSource.makeTimerSource(queue: beatQueue)
        timer.schedule(deadline: .now() + Self.heartbeatInterval, repeating: Self.heartbeatInterval)
        let sweep = sweepID, level = levels[k], me = owner
        timer.setEventHandler { [weak team] in
            _ = try? team?.query("UPDATE sweep_levels SET heartbeat_at = now() WHERE sweep = $1 AND level = $2 AND owner = $3",
                                 [.text(sweep), .real(level), .text(me)])
        }
        timer.resume()
        heartbeat = timer
        return true
    }

    /// Marks the run as this sweep's, pushes it, and releases the claim. A push that fails
    /// leaves the run in the local file (pushed later by `frontier push`).
    public func finish(_ k: Int, runID: Int64?) throws {
        stopHeartbeat()
        guard let runID else { return }
        let db = try Database(path: localPath)
        defer { db.close() }
        try db.execute("UPDATE runs SET team_sweep = ? WHERE run_id = ?", [.text(sweepID), .integer(runID)])
        // Given a store but not reaching it, the run stays local: say so at exit (UnpushedRuns).
        defer { if team == nil, teamAddress != nil { UnpushedRuns.shared.add([.init(path: localPath, runID: runID)]) } }
        guard let team else { return }
        do {
            _ = try TeamPush.push(from: db, to: team, selection: .init(runs: [runID]))
            try team.query("DELETE FROM sweep_levels WHERE sweep = $1 AND level = $2 AND owner = $3",
                           [.text(sweepID), .real(levels[k]), .text(owner)], what: "releasing a level")
        } catch let e as TeamStoreError {
            if case .interrupted = e { throw e }
            offline(e)
        }
    }

    /// Pushes local runs of this sweep (idempotent: runs already there are skipped).
    private func pushLocal(_ runIDs: [Int64]) {
        guard let team else { return }
        do {
            let db = try Database(path: localPath)
            defer { db.close() }
            let pushed = try TeamPush.push(from: db, to: team, selection: .init(runs: runIDs.sorted())).pushed
            if !pushed.isEmpty { say("shard \(shard): pushed \(pushed.count) run(s) of sweep '\(sweepID)' kept in \(localPath) earlier") }
        } catch let e as TeamStoreError { offline(e) } catch {
            say("warning: \(error); runs of sweep '\(sweepID)' in \(localPath) stay local")
        }
    }

    /// Ends the sweep; says how to push what stayed local.
    public func close() {
        stopHeartbeat()
        team?.close()
        team = nil
    }

    private func stopHeartbeat() {
        heartbeat?.cancel()
        heartbeat = nil
        beatQueue.sync {}  // a beat under way ends before the connection is used again
    }

    /// The team store cannot be used: go on locally, once saying how to push later.
    private func offline(_ e: TeamStoreError) {
        team?.close()
        team = nil
        let target = teamAddress.flatMap { try? TeamAddress($0).display } ?? "the team store"
        say("warning: \(e); shard \(shard) measures into \(localPath) only; push its runs later with: frontier push --db \(localPath) --to \(target)")
    }

    /// This sweep's completed runs in the local file: run id → level.
    private func doneLocally() throws -> [Int64: Double] {
        let db = try Database(path: localPath)
        defer { db.close() }
        var done: [Int64: Double] = [:]
        for r in try db.query("""
            SELECT run_id, coalesce(concurrency, rate) FROM runs WHERE team_sweep = ? AND status = 'completed'
            """, [.text(sweepID)]).rows {
            if let id = r[0].int, let level = r[1].double { done[Int64(id)] = level }
        }
        return done
    }

    static func arrayLiteral(_ levels: [Double]) -> String {
        "{" + levels.map { Self.format($0) }.joined(separator: ",") + "}"
    }

    static func format(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
    }
}

/// Runs of this process's sharded sweeps that only the local file holds because the team
/// store given could not be reached. `frontier run` exits non-zero over them (docs/scale.md),
/// so a scheduler retries the shard instead of discarding a pod's scratch file.
public final class UnpushedRuns: @unchecked Sendable {
    /// One run kept locally.
    public struct Run: Sendable, Hashable {
        /// The local file holding it.
        public let path: String
        public let runID: Int64
    }

    /// The process's list (one process, one set of sharded sweeps).
    public static let shared = UnpushedRuns()

    private let lock = NSLock()
    private var runs: [Run] = []

    func add(_ more: [Run]) {
        lock.lock(); defer { lock.unlock() }
        for r in more where !runs.contains(r) { runs.append(r) }
    }

    /// The runs kept so far, in the order they were kept.
    public var all: [Run] {
        lock.lock(); defer { lock.unlock() }
        return runs
    }
}
