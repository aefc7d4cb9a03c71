import Foundation
import XCTest

/// scripts/examples/ through the real binary: each runs with no arguments against the
/// built-in test server, and with one argument against a URL (`frontier serve` started here).
final class WorkloadExamplesTests: CLITestCase {
    func script(_ name: String) -> String {
        Self.repoRoot.appendingPathComponent("scripts/examples/\(name).lua").path
    }

    /// What each example prints when it worked.
    static let expected: [String: [String]] = [
        "chat_rag_mix": ["class requests", "chat ", "rag ", "cost share"],
        "trace_replay": ["trace azure", "planned sent", "due 0.000 s"],
        "chat_sessions": ["8 sessions, 40 turns", "turn requests"],
        "agent_loop": ["on_done: ", "tasks finished in"],
    ]

    func testEachExampleOnTheTestServer() throws {
        for (name, texts) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let r = try run(["--db", "examples.db", "run", script(name)])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            for text in texts { XCTAssertTrue(r.stdout.contains(text), "\(name): \(text)\n\(r.stdout)") }
        }
    }

    func testEachExampleAgainstAURL() throws {
        let (server, _, o, _) = try start(["serve", "--port", "0", "--ttft", "0.01", "--itl", "0.002", "--echo"])
        defer { server.terminate() }
        let out = Collector(o.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "/v1"), out.snapshot())
        guard let url = out.snapshot().split(separator: " ").first(where: { $0.hasPrefix("http://") }) else { return XCTFail(out.snapshot()) }
        for (name, texts) in Self.expected.sorted(by: { $0.key < $1.key }) {
            let r = try run(["--db", "url.db", "run", script(name), String(url)])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            for text in texts { XCTAssertTrue(r.stdout.contains(text), "\(name): \(text)\n\(r.stdout)") }
        }
        // The sessions sent their history over HTTP: the fifth turn carried 10 messages
        // (a system message, four questions and four answers, and the fifth question).
        let echoed = try run(["--db", "url.db", "-e", "for q in bench.runs{ tag = 'example-sessions' }[1]:each_request() do if q.turn == 5 then print(q.response) break end end"])
        XCTAssertTrue(echoed.stdout.contains("[received 10 messages"), echoed.stdout + echoed.stderr)
    }
}
