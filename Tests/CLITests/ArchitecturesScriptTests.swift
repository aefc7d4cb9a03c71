import Foundation
import XCTest

/// scripts/architectures.lua through the real binary: one table per scheduler policy,
/// then the summary of where each one's optimal operating point lies.
final class ArchitecturesScriptTests: CLITestCase {
    func testArchitecturesScriptPrintsEachPolicyAndItsOperatingPoint() throws {
        let script = Self.repoRoot.appendingPathComponent("scripts/architectures.lua").path
        let r = try run(["--db", "arch.db", script, "120"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let names = ["continuous/decode", "continuous/prefill", "static/decode", "static/prefill"]
        for name in names {
            XCTAssertTrue(lines.contains { $0.hasPrefix("\(name) (") }, "a table for \(name):\n\(r.stdout)")
        }
        // Each sweep's table: a header and six levels.
        XCTAssertEqual(lines.filter { $0.hasPrefix("concurrency") }.count, 4, r.stdout)
        XCTAssertEqual(lines.filter { $0.range(of: #"^\s*128\s"#, options: .regularExpression) != nil }.count, 4, r.stdout)
        // The summary: a header and its rule, then one row per architecture with a level or "none".
        guard let header = lines.firstIndex(where: { $0.hasPrefix("architecture") }) else {
            return XCTFail("no summary:\n\(r.stdout)")
        }
        XCTAssertTrue(lines[header].contains("cheapest_level") && lines[header].contains("saturation_level"))
        let rows = lines[(header + 2)...].filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        XCTAssertEqual(rows.map { String($0.split(separator: " ")[0]) }, names, r.stdout)
        for row in rows {
            let cells = row.split(separator: " ").map(String.init)
            XCTAssertEqual(cells.count, 6, row)
            for level in [cells[1], cells[3], cells[5]] { XCTAssertTrue(Int(level) != nil || level == "none", row) }
        }
        // Continuous batching with decode priority meets the SLA somewhere on this sweep.
        XCTAssertNotNil(Int(rows[0].split(separator: " ")[1]), rows[0])
        // The runs are stored with their policy in the settings.
        let q = try run(["--db", "arch.db", "-e", """
            local rows = db.query("SELECT json_extract(settings, '$.policy') AS p, json_extract(settings, '$.priority') AS q, COUNT(*) AS n FROM runs GROUP BY p, q ORDER BY p, q")
            for _, row in ipairs(rows) do print(row.p, row.q, row.n) end
            """])
        XCTAssertEqual(q.stdout, "continuous\tdecode\t6\ncontinuous\tprefill\t6\nstatic\tdecode\t6\nstatic\tprefill\t6\n", q.stderr)
    }
}
