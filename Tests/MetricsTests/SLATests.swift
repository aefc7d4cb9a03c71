import Metrics
import XCTest

/// SLA clauses and goodput on `Fixture.records` (per-request values in Fixture's notes).
final class SLATests: XCTestCase {
    let summary = RunSummary(records: Fixture.records)

    func testClausesPassAndFailWithExcess() throws {
        // TTFT p50 = 1.0, p99 = 1.98; tokens/s mean = 3.5/3 ≈ 1.1667; success rate 0.6.
        let sla = try SLA(clauses: ["ttft_p50": 1.0, "ttft_p99": 1.5, "tokens_per_s_mean": 1.0, "success_rate": 0.9])
        let result = sla.evaluate(summary)
        XCTAssertFalse(result.passed)
        XCTAssertEqual(result.clauses.map(\.clause.name), ["success_rate", "tokens_per_s_mean", "ttft_p50", "ttft_p99"])
        let byName = Dictionary(uniqueKeysWithValues: result.clauses.map { ($0.clause.name, $0) })
        XCTAssertEqual(byName["ttft_p50"]?.passed, true)                                   // 1.0 ≤ 1.0
        XCTAssertEqual(try XCTUnwrap(byName["ttft_p50"]?.excess), 0, accuracy: tolerance)
        XCTAssertEqual(byName["ttft_p99"]?.passed, false)                                  // 1.98 > 1.5
        XCTAssertEqual(try XCTUnwrap(byName["ttft_p99"]?.excess), 0.48, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(byName["ttft_p99"]?.relativeExcess), 0.32, accuracy: tolerance)  // 0.48 / 1.5
        XCTAssertEqual(byName["tokens_per_s_mean"]?.passed, true)                          // 1.1667 ≥ 1.0
        XCTAssertEqual(try XCTUnwrap(byName["tokens_per_s_mean"]?.excess), 1.0 - 3.5 / 3, accuracy: tolerance)
        XCTAssertEqual(byName["success_rate"]?.passed, false)                              // 0.6 < 0.9
        XCTAssertEqual(try XCTUnwrap(byName["success_rate"]?.excess), 0.3, accuracy: tolerance)
        XCTAssertEqual(result.failures.map(\.clause.name), ["success_rate", "ttft_p99"])
    }

    func testAMissingFigureFailsItsClause() throws {
        let oneToken = [Fixture.ok(0, sent: 0, ttft: 0.1, e2e: 0.2, output: 1)]
        let result = try SLA(clauses: ["tpot_p99": 1]).evaluate(RunSummary(records: oneToken))
        XCTAssertFalse(result.passed)
        XCTAssertNil(result.clauses[0].actual)
    }

    func testUnknownClausesAndBadLimitsAreRejected() {
        XCTAssertThrowsError(try SLA(clauses: ["ttft_p42": 1])) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown SLA clause 'ttft_p42' (expected one of: ttft_mean"), "\(error)")
        }
        XCTAssertThrowsError(try SLA(clauses: ["ttft_p50": -1])) { error in
            XCTAssertEqual("\(error)", "SLA clause 'ttft_p50' must be a finite number ≥ 0, got -1.0")
        }
        XCTAssertThrowsError(try SLA(clauses: [:], requestBounds: ["itl": 1])) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown per-request SLA bound 'itl'"), "\(error)")
        }
    }

    func testPerRequestBoundsTakeTheLoosestClause() throws {
        let sla = try SLA(clauses: ["ttft_p50": 0.5, "ttft_p99": 1.0, "e2e_p99": 2.5, "itl_p99": 0.1, "success_rate": 1])
        XCTAssertEqual(sla.requestBounds, [.ttft: 1.0, .e2e: 2.5])
        // #0 ttft 0.5 e2e 2.0 good; #1 ttft 1.0 e2e 3.0 too slow; #2 ttft 2.0 too slow;
        // #3 error and #4 truncated are never good.
        XCTAssertEqual(Fixture.records.map(sla.isGood), [true, false, false, false, false])
    }

    func testGoodputCountsGoodRequestsAndTheirTokens() throws {
        // Explicit per-request bounds: TTFT ≤ 1.0 and tokens/s ≥ 1 → #0 (0.5, 2.0) and #1 (1.0, 1.0).
        let sla = try SLA(clauses: [:], requestBounds: ["ttft": 1.0, "tokens_per_s": 1.0])
        let g = try sla.goodput(Fixture.records, makespan: summary.makespan)
        XCTAssertEqual(g.goodRequests, 2)
        XCTAssertEqual(g.goodTokens, 7)                                   // 4 + 3
        XCTAssertEqual(g.requestsPerSecond, 2.0 / 6.0, accuracy: tolerance)
        XCTAssertEqual(g.tokensPerSecond, 7.0 / 6.0, accuracy: tolerance)
        XCTAssertEqual(g.goodFraction, 0.4, accuracy: tolerance)          // 2 / 5
        // A caller's own predicate narrows it further.
        let odd = sla.goodput(Fixture.records, makespan: 6) { $0.index % 2 == 1 }
        XCTAssertEqual(odd.goodRequests, 1)
    }

    func testTPOTBoundSkipsSingleTokenRequests() throws {
        // #2 has one output token (no TPOT): judged on its other bounds only.
        let sla = try SLA(clauses: ["tpot_p99": 0.6])
        XCTAssertEqual(Fixture.records.map(sla.isGood), [true, false, true, false, false])
    }

    func testGoodFractionUsesGoodput() throws {
        // Per-request TTFT ≤ 1.0: #0 and #1 good → 2 / 5 = 0.4 < 0.5.
        let sla = try SLA(clauses: ["good_fraction": 0.5], requestBounds: ["ttft": 1.0])
        XCTAssertTrue(sla.needsGoodput)
        let g = try sla.goodput(Fixture.records, makespan: 6)
        let r = sla.evaluate(summary, goodput: g)
        XCTAssertEqual(try XCTUnwrap(r.clauses.first?.actual), 0.4, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(r.clauses.first?.excess), 0.1, accuracy: tolerance)
        XCTAssertFalse(sla.evaluate(summary).passed, "without goodput the clause has no value and fails")
    }

    func testRunLevelFigures() throws {
        let sla = try SLA(clauses: ["makespan": 5, "error_rate": 0.5, "output_tokens_per_s": 1, "requests_per_s": 0.5])
        let r = sla.evaluate(summary)
        // makespan 6 > 5 fails; error rate 0.4 ≤ 0.5; output 8/6 ≥ 1; requests 0.5 ≥ 0.5.
        XCTAssertEqual(r.failures.map(\.clause.name), ["makespan"])
        XCTAssertTrue(sla.requestBounds.isEmpty)
    }
}

final class SLANameTests: XCTestCase {
    /// An SLA clause bounds a stored figure by the figure's own name.
    func testEveryRunLevelQuantityIsAStoredFigure() {
        for q in SLAQuantity.allCases where q != .goodFraction {
            XCTAssertNotNil(q.field, "SLA quantity '\(q.rawValue)' is not a RunSummary.Field name")
        }
    }
}
