import Foundation
import Store

/// `frontier sweep status TAG`: each planned level of a tag's sharded sweeps in the team
/// store, as done (a completed run), running (claimed, heartbeat within
/// ``ShardedSweep/staleAfter`` seconds) or missing (never measured, or its shard stopped
/// beating).
public enum SweepStatus {
    public struct Level: Sendable, Equatable {
        public var sweep: String
        public var kind: String
        public var level: Double
        public var state: String
        /// The shard and owner measuring it (running), or that stopped (stale claim).
        public var shard: String?
        public var owner: String?
        /// Seconds since the last heartbeat, for claims.
        public var heartbeatAge: Double?
        /// The completed run's global id (done).
        public var run: String?
    }

    public static func levels(tag: String, sweep: String? = nil, in c: TeamConnection) throws -> [Level] {
        try TeamSchema.migrate(c)
        let plans = try c.query("""
            SELECT sweep, kind, levels::text FROM sweep_plans WHERE tag = $1 AND ($2::text IS NULL OR sweep = $2::text) ORDER BY created
            """, [.text(tag), sweep.map(SQLValue.text) ?? .null], what: "reading the sweeps of tag '\(tag)'").rows
        var out: [Level] = []
        for p in plans {
            guard let id = p[0].text, let kind = p[1].text, let list = p[2].text else { continue }
            let levels = list.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").compactMap { Double($0) }
            var done: [Double: String] = [:]
            for r in try c.query("""
                SELECT coalesce(concurrency::float8, rate), min(run_uid) FROM runs WHERE sweep = $1 AND status = 'completed' GROUP BY 1
                """, [.text(id)]).rows {
                if let d = r[0].double, let u = r[1].text { done[d] = u }
            }
            var claims: [Double: (String?, String?, Double?)] = [:]
            for r in try c.query("""
                SELECT level, shard, owner, extract(epoch FROM now() - heartbeat_at)::float8 FROM sweep_levels WHERE sweep = $1
                """, [.text(id)]).rows {
                if let d = r[0].double { claims[d] = (r[1].text, r[2].text, r[3].double) }
            }
            for level in levels {
                var l = Level(sweep: id, kind: kind, level: level, state: "missing")
                if let run = done[level] {
                    l.state = "done"; l.run = run
                } else if let claim = claims[level] {
                    l.shard = claim.0; l.owner = claim.1; l.heartbeatAge = claim.2
                    l.state = (claim.2 ?? .infinity) <= ShardedSweep.staleAfter ? "running" : "missing"
                }
                out.append(l)
            }
        }
        return out
    }
}
