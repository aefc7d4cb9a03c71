import XCTest
import LuaBridge
@testable import Scripting

/// Issue 21 from Lua: cost.demand, cost.plan and frontier.capacity. The hand
/// calculation of the two-hour profile is in Tests/CostTests/CapacityPlanTests.swift.
final class CapacityPlanModuleTests: HostTestCase {
    func number(_ code: String) throws -> Double {
        guard let d = try lua("return " + code).first?.number else { throw LuaScriptError("not a number: \(code)") }
        return d
    }

    func string(_ code: String) throws -> String? { try lua("return " + code).first?.string }

    /// Rates 1, 2, 4, 1 a half-hour; replica 1.5 requests/s; owned $2/h (52,560 / 26,280);
    /// cloud $3/h, billed ≥ 1 h, 600 s to start; API $0.000625 a request.
    func testTheTwoHourProfileThroughLua() throws {
        try lua("""
            d = cost.demand{ rates = { 1, 2, 4, 1 }, interval = 1800 }
            owned = cost.gpu{ price = 52560, years = 3, power_kw = 0, electricity = 0, maintenance = 0 }
            p = cost.plan{ demand = d, capacity = 1.5, gpu = owned,
                           cloud = { hourly = 3, min_billing = 3600, startup = 600 },
                           api = cost.api{ input = 0.5, output = 1.5 }, tokens_per_request = { input = 500, output = 250 } }
            by = {}
            for _, row in ipairs(p.plans) do by[row.option] = row end
            """)
        XCTAssertEqual(try number("d.mean"), 2)
        XCTAssertEqual(try number("d.peak_to_mean"), 2)
        XCTAssertEqual(try number("d.p90"), 3.4, accuracy: 1e-9)
        XCTAssertEqual(try number("d.hours"), 2)
        XCTAssertEqual(try number("p.monthly_requests"), 5_256_000, accuracy: 1e-6)
        XCTAssertEqual(try number("by.self_hosted.monthly_cost"), 4380, accuracy: 1e-6)
        XCTAssertEqual(try number("by.self_hosted.owned_utilization"), 14_400.0 / 32_400, accuracy: 1e-9)
        XCTAssertEqual(try number("by.cloud.monthly_cost"), 3832.5, accuracy: 1e-6)
        XCTAssertEqual(try number("by.cloud.miss_fraction"), 0.0625, accuracy: 1e-9)
        XCTAssertEqual(try number("by.api.monthly_cost"), 3285, accuracy: 1e-6)
        XCTAssertEqual(try number("by.self_hosted_plus_api.monthly_cost"), 2691.875, accuracy: 1e-6)
        XCTAssertEqual(try number("by.self_hosted_plus_cloud.monthly_cost"), 3650, accuracy: 1e-6)
        XCTAssertEqual(try string("p.cheapest"), "self_hosted_plus_api")
        XCTAssertEqual(try number("cost.plan{ demand = d, capacity = 1.5, gpu = owned, percentile = 50 }.plans[1].miss_fraction"), 0.375, accuracy: 1e-9)
        // Month by month: a schedule writing off $1,460 in month 1 and nothing in month 2,
        // $1/h on average ((1460 + 0) / (2 × 730)); 3 replicas for the peak cost 3 × 730 =
        // $2,190 a month on average: 2,190 + 3 × (1,460 − 730) = $4,380, then 2,190 − 2,190 = $0.
        try lua("""
            cx = cost.capex{ price = 1460, schedule = { 1460, 0 } }
            g1 = cost.gpu{ price = 1460, years = 3, power_kw = 0, electricity = 0, maintenance = 0, capex = cx }
            m = cost.plan{ demand = d, capacity = 1.5, gpu = g1, capex = cx }.plans[1]
            """)
        XCTAssertEqual(try number("m.monthly_cost"), 2190, accuracy: 1e-9)
        XCTAssertEqual(try number("m.months[1]"), 4380, accuracy: 1e-9)
        XCTAssertEqual(try number("m.months[2]"), 0, accuracy: 1e-9)
        XCTAssertTrue(luaError("cost.plan{ demand = d, capacity = 1.5, gpu = owned, capex = cx }")?
            .contains("field 'capex' must be the schedule the 'gpu' was built with") == true)
    }

