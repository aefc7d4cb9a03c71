/// The schema, as an ordered list of migrations: `scripts[i]` takes a file from
/// `PRAGMA user_version` i to i + 1. `Database` runs each in its own transaction together
/// with the version bump, so a file is always at exactly one version.
///
/// Policy: append only. Never edit or reorder a script that has shipped — files in the
/// wild were made by it. Describe every change in docs/store.md.
enum Migrations {
    /// `PRAGMA application_id` of a frontier file: "FRNT" in ASCII. It marks the file as
    /// ours, so another program's SQLite file is never migrated even if its user_version
    /// happens to be small.
    static let applicationID: Int32 = 0x4652_4E54

    static let scripts: [String] = [version1, version2, version3, version4, version5, version6, version7, version8, version9, version10, version11, version12]

    /// What SQL alone cannot do, run after `scripts[from]` in the same transaction.
    static func after(_ from: Int, _ db: Database) throws {
        if from == 7 { try allowIncompleteRuns(db) }
    }

    /// 0 → 1: runs and their requests. Times are seconds as REAL.
    private static let version1 = """
        PRAGMA application_id = \(applicationID);

        CREATE TABLE runs (
            run_id      INTEGER PRIMARY KEY,
            created     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            tag         TEXT,
            source      TEXT NOT NULL CHECK (source IN ('measured', 'simulated', 'imported')),
            target      TEXT,
            model       TEXT,
            concurrency INTEGER,
            rate        REAL,
            settings    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
            status      TEXT NOT NULL DEFAULT 'running'
                        CHECK (status IN ('running', 'completed', 'stopped', 'interrupted', 'failed')),
            started_at  REAL,
            ended_at    REAL,
            summary     TEXT CHECK (summary IS NULL OR json_valid(summary)),
            verdict     TEXT,
            notes       TEXT
        );

        CREATE TABLE requests (
            run_id        INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            idx           INTEGER NOT NULL,
            intended      REAL,
            sent          REAL,
            first_token   REAL,
            ended         REAL,
            ttft          REAL,
            e2e           REAL,
            input_tokens  INTEGER,
            output_tokens INTEGER,
            tokens_approx INTEGER NOT NULL DEFAULT 0 CHECK (tokens_approx IN (0, 1)),
            http_status   INTEGER,
            status        TEXT NOT NULL CHECK (status IN ('ok', 'error', 'truncated')),
            error_kind    TEXT,
            error         TEXT,
            chunk_times   BLOB,
            response      TEXT,
            PRIMARY KEY (run_id, idx)
        );

        CREATE INDEX requests_run_status ON requests (run_id, status);
        """

    /// 1 → 2: what each request asked for, so results can be scored and
    /// compared with the workload: the tokens asked for, the position in the
    /// workload (requests are sent in a seeded order), and the expected answer.
    private static let version2 = """
        ALTER TABLE requests ADD COLUMN max_tokens INTEGER;
        ALTER TABLE requests ADD COLUMN workload_index INTEGER;
        ALTER TABLE requests ADD COLUMN expected TEXT;
        """

    /// 2 → 3: quality. `quality` holds a score for a run or for a model (a benchmark
    /// result, an lm-eval import, or a scorer's mean over a run's responses), named by
    /// what was scored; `request_scores` holds each response's score under a scorer.
    private static let version3 = """
        CREATE TABLE quality (
            id       INTEGER PRIMARY KEY,
            created  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            run_id   INTEGER REFERENCES runs (run_id) ON DELETE CASCADE,
            model    TEXT,
            name     TEXT NOT NULL,
            score    REAL NOT NULL,
            n        INTEGER,
            stderr   REAL,
            source   TEXT NOT NULL CHECK (source IN ('set', 'scorer', 'lm-eval', 'imported')),
            detail   TEXT CHECK (detail IS NULL OR json_valid(detail)),
            CHECK (run_id IS NOT NULL OR model IS NOT NULL)
        );
        CREATE INDEX quality_run ON quality (run_id, name);
        CREATE INDEX quality_model ON quality (model, name);

        CREATE TABLE request_scores (
            run_id  INTEGER NOT NULL,
            idx     INTEGER NOT NULL,
            scorer  TEXT NOT NULL,
            score   REAL NOT NULL,
            PRIMARY KEY (run_id, idx, scorer),
            FOREIGN KEY (run_id, idx) REFERENCES requests (run_id, idx) ON DELETE CASCADE
        );
        """

