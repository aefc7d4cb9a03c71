import FrontierMath
import XCTest

/// `Diagnosis.findings` on constructed sweeps; every figure below is worked by hand in the
/// comments (docs/frontier.md, "Diagnosis", uses the same examples).
final class DiagnosisTests: XCTestCase {
    private func closed(_ levels: [DiagnosisLevel]) -> [DiagnosisSweep] { [DiagnosisSweep(load: .concurrency, levels: levels)] }

    /// A healthy closed-loop sweep: TTFT grows slowly, no errors, an idle client, costs falling
    /// by more than 5% a level at flat quality, the usual tokens per word.
    private func healthy() -> [DiagnosisLevel] {
        let c: [Double] = [8, 16, 32, 64], p50 = [0.10, 0.11, 0.12, 0.14], p99 = [0.2, 0.22, 0.25, 0.3]
        let cost = [0.004, 0.002, 0.0015, 0.0012]
        return c.indices.map { i in
            DiagnosisLevel(level: c[i], runID: Int64(i + 1), model: "m", workload: "w", ttftP50: p50[i], ttftP99: p99[i],
                           requests: 100, errors: 1, clientCPU: 0.4, costPerRequest: cost[i], quality: 0.8,
                           tokensPerWord: 1.08, inputTokensRequested: 200, inputTokensServed: 203, inputTokensPerRequest: 203)
        }
    }

    func testAHealthySweepHasNoFinding() throws {
        XCTAssertEqual(try Diagnosis.findings(in: closed(healthy())), [])
        // Open loop, TTFT from intended tracking TTFT: no queueing either.
        let open = [1.0, 2, 4].enumerated().map { i, r in
            DiagnosisLevel(level: r, ttftP50: 0.1 + 0.01 * Double(i), ttftFromIntendedP50: 0.101 + 0.01 * Double(i), requests: 100)
        }
        XCTAssertEqual(try Diagnosis.findings(in: [DiagnosisSweep(load: .rate, levels: open)]), [])
    }