    func testOtherSourcesOfDemand() throws {
        // fn at each interval's middle: 900, 2700, 4500, 6300 s.
        try lua("f = cost.demand{ fn = function(t) return t < 3600 and 1 or 3 end, hours = 2, interval = 1800 }")
        XCTAssertEqual(try number("#f.rates"), 4)
        XCTAssertEqual(try number("f.rates[3]"), 3)
        XCTAssertEqual(try number("cost.demand{ timestamps = { 0, 0.5, 1, 2.5, 3.9 }, interval = 2 }.rates[1]"), 1.5)
        let csv = dir.appendingPathComponent("trace.csv")
        try "id,timestamp\n1,0\n2,0.5\n3,1\n4,2.5\n5,3.9\n".write(to: csv, atomically: true, encoding: .utf8)
        XCTAssertEqual(try number("cost.demand{ csv = '\(csv.path)', interval = 2 }.rates[2]"), 1)
        // A stored run's send times: all its requests are in the profile.
        try lua("""
            wl = workload.synthetic{ n = 20, seed = 1, input = 64, output = dist.fixed{ n = 8 } }
            sr = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, rate = 4, seed = 1 }
            """)
        XCTAssertEqual(try number("cost.demand{ run = sr, interval = 1 }.requests"), 20, accuracy: 1e-9)
        // Reshaped to peak/mean 3 with the mean held.
        try lua("r = cost.demand{ rates = { 1, 2, 4, 1 }, interval = 1800, peak_to_mean = 3 }")
        XCTAssertEqual(try number("r.peak_to_mean"), 3, accuracy: 1e-6)
        XCTAssertEqual(try number("r.mean"), 2, accuracy: 1e-9)
    }

    func testBadProfilesAndOptionsAreClearErrors() throws {
        let bad = dir.appendingPathComponent("bad.csv")
        try "timestamp\n0\nsoon\n".write(to: bad, atomically: true, encoding: .utf8)
        for (code, message) in [
            ("cost.demand{ rates = { 1, -2 } }", "rate of interval 2 must be ≥ 0, got -2"),
            ("cost.demand{ rates = { 1, nil, 3 } }", "field 'rates' has a gap: no value at [2]"),
            ("cost.demand{ timestamps = { 0, 5, 3 } }", "timestamps must be in ascending order, got 3 (#3) after 5 (#2)"),
            ("cost.demand{ timestamps = { 0, 1, 9000 }, max_gap = 600 }", "gap longer than max_gap = 600 s, got 8999 s between #2 and #3"),
            ("cost.demand{ rates = { 1 }, timestamps = { 0 } }", "give one source of demand, not rates and timestamps"),
            ("cost.demand{ rate = { 1 } }", "unknown field 'rate'"),
            ("cost.demand{ csv = '\(bad.path)' }", "line 3 of '\(bad.path)': column 'timestamp' must be a number of seconds"),
            ("cost.demand{ rates = { 1, 2 }, peak_to_mean = 0.5 }", "peak_to_mean must be ≥ 1, got 0.5"),
            ("cost.plan{ demand = cost.demand{ rates = { 1 } }, capacity = 1 }", "give at least one of 'gpu' (owned), 'cloud' or 'api'"),
            ("cost.plan{ demand = cost.demand{ rates = { 1 } }, capacity = 1, api = cost.api{ input = 1, output = 1 } }",
             "field 'tokens_per_request' ({input=, output=}) is required with 'api'"),
            ("cost.plan{ demand = cost.demand{ rates = { 1 } }, capacity = 0, cloud = { hourly = 1 } }", "capacity must be > 0, got 0"),
            ("cost.plan{ demand = cost.demand{ rates = { 1 } }, capacity = 1, cloud = { hourly = 1, startup_s = 5 } }", "unknown field 'cloud.startup_s'"),
            ("cost.plan{ demand = { 1, 2 }, capacity = 1, cloud = { hourly = 1 } }", "field 'demand' must be a cost.demand{} table"),
        ] {
            XCTAssertThrowsError(try lua(code), code) { XCTAssertTrue("\($0)".contains(message), "\(code): \($0)") }
        }
    }

