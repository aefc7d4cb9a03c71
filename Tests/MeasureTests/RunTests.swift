import Foundation
import Metrics
import Runs
import Store
import TestServer
import XCTest
@testable import Measure

/// The real client against the real test server on loopback, records in a real store.
final class RunTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("measure-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func server(ttft: Double = 0.05, itl: Double = 0.01, faults: String? = nil, usage: UsageMode = .finalChunk) throws -> TestServer {
        var c = TestServerConfig()
        c.ttft = ttft
        c.itl = itl
        c.usage = usage
        if let faults { c.faults = try Fault.parse(faults) }
        return try TestServer.start(c)
    }

    func workload(_ n: Int, output: Int) throws -> Workload {
        try Workload.synthetic(n: n, seed: 1, input: .fixed(20), output: .fixed(output))
    }

    /// Runs to the end and returns the outcome.
    func measure(_ s: TestServer, _ w: Workload, _ plan: LoadPlan, api: Endpoint.API = .completions,
                 stream: Bool = true, firstTokenTimeout: Double = 30, store: RunStore? = nil) throws -> RunOutcome {
        var e = Endpoint(baseURL: s.baseURL, model: "frontier-test", api: api, stream: stream)
        e.firstTokenTimeout = firstTokenTimeout
        e.totalTimeout = 60
        let run = try MeasureRun(endpoint: e, workload: w, plan: plan, tag: "test", store: store)
        try run.start()
        let deadline = Date().addingTimeInterval(120)
        while !run.wait(timeout: 0.1) {
            if Date() > deadline { run.stop(.failed); XCTFail("run did not finish"); break }
        }
        return try run.finish()
    }

    func testTimingsAreExactWithinTolerance() throws {
        let s = try server(ttft: 0.1, itl: 0.02)
        defer { s.stop() }
        let o = try measure(s, try workload(8, output: 10), LoadPlan(shape: .closed(concurrency: 4)))
        XCTAssertEqual(o.status, .completed)
        XCTAssertEqual(o.summary.succeeded, 8)
        let ttft = try XCTUnwrap(o.summary.ttft), itl = try XCTUnwrap(o.summary.itl)
        // Generous bounds: a shared, noisy 2-core machine. The send time is stamped right
        // after the request's head is written, so a client thread preempted at that moment
        // can stamp it after the server already has the request: a few ms under, rarely.
        let preempted = 0.005
        XCTAssertGreaterThanOrEqual(ttft.min, 0.1 - preempted)
        XCTAssertLessThan(ttft.p50, 0.1 + 0.05)
        XCTAssertEqual(itl.p50, 0.02, accuracy: 0.008)
        XCTAssertEqual(itl.count, 8 * 9, "nine gaps per ten-token reply, pooled")
        for r in o.records {
            XCTAssertEqual(r.outputTokens, 10)
            XCTAssertEqual(r.inputTokens, 20, "the server counts the prompt's words")
            XCTAssertFalse(r.tokensApproximate)
            XCTAssertEqual(r.chunkTimes.count, 10)
            XCTAssertEqual(try XCTUnwrap(r.chunkTimes.first), try XCTUnwrap(r.ttft), accuracy: 1e-9, "the first chunk time is the TTFT")
            XCTAssertGreaterThanOrEqual(try XCTUnwrap(r.e2e), 0.1 + 9 * 0.02 - preempted)
        }
        XCTAssertEqual(o.summary.outputTokens, 80)
    }

    func testChatAndNonStreamingAndMissingUsage() throws {
        let s = try server(ttft: 0.02, itl: 0.005, usage: .none)
        defer { s.stop() }
        let chat = try measure(s, try workload(4, output: 6), LoadPlan(shape: .closed(concurrency: 2)), api: .chat)
        XCTAssertEqual(chat.summary.succeeded, 4)
        XCTAssertTrue(chat.records.allSatisfy { $0.outputTokens == 6 && $0.tokensApproximate }, "no usage: chunks counted, flagged")
        let whole = try measure(s, try workload(3, output: 5), LoadPlan(shape: .closed(concurrency: 3)), stream: false)
        XCTAssertEqual(whole.summary.succeeded, 3)
        for r in whole.records {
            XCTAssertEqual(r.outputTokens, 5)
            XCTAssertEqual(r.ttft, r.e2e, "one body: the first token arrives with the last")
        }
    }

    func testEveryFaultIsRecordedAsItsKindAndTheRunCompletes() throws {
        let cases: [(String, ErrorKind?, RequestStatus)] = [
            ("429", .http429, .error), ("500", .http5xx, .error), ("reset", .reset, .error),
            ("malformed", .malformed, .error), ("stall", .timeoutFirstToken, .error),
            ("non_json", .nonJSON, .error), ("truncate", nil, .truncated),
        ]
        for (fault, kind, status) in cases {
            let s = try server(ttft: 0.01, itl: 0.005, faults: "\(fault):0.5")
            defer { s.stop() }
            let o = try measure(s, try workload(8, output: 8), LoadPlan(shape: .closed(concurrency: 4)), firstTokenTimeout: 0.5)
            XCTAssertEqual(o.status, .completed, fault)
            let bad = o.records.filter { $0.status != .ok }
            XCTAssertEqual(bad.count, 4, "\(fault): half the requests faulted: \(o.records.map { "\($0.status) \($0.errorKind?.rawValue ?? "-") \($0.error ?? "")" })")
            XCTAssertTrue(bad.allSatisfy { $0.status == status && $0.errorKind == kind }, "\(fault): \(bad.map { "\($0.status) \($0.errorKind?.rawValue ?? "-") \($0.error ?? "")" })")
            XCTAssertEqual(o.summary.succeeded, 4, fault)
            XCTAssertFalse(o.verdict.valid)
        }
    }

    func testConnectionsAreReusedAndWholeBodiesAreNotHeldToTheFirstTokenTimeout() throws {
        let s = try server(ttft: 0.01, itl: 0.02)
        defer { s.stop() }
        var plan = LoadPlan(shape: .closed(concurrency: 4))
        plan.warmup = 4
        _ = try measure(s, try workload(40, output: 3), plan)
        XCTAssertLessThanOrEqual(s.stats().connectionsOpened, 8, "keep-alive: about one connection per stream")
        // 20 tokens at 20 ms = 0.39 s per whole body, longer than a 0.2 s first-token timeout.
        let whole = try measure(s, try workload(4, output: 20), LoadPlan(shape: .closed(concurrency: 2)), stream: false,
                                firstTokenTimeout: 0.2)
        XCTAssertEqual(whole.summary.succeeded, 4, "\(whole.records.map { $0.error ?? "ok" })")
    }

    func testOpenLoopStopsSendingAtItsDuration() throws {
        let s = try server(ttft: 0.01, itl: 0.01)
        defer { s.stop() }
        var plan = LoadPlan(shape: .open(rate: 50, burstiness: nil, maxInFlight: 1))
        plan.duration = 1
        let start = Date()
        let o = try measure(s, try workload(100, output: 10), plan)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertLessThan(o.summary.requests, 20, "a cap of one in flight at ~0.1 s each sends about 10 in 1 s")
    }

    func testRefusedConnectionIsAnErrorNotACrash() throws {
        // A port nothing listens on: take one from a server, then stop it.
        let s = try server()
        let url = s.baseURL
        s.stop()
        let e = Endpoint(baseURL: url, model: "m")
        let run = try MeasureRun(endpoint: e, workload: try workload(5, output: 3), plan: LoadPlan(shape: .closed(concurrency: 2)), tag: nil, store: nil)
        try run.start()
        while !run.wait(timeout: 0.1) {}
        let o = try run.finish()
        XCTAssertEqual(o.summary.failed, 5)
        XCTAssertEqual(o.summary.errorsByKind["connect"], 5, "\(o.records.map { $0.error ?? "" })")
    }

    func testOpenLoopKeepsToTheScheduleAndMeasuresFromIntendedTimes() throws {
        let s = try server(ttft: 0.02, itl: 0.005)
        defer { s.stop() }
        let o = try measure(s, try workload(20, output: 4), LoadPlan(shape: .open(rate: 40, burstiness: nil, maxInFlight: nil)))
        XCTAssertEqual(o.summary.succeeded, 20)
        let intended = o.records.compactMap(\.intended)
        XCTAssertEqual(intended.count, 20)
        XCTAssertEqual(intended.sorted().last ?? 0, 19 * 0.025, accuracy: 1e-9)
        let lag = try XCTUnwrap(o.summary.sendLag)
        XCTAssertLessThan(lag.p50, 0.02)
        XCTAssertNotNil(o.summary.ttftFromIntended)
        // With a cap of 1 in flight the schedule cannot be kept: the lag shows it.
        let capped = try measure(s, try workload(10, output: 10), LoadPlan(shape: .open(rate: 100, burstiness: nil, maxInFlight: 1)))
        XCTAssertGreaterThan(try XCTUnwrap(capped.summary.sendLag).max, 0.3)
        XCTAssertTrue(capped.verdict.reasons.contains { $0.contains("send lag") })
    }

    func testRecordsAreStoredAndAStopKeepsWhatFinished() throws {
        let s = try server(ttft: 0.01, itl: 0.01)
        defer { s.stop() }
        let path = dir.appendingPathComponent("runs.db").path
        let store = try RunStore(path: path)
        let o = try measure(s, try workload(6, output: 5), LoadPlan(shape: .closed(concurrency: 3)), store: store)
        let id = try XCTUnwrap(o.runID)

        // A long run stopped part way: finished requests stay, the run says 'stopped'.
        var e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        e.totalTimeout = 60
        let run = try MeasureRun(endpoint: e, workload: try workload(200, output: 20), plan: LoadPlan(shape: .closed(concurrency: 4)),
                                 tag: "stopped", store: store)
        try run.start()
        while run.progress().progress.done < 8 { _ = run.wait(timeout: 0.05) }
        run.stop(.stopped)
        let stopped = try run.finish()
        store.close()
        XCTAssertEqual(stopped.status, .stopped)
        XCTAssertGreaterThanOrEqual(stopped.summary.requests, 8)
        XCTAssertLessThan(stopped.summary.requests, 200)
        XCTAssertTrue(stopped.records.allSatisfy { $0.status == .ok }, "cancelled requests are not results")

        let db = try Database(path: path)
        defer { db.close() }
        let runs = try db.query("SELECT run_id, status, concurrency, source, json_extract(summary, '$.requests') FROM runs ORDER BY run_id")
        XCTAssertEqual(runs.rows.count, 2)
        XCTAssertEqual(runs.rows[0], [.integer(id), .text("completed"), .integer(3), .text("measured"), .integer(6)])
        XCTAssertEqual(runs.rows[1][1], .text("stopped"))
        let reqs = try db.query("SELECT idx, ttft, output_tokens, chunk_times, status, max_tokens, workload_index FROM requests WHERE run_id = ? ORDER BY idx", [.integer(id)])
        XCTAssertEqual(reqs.rows.count, 6)
        for row in reqs.rows {
            guard case .blob(let b) = row[3], case .real(let ttft) = row[1] else { return XCTFail("\(row)") }
            let times = ChunkTimes.decode(b)
            XCTAssertEqual(times.count, 5)
            XCTAssertEqual(times[0], ttft, accuracy: 1e-9)
            XCTAssertEqual(row[4], .text("ok"))
            XCTAssertEqual(row[5], .integer(5))
        }
        let stoppedCount = try db.query("SELECT count(*) FROM requests WHERE run_id = ?", [.integer(try XCTUnwrap(stopped.runID))])
        XCTAssertEqual(stoppedCount.rows.first?.first, .integer(Int64(stopped.summary.requests)))
    }

    func testWarmupIsNotCountedAndDurationLimits() throws {
        let s = try server(ttft: 0.01, itl: 0.01)
        defer { s.stop() }
        var plan = LoadPlan(shape: .closed(concurrency: 2))
        plan.warmup = 4
        let o = try measure(s, try workload(6, output: 3), plan)
        XCTAssertEqual(o.summary.requests, 6)
        XCTAssertEqual(s.stats().requests, 10, "4 warm-up + 6 measured")
        var timed = LoadPlan(shape: .closed(concurrency: 2))
        timed.duration = 0.5
        let t = try measure(s, try workload(1000, output: 10), timed)
        XCTAssertLessThan(t.summary.requests, 1000)
        XCTAssertLessThan(t.summary.makespan, 2)
    }

    func testAPIKeyComesFromTheEnvironmentAndIsNotStored() throws {
        let e = Endpoint(baseURL: "http://127.0.0.1:1/v1", model: "m", apiKeyEnv: "FRONTIER_TEST_KEY")
        XCTAssertThrowsError(try e.apiKey(environment: [:])) { XCTAssertTrue("\($0)".contains("FRONTIER_TEST_KEY")) }
        XCTAssertEqual(try e.apiKey(environment: ["FRONTIER_TEST_KEY": "sk-secret"]), "sk-secret")
        let run = try MeasureRun(endpoint: e, workload: try workload(1, output: 1), plan: LoadPlan(shape: .closed(concurrency: 1)),
                                 tag: nil, store: nil, environment: ["FRONTIER_TEST_KEY": "sk-secret"])
        _ = run
        XCTAssertFalse(e.storedSettings.values.contains { $0.contains("sk-secret") })
        XCTAssertThrowsError(try Endpoint(baseURL: "ftp://x/v1", model: "m").validate())
        XCTAssertThrowsError(try Endpoint(baseURL: "http://x/v1", model: "").validate())
    }
}
