import XCTest
import LuaBridge
import Runs
@testable import Scripting

/// Issue 15 from Lua: the CapEx schedule and its interest in calendar_hourly and the
/// break-even, schedules as lists, one-off costs in cost.of and cost.breakeven. The hand
/// calculations are in Tests/CostTests/CapitalAndOverheadTests.swift.
final class CapitalOverheadModuleTests: HostTestCase {
    func number(_ code: String) throws -> Double {
        guard let d = try lua("return " + code).first?.number else { throw LuaScriptError("not a number: \(code)") }
        return d
    }

    /// Sum-of-years digits as a list of 36 monthly amounts, financed at 8 %: calendar_hourly
    /// 1.141979 (not the straight line's 1.044483); 8 GPUs a month $6,669.16; crossover with
    /// a $2.50/h cloud at 2,000 tokens/s 2.400897e9 tokens a month.
    func testBreakEvenIncludesTheCapExScheduleAndInterest() throws {
        try lua("""
            local amounts = {}
            for year, weight in ipairs({ 3, 2, 1 }) do
              for _ = 1, 12 do amounts[#amounts + 1] = 20000 * weight / 6 / 12 end
            end
            plan = cost.capex{ price = 20000, schedule = amounts, financing = { rate = 0.08 } }
            mine = cost.gpu{ price = 20000, years = 3, power_kw = 0.7, pue = 1.2, electricity = 0.12, maintenance = 0.08,
                             capex = plan, gpus = 8 }
            plain = cost.gpu{ price = 20000, years = 3, power_kw = 0.7, pue = 1.2, electricity = 0.12, maintenance = 0.08, gpus = 8 }
            be = cost.breakeven{ gpu = mine, cloud = cost.cloud{ hourly = 2.5 }, api = cost.api{ input = 1, output = 3 },
                                 tokens_per_s = 2000, input_share = 0.5 }
            """)
        XCTAssertEqual(try number("plan.months"), 36)
        XCTAssertEqual(try number("mine.calendar_hourly"), 1.141979, accuracy: 1e-6)
        XCTAssertEqual(try number("plain.calendar_hourly"), 1.044483, accuracy: 1e-6)
        XCTAssertEqual(try number("be.self_hosted_monthly"), 6669.16, accuracy: 0.01)
        XCTAssertEqual(try number("be.owned_hourly"), 1.141979, accuracy: 1e-6)
        XCTAssertEqual(try number("be.self_hosted_vs_cloud"), 2.400897e9, accuracy: 1e3)
        XCTAssertEqual(try number("cost.capex{ price = 1200, schedule = { 500, 400, 300 } }.hourly"), 1200.0 / (3 * 730), accuracy: 1e-12)
        for (code, message) in [("cost.capex{ price = 1200, schedule = { 500, 'x' } }", "field 'schedule'[2] must be a number of dollars, got string"),
                                ("cost.capex{ price = 1200, schedule = {} }", "field 'schedule' must be a list of monthly dollar amounts"),
                                ("cost.capex{ price = 1200, schedule = 3 }", "got number"),
                                ("cost.capex{ price = 1200, schedule = { 900, 900 } }", "custom schedule total")] {
            XCTAssertThrowsError(try lua(code), code) { XCTAssertTrue("\($0)".contains(message), "\($0)") }
        }
    }

