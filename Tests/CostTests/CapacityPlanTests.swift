@testable import Cost
import XCTest

/// Issue 21: a demand profile and the plans that serve it, on a two-hour profile whose
/// arithmetic is done by hand below (and in docs/cost.md, "Capacity planning").
///
/// Profile: 4 intervals of 1,800 s (two hours), 1, 2, 4, 1 requests/s.
///   requests   = (1 + 2 + 4 + 1) × 1800 = 14,400 a pass
///   month      = 730 h × 3600 / 7200 s = 365 passes → 5,256,000 requests a month
///   mean 2, peak 4, peak/mean 2; sorted 1, 1, 2, 4:
///   p50 rank 1.5 → 1.5; p90 rank 2.7 → 2 + 0.7 × 2 = 3.4; p99 rank 2.97 → 3.94
/// Replica capacity 1.5 requests/s: needs ⌈1/1.5⌉, ⌈2/1.5⌉, ⌈4/1.5⌉, ⌈1/1.5⌉ = 1, 2, 3, 1.
final class CapacityPlanTests: XCTestCase {
    func profile() throws -> DemandProfile { try DemandProfile(rates: [1, 2, 4, 1], interval: 1800) }

    /// Owned replica $2/h; cloud $3 per replica-hour, blocks of 1, billed ≥ 3,600 s,
    /// serving 600 s after start; API $0.5/$1.5 per 1M, 500 in + 250 out tokens a
    /// request = 500 × 0.5e-6 + 250 × 1.5e-6 = $0.000625 a request.
    func inputs(percentile: Double = 100, startup: Double = 600) throws -> PlanInputs {
        try PlanInputs(profile: profile(), capacity: 1.5, ownedHourly: 2,
                       cloud: CloudScaling(hourly: 3, granularity: 1, minBilling: 3600, startup: startup),
                       api: APIPrice(inputPerMillion: 0.5, outputPerMillion: 1.5), inputTokensPerRequest: 500,
                       outputTokensPerRequest: 250, percentile: percentile)
    }

    func testSummaryOfTheTwoHourProfile() throws {
        let p = try profile()
        XCTAssertEqual(p.duration, 7200)
        XCTAssertEqual(p.requests, 14_400)
        let s = p.summary
        XCTAssertEqual(s.mean, 2)
        XCTAssertEqual(s.peak, 4)
        XCTAssertEqual(s.peakToMean, 2)
        XCTAssertEqual(s.min, 1)
        XCTAssertEqual(s.p50, 1.5, accuracy: tolerance)
        XCTAssertEqual(s.p90, 3.4, accuracy: tolerance)
        XCTAssertEqual(s.p99, 3.94, accuracy: tolerance)
    }

