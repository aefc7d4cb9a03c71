import Foundation
import Store

/// The team store's schema, versioned like the local file's (`Sources/Store/Migrations.swift`):
/// `scripts[i]` takes a database from version i to i + 1; `frontier_schema.version` holds the
/// version. Each step runs in its own transaction under an advisory lock, so processes that
/// connect at once migrate it once. Append only; every change described in docs/scale.md.
public enum TeamSchema {
    /// The advisory lock key: "FRNT", as the local file's application id.
    static let lockKey: Int64 = 0x4652_4E54

    /// The version this build writes.
    public static var version: Int { scripts.count }

    static let scripts: [String] = [version1, version2]

    /// 0 → 1: runs and everything stored about them, keyed by the run's global id, and the
    /// ledger of sharded sweeps (their planned levels, and the levels a shard is measuring).
    private static let version1 = """
        CREATE TABLE runs (
            run_uid      text PRIMARY KEY,
            tag          text,
            sweep        text NOT NULL,
            source       text NOT NULL CHECK (source IN ('measured', 'simulated', 'imported')),
            target       text,
            model        text,
            concurrency  bigint,
            rate         double precision,
            settings     jsonb NOT NULL DEFAULT '{}',
            status       text NOT NULL,
            started_at   double precision,
            ended_at     double precision,
            summary      jsonb,
            verdict      text,
            notes        text,
            created      text,
            origin       text,
            pushed_at    timestamptz NOT NULL DEFAULT now()
        );
        CREATE INDEX runs_tag_sweep ON runs (tag, sweep);

        CREATE TABLE requests (
            run_uid        text NOT NULL REFERENCES runs (run_uid) ON DELETE CASCADE,
            idx            bigint NOT NULL,
            intended       double precision,
            sent           double precision,
            first_token    double precision,
            ended          double precision,
            ttft           double precision,
            e2e            double precision,
            input_tokens   bigint,
            output_tokens  bigint,
            tokens_approx  bigint NOT NULL DEFAULT 0 CHECK (tokens_approx IN (0, 1)),
            http_status    bigint,
            status         text NOT NULL CHECK (status IN ('ok', 'error', 'truncated')),
            error_kind     text,
            error          text,
            chunk_times    bytea,
            response       text,
            max_tokens     bigint,
            workload_index bigint,
            expected       text,
            PRIMARY KEY (run_uid, idx)
        );

        CREATE TABLE quality (
            id       bigserial PRIMARY KEY,
            created  text,
            run_uid  text NOT NULL REFERENCES runs (run_uid) ON DELETE CASCADE,
            model    text,
            name     text NOT NULL,
            score    double precision NOT NULL,
            n        bigint,
            stderr   double precision,
            source   text NOT NULL,
            detail   jsonb
        );
        CREATE INDEX quality_run ON quality (run_uid, name);

        CREATE TABLE request_scores (
            run_uid  text NOT NULL,
            idx      bigint NOT NULL,
            scorer   text NOT NULL,
            score    double precision NOT NULL,
            detail   jsonb,
            PRIMARY KEY (run_uid, idx, scorer),
            FOREIGN KEY (run_uid, idx) REFERENCES requests (run_uid, idx) ON DELETE CASCADE
        );

        CREATE TABLE server_metrics (
            run_uid  text NOT NULL REFERENCES runs (run_uid) ON DELETE CASCADE,
            t        double precision NOT NULL,
            name     text NOT NULL,
            value    double precision NOT NULL
        );
        CREATE INDEX server_metrics_run ON server_metrics (run_uid, name, t);

        CREATE TABLE sweep_plans (
            sweep    text PRIMARY KEY,
            tag      text,
            kind     text NOT NULL CHECK (kind IN ('concurrency', 'rate')),
            levels   double precision[] NOT NULL,
            shards   bigint NOT NULL,
            created  timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE sweep_levels (
            sweep         text NOT NULL REFERENCES sweep_plans (sweep) ON DELETE CASCADE,
            level         double precision NOT NULL,
            shard         text NOT NULL,
            owner         text NOT NULL,
            started_at    timestamptz NOT NULL DEFAULT now(),
            heartbeat_at  timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (sweep, level)
        );
        """

    /// 1 → 2: what the workload said about each request, as the local file has it since its
    /// version 11 (class, meta, session, turn), so figures by class and by turn survive a push
    /// and a pull. `meta` is jsonb like the other JSON columns; rows of version 1 get NULLs.
    private static let version2 = """
        ALTER TABLE requests ADD COLUMN class text;
        ALTER TABLE requests ADD COLUMN meta jsonb;
        ALTER TABLE requests ADD COLUMN session bigint;
        ALTER TABLE requests ADD COLUMN turn bigint
        """

    /// Brings the store to this build's version; refuses a newer one.
    public static func migrate(_ c: TeamConnection) throws {
        // Cheap check first: most connections find the schema current and take no lock.
        if let v = try currentVersion(c), v >= version {
            if v > version { throw TeamStoreError.newerSchema(store: c.address.display, found: v, known: version) }
            return
        }
        try c.transaction {
            try c.query("SELECT pg_advisory_xact_lock($1)", [.integer(lockKey)], what: "locking the schema")
            try c.query("CREATE TABLE IF NOT EXISTS frontier_schema (version integer NOT NULL)", what: "creating frontier_schema")
            var v = try currentVersion(c) ?? 0
            if try c.query("SELECT count(*) FROM frontier_schema").rows.first?.first?.int == 0 {
                try c.query("INSERT INTO frontier_schema (version) VALUES (0)")
            }
            if v > version { throw TeamStoreError.newerSchema(store: c.address.display, found: v, known: version) }
            while v < version {
                // One statement at a time: the extended protocol takes one per query (the
                // scripts hold no ';' but between statements).
                for statement in scripts[v].split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
                    try c.query(String(statement), what: "migrating the schema to version \(v + 1)")
                }
                v += 1
                try c.query("UPDATE frontier_schema SET version = $1", [.integer(Int64(v))])
            }
        }
    }

    /// The stored version, or nil when the store has no frontier schema yet.
    static func currentVersion(_ c: TeamConnection) throws -> Int? {
        let exists = try c.query("SELECT to_regclass('frontier_schema') IS NOT NULL", what: "reading the schema version")
        guard exists.rows.first?.first == .integer(1) else { return nil }
        return try c.query("SELECT max(version) FROM frontier_schema").rows.first?.first?.int
    }
}