    /// TTFT p50 0.10, 0.11, 0.12, 0.96 s at 8, 16, 32, 64: growth 1.1, 1.0909, then
    /// 0.96 / 0.12 = 8; expected max(1, load 64 / 32 = 2, median(1.1, 1.0909) = 1.0955) = 2;
    /// 8 ≥ 3 × 2 and the rise 0.84 s ≥ 10 ms. p99 0.2, 0.22, 0.25, 0.5: growth 2 < 6: no jump.
    func testTTFTJump() throws {
        var levels = healthy()
        levels[3].ttftP50 = 0.96
        levels[3].ttftP99 = 0.5
        levels[2].meetsSLA = true
        for i in [0, 1, 3] { levels[i].meetsSLA = i < 3 }
        let f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f.first?.kind, .ttftJump)
        XCTAssertEqual(f.first?.level, 64)
        XCTAssertEqual(f.first?.runID, 4)
        XCTAssertEqual(f.first?.evidence, "TTFT p50 rose 8× from 120 ms at concurrency 32 to 960 ms at 64, "
                       + "against an expected 2× (the load grew 2×, earlier steps a median 1.1×).")
        XCTAssertEqual(f.first?.advice, "Reduce concurrency to 32, the level before the jump: from 64 the server ran out of memory "
                       + "for its KV cache or its scheduler began queueing requests. It meets the SLA.")
        XCTAssertEqual(f.first?.text.hasPrefix("ttft_jump at concurrency 64 (run 4): TTFT p50 rose 8×"), true, f.first?.text ?? "")
    }

    func testTTFTJumpAtTheFirstStepAndItsFloor() throws {
        // 0.1 → 0.7 s on the first step: 7× against the load's 2× (no steps before): 7 ≥ 6.
        let first = [DiagnosisLevel(level: 1, ttftP50: 0.1), DiagnosisLevel(level: 2, ttftP50: 0.7)]
        XCTAssertEqual(try Diagnosis.findings(in: closed(first)).first?.evidence,
                       "TTFT p50 rose 7× from 100 ms at concurrency 1 to 700 ms at 2, against an expected 2× (the load grew 2×).")
        // 0.1 → 0.5 s is 5× < 6: a busy server, not a jump.
        let busy = [DiagnosisLevel(level: 1, ttftP50: 0.1), DiagnosisLevel(level: 2, ttftP50: 0.5)]
        XCTAssertEqual(try Diagnosis.findings(in: closed(busy)), [])
        // Uneven steps: 0.12 → 0.9 s (7.5×) from 4 to 32 is slower than the load (8×): no jump.
        let uneven = zip([1.0, 2, 4, 32], [0.1, 0.11, 0.12, 0.9]).map { DiagnosisLevel(level: $0, ttftP50: $1) }
        XCTAssertEqual(try Diagnosis.findings(in: closed(uneven)), [])
        // 1 ms → 8 ms is 8× ≥ 6, but a rise of 7 ms is below the 10 ms floor: timer noise, not a jump.
        let tiny = [DiagnosisLevel(level: 1, ttftP50: 0.001), DiagnosisLevel(level: 2, ttftP50: 0.008)]
        XCTAssertEqual(try Diagnosis.findings(in: closed(tiny)), [])
        var t = DiagnosisThresholds()
        t.ttftMinRise = 0
        XCTAssertEqual(try Diagnosis.findings(in: closed(tiny), thresholds: t).map(\.kind), [.ttftJump])
    }

    /// Cost per request 0.004, 0.002, 0.0015, 0.00156 (falls 50%, 25%, then a 4% rise:
    /// (0.0015 − 0.00156) / 0.0015 = −0.04 < 0.05) at quality 0.8, 0.8, 0.801, 0.8
    /// (0.8 − 0.801 ≤ 0.01 × 0.801): past the optimal zone at 64.
    func testPastTheOptimalZone() throws {
        var levels = healthy()
        levels[2].quality = 0.801
        levels[3].costPerRequest = 0.00156
        let f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.map(\.kind), [.pastOptimalZone])
        XCTAssertEqual(f.first?.level, 64)
        XCTAssertEqual(f.first?.evidence, "Cost per request rose 4% from 0.0015 at concurrency 32 to 0.00156 at 64, "
                       + "while quality rose by no more than 1% (0.801 to 0.8).")
        XCTAssertEqual(f.first?.advice, "Stay at concurrency 32: more load costs as much or more per request and buys no quality.")
        // A fall of only 2% (0.0015 → 0.00147) also counts.
        levels[3].costPerRequest = 0.00147
        XCTAssertEqual(try Diagnosis.findings(in: closed(levels)).first?.evidence,
                       "Cost per request fell only 2% from 0.0015 at concurrency 32 to 0.00147 at 64 (less than the 5% a level "
                       + "should save), while quality rose by no more than 1% (0.801 to 0.8).")
        // Quality bought at the last level (0.801 → 0.85, +6.1%): not past the zone.
        levels[3].quality = 0.85
        XCTAssertEqual(try Diagnosis.findings(in: closed(levels)), [])
        // Without quality (or cost) the rule has nothing to read.
        for i in levels.indices { levels[i].quality = nil }
        levels[3].costPerRequest = 0.002
        XCTAssertEqual(try Diagnosis.findings(in: closed(levels)), [])
    }

    /// Per run: 1.62 tokens per prompt word ≥ 1.3 × 1; served 1,400 for 1,000 asked = 1.4× ≥ 1.3.
    func testTokenizerMismatchInARun() throws {
        var levels = Array(healthy().prefix(2))
        for i in levels.indices { levels[i].tokensPerWord = 1.62 }
        var f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.map(\.kind), [.tokenizerMismatch])
        XCTAssertNil(f.first?.level, "a tokenizer belongs to the model, not to a level")
        XCTAssertEqual(f.first?.runID, 1)
        XCTAssertEqual(f.first?.evidence, "At concurrency 8 (2 of 2 levels alike): the server counts 1.62 tokens per prompt word, "
                       + "1.6× the 1 of the usual tokenizers.")
        levels = [DiagnosisLevel(level: 4, runID: 9, inputTokensRequested: 1000, inputTokensServed: 1400)]
        f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.first?.evidence, "At concurrency 4: served input tokens average 1,400 per request, 1.4× the 1,000 the workload asked for.")
        XCTAssertEqual(f.first?.text.hasPrefix("tokenizer_mismatch (run 9): At concurrency 4"), true, f.first?.text ?? "")
    }

    /// The paper's example: on one test set Mistral-Small used 2.11M input tokens where the
    /// others used about 1.3M. Per request (1,000 requests): 2,110 against the median of
    /// 1,300, 1,290 and 1,310 = 1,300; 2,110 / 1,300 = 1.623 ≥ 1.3. Model a's others have
    /// median(1,290, 1,310, 2,110) = 1,310: 1,300 / 1,310 < 1.3.
    func testTokenizerMismatchAcrossModels() throws {
        let models = [("a", 1300.0), ("b", 1290), ("mistral-small", 2110), ("c", 1310)]
        let sweeps = models.enumerated().map { k, m in
            closed([DiagnosisLevel(level: 8, runID: Int64(k + 1), model: m.0, workload: "test set", inputTokensPerRequest: m.1)])[0]
        }
        let f = try Diagnosis.findings(in: sweeps)
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f.first?.kind, .tokenizerMismatch)
        XCTAssertEqual(f.first?.model, "mistral-small")
        XCTAssertEqual(f.first?.runID, 3)
        XCTAssertEqual(f.first?.evidence, "mistral-small used 2,110 input tokens per request on the workload 'test set', 1.6× the "
                       + "median 1,300 of the other models (a 1,300, b 1,290, c 1,310).")
        XCTAssertEqual(f.first?.text.hasPrefix("tokenizer_mismatch (run 3, mistral-small): "), true)
        // Different workloads are never compared.
        var apart = sweeps
        apart[2].levels[0].workload = "other set"
        XCTAssertEqual(try Diagnosis.findings(in: apart), [])
    }

    /// 800 requests ending every 0.25 s (0.25 … 200 s); those ending at 30.0 … 33.0 s (13)
    /// and at 10 s failed: 14 of 800 = 1.75%, under 5%. The window [30, 35] s holds 21
    /// requests, 13 failed: 13 ≥ 5 and 13 / 21 = 0.62 ≥ 0.5. The lone failure at 10 s is no burst.
    func testErrorBurstInTime() throws {
        let outcomes = (1...800).map { i -> RequestOutcome in
            let failed = (120...132).contains(i) || i == 40
            return RequestOutcome(time: Double(i) * 0.25, failed: failed, kind: failed ? (i == 132 ? "timeout_total" : "http_5xx") : nil)
        }
        var levels = healthy()
        levels[1].requests = 800
        levels[1].errors = 14
        levels[1].outcomes = outcomes.reversed()  // any order
        let f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.map(\.kind), [.errorBurst])
        XCTAssertEqual(f.first?.level, 16)
        XCTAssertEqual(f.first?.evidence, "13 of the 21 requests ending between 30 s and 35 s of the run failed (http_5xx 12, timeout_total 1).")
        XCTAssertEqual(f.first?.advice, "Errors came in a burst (an outage, a restart, a full queue): look at the server around 30 s "
                       + "into the run, and run this level again before trusting its figures.")
    }

    /// 8 of 100 failed: 8% > 5%.
    func testErrorRateAtALevel() throws {
        var levels = healthy()
        levels[3].errors = 8
        let f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.map(\.kind), [.errorBurst])
        XCTAssertEqual(f.first?.evidence, "8% of requests failed or were truncated (8 of 100), more than 5%.")
        XCTAssertEqual(f.first?.advice.hasPrefix("Treat concurrency 64 as beyond what the server sustains"), true)
        levels[3].errors = 5  // exactly 5%: the bound passes, as in the validity rule
        XCTAssertEqual(try Diagnosis.findings(in: closed(levels)), [])
    }

    /// Busiest client thread 95% of the run > 90%; exactly 90% passes.
    func testClientBound() throws {
        var levels = healthy()
        levels[2].clientCPU = 0.95
        levels[3].clientCPU = 0.9
        let f = try Diagnosis.findings(in: closed(levels))
        XCTAssertEqual(f.map(\.kind), [.clientBound])
        XCTAssertEqual(f.first?.level, 32)
        XCTAssertEqual(f.first?.evidence, "The client's busiest thread was busy 95% of the run, more than 90%.")
    }

    /// Rates 1, 2, 4, 8; TTFT p50 0.10, 0.11, 0.13, 0.14; from intended 0.10, 0.12, 0.50, 2.0.
    /// At 2: 1.2 < 2 × 1.1. At 4: 0.5 / 0.1 = 5 ≥ 2 × (0.13 / 0.10 = 1.3) = 2.6, and
    /// 0.5 − 0.1 = 0.4 s ≥ 10 ms: queueing from 4.
    func testQueueing() throws {
        let rates = [1.0, 2, 4, 8], p50 = [0.10, 0.11, 0.13, 0.14], intended = [0.10, 0.12, 0.50, 2.0]
        let levels = rates.indices.map { i in
            DiagnosisLevel(level: rates[i], runID: Int64(10 + i), ttftP50: p50[i], ttftFromIntendedP50: intended[i],
                           sendLagP50: i == 2 ? 0.37 : nil, requests: 100)
        }
        let f = try Diagnosis.findings(in: [DiagnosisSweep(load: .rate, levels: levels)])
        XCTAssertEqual(f.map(\.kind), [.queueing])
        XCTAssertEqual(f.first?.level, 4)
        XCTAssertEqual(f.first?.runID, 12)
        XCTAssertEqual(f.first?.evidence, "TTFT from the intended send time (p50) rose 5× from 100 ms at rate 1 to 500 ms at 4, "
                       + "while TTFT from the actual send rose 1.3× (100 ms to 130 ms); requests were sent 370 ms late (send lag p50).")
        XCTAssertEqual(f.first?.advice.hasPrefix("Requests queued before they were sent: the arrivals outpace what is served. "
                                                 + "Reduce the request rate to 2, the level before"), true)
        // A closed loop has no intended send times to compare.
        XCTAssertEqual(try Diagnosis.findings(in: [DiagnosisSweep(load: .concurrency, levels: levels)]), [])
    }

    func testFindingsComeInLevelOrder() throws {
        var levels = healthy()
        levels[3].clientCPU = 0.95
        levels[1].errors = 10
        levels[3].ttftP50 = 0.96
        XCTAssertEqual(try Diagnosis.findings(in: closed(levels)).map { "\($0.kind.rawValue)@\($0.level ?? 0)" },
                       ["error_burst@16.0", "ttft_jump@64.0", "client_bound@64.0"])
    }

    func testBadInputIsNamed() {
        assertThrows(.tooFewPoints(what: "a diagnosis", needed: 1, got: 0)) { try Diagnosis.findings(in: []) }
        assertThrows(.tooFewPoints(what: "a diagnosed sweep", needed: 1, got: 0)) { try Diagnosis.findings(in: closed([])) }
        assertThrows(.notAscending(what: "sweep levels", previous: 16, next: 8)) {
            try Diagnosis.findings(in: closed([DiagnosisLevel(level: 16), DiagnosisLevel(level: 8)]))
        }
        assertThrows(.nonPositiveCostPerTask(level: 8, cost: 0)) {
            try Diagnosis.findings(in: closed([DiagnosisLevel(level: 8, costPerRequest: 0)]))
        }
        var t = DiagnosisThresholds()
        t.ttftJump = 1
        assertThrows(.outOfRange(parameter: "ttft_jump", value: 1, expected: "> 1")) {
            try Diagnosis.findings(in: closed(healthy()), thresholds: t)
        }
    }
}
