import XCTest
import Metrics

/// Figures by group on the fixture's five records, by hand: group "a" is records 0–1,
/// group "b" records 2–4. The run's makespan is 6 − 0 = 6 s; its ok requests have
/// 60 input and 8 output tokens (68 in all).
final class GroupFiguresTests: XCTestCase {
    func testGroupsByHand() throws {
        let g = RunSummary.grouped(Fixture.records) { $0.index < 2 ? "a" : "b" }
        let a = try XCTUnwrap(g["a"]), b = try XCTUnwrap(g["b"])
        // a: two ok requests, 30 + 7 tokens, busy 2 + 3 s; TTFT 0.5 and 1.0.
        XCTAssertEqual(a.summary.requests, 2)
        XCTAssertEqual(a.summary.makespan, 6)
        XCTAssertEqual(a.summary.requestThroughput, 2.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(a.summary.outputThroughput, 7.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(a.summary.achievedConcurrency, 5.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(a.summary.ttft?.p50 ?? 0, 0.75, accuracy: 1e-12)
        XCTAssertEqual(a.costShare ?? 0, 37.0 / 68, accuracy: 1e-12)
        // b: one ok request (30 + 1 tokens), one error, one truncated; busy 2 + 1.5 + 2 s.
        XCTAssertEqual([b.summary.requests, b.summary.succeeded, b.summary.failed, b.summary.truncated], [3, 1, 1, 1])
        XCTAssertEqual(b.summary.outputThroughput, 1.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(b.summary.achievedConcurrency, 5.5 / 6, accuracy: 1e-12)
        XCTAssertEqual(b.costShare ?? 0, 31.0 / 68, accuracy: 1e-12)
        // Stored under the summary's names plus cost_share.
        let object = try a.jsonObject()
        XCTAssertEqual(object["cost_share"] as? Double ?? 0, 37.0 / 68, accuracy: 1e-12)
        XCTAssertEqual(object["requests"] as? Int, 2)
        XCTAssertTrue(RunSummary.grouped(Fixture.records) { _ in nil }.isEmpty)
    }

    func testDroppedLoadMakesARunInvalid() {
        let s = RunSummary(records: Fixture.records)
        let loose = ValidityRules(minDuration: 0, minRequests: 0, maxErrorRate: 1, maxSendLagP99: 10, maxClientCPU: 1)
        XCTAssertTrue(Verdict.evaluate(summary: s, rules: loose, clientCPUFraction: nil,
                                       offered: OfferedLoad(planned: 5, sent: 5, dropped: 0, late: 2)).valid)
        let v = Verdict.evaluate(summary: s, rules: loose, clientCPUFraction: nil, offered: OfferedLoad(planned: 9, sent: 5, dropped: 4, late: 1))
        XCTAssertEqual(v.reasons, ["dropped 4 of 9 planned requests (due, but every slot of max_in_flight was busy until the run ended): the run did not offer the load it was asked for"])
    }
}