    /// 3 → 4: the target's own metrics sampled during a run (Prometheus `/metrics`),
    /// so client latency can be lined up with server queueing.
    private static let version4 = """
        CREATE TABLE server_metrics (
            run_id  INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
            t       REAL NOT NULL,
            name    TEXT NOT NULL,
            value   REAL NOT NULL
        );
        CREATE INDEX server_metrics_run ON server_metrics (run_id, name, t);
        """

    /// 4 → 5: one name per figure (docs/lua-style.md). Summary keys take the names Lua,
    /// export and SLA clauses use (`requests_per_s`, `output_tokens_per_s`,
    /// `total_tokens_per_s`, `tokens_per_s`, `tokens_approx`), and a simulated run's GPU
    /// count in its settings is `gpus`; the client's CPU per chunk is in seconds
    /// (`client_cpu.per_chunk`, was microseconds in `per_chunk_us`). Rows whose JSON does not parse are left as they are.
    private static let version5 = """
        UPDATE runs SET summary = json_remove(json_set(summary, '$.requests_per_s', json(summary -> '$.request_throughput')), '$.request_throughput')
            WHERE json_valid(summary) AND json_type(summary, '$.request_throughput') IS NOT NULL;
        UPDATE runs SET summary = json_remove(json_set(summary, '$.output_tokens_per_s', json(summary -> '$.output_throughput')), '$.output_throughput')
            WHERE json_valid(summary) AND json_type(summary, '$.output_throughput') IS NOT NULL;
        UPDATE runs SET summary = json_remove(json_set(summary, '$.total_tokens_per_s', json(summary -> '$.total_throughput')), '$.total_throughput')
            WHERE json_valid(summary) AND json_type(summary, '$.total_throughput') IS NOT NULL;
        UPDATE runs SET summary = json_remove(json_set(summary, '$.tokens_per_s', json(summary -> '$.tokens_per_second')), '$.tokens_per_second')
            WHERE json_valid(summary) AND json_type(summary, '$.tokens_per_second') IS NOT NULL;
        UPDATE runs SET summary = json_remove(json_set(summary, '$.tokens_approx', json(summary -> '$.tokens_approximate')), '$.tokens_approximate')
            WHERE json_valid(summary) AND json_type(summary, '$.tokens_approximate') IS NOT NULL;
        UPDATE runs SET summary = json_remove(json_set(summary, '$.client_cpu.per_chunk',
                json_extract(summary, '$.client_cpu.per_chunk_us') / 1e6), '$.client_cpu.per_chunk_us')
            WHERE json_valid(summary) AND json_type(summary, '$.client_cpu.per_chunk_us') IS NOT NULL;
        UPDATE runs SET settings = json_remove(json_set(settings, '$.gpus', json(settings -> '$.count')), '$.count')
            WHERE source = 'simulated' AND json_valid(settings) AND json_type(settings, '$.count') IS NOT NULL;
        """

    /// 5 → 6: simulator profiles fitted by `sim.calibrate{ save = name }`, reused by
    /// `sim.run{ profile = name }`: the GPU, model, GPU count and efficiency as JSON.
    private static let version6 = """
        CREATE TABLE sim_profiles (
            name    TEXT PRIMARY KEY,
            profile TEXT NOT NULL CHECK (json_valid(profile)),
            created TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        """

    /// 6 → 7: how a target counts the words of synthetic prompts (docs/measure.md, "Prompts in
    /// the server's tokens"): tokens ≈ intercept + per_word · words, one row per target and model,
    /// so later runs fit their prompts without asking the server again.
    private static let version7 = """
        CREATE TABLE IF NOT EXISTS tokenizer_calibrations (
            target    TEXT NOT NULL,
            model     TEXT NOT NULL,
            method    TEXT NOT NULL CHECK (method IN ('tokenize', 'probe')),
            intercept REAL NOT NULL,
            per_word  REAL NOT NULL CHECK (per_word > 0),
            samples   INTEGER NOT NULL,
            created   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
            PRIMARY KEY (target, model)
        );
        """

