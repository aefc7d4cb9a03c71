import Foundation
import XCTest
import LuaBridge
@testable import Scripting

/// import.*, bench.export from Lua: other tools' files in, our own columns out, round trips.
final class InteropModuleTests: HostTestCase {
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("InteropTests/Fixtures")
    }

    func testEachFormatImportsAsRunsWithTheToolNamed() throws {
        for (file, tool, runs) in [("vllm_detailed.json", "vllm", 1), ("guidellm_report.json", "guidellm", 2),
                                   ("aiperf_profile_export.jsonl", "aiperf", 1)] {
            let path = Self.fixtures.appendingPathComponent(file).path
            let r = try host.vm.run("local rs = import.file(..., { tag = 'ext' }) return #rs, rs[1].source, rs[1].settings.tool",
                                    args: [.string(path)])
            XCTAssertEqual(r, [.int(runs), "imported", .string(tool)], file)
        }
        // vLLM reports milliseconds: stored in seconds (the fixture's per-request TTFTs give p50 0.15 s).
        let vllm = Self.fixtures.appendingPathComponent("vllm_detailed.json").path
        XCTAssertEqual(try host.vm.run("local r = import.vllm(...)[1] return r.ttft.p50", args: [.string(vllm)]), [0.15])
        // Imported runs are costed like any other.
        XCTAssertEqual(try lua("return cost.of(bench.runs{ tag = 'ext' }[1], cost.cloud{ hourly = 3.6 }).total > 0"), [true])
    }

    func testAMalformedFileImportsNothingAndNamesTheField() throws {
        let bad = dir.appendingPathComponent("bad.json")
        try #"{"duration": "long", "completed": 3}"#.write(to: bad, atomically: true, encoding: .utf8)
        let e = luaError("import.file('\(bad.path)')") ?? ""
        XCTAssertTrue(e.contains("bad.json: vllm: duration: expected"), e)
        XCTAssertEqual(try lua("return #db.query('select * from runs')"), [0])
        XCTAssertEqual(luaError("import.file('\(dir.path)')")?.contains("cannot read '\(dir.path)': it is a directory, not a file"), true)
        let negative = dir.appendingPathComponent("negative.json")
        try #"{"duration": 10, "completed": -10}"#.write(to: negative, atomically: true, encoding: .utf8)
        XCTAssertEqual(luaError("import.file('\(negative.path)')")?.contains("vllm: completed: expected a whole number ≥ 0, found number -10"), true)
        XCTAssertEqual(try lua("return #db.query('select * from runs')"), [0], "nothing stored")
        XCTAssertEqual(luaError("import.file('\(bad.path)', { format = 'csv' })")?.contains("field 'format' must be one of vllm, guidellm, aiperf, frontier"), true)
    }

    func testARunExportedAndImportedBackKeepsEveryFigure() throws {
        try lua("""
            wl = workload.synthetic{ n = 50, seed = 5, input = dist.uniform{ min = 50, max = 400 }, output = dist.uniform{ min = 5, max = 80 } }
            original = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 6, keep = 'chunks' }
            """)
        let out = dir.appendingPathComponent("requests.jsonl").path
        try host.vm.run("bench.export{ run = original, what = 'requests', format = 'jsonl', out = ... }", args: [.string(out)])
        XCTAssertEqual(try host.vm.run("return #import.file(...)", args: [.string(out)]), [1])
        let summaries = try lua("local rows = db.query('select summary from runs order by run_id') return rows[1].summary, rows[2].summary")
        XCTAssertEqual(summaries.count, 2)
        XCTAssertEqual(summaries[0], summaries[1], "every summary figure survives export and import")
        // CSV of runs: the stable header, one line per run.
        let csv = try XCTUnwrap(lua("return bench.export{ what = 'runs', format = 'csv' }").first?.string)
        let lines = csv.split(separator: "\r\n")
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[0].hasPrefix("run_id,tag,source,target,model,concurrency,rate,status,started_at,ended_at,sweep,requests,succeeded"), String(lines[0]))
        XCTAssertEqual(luaError("bench.export{ what = 'everything' }")?.contains("(what to export) must be 'runs' or 'requests', got 'everything'"), true)
    }
}