    /// Rates 1, 2, 4, 8, two runs each, judged by ttft_p50 ≤ 0.5; margin = (ttft − 0.5) / 0.5.
    /// Worst at 4: ttft 0.4 → −0.2; at 8: ttft 2 → 3 (fails). Capacity where the margin
    /// crosses 0: 4 + 4 × 0.2 / 3.2 = 4.25 requests/s; resampled repeats keep it within
    /// [4.25, 4 + 4 × 0.4 / 2.4 = 4.6667]. Cost per request at 4: $3.6/h × 100 s / 100 = $0.001.
    func testCapacityFromASweep() throws {
        try lua("""
            local function run(rate, rps, ttft) return { rate = rate, requests_per_s = rps, ttft = { p50 = ttft },
              makespan = 100, requests = 100, succeeded = 100 } end
            runs = { run(1, 1, 0.1), run(1, 1, 0.1), run(2, 2, 0.2), run(2, 2, 0.2), run(4, 3.9, 0.3), run(4, 4.1, 0.4),
                     run(8, 6, 2), run(8, 6, 1.5) }
            c = frontier.capacity(runs, { sla = sla{ ttft_p50 = 0.5 }, hardware = { hourly = 3.6 }, resamples = 500 })
            p = cost.plan{ demand = cost.demand{ rates = { 2, 8 } }, capacity = c, cloud = { hourly = 1 } }
            """)
        XCTAssertEqual(try number("c.requests_per_s"), 4.25, accuracy: 1e-12)
        XCTAssertGreaterThanOrEqual(try number("c.lower"), 4.25 - 1e-12)
        XCTAssertLessThanOrEqual(try number("c.upper"), 4 + 4 * 0.4 / 2.4 + 1e-12)
        XCTAssertEqual(try number("c.level"), 4)
        XCTAssertEqual(try number("c.runs"), 2)
        XCTAssertEqual(try number("c.cost_per_request"), 0.001, accuracy: 1e-12)
        XCTAssertEqual(try string("c.reason"), "SLA met up to 4, fails from 8")
        XCTAssertEqual(try number("p.peak_replicas"), 2)
        XCTAssertEqual(try lua("return frontier.capacity({ { rate = 1, requests_per_s = 1, ttft = { p50 = 9 } } }, { sla = sla{ ttft_p50 = 0.5 } })").first, .nil)
        XCTAssertThrowsError(try lua("frontier.capacity(runs, {})")) { XCTAssertTrue("\($0)".contains("field 'sla'"), "\($0)") }
    }

    /// report.svg{ kind = 'burstiness' }: each option's monthly cost against peak/mean.
    func testBurstinessChart() throws {
        let svg = try XCTUnwrap(try lua("""
            return report.svg{ kind = 'burstiness', data = {
              rows = { { peak_to_mean = 1.5, self_hosted = 100, cloud = 150, self_hosted_plus_api = 90 },
                       { peak_to_mean = 3, self_hosted = 200, cloud = 160, self_hosted_plus_api = 150 } },
              crossovers = { { label = 'self_hosted = cloud', peak_to_mean = 2.1 } } } }
            """).first?.string)
        for text in ["<svg", "peak / mean", "self-hosted + API", "self_hosted = cloud"] {
            XCTAssertTrue(svg.contains(text), text)
        }
        XCTAssertTrue(luaError("report.svg{ kind = 'burstiness', data = { rows = { { cloud = 1 } } } }")?
            .contains("field 'data.rows'[1] needs peak_to_mean") == true)
    }
}
