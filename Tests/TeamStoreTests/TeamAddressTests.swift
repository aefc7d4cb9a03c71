import Foundation
import XCTest
@testable import TeamStore

/// The team store's address: URL, environment, service file and password file, as libpq
/// reads them; the password never shown.
final class TeamAddressTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("team-address-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private var home: [String: String] { ["HOME": dir.path] }

    func testURLPartsAndDefaults() throws {
        let a = try TeamAddress("postgres://alice:s3cret@db.example:6543/fleet?sslmode=verify-full&sslrootcert=/ca.pem", environment: home)
        XCTAssertEqual(a.host, "db.example")
        XCTAssertEqual(a.port, 6543)
        XCTAssertEqual(a.user, "alice")
        XCTAssertEqual(a.database, "fleet")
        XCTAssertEqual(a.password, "s3cret")
        XCTAssertEqual(a.sslMode, .verifyFull)
        XCTAssertEqual(a.sslRootCert, "/ca.pem")
        XCTAssertEqual(a.display, "postgres://alice@db.example:6543/fleet")
        XCTAssertFalse(a.display.contains("s3cret"))

        let d = try TeamAddress("postgresql://bob@h/", environment: home)
        XCTAssertEqual(d.port, 5432)
        XCTAssertEqual(d.database, "bob")
        XCTAssertEqual(d.sslMode, .prefer)
        XCTAssertNil(d.password)
    }

    func testEnvironmentFillsWhatTheURLLeavesOut() throws {
        let env = home.merging(["PGHOST": "envhost", "PGPORT": "7000", "PGUSER": "carol", "PGDATABASE": "envdb",
                                "PGPASSWORD": "pw", "PGSSLMODE": "require"]) { $1 }
        let a = try TeamAddress("postgres://", environment: env)
        XCTAssertEqual([a.host, String(a.port), a.user, a.database], ["envhost", "7000", "carol", "envdb"])
        XCTAssertEqual(a.password, "pw")
        XCTAssertEqual(a.sslMode, .require)
        // The URL wins over the environment.
        let b = try TeamAddress("postgres://dave:urlpw@urlhost:7001/urldb?sslmode=disable", environment: env)
        XCTAssertEqual([b.host, b.user, b.database, b.password ?? ""], ["urlhost", "dave", "urldb", "urlpw"])
        XCTAssertEqual(b.sslMode, .disable)
    }

    func testServiceFileAndPasswordFile() throws {
        let service = dir.appendingPathComponent(".pg_service.conf")
        try "# team\n[fleet]\nhost=svc.example\nport=6000\ndbname=runs\nuser=erin\n\n[other]\nhost=x\n".write(to: service, atomically: true, encoding: .utf8)
        let pass = dir.appendingPathComponent(".pgpass")
        try "svc.example:6000:runs:erin:from\\:pgpass\n*:*:*:*:fallback\n".write(to: pass, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: pass.path)
        let a = try TeamAddress("postgres://?service=fleet", environment: home)
        XCTAssertEqual([a.host, String(a.port), a.database, a.user], ["svc.example", "6000", "runs", "erin"])
        XCTAssertEqual(a.password, "from:pgpass")
        let b = try TeamAddress("postgres://zed@elsewhere/db", environment: home.merging(["PGSERVICE": "other"]) { $1 })
        XCTAssertEqual(b.host, "elsewhere")
        XCTAssertEqual(b.password, "fallback")
        // PGPASSWORD comes before the password file.
        XCTAssertEqual(try TeamAddress("postgres://zed@elsewhere/db", environment: home.merging(["PGPASSWORD": "env"]) { $1 }).password, "env")
        // A password file others can read is ignored, as libpq ignores it.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: pass.path)
        XCTAssertNil(try TeamAddress("postgres://zed@elsewhere/db", environment: home).password)
        XCTAssertThrowsError(try TeamAddress("postgres://h/db?service=nope", environment: home)) { e in
            XCTAssertTrue("\(e)".contains("service 'nope' not found"), "\(e)")
        }
    }

    func testBadAddressesSayWhatWasExpectedWithoutThePassword() {
        for (url, expected) in [("mysql://u:pw@h/db", "not a team store address"),
                                ("postgres://u:pw@h:99999/db", "port"),
                                ("postgres://u:pw@h/db?sslmode=sometimes", "sslmode 'sometimes'"),
                                ("postgres://u:pw@h/db?colour=blue", "unknown parameter 'colour'")] {
            XCTAssertThrowsError(try TeamAddress(url, environment: home)) { e in
                let text = "\(e)"
                XCTAssertTrue(text.contains(expected), text)
                XCTAssertFalse(text.contains("pw@"), "password shown: \(text)")
            }
        }
        XCTAssertEqual(TeamAddress.redact("postgres://u:hunter2@h/db?password=x"), "postgres://u:***@h/db?password=***")
    }
}

