import Foundation
import XCTest

/// scripts/experiments/bursty_vs_sustained.lua through the real binary (issue 21): on the
/// built-in default (a simulated rate sweep, a synthetic week) with small settings, and
/// on a given capacity with a trace file.
final class BurstyVsSustainedTests: CLITestCase {
    var script: String { Self.repoRoot.appendingPathComponent("scripts/experiments/bursty_vs_sustained.lua").path }

    func testBuiltInDefaultWithSmallSettings() throws {
        let r = try run(["--db", "bursty.db", "run", script, "n=40", "rates=1,4,16,64", "repeats=2", "hours=48",
                         "peak_to_mean=1.25,2,4"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for text in ["replica capacity (1 × H100) from a simulated sweep", "demand: 48 hours in 3600-second intervals",
                     "plans for this demand", "cheapest (missing at most 1% of requests): ",
                     "monthly cost at the same mean load, by burstiness", "self_hosted_plus_api", "chart: bursty-vs-sustained.html"] {
            XCTAssertTrue(r.stdout.contains(text), "\(text):\n\(r.stdout)")
        }
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.range(of: #"^\s*(1\.25|2\.00|4\.00)\s+\$"#, options: .regularExpression) != nil }.count,
                       3, r.stdout)
        let html = try String(contentsOf: dir.appendingPathComponent("bursty-vs-sustained.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<svg") && html.contains("peak / mean"), "the chart")
        XCTAssertTrue(html.contains("<pre>peak_to_mean") && html.contains("self_hosted_plus_cloud"), "and the table beside it")
    }

    func testGivenCapacityAndATrace() throws {
        // Two hours of arrivals: 1 a second in the first, 3 a second in the second.
        var lines = ["timestamp"]
        for i in 0..<3600 { lines.append(String(i)) }
        for i in 0..<10_800 { lines.append(String(format: "%.4f", 3600 + Double(i) / 3)) }
        try (lines.joined(separator: "\n") + "\n").write(to: dir.appendingPathComponent("trace.csv"), atomically: true, encoding: .utf8)
        let r = try run(["--db", "trace.db", "run", script, "capacity=1.5", "trace=trace.csv", "peak_to_mean=1,1.5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("replica capacity (1 × H100) from given: 1.50 requests/s"), r.stdout)
        XCTAssertTrue(r.stdout.contains("demand: 2 hours in 3600-second intervals; mean 2.00, peak 3.00 requests/s (peak/mean 1.50"), r.stdout)
        let bad = try run(["--db", "trace.db", "run", script, "capacity=1.5", "trace=missing.csv"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("cannot read 'missing.csv'"), bad.stderr)
    }
}
