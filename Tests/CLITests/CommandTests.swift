import Foundation
import XCTest

final class CommandTests: CLITestCase {
    func testExpressionAndExitStatus() throws {
        let r = try run(["-e", "print(1 + 1)"])
        XCTAssertEqual(r.status, 0)
        XCTAssertEqual(r.stdout, "2\n")
    }

    func testScriptErrorGivesStatus1AndFileLine() throws {
        let script = try write("broken.lua", "local x = 1\nerror('the sweep broke')\n")
        let r = try run(["run", script])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("broken.lua:2: the sweep broke"), r.stderr)
        XCTAssertTrue(r.stderr.contains("stack traceback:"), r.stderr)
        // A syntax error too.
        let bad = try write("syntax.lua", "x = = 1\n")
        let s = try run([bad])
        XCTAssertEqual(s.status, 1)
        XCTAssertTrue(s.stderr.contains("syntax.lua:1:"), s.stderr)
    }

    func testScriptArgumentsLikeStandardLua() throws {
        let script = try write("args.lua", "print(arg[0] == ..., arg[1], arg[2], #arg, select('#', ...), ...)\n")
        for prefix in [["run"], []] {
            let r = try run(prefix + [script, "8,16,32", "--flag"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, "false\t8,16,32\t--flag\t2\t2\t8,16,32\t--flag\n")
        }
        let zero = try run(["-e", "print(arg[0], arg[-1])"])
        XCTAssertEqual(zero.stdout, "\tfrontier\n")
    }

    func testShebangScript() throws {
        let path = try write("sweep", "#!/usr/bin/env frontier\nprint('hello from', arg[1])\n")
        XCTAssertEqual(chmod(path, 0o755), 0)
        let binDir = Self.binary.deletingLastPathComponent().path
        let r = try run(["x"], executable: URL(fileURLWithPath: path),
                        env: ["PATH": binDir + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "hello from\tx\n")
    }

    func testUsageErrorsGiveStatus2() throws {
        let unknown = try run(["--bogus"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--bogus"), unknown.stderr)
        let missing = try run(["run", dir.appendingPathComponent("nope.lua").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("nope.lua"), missing.stderr)
        let noValue = try run(["-e"])
        XCTAssertEqual(noValue.status, 2)
    }

    func testVersionAndHelp() throws {
        let v = try run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.hasPrefix("0."), v.stdout)
        let h = try run(["--help"])
        XCTAssertEqual(h.status, 0)
        XCTAssertTrue(h.stdout.contains("--db"), h.stdout)
    }

    func testDatabasePathOptionAndEnvironment() throws {
        let r = try run(["-e", "print(db.path()) db.tables()"])
        XCTAssertEqual(r.stdout, "frontier.db\n")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("frontier.db").path))
        let env = try run(["-e", "print(db.path())"], env: ["FRONTIER_DB": "from-env.db"])
        XCTAssertEqual(env.stdout, "from-env.db\n")
        let opt = try run(["--db", "opt.db", "-e", "db.exec('create table t (x)') print(#db.tables())"], env: ["FRONTIER_DB": "from-env.db"])
        XCTAssertEqual(opt.status, 0, opt.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("opt.db").path))
        // A script that never touches the store creates no file.
        _ = try run(["--db", "untouched.db", "-e", "print(1)"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("untouched.db").path))
    }

    func testNonSQLiteAndNewerSchemaFilesAreRefusedAndKept() throws {
        let notes = try write("notes.txt", "my notes\n")
        let r = try run(["--db", notes, "-e", "db.tables()"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("notes.txt") && r.stderr.contains("not a SQLite database"), r.stderr)
        XCTAssertEqual(try String(contentsOfFile: notes, encoding: .utf8), "my notes\n")

        let future = dir.appendingPathComponent("future.db").path
        XCTAssertEqual(try run(["--db", future, "-e", "db.exec('pragma user_version = 99')"]).status, 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: future))
        let n = try run(["--db", future, "-e", "db.tables()"])
        XCTAssertEqual(n.status, 1)
        XCTAssertTrue(n.stderr.contains("99"), n.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: future)), before)
    }

    func testInterruptStopsAScriptAndKeepsStoredData() throws {
        let db = dir.appendingPathComponent("int.db").path
        let script = try write("loop.lua", """
            db.exec('create table progress (i)')
            db.exec('insert into progress values (1)')
            print('started') io.stdout:flush()
            while true do end
            """)
        let (p, _, o, e) = try start(["--db", db, "run", script])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "started"))
        kill(p.processIdentifier, SIGINT)
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 130)
        XCTAssertTrue(err.text().contains("interrupted"), err.text())
        XCTAssertEqual(try run(["--db", db, "-e", "print(db.query('select count(*) as n from progress')[1].n)"]).stdout, "1\n")
    }

    func testRequireWorksFromAnyDirectoryAndAfterInstall() throws {
        let elsewhere = dir.appendingPathComponent("elsewhere")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        let r = try run(["-e", "print(type(require('pretty').format))"], cwd: elsewhere)
        XCTAssertEqual(r.stdout, "function\n", r.stderr)

        // scripts/install.sh lays out PREFIX/bin and PREFIX/share/frontier/stdlib.
        let prefix = dir.appendingPathComponent("prefix")
        let install = Process()
        install.executableURL = URL(fileURLWithPath: "/bin/bash")
        install.arguments = [Self.repoRoot.appendingPathComponent("scripts/install.sh").path, prefix.path]
        install.environment = environment(["FRONTIER_BINARY": Self.binary.path])
        try install.run()
        install.waitUntilExit()
        XCTAssertEqual(install.terminationStatus, 0)
        let installed = prefix.appendingPathComponent("bin/frontier")
        let i = try run(["-e", "print(type(require('pretty').format), type(show))"], executable: installed, cwd: elsewhere)
        XCTAssertEqual(i.stdout, "function\tfunction\n", i.stderr)
    }

    func testLuaAPIDocIsCurrent() throws {
        let r = try run(["doc"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let committed = try String(contentsOf: Self.repoRoot.appendingPathComponent("docs/lua-api.md"), encoding: .utf8)
        XCTAssertEqual(r.stdout, committed, "docs/lua-api.md is stale: run `frontier doc > docs/lua-api.md`")
    }

    /// scripts/paper.lua asserts every reproduced figure; the README shows its output.
    func testPaperScriptPassesAndTheREADMEShowsItsOutput() throws {
        let script = Self.repoRoot.appendingPathComponent("scripts/paper.lua").path
        let r = try run(["--db", "paper.db", "--quiet", script])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix("all checks passed\n"), r.stdout)
        let readme = try String(contentsOf: Self.repoRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let shown = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0).replacingOccurrences(of: #"\s+$"#, with: "", options: .regularExpression) }
            .joined(separator: "\n").trimmingCharacters(in: .newlines)
        XCTAssertTrue(readme.contains("```text\n" + shown + "\n```"),
                      "README's paper section is stale: paste the output of `frontier scripts/paper.lua`")
    }

    /// `frontier report`: the HTML report of stored runs from the shell.
    func testReportFromTheShell() throws {
        let make = try run(["--db", "rep.db", "-e", """
            local wl = workload.synthetic{ n = 30, seed = 1, input = 100, output = 20 }
            sim.sweep{ gpu = 'A800', gpus = 2, model = 'Llama-3.1-8B', workload = wl, concurrency = {2, 8}, tag = 'plan' }
            """])
        XCTAssertEqual(make.status, 0, make.stderr)
        let r = try run(["report", "--db", "rep.db", "--tag", "plan", "--out", "plan.html", "--gpu", "A800", "--gpus", "2",
                         "--sla", "ttft_p50=1,tokens_per_s_mean=20"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "wrote plan.html (2 runs)\n")
        let html = try String(contentsOf: dir.appendingPathComponent("plan.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("frontier report: plan") && html.contains("cost per 1,000 requests ($)") && html.contains("SLA verdicts") && html.contains("<section id=\"answer\">"), html)
        // Simulated runs are costed on their own deployment (2 × A800), whatever --gpus says.
        let own = try run(["report", "--db", "rep.db", "--tag", "plan", "--out", "own.html", "--gpu", "A800"])
        XCTAssertEqual(own.status, 0, own.stderr)
        let ownHTML = try String(contentsOf: dir.appendingPathComponent("own.html"), encoding: .utf8)
        let tableStart = try XCTUnwrap(html.range(of: "per 1M output tokens")), ownStart = try XCTUnwrap(ownHTML.range(of: "per 1M output tokens"))
        XCTAssertEqual(html[tableStart.lowerBound...].prefix(600), ownHTML[ownStart.lowerBound...].prefix(600), "the same cost rows")
        let none = try run(["report", "--db", "rep.db", "--tag", "nothing"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no runs tagged 'nothing' in rep.db"), none.stderr)
        XCTAssertEqual(try run(["report", "--db", "rep.db", "--sla", "ttft"]).status, 2)
        XCTAssertEqual(try run(["report", "--db", "missing.db"]).status, 2)
    }

    /// `frontier import` and `frontier export` from the shell.
    func testImportAndExportFromTheShell() throws {
        let fixture = Self.repoRoot.appendingPathComponent("Tests/InteropTests/Fixtures/vllm_detailed.json").path
        let i = try run(["import", "--db", "io.db", "--tag", "ext", fixture])
        XCTAssertEqual(i.status, 0, i.stderr)
        XCTAssertTrue(i.stdout.hasSuffix("vllm_detailed.json: run 1 (vllm, 4 requests)\n"), i.stdout)
        let csv = try run(["export", "--db", "io.db", "--tag", "ext"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertTrue(csv.stdout.hasPrefix("run_id,tag,source,"), csv.stdout)
        XCTAssertTrue(csv.stdout.contains("\r\n1,ext,imported,"), csv.stdout)
        let jsonl = try run(["export", "--db", "io.db", "--what", "requests", "--format", "jsonl", "--out", "r.jsonl"])
        XCTAssertEqual(jsonl.status, 0, jsonl.stderr)
        let back = try run(["import", "--db", "io.db", "r.jsonl"])
        XCTAssertEqual(back.status, 0, back.stderr)
        XCTAssertTrue(back.stdout.contains("run 2 (frontier, 4 requests)"), back.stdout)
        let bad = try run(["import", "--db", "io.db", Self.repoRoot.appendingPathComponent("README.md").path])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("cannot tell the format"), bad.stderr)
        XCTAssertEqual(try run(["export", "--db", "io.db", "--format", "xml"]).status, 2)
    }
}