    func testEveryPlanByHand() throws {
        let plan = CapacityPlan(try inputs())
        XCTAssertEqual(plan.monthlyRequests, 5_256_000, accuracy: tolerance)
        XCTAssertEqual(plan.peakReplicas, 3)
        let byOption = Dictionary(uniqueKeysWithValues: plan.plans.map { ($0.option, $0) })
        XCTAssertEqual(plan.plans.map(\.option), PlanOption.allCases)

        // Self-hosted for the peak: 3 replicas × $2 × 730 h = $4,380; nothing missed;
        // utilisation 14,400 served / (3 × 1.5 × 7,200 = 32,400) = 0.4444.
        let own = try XCTUnwrap(byOption[.selfHosted])
        XCTAssertEqual(own.ownedReplicas, 3)
        XCTAssertEqual(own.monthlyCost, 4380, accuracy: tolerance)
        XCTAssertEqual(own.missedRequests, 0)
        XCTAssertEqual(try XCTUnwrap(own.ownedUtilization), 14_400.0 / 32_400, accuracy: tolerance)

        // Cloud, warm at t = 0 with 1 replica (A):
        //  1,800 s: need 2, start B (serves from 2,400): 600 s short of (2 − 1.5) = 300 missed
        //  3,600 s: need 3, start C (serves from 4,200): 600 s short of (4 − 3)   = 600 missed
        //  5,400 s: need 1: A (billed 5,400 s) and B (3,600 s ≥ the minimum) stop, C stays
        //  7,200 s: end: C billed max(7,200 − 3,600, 3,600) = 3,600 s
        //  billed 5,400 + 3,600 + 3,600 = 12,600 s = 3.5 h × $3 = $10.50 a pass × 365 = $3,832.50
        //  missed 900 a pass × 365 = 328,500 a month, 900 / 14,400 = 6.25 %
        let cloud = try XCTUnwrap(byOption[.cloud])
        XCTAssertEqual(cloud.monthlyCost, 3832.5, accuracy: tolerance)
        XCTAssertEqual(cloud.cloudMonthly, 3832.5, accuracy: tolerance)
        XCTAssertEqual(cloud.missedRequests, 328_500, accuracy: tolerance)
        XCTAssertEqual(cloud.missFraction, 0.0625, accuracy: tolerance)
        XCTAssertEqual(cloud.peakCloudReplicas, 3)
        XCTAssertNil(cloud.ownedUtilization)

        // API: 5,256,000 × $0.000625 = $3,285, nothing missed.
        let api = try XCTUnwrap(byOption[.api])
        XCTAssertEqual(api.monthlyCost, 3285, accuracy: tolerance)
        XCTAssertEqual(api.missedRequests, 0)

        // Self-hosted + API, base 0…3 replicas:
        //  0: $3,285; 1: $1,460 + burst (0, 0.5, 2.5, 0) × 1,800 = 5,400 a pass × 365 × $0.000625 = $1,231.875
        //  → $2,691.875; 2: $2,920 + 1,800 × 365 × $0.000625 = $3,330.625; 3: $4,380. Best: 1.
        //  Utilisation of the one owned replica: (1 + 1.5 + 1.5 + 1) × 1,800 / (1.5 × 7,200) = 0.8333
        let mixAPI = try XCTUnwrap(byOption[.selfHostedPlusAPI])
        XCTAssertEqual(mixAPI.ownedReplicas, 1)
        XCTAssertEqual(mixAPI.ownedMonthly, 1460, accuracy: tolerance)
        XCTAssertEqual(mixAPI.apiMonthly, 1231.875, accuracy: tolerance)
        XCTAssertEqual(mixAPI.monthlyCost, 2691.875, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(mixAPI.ownedUtilization), 9000.0 / 10_800, accuracy: tolerance)

        // Self-hosted + cloud: base 1 ($1,460); the burst 0, 0.5, 2.5, 0 needs 0, 1, 2, 0 rented:
        //  1,800 s: start D (serves from 2,400): 0.5 × 600 = 300 missed
        //  3,600 s: start E (serves from 4,200): (2.5 − 1.5) × 600 = 600 missed
        //  5,400 s: D stops (billed 3,600 s), E stays (1,800 s < the minimum); end: E 3,600 s
        //  7,200 s × $3 / 3,600 = $6 a pass × 365 = $2,190 → $3,650 (base 0: $3,832.50;
        //  base 2: $2,920 + $1,095 = $4,015; base 3: $4,380)
        let mixCloud = try XCTUnwrap(byOption[.selfHostedPlusCloud])
        XCTAssertEqual(mixCloud.ownedReplicas, 1)
        XCTAssertEqual(mixCloud.cloudMonthly, 2190, accuracy: tolerance)
        XCTAssertEqual(mixCloud.monthlyCost, 3650, accuracy: tolerance)
        XCTAssertEqual(mixCloud.missedRequests, 328_500, accuracy: tolerance)

        // Cheapest missing ≤ 1 %: self-hosted + API ($2,691.875); cloud plans miss 6.25 %.
        XCTAssertEqual(plan.cheapest, .selfHostedPlusAPI)
    }

    func testSelfHostedAtAPercentileCountsTheMisses() throws {
        // p50 = 1.5 → 1 replica ($1,460); missed (0 + 0.5 + 2.5 + 0) × 1,800 = 5,400 a pass
        // × 365 = 1,971,000 a month, 37.5 %; utilisation 9,000 / 10,800.
        let plan = CapacityPlan(try inputs(percentile: 50))
        let own = try XCTUnwrap(plan.plans.first { $0.option == .selfHosted })
        XCTAssertEqual(own.ownedReplicas, 1)
        XCTAssertEqual(own.monthlyCost, 1460, accuracy: tolerance)
        XCTAssertEqual(own.missedRequests, 1_971_000, accuracy: tolerance)
        XCTAssertEqual(own.missFraction, 0.375, accuracy: tolerance)
        XCTAssertEqual(try XCTUnwrap(own.ownedUtilization), 9000.0 / 10_800, accuracy: tolerance)
    }

    func testWithoutStartupLagTheCloudMissesNothing() throws {
        let plan = CapacityPlan(try inputs(startup: 0))
        let cloud = try XCTUnwrap(plan.plans.first { $0.option == .cloud })
        XCTAssertEqual(cloud.missedRequests, 0)
        XCTAssertEqual(cloud.monthlyCost, 3832.5, accuracy: tolerance)
    }

    func testGranularityRentsWholeBlocks() throws {
        // Blocks of 2: needs 1, 2, 3, 1 → 2, 2, 4, 2. No lag, no minimum billing:
        // (2 + 2 + 4 + 2) × 1,800 s = 18,000 s = 5 h × $3 = $15 a pass × 365 = $5,475.
        let p = try PlanInputs(profile: profile(), capacity: 1.5, cloud: CloudScaling(hourly: 3, granularity: 2))
        let cloud = try XCTUnwrap(CapacityPlan(p).plans.first)
        XCTAssertEqual(cloud.option, .cloud)
        XCTAssertEqual(cloud.monthlyCost, 5475, accuracy: tolerance)
        XCTAssertEqual(cloud.peakCloudReplicas, 4)
    }