/// Which share of a sweep a process measures, from every place a scheduler says it.
final class ShardTests: XCTestCase {
    func testParsingAndOwnership() throws {
        let s = try Shard(parsing: "1/4")
        XCTAssertEqual(s.description, "1/4")
        XCTAssertEqual((0..<10).filter(s.owns), [1, 5, 9])
        for bad in ["4/4", "-1/4", "1", "a/b", "0/0", "1/4/2"] {
            XCTAssertThrowsError(try Shard(parsing: bad), bad)
        }
    }

    func testEveryLevelBelongsToExactlyOneShard() throws {
        for n in 1...5 {
            let shards = try (0..<n).map { try Shard(index: $0, count: n) }
            for k in 0..<17 { XCTAssertEqual(shards.filter { $0.owns(k) }.count, 1) }
        }
    }

    func testSchedulersVariables() throws {
        XCTAssertNil(try Shard.fromEnvironment([:]))
        XCTAssertEqual(try Shard.fromEnvironment(["FRONTIER_SHARD": "2/3"]), try Shard(index: 2, count: 3))
        // Slurm: the task id of the job script's FRONTIER_SHARD_COUNT, whatever array was submitted.
        let whole = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "7", "SLURM_ARRAY_TASK_COUNT": "8"]
        XCTAssertEqual(try Shard.fromEnvironment(whole.merging(["FRONTIER_SHARD_COUNT": "8"]) { $1 }), try Shard(index: 3, count: 8))
        // `sbatch --array=3` re-runs task 3 alone: still shard 3 of 8, not 0 of 1.
        let rerun = ["SLURM_ARRAY_TASK_ID": "3", "SLURM_ARRAY_TASK_MIN": "3", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_COUNT": "1",
                     "FRONTIER_SHARD_COUNT": "8"]
        XCTAssertEqual(try Shard.fromEnvironment(rerun), try Shard(index: 3, count: 8))
        // A subset from 0 (`--array=0-3` of 8) is not mistaken for a sweep of 4 shards.
        let subset = ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_MIN": "0", "SLURM_ARRAY_TASK_MAX": "3", "SLURM_ARRAY_TASK_COUNT": "4",
                      "FRONTIER_SHARD_COUNT": "8"]
        XCTAssertEqual(try Shard.fromEnvironment(subset), try Shard(index: 2, count: 8))
        // Without the count the array's own variables could mislead: refused, naming the fix.
        XCTAssertThrowsError(try Shard.fromEnvironment(rerun.filter { $0.key != "FRONTIER_SHARD_COUNT" })) { e in
            XCTAssertTrue("\(e)".contains("FRONTIER_SHARD_COUNT"), "\(e)")
        }
        // A Slurm array job that is not a sharded sweep opts out with FRONTIER_SHARD=0/1.
        XCTAssertEqual(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "3", "FRONTIER_SHARD": "0/1"]), try Shard(index: 0, count: 1))
        // A task outside 0..<N (an array numbered from 1) is refused, not shifted.
        XCTAssertThrowsError(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "8", "FRONTIER_SHARD_COUNT": "8"])) { e in
            XCTAssertTrue("\(e)".contains("--array=0-7"), "\(e)")
        }
        XCTAssertThrowsError(try Shard.fromEnvironment(["SLURM_ARRAY_TASK_ID": "x", "FRONTIER_SHARD_COUNT": "8"]))
        XCTAssertEqual(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "3", "FRONTIER_SHARD_COUNT": "4"]), try Shard(index: 3, count: 4))
        XCTAssertThrowsError(try Shard.fromEnvironment(["JOB_COMPLETION_INDEX": "3"])) { e in
            XCTAssertTrue("\(e)".contains("FRONTIER_SHARD_COUNT"), "\(e)")
        }
        // FRONTIER_SHARD wins over a scheduler's variables.
        XCTAssertEqual(try Shard.fromEnvironment(["FRONTIER_SHARD": "0/2", "JOB_COMPLETION_INDEX": "1", "FRONTIER_SHARD_COUNT": "2"]),
                       try Shard(index: 0, count: 2))
    }
}