    /// $24,000 one-off over 24 months + $500 a month = $1,500 a month. On the 4 s run of
    /// 4 requests and 68 tokens at $3.60/h ($0.004; $0.001 a request; 0.004 / 68 × 1e6 =
    /// $58.8235 per 1M tokens): at 3e6 requests a month + $0.0005 a request; at 2e9 tokens
    /// + $0.75 per 1M. In the break-even, $300 a month on the self-hosted side only moves
    /// self = API from 1460 / 7.5e-7 = 1.946667e9 to 1760 / 7.5e-7 = 2.346667e9.
    func testOneOffCostsEnterCostPerRequestAndTheBreakEven() throws {
        try EconomicsModuleTests.insertRun(self)
        try lua("""
            o = cost.overhead{ one_off = { fine_tuning = { gpu_hours = 400, hourly = 2.5 }, data = 3000, engineering = 20000 },
                               monthly = { monitoring = 500 }, months = 24 }
            c = cost.of(run, cost.cloud{ hourly = 3.6 }, { overhead = o, monthly_requests = 3e6, monthly_tokens = 2e9 })
            bed = cost.gpu{ price = 26280, years = 3, power_kw = 0, electricity = 0, maintenance = 0, gpus = 2 }
            local function be(overhead)
              return cost.breakeven{ gpu = bed, cloud = cost.cloud{ hourly = 3 }, api = cost.api{ input = 0.5, output = 1.5 },
                                     tokens_per_s = 1000, input_share = 0.75, overhead = overhead }
            end
            before, after = be(nil), be({ self_hosted = cost.overhead{ monthly = { fine_tuning = 300 }, months = 1 } })
            """)
        XCTAssertEqual(try number("o.monthly_total"), 1500, accuracy: 1e-9)
        XCTAssertEqual(try number("o.one_off_total"), 24_000, accuracy: 1e-9)
        XCTAssertEqual(try lua("return #o.items, o.items[1].name, o.items[2].dollars, o.items[4].when"), [4, "data", 20_000.0, "monthly"])
        XCTAssertEqual(try number("c.overhead_per_request"), 0.0005, accuracy: 1e-12)
        XCTAssertEqual(try number("c.total_per_request"), 0.0015, accuracy: 1e-12)
        XCTAssertEqual(try number("c.overhead_per_1m_tokens"), 0.75, accuracy: 1e-12)
        XCTAssertEqual(try number("c.total_per_1m_tokens"), 0.004 / 68 * 1e6 + 0.75, accuracy: 1e-9)
        XCTAssertEqual(try number("before.self_hosted_vs_api"), 1.946667e9, accuracy: 1e3)
        XCTAssertEqual(try number("after.self_hosted_vs_api"), 2.346667e9, accuracy: 1e3)
        for (code, message) in [("cost.overhead{ months = 12 }", "give 'one_off' and/or 'monthly'"),
                                ("cost.overhead{ one_off = { data = -1 }, months = 12 }", "overhead 'data'"),
                                ("cost.overhead{ one_off = { ft = { gpu_hours = 1 } }, months = 12 }", "needs 'gpu_hours' and 'hourly'"),
                                ("cost.overhead{ one_off = { data = 1 }, months = 0 }", "overhead months"),
                                ("cost.of(run, cost.cloud{ hourly = 1 }, { overhead = o })", "monthly_requests"),
                                ("cost.of(run, cost.cloud{ hourly = 1 }, { monthly_requests = 10 })", "overhead"),
                                ("cost.breakeven{ gpu = bed, cloud = cost.cloud{ hourly = 3 }, api = cost.api{ input = 1, output = 1 }, tokens_per_s = 1, overhead = { owned = o } }", "overhead.owned")] {
            XCTAssertThrowsError(try lua(code), code) { XCTAssertTrue("\($0)".contains(message), "\(code): \($0)") }
        }
    }
}

/// cost.energy and cost.of{ power = "run" }: measured from a stored power_w series, estimated for a simulation.
final class EnergyModuleTests: HostTestCase {
    func number(_ code: String) throws -> Double {
        guard let d = try lua("return " + code).first?.number else { throw LuaScriptError("not a number: \(code)") }
        return d
    }

