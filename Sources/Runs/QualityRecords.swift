import Store

/// One stored quality score: for a run, or for a model (a benchmark result).
public struct StoredScore: Sendable, Equatable {
    public var runID: Int64?
    public var model: String?
    public var name: String
    public var score: Double
    public var n: Int?
    public var stderr: Double?
    public var source: String
    public var created: String?

    public init(runID: Int64?, model: String?, name: String, score: Double, n: Int?, stderr: Double?,
                source: String, created: String? = nil) {
        self.runID = runID
        self.model = model
        self.name = name
        self.score = score
        self.n = n
        self.stderr = stderr
        self.source = source
        self.created = created
    }
}

/// Every SQL statement about the `quality` and `request_scores` tables.
public enum QualityRecords {
    /// Stores `score`, replacing an earlier one of the same name for the same run or model.
    public static func save(_ score: StoredScore, db: Database) throws {
        try db.transaction { try insert(score, db: db) }
    }

    private static func insert(_ s: StoredScore, db: Database) throws {
        let run = s.runID.map(SQLValue.integer) ?? .null, model = s.model.map(SQLValue.text) ?? .null
        _ = try db.execute("DELETE FROM quality WHERE run_id IS ? AND model IS ? AND name = ?", [run, model, .text(s.name)])
        _ = try db.execute("INSERT INTO quality (run_id, model, name, score, n, stderr, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           [run, model, .text(s.name), .real(s.score), s.n.map { .integer(Int64($0)) } ?? .null,
                            s.stderr.map(SQLValue.real) ?? .null, .text(s.source)])
    }

    /// Stores each request's score under `scorer` and the run's mean, in one transaction,
    /// replacing what the same scorer stored before.
    /// `details` (JSON, by position; shorter or empty: NULL) say how each item was scored.
    public static func saveRequestScores(run: Int64, scorer: String, scores: [(index: Int, score: Double)],
                                         details: [String?] = [], mean: StoredScore, db: Database) throws {
        try db.transaction {
            _ = try db.execute("DELETE FROM request_scores WHERE run_id = ? AND scorer = ?", [.integer(run), .text(scorer)])
            try db.executeEach("INSERT INTO request_scores (run_id, idx, scorer, score, detail) VALUES (?, ?, ?, ?, ?)",
                               scores.enumerated().lazy.map { i, s in
                                   [.integer(run), .integer(Int64(s.index)), .text(scorer), .real(s.score),
                                    i < details.count ? details[i].map(SQLValue.text) ?? .null : .null]
                               })
            try insert(mean, db: db)
        }
    }

    /// One stored item score.
    public struct RequestScore: Sendable, Equatable {
        public var index: Int
        public var score: Double
        public var detail: String?
    }

    /// The item scores `scorer` stored for `run`, by request index.
    public static func requestScores(run: Int64, scorer: String, db: Database) throws -> [RequestScore] {
        try db.query("SELECT idx, score, detail FROM request_scores WHERE run_id = ? AND scorer = ? ORDER BY idx",
                     [.integer(run), .text(scorer)]).rows.map {
            RequestScore(index: $0[0].int ?? 0, score: $0[1].double ?? 0, detail: $0[2].text)
        }
    }

    /// Scores matching every given filter (nil: any), newest first.
    public static func find(run: Int64?, model: String?, name: String?, db: Database) throws -> [StoredScore] {
        let r = try db.query("""
            SELECT run_id, model, name, score, n, stderr, source, created FROM quality
            WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR model = ?2) AND (?3 IS NULL OR name = ?3)
            ORDER BY id DESC
            """, [run.map(SQLValue.integer) ?? .null, model.map(SQLValue.text) ?? .null, name.map(SQLValue.text) ?? .null])
        return r.rows.map { row in
            StoredScore(runID: row[0].int.map(Int64.init), model: row[1].text, name: row[2].text ?? "",
                        score: row[3].double ?? .nan, n: row[4].int, stderr: row[5].double, source: row[6].text ?? "",
                        created: row[7].text)
        }
    }

    /// The score `name` of a run, else of its model (a model-level score has no run);
    /// nil when neither has one.
    public static func score(named name: String, run: Int64?, model: String?, db: Database) throws -> Double? {
        let r = try db.query("""
            SELECT score FROM quality WHERE name = ?1 AND ((?2 IS NOT NULL AND run_id = ?2) OR (?3 IS NOT NULL AND model = ?3 AND run_id IS NULL))
            ORDER BY run_id IS NULL, id DESC LIMIT 1
            """, [.text(name), run.map(SQLValue.integer) ?? .null, model.map(SQLValue.text) ?? .null])
        return r.rows.first?.first?.double
    }
}
