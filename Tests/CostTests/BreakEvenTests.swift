@testable import Cost
import XCTest

/// 2 GPUs at exactly $1/h each (depreciation only), serving 1000 tokens/s; cloud at
/// $3 per GPU-hour; API at $0.5 / $1.5 per 1M with 75 % input tokens.
final class BreakEvenTests: XCTestCase {
    private func scenario(utilization: Double = 1, cloudUtilization: Double = 1) throws -> BreakEven {
        try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3),
                              api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), gpus: 2,
                              tokensPerSecond: 1000, inputShare: 0.75, utilization: utilization,
                              cloudUtilization: cloudUtilization)
    }

    /// Self-hosted: F = 1 × 730 × 2 = 1460 $/month; capacity = 1000 × 730 × 3600 = 2.628e9 tokens.
    /// Cloud: 3 × 2 = 6 $/h for 3.6e6 tokens/h → 6 / 3.6e6 = 1.666667e-6 $/token.
    /// API: 0.75 × 0.5 + 0.25 × 1.5 = 0.375 + 0.375 = 0.75 $/1M → 7.5e-7 $/token.
    /// Self = cloud: 1460 / 1.666667e-6 = 8.76e8. Self = API: 1460 / 7.5e-7 = 1.946667e9.
    func testCrossoversSolvedByHand() throws {
        let be = try scenario()
        XCTAssertEqual(be.selfHostedMonthly, 1460, accuracy: tolerance)
        XCTAssertEqual(be.capacity, 2.628e9, accuracy: 1)
        XCTAssertEqual(be.cloudPerToken, 1.666667e-6, accuracy: 1e-12)
        XCTAssertEqual(be.apiPerToken, 7.5e-7, accuracy: 1e-15)
        XCTAssertEqual(be.selfHostedVsCloud ?? 0, 8.76e8, accuracy: 1)
        XCTAssertEqual(be.selfHostedVsAPI ?? 0, 1.946667e9, accuracy: 1e3)
        XCTAssertNil(be.cloudVsAPI)
    }

    /// At V = 1e9: self 1460, cloud 1e9 × 1.666667e-6 = 1666.667, API 750 → API cheapest.
    /// At V = 5e8: cloud 833.333 beats self (1460) and loses to API (375).
    /// At V = 2.5e9 (under capacity): self 1460 < API 1875 < cloud 4166.667 → self-hosted.
    /// At V = 3e9 the owned deployment is over capacity: no self-hosted cost.
    func testCostsAtVolumes() throws {
        let be = try scenario()
        let atBillion = try be.costs(monthlyTokens: 1e9)
        XCTAssertEqual(atBillion.selfHosted ?? 0, 1460, accuracy: tolerance)
        XCTAssertEqual(atBillion.cloud, 1666.666667, accuracy: tolerance)
        XCTAssertEqual(atBillion.api, 750, accuracy: tolerance)
        XCTAssertEqual(atBillion.cheapest, .api)
        XCTAssertEqual(try be.costs(monthlyTokens: 2.5e9).cheapest, .selfHosted)
        XCTAssertNil(try be.costs(monthlyTokens: 3e9).selfHosted)
        XCTAssertEqual(try be.costs(monthlyTokens: 3e9).cheapest, .api)
        XCTAssertEqual(try be.costs(monthlyTokens: 0).cheapest, .cloud, "cloud ties API at 0, and wins the tie")
    }

    /// At u = 0.5 the capacity halves to 1.314e9: the API crossover (1.946667e9) is out of
    /// range, the cloud one (8.76e8) stays. Cloud at 50 % busy doubles its per-token cost:
    /// 3.333333e-6, so self = cloud at 1460 / 3.333333e-6 = 4.38e8.
    func testUtilizationLimitsRange() throws {
        let be = try scenario(utilization: 0.5)
        XCTAssertEqual(be.capacity, 1.314e9, accuracy: 1)
        XCTAssertNil(be.selfHostedVsAPI)
        XCTAssertEqual(be.selfHostedVsCloud ?? 0, 8.76e8, accuracy: 1)
        XCTAssertEqual(try scenario(cloudUtilization: 0.5).selfHostedVsCloud ?? 0, 4.38e8, accuracy: 1)
    }

    /// A $0.01 fee per request at 1000 tokens a request adds 1e-5 $/token:
    /// API = 7.5e-7 + 1e-5 = 1.075e-5 $/token; self = API at 1460 / 1.075e-5 = 1.358140e8.
    func testPerRequestFee() throws {
        let api = try APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5, perRequest: 0.01)
        assertCostError(try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3), api: api, gpus: 2,
                                              tokensPerSecond: 1000, inputShare: 0.75),
                        "tokensPerRequest is required: the API charges per request")
        let be = try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3), api: api, gpus: 2,
                                       tokensPerSecond: 1000, inputShare: 0.75, tokensPerRequest: 1000)
        XCTAssertEqual(be.apiPerToken, 1.075e-5, accuracy: 1e-15)
        XCTAssertEqual(be.selfHostedVsAPI ?? 0, 1.358140e8, accuracy: 1e2)
    }

    /// The owned GPU's own utilization does not change its monthly cost: at u = 0.5 its
    /// `hourly` doubles the depreciation, but owning is paid per calendar hour.
    func testMonthlyCostIgnoresFormulaUtilization() throws {
        let be = try BreakEven.compare(gpu: dollarAnHour().with(.utilization, 0.5), cloud: CloudPrice(hourly: 3),
                                       api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), gpus: 2,
                                       tokensPerSecond: 1000, inputShare: 0.75)
        XCTAssertEqual(be.selfHostedMonthly, 1460, accuracy: tolerance)
    }

    func testRangeAndBadInputs() throws {
        let be = try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3),
                                       api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), gpus: 2,
                                       tokensPerSecond: 1000, inputShare: 0.75, maxMonthlyTokens: 5e8)
        XCTAssertNil(be.selfHostedVsCloud, "8.76e8 is beyond the 5e8 asked for")
        assertCostError(try scenario().costs(monthlyTokens: -1), "monthlyTokens must be ≥ 0, got -1")
        assertCostError(try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3),
                                              api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), gpus: 2,
                                              tokensPerSecond: 0, inputShare: 0.75),
                        "tokensPerSecond must be > 0, got 0")
        assertCostError(try BreakEven.compare(gpu: dollarAnHour(), cloud: CloudPrice(hourly: 3),
                                              api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), gpus: 2,
                                              tokensPerSecond: 1, inputShare: 1.5),
                        "inputShare must be in [0, 1], got 1.5")
    }
}
