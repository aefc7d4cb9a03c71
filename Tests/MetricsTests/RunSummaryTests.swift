import Metrics
import XCTest

/// Every figure of `Fixture.records`, computed by hand (see Fixture for the per-request values).
final class RunSummaryTests: XCTestCase {
    let summary = RunSummary(records: Fixture.records)

    func testCounts() {
        XCTAssertEqual(summary.requests, 5)
        XCTAssertEqual(summary.succeeded, 3)
        XCTAssertEqual(summary.failed, 1)
        XCTAssertEqual(summary.truncated, 1)
        XCTAssertEqual(summary.errorsByKind, ["http_5xx": 1, "truncated": 1])
        XCTAssertEqual(summary.successRate, 0.6, accuracy: tolerance)   // 3/5
        XCTAssertEqual(summary.errorRate, 0.4, accuracy: tolerance)     // (1 + 1)/5
    }

    func testMakespanAndThroughputs() {
        // makespan = latest ended (6.0, the truncated #4) − earliest sent (0) = 6.0
        XCTAssertEqual(summary.makespan, 6.0, accuracy: tolerance)
        // ok tokens: input 10 + 20 + 30 = 60; output 4 + 3 + 1 = 8 (#4's 3 excluded)
        XCTAssertEqual(summary.inputTokens, 60)
        XCTAssertEqual(summary.outputTokens, 8)
        XCTAssertFalse(summary.tokensApproximate)   // only the truncated #4 is approximate
        // 3 ok / 6 s = 0.5 req/s; 8 / 6 = 1.333… tok/s; (60 + 8) / 6 = 11.333… tok/s
        XCTAssertEqual(summary.requestThroughput, 0.5, accuracy: tolerance)
        XCTAssertEqual(summary.outputThroughput, 8.0 / 6.0, accuracy: tolerance)
        XCTAssertEqual(summary.totalThroughput, 68.0 / 6.0, accuracy: tolerance)
    }

    func testAchievedConcurrency() {
        // Σ(ended − sent) over all five = 2 + 3 + 2 + 1.5 + 2 = 10.5; 10.5 / 6 = 1.75
        XCTAssertEqual(summary.achievedConcurrency, 1.75, accuracy: tolerance)
    }

    func testTTFT() {
        // [0.5, 1.0, 2.0] (#4's 0.5 excluded): mean 3.5/3 = 1.1666…
        // deviations −2/3, −1/6, 5/6 → squares 16/36 + 1/36 + 25/36 = 42/36; /3 = 7/18
        // p50: rank 1 → 1.0; p90: rank 1.8 → 1.0 + 0.8·1.0 = 1.8; p95 → 1.9; p99 → 1.98
        assertStats(summary.ttft, count: 3, mean: 3.5 / 3, stdev: (7.0 / 18).squareRoot(),
                    min: 0.5, p50: 1.0, p90: 1.8, p95: 1.9, p99: 1.98, max: 2.0)
    }

    func testE2E() {
        // sorted [2, 2, 3]: mean 7/3; deviations −1/3, −1/3, 2/3 → (1+1+4)/9 /3 = 2/9
        // p50: rank 1 → 2; p90: rank 1.8 → 2 + 0.8·1 = 2.8; p95 → 2.9; p99 → 2.98
        assertStats(summary.e2e, count: 3, mean: 7.0 / 3, stdev: (2.0 / 9).squareRoot(),
                    min: 2, p50: 2, p90: 2.8, p95: 2.9, p99: 2.98, max: 3)
    }

    func testTPOT() {
        // [0.5, 1.0] (#2 has one token): mean 0.75, stdev 0.25
        // p50: rank 0.5 → 0.75; p90: rank 0.9 → 0.5 + 0.9·0.5 = 0.95; p95 → 0.975; p99 → 0.995
        assertStats(summary.tpot, count: 2, mean: 0.75, stdev: 0.25,
                    min: 0.5, p50: 0.75, p90: 0.95, p95: 0.975, p99: 0.995, max: 1.0)
    }

