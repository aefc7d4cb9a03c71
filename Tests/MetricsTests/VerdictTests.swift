import Metrics
import XCTest

final class VerdictTests: XCTestCase {
    /// 200 ok closed-loop requests, one sent every 0.1 s, each taking 1 s:
    /// makespan = 19.9 + 1 = 20.9 s, no errors. Valid under the default rules.
    let good = RunSummary(records: (0..<200).map { index in
        Fixture.ok(index, sent: Double(index) * 0.1, ttft: 0.2, e2e: 1)
    })

    func testDefaults() {
        let rules = ValidityRules()
        XCTAssertEqual(rules.minDuration, 10)
        XCTAssertEqual(rules.minRequests, 100)
        XCTAssertEqual(rules.maxErrorRate, 0.05)
        XCTAssertEqual(rules.maxSendLagP99, 0.010)
        XCTAssertEqual(rules.maxClientCPU, 0.9)
        XCTAssertEqual(ValidityRules.standard, rules)
    }

    func testValidRun() {
        XCTAssertEqual(good.makespan, 20.9, accuracy: tolerance)
        let verdict = Verdict.evaluate(summary: good, rules: .standard, clientCPUFraction: 0.5)
        XCTAssertEqual(verdict, Verdict(valid: true, reasons: []))
        XCTAssertEqual(verdict.description, "valid")
        // An unknown CPU use is not checked.
        XCTAssertTrue(Verdict.evaluate(summary: good, clientCPUFraction: nil).valid)
    }

    func testTooShort() {
        var summary = good
        summary.makespan = 4.2
        XCTAssertEqual(reasons(summary), ["ran 4.2 s, less than the minimum 10 s"])
    }

    func testTooShortByLessThanTheShownPrecision() {
        var summary = good
        summary.makespan = 9.9996
        XCTAssertEqual(reasons(summary), ["ran 9.9996 s, less than the minimum 10 s"])
    }

    func testTooFewRequests() {
        var summary = good
        summary.requests = 50
        XCTAssertEqual(reasons(summary), ["ran 50 requests, fewer than the minimum 100"])
    }

    func testTooManyErrors() {
        // 4 failed + 3 truncated of 100 = 7% > 5%
        var summary = good
        summary.requests = 100
        summary.failed = 4
        summary.truncated = 3
        XCTAssertEqual(reasons(summary), [
            "7% of requests failed or were truncated (7 of 100), more than the maximum 5%",
        ])
        // Exactly at the bound (5 of 100) is allowed.
        summary.failed = 2
        XCTAssertEqual(reasons(summary), [])
    }

    func testSendLagOnlyInOpenLoop() {
        var summary = good
        XCTAssertNil(summary.sendLag)   // closed loop: the rule does not apply
        summary.sendLag = LatencyStats(count: 200, mean: 0.002, stdev: 0.001, min: 0,
                                       p50: 0.001, p90: 0.004, p95: 0.006, p99: 0.0125,
                                       max: 0.02)
        XCTAssertEqual(reasons(summary),
                       ["send lag p99 was 12.5 ms, more than the maximum 10 ms"])
        summary.sendLag?.p99 = 0.010
        XCTAssertEqual(reasons(summary), [])
    }

    func testClientCPU() {
        XCTAssertEqual(reasons(good, cpu: 0.95),
                       ["the client\'s busiest thread was busy 95% of the run, more than the maximum 90%: the client may have delayed what it measured"])
        XCTAssertEqual(reasons(good, cpu: 0.9), [])
    }

    func testEveryRuleAtOnceInOrder() {
        // 20 records over 2 s (one every 0.1 s, 0.5 s each): makespan 1.9 + 0.5 = 2.4 s;
        // sent 1 ms late each except #19, 50 ms late; 2 errors → 10%.
        // send lag sorted: 0.001 ×19, 0.05 → p99 rank 18.81 → 0.001 + 0.81·0.049 = 0.04069
        var records = (0..<20).map { index in
            var record = Fixture.ok(index, sent: Double(index) * 0.1, ttft: 0.1, e2e: 0.5)
            record.intended = record.sent - 0.001
            return record
        }
        records[19].intended = records[19].sent - 0.05
        records[3].status = .error
        records[7].status = .error
        let summary = RunSummary(records: records)
        let verdict = Verdict.evaluate(summary: summary, clientCPUFraction: 0.975)
        XCTAssertFalse(verdict.valid)
        XCTAssertEqual(verdict.reasons, [
            "ran 2.4 s, less than the minimum 10 s",
            "ran 20 requests, fewer than the minimum 100",
            "10% of requests failed or were truncated (2 of 20), more than the maximum 5%",
            "send lag p99 was 40.69 ms, more than the maximum 10 ms",
            "the client\'s busiest thread was busy 97.5% of the run, more than the maximum 90%: the client may have delayed what it measured",
        ])
        XCTAssertEqual(verdict.description, "invalid: " + verdict.reasons.joined(separator: "; "))
    }

    func testNoRequests() {
        // No error rate without requests; duration and count still fail.
        XCTAssertEqual(reasons(RunSummary(records: [])), [
            "ran 0 s, less than the minimum 10 s",
            "ran 0 requests, fewer than the minimum 100",
        ])
    }

    func testCustomRules() {
        let rules = ValidityRules(minDuration: 30, minRequests: 500, maxErrorRate: 0,
                                  maxSendLagP99: 0.001, maxClientCPU: 0.5)
        var summary = good
        summary.failed = 1
        let verdict = Verdict.evaluate(summary: summary, rules: rules, clientCPUFraction: 0.6)
        XCTAssertEqual(verdict.reasons, [
            "ran 20.9 s, less than the minimum 30 s",
            "ran 200 requests, fewer than the minimum 500",
            "0.5% of requests failed or were truncated (1 of 200), more than the maximum 0%",
            "the client\'s busiest thread was busy 60% of the run, more than the maximum 50%: the client may have delayed what it measured",
        ])
    }

    func testCodableRoundTrip() throws {
        let verdict = Verdict(reasons: ["ran 4.2 s, less than the minimum 10 s"])
        XCTAssertFalse(verdict.valid)
        let data = try JSONEncoder().encode(verdict)
        XCTAssertEqual(try JSONDecoder().decode(Verdict.self, from: data), verdict)
        let rules = ValidityRules(minDuration: 60)
        let rulesData = try JSONEncoder().encode(rules)
        XCTAssertEqual(try JSONDecoder().decode(ValidityRules.self, from: rulesData), rules)
    }

    private func reasons(_ summary: RunSummary, cpu: Double? = nil) -> [String] {
        Verdict.evaluate(summary: summary, rules: .standard, clientCPUFraction: cpu).reasons
    }
}

final class VerdictJSONTests: XCTestCase {
    func testStoredTextHasSortedKeys() throws {
        let v = Verdict(valid: false, reasons: ["a"])
        XCTAssertEqual(try v.json(), #"{"reasons":["a"],"valid":false}"#)
    }
}
