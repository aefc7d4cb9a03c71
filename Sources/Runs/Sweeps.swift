import Foundation
import NIOConcurrencyHelpers
import Store

/// Which runs form a sweep. A sweep is the runs of one tag written by one invocation: a
/// `frontier` process, or one `bench.sweep`/`sim.sweep` call within it. Its id is the run
/// id of its first run, so ids grow with time and the latest sweep of a tag is the one
/// with the largest id. Reading runs by tag takes the latest sweep unless told otherwise
/// (``SweepChoice``), so re-running a script under the same tag never mixes two sweeps.
public enum Sweeps {
    /// The sweep each (store, tag) of this process is writing; a run with no entry starts one.
    private static let current = NIOLockedValueBox([String: Int64]())

    private static func key(_ path: String, _ tag: String?) -> String {
        let file = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        return file + "\u{0}" + (tag.map { "t" + $0 } ?? "-")
    }

    /// The sweep this process's next run of `tag` in the store at `path` joins (nil: it starts one).
    public static func current(path: String, tag: String?) -> Int64? {
        current.withLockedValue { $0[key(path, tag)] }
    }

    /// Makes the next run of `tag` start a new sweep (`bench.sweep` and `sim.sweep` call this first).
    public static func beginNew(path: String, tag: String?) {
        _ = current.withLockedValue { $0.removeValue(forKey: key(path, tag)) }
    }

    static func record(path: String, tag: String?, sweep: Int64) {
        current.withLockedValue { $0[key(path, tag)] = sweep }
    }

    /// One sweep as stored: its id, tag, how many runs, their sources and levels, and when it began.
    public struct Stored: Sendable, Equatable {
        public var id: Int64
        public var tag: String?
        public var runs: Int
        public var sources: [String]
        public var levels: [Double]
        public var startedAt: Double?
    }

    /// The sweeps in the store (of one tag, or every tag when nil), oldest first.
    public static func list(tag: String?, db: Database) throws -> [Stored] {
        let r = try db.query("""
            SELECT sweep, tag, count(*), group_concat(DISTINCT source), min(started_at)
            FROM runs WHERE (?1 IS NULL OR tag = ?1) AND sweep IS NOT NULL GROUP BY sweep ORDER BY sweep
            """, [tag.map(SQLValue.text) ?? .null])
        return try r.rows.map { row in
            let id = Int64(row[0].int ?? 0)
            let levels = try db.query("""
                SELECT coalesce(concurrency, rate) FROM runs WHERE sweep = ? ORDER BY coalesce(concurrency, rate), run_id
                """, [.integer(id)]).rows.compactMap { $0[0].double }
            return Stored(id: id, tag: row[1].text, runs: row[2].int ?? 0,
                          sources: (row[3].text ?? "").split(separator: ",").map(String.init).sorted(),
                          levels: levels, startedAt: row[4].double)
        }
    }
}

/// Which sweep of a tag to read.
public enum SweepChoice: Sendable, Equatable {
    /// The tag's most recent sweep (with no tag: every run).
    case latest
    /// Every run of the tag, all sweeps together.
    case all
    /// The sweep with this id.
    case id(Int64)
}

extension SweepChoice {
    /// Reads `latest`, `all` or a sweep id (as typed on the command line or given from Lua);
    /// nil for anything else.
    public init?(text: String) {
        switch text {
        case "latest": self = .latest
        case "all": self = .all
        default:
            guard let id = Int64(text), id > 0 else { return nil }
            self = .id(id)
        }
    }

    /// What a `sweep` option accepts, for error messages.
    public static let expected = "'latest', 'all' or a sweep id (a whole number, see bench.sweeps)"
}
