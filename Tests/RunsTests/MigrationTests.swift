import Metrics
import Runs
import Store
import XCTest

/// A version-4 file (summary keys and sim settings as written before the one-name
/// rule) opens, migrates to version 5 and reads under the new names.
final class MigrationTests: StoreFileTestCase {

    /// What a file made by this build must lose to pass for one from before schema 8 (its
    /// widened status check is left: migration 8 widens it again harmlessly), 9, 10, 11 and 12.
    static let undoVersion8 = """
        DROP INDEX runs_uid; DROP INDEX runs_team_sweep; ALTER TABLE runs DROP COLUMN uid; ALTER TABLE runs DROP COLUMN team_sweep;
        DROP INDEX runs_tag_sweep; ALTER TABLE runs DROP COLUMN sweep;
        ALTER TABLE runs DROP COLUMN owner; ALTER TABLE runs DROP COLUMN heartbeat_at;
        ALTER TABLE request_scores DROP COLUMN detail;
        ALTER TABLE requests DROP COLUMN class; ALTER TABLE requests DROP COLUMN meta;
        ALTER TABLE requests DROP COLUMN session; ALTER TABLE requests DROP COLUMN turn
        """

    /// A summary as schema 4 stored it: hand-written, with the old key names.
    static let version4Summary = """
        {"achieved_concurrency":1.5,"errors_by_kind":{"http_5xx":1},"failed":1,"input_tokens":300,"makespan":10,\
        "output_throughput":20,"output_tokens":200,"request_throughput":0.3,"requests":4,"succeeded":3,\
        "success_rate":0.75,"tokens_approximate":true,"total_throughput":50,"truncated":0,\
        "tokens_per_second":{"count":3,"mean":21,"stdev":1,"min":20,"p50":21,"p90":22,"p95":22,"p99":22,"max":22},\
        "ttft":{"count":3,"mean":0.2,"stdev":0.01,"min":0.19,"p50":0.2,"p90":0.21,"p95":0.21,"p99":0.21,"max":0.21},\
        "client_cpu":{"seconds":0.5,"per_chunk_us":2.5}}
        """

    func testVersion4FileReadsUnderNewNames() throws {
        let db4 = try Database(path: path)
        try db4.execute("""
            INSERT INTO runs (tag, source, settings, status, started_at, summary)
            VALUES ('old', 'simulated', '{"gpu":"A800","count":2,"model":"m"}', 'completed', 0, '\(Self.version4Summary)')
            """)
        // What version 4 had: no table of later versions.
        try db4.execute("DROP TABLE sim_profiles; DROP TABLE tokenizer_calibrations")
        try db4.execute(Self.undoVersion8)
        try db4.execute("PRAGMA user_version = 4")
        db4.close()

        let db = try Database(path: path)
        XCTAssertEqual(try db.query("PRAGMA user_version").rows.first?.first, .integer(Int64(Database.schemaVersion)))
        let run = try RunRecords.load(id: 1, db: db)
        let summary = try XCTUnwrap(run.summary)
        XCTAssertEqual(summary.requestThroughput, 0.3)
        XCTAssertEqual(summary.outputThroughput, 20)
        XCTAssertEqual(summary.totalThroughput, 50)
        XCTAssertEqual(summary.tokensApproximate, true)
        XCTAssertEqual(summary.tokensPerSecond?.p50, 21)
        XCTAssertEqual(summary.ttft?.p50, 0.2)
        XCTAssertEqual(run.summaryExtras["client_cpu"], #"{"per_chunk":2.5e-06,"seconds":0.5}"#, "microseconds became seconds")
        let keys = try XCTUnwrap(db.query("SELECT summary FROM runs WHERE run_id = 1").rows.first?.first)
        guard case .text(let json) = keys else { return XCTFail("summary is not text") }
        for old in ["request_throughput", "output_throughput", "total_throughput", "tokens_per_second", "tokens_approximate"] {
            XCTAssertFalse(json.contains("\"\(old)\""), old)
        }
        for new in ["requests_per_s", "output_tokens_per_s", "total_tokens_per_s", "tokens_per_s", "tokens_approx"] {
            XCTAssertTrue(json.contains("\"\(new)\""), new)
        }
        // A simulated run's GPU count is `gpus` now; a measured run's settings are not touched.
        XCTAssertEqual(run.settings.map { $0.contains(#""gpus":2"#) }, true)
        XCTAssertEqual(run.settings.map { $0.contains(#""count""#) }, false)
    }

    /// 5 → 6: a file from before tokenizer calibrations gets their table; a calibration
    /// round-trips and a second one for the same target and model replaces the first.
    func testVersion6FileGetsTokenizerCalibrations() throws {
        let db5 = try Database(path: path)
        try db5.execute("DROP TABLE tokenizer_calibrations")
        try db5.execute(Self.undoVersion8)
        try db5.execute("PRAGMA user_version = 6")
        db5.close()
        let db = try Database(path: path)
        XCTAssertEqual(try db.query("PRAGMA user_version").rows.first?.first, .integer(Int64(Database.schemaVersion)))
        XCTAssertNil(try TokenizerCalibrations.load(target: "http://h/v1", model: "m", db: db))
        let c = TokenizerCalibration(method: "tokenize", intercept: 1.5, perWord: 1.08, samples: 4)
        try TokenizerCalibrations.save(c, target: "http://h/v1", model: "m", db: db)
        XCTAssertEqual(try TokenizerCalibrations.load(target: "http://h/v1", model: "m", db: db), c)
        var d = c
        d.method = "probe"
        try TokenizerCalibrations.save(d, target: "http://h/v1", model: "m", db: db)
        XCTAssertEqual(try TokenizerCalibrations.load(target: "http://h/v1", model: "m", db: db), d)
        XCTAssertNil(try TokenizerCalibrations.load(target: "http://h/v1", model: "other", db: db))
        XCTAssertThrowsError(try db.execute("INSERT INTO tokenizer_calibrations (target, model, method, intercept, per_word, samples) VALUES ('a', 'b', 'guess', 0, 1, 1)"))
    }

    func testMeasuredSettingsKeepTheirCount() throws {
        let db = try Database(path: path)
        try db.execute("INSERT INTO runs (tag, source, settings, status) VALUES ('m', 'measured', '{\"count\":7}', 'running')")
        try db.execute("DROP TABLE sim_profiles; DROP TABLE tokenizer_calibrations")
        try db.execute(Self.undoVersion8)
        try db.execute("PRAGMA user_version = 4")
        db.close()
        let reopened = try Database(path: path)
        let run = try RunRecords.load(id: 1, db: reopened)
        XCTAssertEqual(run.settings, #"{"count":7}"#)
        XCTAssertNil(run.summary, "a run that never finished has no summary")
    }
}
