import Metrics
import XCTest

final class RunSummaryEdgeTests: XCTestCase {
    func testEmptyInput() {
        let summary = RunSummary(records: [])
        XCTAssertEqual(summary.requests, 0)
        XCTAssertEqual(summary.succeeded, 0)
        XCTAssertEqual(summary.errorsByKind, [:])
        XCTAssertEqual(summary.successRate, 0)
        XCTAssertEqual(summary.errorRate, 0)
        XCTAssertEqual(summary.makespan, 0)
        XCTAssertEqual(summary.requestThroughput, 0)
        XCTAssertEqual(summary.outputThroughput, 0)
        XCTAssertEqual(summary.totalThroughput, 0)
        XCTAssertEqual(summary.achievedConcurrency, 0)
        XCTAssertEqual(summary.inputTokens, 0)
        XCTAssertEqual(summary.outputTokens, 0)
        XCTAssertFalse(summary.tokensApproximate)
        let stats = [summary.ttft, summary.e2e, summary.tpot, summary.itl, summary.tokensPerSecond,
                     summary.ttftFromIntended, summary.e2eFromIntended, summary.sendLag]
        XCTAssertTrue(stats.allSatisfy { $0 == nil })
    }

    func testFailuresCountInMakespanAndErrorsButNotInLatency() {
        // ok: sent 0, TTFT 1, E2E 2. error: sent 1, first token at 1.1, ended 9.
        // truncated: sent 2, first token 2.2, ended 3.
        // makespan = 9 − 0 = 9; busy = 2 + 8 + 1 = 11 → concurrency 11/9.
        let records = [
            Fixture.ok(0, sent: 0, ttft: 1, e2e: 2),
            RequestRecord(index: 1, sent: 1, firstToken: 1.1, ended: 9, chunkTimes: [0.1, 0.2],
                          outputTokens: 5, status: .error, errorKind: .timeoutTotal),
            RequestRecord(index: 2, sent: 2, firstToken: 2.2, ended: 3, chunkTimes: [0.2, 0.3],
                          inputTokens: 7, outputTokens: 9, status: .truncated),
        ]
        let summary = RunSummary(records: records)
        XCTAssertEqual(summary.makespan, 9, accuracy: tolerance)
        XCTAssertEqual(summary.achievedConcurrency, 11.0 / 9, accuracy: tolerance)
        XCTAssertEqual(summary.errorsByKind, ["timeout_total": 1, "truncated": 1])
        XCTAssertEqual(summary.ttft?.count, 1)
        XCTAssertEqual(summary.ttft?.mean ?? .nan, 1, accuracy: tolerance)
        XCTAssertEqual(summary.e2e?.max ?? .nan, 2, accuracy: tolerance)
        XCTAssertEqual(summary.itl?.count, 1)            // only the ok request's one gap
        XCTAssertEqual(summary.outputTokens, 2)          // the ok request's tokens only
        XCTAssertEqual(summary.inputTokens, 1)
        // 1 ok / 9 s; (1 + 2) / 9 tok/s
        XCTAssertEqual(summary.requestThroughput, 1.0 / 9, accuracy: tolerance)
        XCTAssertEqual(summary.totalThroughput, 3.0 / 9, accuracy: tolerance)
    }

    func testRequestWithoutEndCountsBySent() {
        // ok: sent 0, ended 2. connect error: sent 5, never ended → ends at 5.
        // makespan = 5 − 0 = 5; busy = 2 + 0 → concurrency 2/5 = 0.4; 1 ok / 5 s = 0.2
        let records = [
            Fixture.ok(0, sent: 0, ttft: 1, e2e: 2),
            RequestRecord(index: 1, sent: 5, status: .error, errorKind: .connect),
        ]
        let summary = RunSummary(records: records)
        XCTAssertEqual(summary.makespan, 5, accuracy: tolerance)
        XCTAssertEqual(summary.achievedConcurrency, 0.4, accuracy: tolerance)
        XCTAssertEqual(summary.requestThroughput, 0.2, accuracy: tolerance)
        XCTAssertEqual(summary.errorsByKind, ["connect": 1])
    }