    /// The 4 s run (EconomicsModuleTests) with power_w 400 W at t = 1 s and 600 W at t = 3 s:
    /// 400 × 1 + (400 + 600)/2 × 2 + 600 × 1 = 2,000 J; 500 W on average; 8 output tokens →
    /// 250 J a token; 3 succeeded → 666.67 J a request. Costed on one A800 with that power:
    /// the power term 0.5 kW × 1.3 × $0.10 = $0.065 instead of 0.4 × 1.3 × 0.10 = $0.052,
    /// so $0.794009 + 0.013 = $0.807009/h and the run $0.807009 × 4 / 3600.
    func testMeasuredEnergyAndTheRunsOwnPowerInItsCost() throws {
        try EconomicsModuleTests.insertRun(self)
        let store = try RunStore(path: dir.appendingPathComponent("test.db").path)
        try store.appendServerMetrics(run: 1, [ServerMetricSample(t: 1, name: "power_w", value: 400),
                                               ServerMetricSample(t: 3, name: "power_w", value: 600),
                                               ServerMetricSample(t: 2, name: "kv_cache_usage", value: 0.5)])
        store.close()
        try lua("e = cost.energy(run); c = cost.of(run, cost.gpu{ name = 'A800' }, { power = 'run' }); p = cost.of(run, cost.gpu{ name = 'A800' })")
        XCTAssertEqual(try number("e.joules"), 2000, accuracy: 1e-9)
        XCTAssertEqual(try number("e.average_power_w"), 500, accuracy: 1e-9)
        XCTAssertEqual(try number("e.joules_per_output_token"), 250, accuracy: 1e-9)
        XCTAssertEqual(try number("e.joules_per_request"), 2000.0 / 3, accuracy: 1e-9)
        XCTAssertEqual(try lua("return e.source, e.samples, c.power_source, p.power_source"), ["measured", 2, "measured", "preset"])
        XCTAssertEqual(try number("c.power_kw"), 0.5, accuracy: 1e-12)
        XCTAssertEqual(try number("p.power_kw"), 0.4, accuracy: 1e-12)
        XCTAssertEqual(try number("c.total_hourly"), 0.807009, accuracy: 1e-6)
        XCTAssertEqual(try number("c.total"), 0.807009 * 4 / 3600, accuracy: 1e-9)
        XCTAssertThrowsError(try lua("cost.of(run, cost.cloud{ hourly = 1 }, { power = 'run' })")) {
            XCTAssertTrue("\($0)".contains("'run' replaces an owned GPU's power term"), "\($0)")
        }
        XCTAssertThrowsError(try lua("cost.of(run, cost.gpu{ name = 'A800' }, { power = 'meter' })")) {
            XCTAssertTrue("\($0)".contains("'preset' or 'run', got 'meter'"), "\($0)")
        }
    }

    /// A run without power samples says how to get them.
    func testARunWithoutPowerSamplesSaysHowToGetThem() throws {
        try EconomicsModuleTests.insertRun(self)
        XCTAssertThrowsError(try lua("cost.energy(run)")) {
            XCTAssertTrue("\($0)".contains("run 1 has no power_w samples"), "\($0)")
        }
    }

    /// Simulated: gpus × board power × (0.2 + 0.8 × busy / makespan) × makespan, from the
    /// run's stored settings; marked estimated.
    func testASimulatedRunsEnergyIsEstimated() throws {
        try lua("""
            r = sim.run{ gpu = 'A800', gpus = 2, model = 'Llama-3.1-8B', concurrency = 4,
                         workload = workload.synthetic{ n = 20, seed = 1, input = 200, output = 50 } }
            e = cost.energy(r)
            """)
        let (busy, board, makespan) = (try number("r.settings.busy_time"), try number("r.settings.power_w"), try number("r.makespan"))
        XCTAssertGreaterThan(busy, 0)
        XCTAssertLessThanOrEqual(busy, makespan + 1e-9)
        XCTAssertEqual(try number("e.joules"), 2 * board * (0.2 + 0.8 * busy / makespan) * makespan, accuracy: 1e-6)
        XCTAssertEqual(try lua("return e.source, cost.of(r, cost.gpu{ name = 'A800', gpus = 2 }, { power = 'run' }).power_source"),
                       ["estimated", "estimated"])
    }
}
