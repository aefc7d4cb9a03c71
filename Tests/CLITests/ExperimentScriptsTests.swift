import Foundation
import XCTest

/// scripts/experiments/ through the real binary: each runs with no arguments on the
/// built-in default, and the two that measure also against a URL (`frontier serve`
/// started here, with --accuracy so answers can be scored).
final class ExperimentScriptsTests: CLITestCase {
    func script(_ name: String) -> String {
        Self.repoRoot.appendingPathComponent("scripts/experiments/\(name).lua").path
    }

    func testBaselineCalibrationOnTheTestServerAndAgainstAURL() throws {
        let r = try run(["--db", "base.db", "run", script("baseline_calibration"), "n=40", "levels=4,8,16"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for text in ["baseline calibration: the built-in test server", "optimal cost-effectiveness zone: ", "saturation: ",
                     "report: baseline-calibration.html"] {
            XCTAssertTrue(r.stdout.contains(text), "\(text):\n\(r.stdout)")
        }
        // One row per level, quality the scorer's mean of the stand-in's answers (right 80 % of the time).
        let rows = r.stdout.split(separator: "\n").filter { $0.range(of: #"^\s+(4|8|16)\s+\d+\s+0\.\d{3}\s"#, options: .regularExpression) != nil }
        XCTAssertEqual(rows.count, 3, r.stdout)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("baseline-calibration.html").path))

        let (server, _, o, _) = try start(["serve", "--port", "0", "--ttft", "0.01", "--itl", "0.002", "--accuracy", "1"])
        defer { server.terminate() }
        let out = Collector(o.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "/v1"), out.snapshot())
        guard let url = out.snapshot().split(separator: " ").first(where: { $0.hasPrefix("http://") }) else { return XCTFail(out.snapshot()) }
        let u = try run(["--db", "base.db", "run", script("baseline_calibration"), "url=\(url)", "model=frontier-test",
                         "n=30", "levels=2,4", "gpu=H100", "gpus=1", "out=url.html"])
        XCTAssertEqual(u.status, 0, u.stderr)
        XCTAssertTrue(u.stdout.contains("baseline calibration: \(url), priced on 1 × H100"), u.stdout)
        XCTAssertEqual(u.stdout.split(separator: "\n").filter { $0.range(of: #"^\s+(2|4)\s+\d+\s+1\.000\s"#, options: .regularExpression) != nil }.count,
                       2, "accuracy 1: every answer right\n\(u.stdout)")
        let bad = try run(["--db", "base.db", "run", script("baseline_calibration"), "levls=8"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("unknown argument 'levls' (known keys: "), bad.stderr)
    }

    func testGPUCostAuditAgainstThePaperBaseline() throws {
        let r = try run(["--db", "audit.db", "run", script("gpu_cost_audit"), "schedule=syd", "financing_rate=0.08"])
        XCTAssertEqual(r.status, 0, r.stderr)
        // The baseline column is the paper's A800: $0.5708 + $0.0520 + $0.1712 = $0.7940.
        for text in ["depreciation     $0.5708", "power            $0.0520", "maintenance      $0.1712", "hourly           $0.7940",
                     "syd schedule, financed at 8%", "largest: ", "tornado chart: gpu-cost-audit.html"] {
            XCTAssertTrue(r.stdout.contains(text), "\(text):\n\(r.stdout)")
        }
        let html = try String(contentsOf: dir.appendingPathComponent("gpu-cost-audit.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("utilization"), "the tornado chart")
        let bad = try run(["--db", "audit.db", "run", script("gpu_cost_audit"), "schedule=weird"])
        XCTAssertTrue(bad.stderr.contains("argument 'schedule' must be straight, declining or syd, got 'weird'"), bad.stderr)
    }

    func testSLABoundaryOnTheSimulatedServer() throws {
        let r = try run(["--db", "sla.db", "run", script("sla_boundary"), "n=60", "levels=4,8,16"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("recommended level from the simulated sweep: concurrency "), r.stdout)
        let verdict = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("verdict at 2 × the level: ") }, r.stdout)
        XCTAssertTrue(["fails", "degrades gracefully", "degrades ("].contains { verdict.contains($0) }, String(verdict))
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("level ") || $0.hasPrefix("2 × level") }.count, 2, r.stdout)
    }

    func testFineTuningMovesTheBreakEvenAgainstTheAPI() throws {
        let r = try run(["--db", "ft.db", "run", script("finetune_breakeven"), "tokens_per_s=3000", "horizons=12,24"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("no one-off costs"), r.stdout)
        XCTAssertTrue(r.stdout.contains("one-off costs of $35564 over 24 months: self-hosting beats the API "), r.stdout)
        XCTAssertTrue(r.stdout.contains("against cloud GPUs the boundary stays"), r.stdout)
    }

    func testCrossDomainFrontiersOnTheTestServer() throws {
        let r = try run(["--db", "cross.db", "run", script("cross_domain"), "n=12", "needle_lengths=100,300", "samples=2", "k=2",
                         "models=small,large,thinking", "concurrency=4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for text in ["cross-domain frontier: stand-in models on the built-in test server, priced on 2 x A800, n = 12 per domain",
                     "quality and cost per domain and model:", "long context: quality and cost as the prompt grows",
                     "frontier and optimal zone per domain:", "verdict: the sweet spot ", "in every domain's optimal zone: ",
                     "charts side by side: cross-domain.html"] {
            XCTAssertTrue(r.stdout.contains(text), "\(text):\n\(r.stdout)")
        }
        // One row per domain and model: 4 domains × 3 models, each with a quality in 0...1.
        let rows = r.stdout.split(separator: "\n").filter {
            $0.range(of: #"^\s*(arithmetic|choice|needle|code)\s+(small|large|thinking)\s+[01]\.\d{3}"#, options: .regularExpression) != nil
        }
        XCTAssertEqual(rows.count, 12, r.stdout)
        // The needle trace: one row per model and length, at the asked length in the test server's tokens.
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.range(of: #"^\s*(small|large|thinking)\s+(100|300)\s+\d+\s"#, options: .regularExpression) != nil }.count,
                       6, r.stdout)
        let html = try String(contentsOf: dir.appendingPathComponent("cross-domain.html"), encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 4, "one chart per domain")
        // Against a URL: `frontier serve` given the code problems' solutions, always right.
        let problems = Self.repoRoot.appendingPathComponent("scripts/experiments/data/small_code.jsonl").path
        let (server, _, o, _) = try start(["serve", "--port", "0", "--ttft", "0.005", "--itl", "0.001", "--accuracy", "1",
                                           "--solutions", problems])
        defer { server.terminate() }
        let out = Collector(o.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "/v1"), out.snapshot())
        guard let url = out.snapshot().split(separator: " ").first(where: { $0.hasPrefix("http://") }) else { return XCTFail(out.snapshot()) }
        let u = try run(["--db", "cross.db", "run", script("cross_domain"), "url=\(url)", "models=m1,m2", "domains=choice,needle,code",
                         "n=6", "needle_lengths=100", "gpu=H100", "gpus=1", "out=url.html"])
        XCTAssertEqual(u.status, 0, u.stderr)
        XCTAssertTrue(u.stdout.contains("cross-domain frontier: \(url), priced on 1 x H100"), u.stdout)
        XCTAssertEqual(u.stdout.split(separator: "\n").filter {
            $0.range(of: #"^\s*(choice|needle|code)\s+m[12]\s+1\.000"#, options: .regularExpression) != nil
        }.count, 6, "accuracy 1: every answer right\n\(u.stdout)")
        let bad = try run(["--db", "cross.db", "run", script("cross_domain"), "domains=arithmetic,poetry"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("unknown domain 'poetry'"), bad.stderr)
    }
}