    func testZeroMakespanGivesZeroRates() {
        // One request that never ended: makespan = 3 − 3 = 0, every rate 0.
        let summary = RunSummary(records: [RequestRecord(index: 0, sent: 3, status: .error)])
        XCTAssertEqual(summary.makespan, 0)
        XCTAssertEqual(summary.requestThroughput, 0)
        XCTAssertEqual(summary.achievedConcurrency, 0)
        XCTAssertEqual(summary.errorsByKind, ["other": 1])   // no kind given
    }

    func testSingleRequestRunsAtConcurrencyOne() {
        // sent 1, ended 1 + 4: makespan 4, busy 4 → concurrency 1; 4 tokens / 4 s.
        let summary = RunSummary(records: [Fixture.ok(0, sent: 1, ttft: 0.5, e2e: 4, output: 4)])
        XCTAssertEqual(summary.makespan, 4, accuracy: tolerance)
        XCTAssertEqual(summary.achievedConcurrency, 1, accuracy: tolerance)
        XCTAssertEqual(summary.outputThroughput, 1, accuracy: tolerance)
        XCTAssertEqual(summary.requestThroughput, 0.25, accuracy: tolerance)
    }

    func testSamplesThatDoNotApplyAreSkipped() {
        // #0: 3 tokens, TTFT 1, E2E 3 → TPOT (3 − 1)/2 = 1; tokens/s 3/3 = 1
        // #1: 1 token → no TPOT; tokens/s 1/2 = 0.5
        // #2: no token count → no TPOT, no tokens/s
        // #3: E2E 0 → no tokens/s; 2 tokens, TTFT 0 → TPOT (0 − 0)/1 = 0
        let records = [
            Fixture.ok(0, sent: 0, ttft: 1, e2e: 3, output: 3),
            Fixture.ok(1, sent: 0, ttft: 1, e2e: 2, output: 1),
            Fixture.ok(2, sent: 0, ttft: 1, e2e: 2, output: nil),
            Fixture.ok(3, sent: 0, ttft: 0, e2e: 0, output: 2),
        ]
        let summary = RunSummary(records: records)
        XCTAssertEqual(summary.tpot?.count, 2)
        XCTAssertEqual(summary.tpot?.mean ?? .nan, 0.5, accuracy: tolerance)
        XCTAssertEqual(summary.tokensPerSecond?.count, 2)
        XCTAssertEqual(summary.tokensPerSecond?.mean ?? .nan, 0.75, accuracy: tolerance)
        XCTAssertEqual(summary.outputTokens, 6)   // 3 + 1 + (nil → 0) + 2
    }

    func testOkRequestWithoutChunksOrFirstToken() {
        // A non-streamed ok reply: no first token, no chunks → E2E only.
        let record = RequestRecord(index: 0, sent: 0, ended: 1.5, outputTokens: 10, status: .ok)
        let summary = RunSummary(records: [record])
        XCTAssertNil(summary.ttft)
        XCTAssertNil(summary.tpot)
        XCTAssertNil(summary.itl)
        XCTAssertEqual(summary.e2e?.mean ?? .nan, 1.5, accuracy: tolerance)
    }

    func testApproximateTokensOnAnOkRequest() {
        let records = [Fixture.ok(0, sent: 0, ttft: 1, e2e: 2),
                       Fixture.ok(1, sent: 0, ttft: 1, e2e: 2, approximate: true)]
        XCTAssertTrue(RunSummary(records: records).tokensApproximate)
    }

    func testDerivedRecordFigures() {
        let record = Fixture.records[1]
        XCTAssertEqual(record.timePerOutputToken ?? .nan, 1.0, accuracy: tolerance)
        XCTAssertEqual(record.chunkGaps, [0.75, 1.25])
        XCTAssertEqual(record.outputTokensPerSecond ?? .nan, 1.0, accuracy: tolerance)
        XCTAssertEqual(record.sendLag ?? .nan, 0.25, accuracy: tolerance)
        XCTAssertEqual(record.ttftFromIntended ?? .nan, 1.25, accuracy: tolerance)
        XCTAssertEqual(record.e2eFromIntended ?? .nan, 3.25, accuracy: tolerance)
        XCTAssertEqual(Fixture.records[2].chunkGaps, [])
    }
}