    func testITLIsPooled() {
        // Pooled gaps, sorted [0.25, 0.5, 0.75, 0.75, 1.25]: mean 3.5/5 = 0.7
        // (the mean of per-request means would be (0.5 + 1.0)/2 = 0.75).
        // deviations −0.45, −0.2, 0.05, 0.05, 0.55 → squares sum 0.55; /5 = 0.11
        // p50: rank 2 → 0.75; p90: rank 3.6 → 0.75 + 0.6·0.5 = 1.05;
        // p95: rank 3.8 → 1.15; p99: rank 3.96 → 1.23
        assertStats(summary.itl, count: 5, mean: 0.7, stdev: 0.11.squareRoot(),
                    min: 0.25, p50: 0.75, p90: 1.05, p95: 1.15, p99: 1.23, max: 1.25)
    }

    func testTokensPerSecond() {
        // sorted [0.5, 1.0, 2.0]: mean 3.5/3; same spread as TTFT → stdev √(7/18)
        assertStats(summary.tokensPerSecond, count: 3, mean: 3.5 / 3,
                    stdev: (7.0 / 18).squareRoot(),
                    min: 0.5, p50: 1.0, p90: 1.8, p95: 1.9, p99: 1.98, max: 2.0)
    }

    func testTTFTFromIntended() {
        // [0.5, 1.25, 2.0]: mean 3.75/3 = 1.25; deviations −0.75, 0, 0.75 → 1.125/3 = 0.375
        // p90: rank 1.8 → 1.25 + 0.8·0.75 = 1.85; p95 → 1.925; p99 → 1.985
        assertStats(summary.ttftFromIntended, count: 3, mean: 1.25, stdev: 0.375.squareRoot(),
                    min: 0.5, p50: 1.25, p90: 1.85, p95: 1.925, p99: 1.985, max: 2.0)
    }

    func testE2EFromIntended() {
        // sorted [2.0, 2.0, 3.25]: mean 7.25/3 = 2.41666…
        // deviations −5/12, −5/12, 10/12 → (25 + 25 + 100)/144 /3 = 150/432
        // p50: rank 1 → 2.0; p90: rank 1.8 → 2.0 + 0.8·1.25 = 3.0; p95 → 3.125; p99 → 3.225
        assertStats(summary.e2eFromIntended, count: 3, mean: 7.25 / 3,
                    stdev: (150.0 / 432).squareRoot(),
                    min: 2.0, p50: 2.0, p90: 3.0, p95: 3.125, p99: 3.225, max: 3.25)
    }

    func testSendLag() {
        // All five records, sorted [0, 0, 0, 0.25, 0.5]: mean 0.75/5 = 0.15
        // deviations −0.15 ×3, 0.1, 0.35 → 0.0675 + 0.01 + 0.1225 = 0.2; /5 = 0.04 → 0.2
        // p50: rank 2 → 0; p90: rank 3.6 → 0.25 + 0.6·0.25 = 0.4; p95 → 0.45; p99 → 0.49
        assertStats(summary.sendLag, count: 5, mean: 0.15, stdev: 0.2,
                    min: 0, p50: 0, p90: 0.4, p95: 0.45, p99: 0.49, max: 0.5)
        XCTAssertTrue(summary.isOpenLoop)
    }

    func testClosedLoopHasNoFromIntendedFigures() {
        let closed = RunSummary(records: Fixture.closedLoop)
        XCTAssertNil(closed.ttftFromIntended)
        XCTAssertNil(closed.e2eFromIntended)
        XCTAssertNil(closed.sendLag)
        XCTAssertFalse(closed.isOpenLoop)
        // Everything else is unchanged.
        XCTAssertEqual(closed.ttft, summary.ttft)
        XCTAssertEqual(closed.makespan, summary.makespan)
    }

    func testRecordOrderDoesNotMatter() {
        XCTAssertEqual(RunSummary(records: Fixture.records.reversed()), summary)
    }
}
