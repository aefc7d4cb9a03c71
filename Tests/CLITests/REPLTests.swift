import Foundation
import XCTest

final class REPLTests: CLITestCase {
    func testDrivenThroughAPipe() throws {
        let input = """
            x = 41
            x + 1
            for i = 1, 3 do
              x = x + i
            end
            x
            error('on purpose')
            x * 2
            {b = 1, a = 'two'}
            db.query('select 1 as one, 2 as two')
            help(db.query)
            """
        let r = try run(["--db", "repl.db"], stdin: input + "\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
            42
            47
            94
            { a = "two", b = 1 }
            one  two
            ---  ---
              1    2
            db.query(sql, ...)
              Runs a read-only query on the default store with bound parameters (? or a table of :names); returns an array of rows (writes go through db.exec).

            """)
        XCTAssertTrue(r.stderr.hasPrefix("stdin:1: on purpose"), r.stderr)
    }

    func testInterruptDuringAStatementKeepsTheREPLAndItsState() throws {
        let (p, i, o, e) = try start([])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        let stdin = i.fileHandleForWriting
        stdin.write(Data("n = 0\nprint('looping') io.stdout:flush() while true do n = n + 1 end\n".utf8))
        XCTAssertTrue(out.wait(for: "looping"))
        usleep(100_000)
        kill(p.processIdentifier, SIGINT)
        XCTAssertTrue(err.wait(for: "interrupted"), err.snapshot())
        stdin.write(Data("print(n > 0)\n".utf8))
        try stdin.close()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0)
        XCTAssertTrue(out.text().hasSuffix("true\n"), out.snapshot())
    }

    /// A real terminal: script(1) runs the REPL on a pseudo-terminal it owns,
    /// so Ctrl-C typed as a byte becomes SIGINT through the line discipline.
    func testTerminalEditingCompletionAndCtrlC() throws {
        // `exec`: script(1) runs the command through $SHELL -c, and a shell such
        // as dash that stays as the parent also gets the Ctrl-C and then exits 130.
        let command = "exec \(Self.binary.path) --db tty.db"
        let (p, i, o, _) = try start(["-qfec", command, "/dev/null"], executable: URL(fileURLWithPath: "/usr/bin/script"),
                                     env: ["TERM": "dumb"])
        let screen = Collector(o.fileHandleForReading)
        let keyboard = i.fileHandleForWriting
        func type(_ s: String) { keyboard.write(Data(s.utf8)); usleep(150_000) }

        XCTAssertTrue(screen.wait(for: "> "), screen.snapshot())
        type("x = 20\n")
        type("some half-typed line")
        type("\u{03}")                             // Ctrl-C at the prompt clears the line
        type("x + 1\n")
        XCTAssertTrue(screen.wait(for: "21"), screen.snapshot())
        type("n = 0 while true do n = n + 1 end\n")
        usleep(300_000)
        type("\u{03}")                             // Ctrl-C interrupts the running statement
        XCTAssertTrue(screen.wait(for: "interrupted!"), screen.snapshot())
        type("n > 0\n")
        XCTAssertTrue(screen.wait(for: "true"), screen.snapshot())
        type("db.tab\t")                           // Tab completes the field
        type("()\n")
        // Printed across lines on a narrow terminal: the last table is enough.
        XCTAssertTrue(screen.wait(for: #""tokenizer_calibrations""#), screen.snapshot())
        type("\u{04}")                             // Ctrl-D exits
        try keyboard.close()
        let deadline = Date().addingTimeInterval(30)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, screen.snapshot())
        XCTAssertFalse(screen.snapshot().contains("near 'half'"), "the cleared line was not run")
        let history = (try? String(contentsOf: dir.appendingPathComponent(".frontier_history"), encoding: .utf8)) ?? ""
        XCTAssertTrue(history.contains("x\\040+\\0401"), history)
    }
}