    /// 7 → 8: who is running a run. `owner` is "host pid" of the process measuring it and
    /// `heartbeat_at` the last time it wrote (every few seconds while it lasts), so that a
    /// run whose process died (kill -9, a reboot) can be told from one still going and be
    /// recovered as `incomplete` (`RunRecovery`). The status check gains `incomplete`
    /// (see ``allowIncompleteRuns``).
    private static let version8 = """
        ALTER TABLE runs ADD COLUMN owner TEXT;
        ALTER TABLE runs ADD COLUMN heartbeat_at REAL;
        """

    /// 8 → 9: which sweep a run belongs to. A sweep is the runs of one tag written by one
    /// invocation (a `frontier` process, or one `bench.sweep`/`sim.sweep` call in it); its id
    /// is the run id of its first run. Re-running a script under the same tag makes a new
    /// sweep instead of mixing levels with the old one. Runs stored before are grouped by
    /// tag and owner (the process that wrote them); runs without an owner (before version 8)
    /// form one sweep per tag.
    private static let version9 = """
        ALTER TABLE runs ADD COLUMN sweep INTEGER;
        UPDATE runs SET sweep = (SELECT min(r.run_id) FROM runs r WHERE r.tag IS runs.tag AND r.owner IS runs.owner);
        CREATE INDEX runs_tag_sweep ON runs (tag, sweep);
        """

    /// 9 → 10: `request_scores.detail`, JSON saying how an item was scored: the scorer's
    /// version and, for execution scoring, the outcome (passed, failed, timeout, error)
    /// and the first lines of the program's output, so a re-score can be compared.
    private static let version10 = """
        ALTER TABLE request_scores ADD COLUMN detail TEXT CHECK (detail IS NULL OR json_valid(detail));
        """

    /// 10 → 11: what the workload said about each request, so figures can be broken down
    /// by it: its class (`chat`, `rag`, …), its free-form meta (JSON), and for a
    /// multi-turn session workload the session (0-based) and turn (1-based).
    private static let version11 = """
        ALTER TABLE requests ADD COLUMN class TEXT;
        ALTER TABLE requests ADD COLUMN meta TEXT CHECK (meta IS NULL OR json_valid(meta));
        ALTER TABLE requests ADD COLUMN session INTEGER;
        ALTER TABLE requests ADD COLUMN turn INTEGER;
        """

    /// 11 → 12: the team store (docs/scale.md). `uid` is a run's global id, given when it is
    /// first pushed to or pulled from a team store, so pushing twice changes nothing;
    /// `team_sweep` is the sweep's global id, shared by the shards of a sharded sweep (each
    /// shard's runs form a local sweep of their own). Independent of every other migration:
    /// it only adds columns and an index.
    private static let version12 = """
        ALTER TABLE runs ADD COLUMN uid TEXT;
        ALTER TABLE runs ADD COLUMN team_sweep TEXT;
        CREATE UNIQUE INDEX runs_uid ON runs (uid);
        CREATE INDEX runs_team_sweep ON runs (team_sweep);
        """

    /// Widens `runs.status`'s CHECK to allow 'incomplete'. SQLite cannot alter a CHECK, and
    /// rebuilding `runs` would cascade-delete every request; loosening a constraint leaves
    /// the stored rows valid, which is the case SQLite documents for editing the schema
    /// text directly (ALTER TABLE, "making other kinds of table schema changes"): edit it,
    /// bump `schema_version` so every connection rereads it.
    static func allowIncompleteRuns(_ db: Database) throws {
        let old = "'interrupted', 'failed')"
        let new = "'interrupted', 'failed', 'incomplete')"
        let version = try db.pragmaInt("schema_version")
        try db.execute("PRAGMA writable_schema = ON")
        defer { _ = try? db.execute("PRAGMA writable_schema = OFF") }
        let changed = try db.execute("UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = 'runs'",
                                     [.text(old), .text(new)])
        guard changed == 1 else {
            throw StoreError.sqlite(sql: "widening runs.status", code: 1, message: "the runs table was not found")
        }
        try db.execute("PRAGMA schema_version = \(version + 1)")
    }
}