    /// Month by month with a CapEx schedule: replica capital $100 then $50 (mean $75).
    /// Self-hosted (3 replicas, $4,380): 4,380 + 3 × 25 = $4,455, 4,380 − 75 = $4,305.
    /// Owned + API (1 replica, $2,691.875): 2,716.875 and 2,666.875.
    func testMonthByMonthWithACapExSchedule() throws {
        let plan = CapacityPlan(try inputs())
        let own = try XCTUnwrap(plan.plans.first { $0.option == .selfHosted })
        XCTAssertEqual(try CapacityPlan.monthly(own, capitalByMonth: [100, 50]), [4455, 4305])
        let mix = try XCTUnwrap(plan.plans.first { $0.option == .selfHostedPlusAPI })
        let months = try CapacityPlan.monthly(mix, capitalByMonth: [100, 50])
        XCTAssertEqual(months[0], 2716.875, accuracy: tolerance)
        XCTAssertEqual(months[1], 2666.875, accuracy: tolerance)
        assertCostError(try CapacityPlan.monthly(own, capitalByMonth: [-1]), "capital of month 1 must be ≥ 0, got -1")
    }

    /// Power that follows the work: owned $2/h of which $0.5 is power, idle share 0.2.
    /// Self-hosted for the peak, utilisation 4/9: power drawn 0.2 + 0.8 × 4/9 = 0.55556,
    /// so a replica-hour costs 1.5 + 0.5 × 0.55556 = 1.77778: 3 × 1.77778 × 730 = $3,893.33.
    func testOwnedPowerFollowsUtilisation() throws {
        var i = try inputs()
        i.ownedPowerHourly = 0.5
        let own = try XCTUnwrap(CapacityPlan(i).plans.first { $0.option == .selfHosted })
        XCTAssertEqual(own.monthlyCost, 3 * (1.5 + 0.5 * (0.2 + 0.8 * 4 / 9)) * 730, accuracy: tolerance)
        XCTAssertEqual(own.monthlyCost, 3893.333333, accuracy: 1e-5)
        assertCostError(try PlanInputs(profile: profile(), capacity: 1.5, ownedHourly: 1, ownedPowerHourly: 2),
                        "owned power hourly must be at most the owned hourly (1), got 2")
    }

    func testTimestampsBinnedIntoIntervals() throws {
        // Arrivals at 0, 0.5, 1 | 2.5, 3.9 in intervals of 2 s: 3 / 2 and 2 / 2.
        let p = try DemandProfile(arrivals: [0, 0.5, 1, 2.5, 3.9], interval: 2)
        XCTAssertEqual(p.rates, [1.5, 1])
        // Twice as fast: times 0, 0.25, 0.5, 1.25, 1.95 all in the first 2 s: 5 / 2.
        XCTAssertEqual(try DemandProfile(arrivals: [0, 0.5, 1, 2.5, 3.9], interval: 2, speedUp: 2).rates, [2.5])
    }

    func testReshapingKeepsTheMeanAndReachesThePeakToMean() throws {
        let p = try profile()
        for k in [1.0, 1.5, 2, 3] {
            let s = try p.withPeakToMean(k).summary
            XCTAssertEqual(s.mean, 2, accuracy: 1e-9)
            XCTAssertEqual(try XCTUnwrap(s.peakToMean), k, accuracy: 1e-6)
        }
        // 4 intervals: at most all the load in one, peak/mean 4.
        assertCostError(try p.withPeakToMean(5), "peak_to_mean must be in [1, 4] for this profile's shape, got 5")
    }

    func testBadProfilesAreRefused() throws {
        assertCostError(try DemandProfile(rates: [1, -1], interval: 3600), "rate of interval 2 must be ≥ 0, got -1")
        assertCostError(try DemandProfile(rates: [], interval: 3600), "rates must be at least one interval, got none")
        assertCostError(try DemandProfile(rates: [1], interval: 0), "interval must be > 0, got 0")
        assertCostError(try DemandProfile(arrivals: [0, 2, 1], interval: 1),
                        "timestamps must be in ascending order, got 1 (#3) after 2 (#2)")
        assertCostError(try DemandProfile(arrivals: [0, 0.5, 3], interval: 1, maxGap: 1),
                        "timestamps must be without a gap longer than max_gap = 1 s, got 2.5 s between #2 and #3")
        assertCostError(try DemandProfile(arrivals: [-1, 0], interval: 1), "timestamp 1 must be ≥ 0, got -1")
        assertCostError(try PlanInputs(profile: profile(), capacity: 0), "capacity must be > 0, got 0")
        assertCostError(try PlanInputs(profile: profile(), capacity: 1e-6),
                        "capacity must be enough for the peak with at most 100000 replicas, got 1e-06 requests/s against a peak of 4")
        assertCostError(try CloudScaling(hourly: 1, granularity: 0), "cloud granularity must be in 1...100000, got 0")
        assertCostError(try DemandProfile(arrivals: [0, 1e12], interval: 1), "number of intervals must be in 1...1000000, got 1000000000001")
    }
}
