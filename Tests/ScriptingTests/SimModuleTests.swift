import XCTest
import LuaBridge
@testable import Scripting

/// sim.* from Lua: simulated runs land in the store like measured ones.
final class SimModuleTests: HostTestCase {
    let workload = "wl = workload.synthetic{ n = 60, seed = 3, input = dist.uniform{ min = 100, max = 300 }, output = dist.uniform{ min = 20, max = 60 } }"

    func testSimulatedRunsAreStoredLikeMeasuredOnes() throws {
        try lua(workload)
        try lua("r = sim.run{ gpu = 'A100', gpus = 1, model = 'Llama-3.1-8B', workload = wl, concurrency = 8, tag = 's', keep = 'chunks' }")
        XCTAssertEqual(try lua("return r.source, r.requests, r.succeeded, r.gpus, r.concurrency, r.tag"),
                       ["simulated", 60, 60, 1, 8, "s"])
        XCTAssertEqual(try lua("return r.ttft.p50 < r.e2e.p50, r.tpot.mean > 0, r.makespan > 0"), [true, true, true])
        // With keep = 'chunks', the same columns as a measured request, chunk times included.
        XCTAssertEqual(try lua("""
            local n, chunks = 0, 0
            for q in r:each_request() do n = n + 1; if #q.chunk_times == q.output_tokens then chunks = chunks + 1 end end
            return n, chunks
            """), [60, 60])
        XCTAssertEqual(try lua("return #db.query(\"select * from runs where source = 'simulated'\")"), [1])
        // Costed and judged like any run; the run's GPU count must match the hardware's.
        XCTAssertEqual(try lua("return cost.of(r, cost.gpu{ name = 'A100' }).total > 0"), [true])
        XCTAssertEqual(luaError("cost.of(r, cost.gpu{ name = 'A100', gpus = 2 })")?.contains("run's gpus must be the hardware's count (2), got 1"), true)
        // The same seed gives the same records.
        try lua("r2 = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 8 }")
        XCTAssertEqual(try lua("return r.makespan == r2.makespan, r.ttft.p99 == r2.ttft.p99"), [true, true])
    }

    func testSweepThroughputRisesWithConcurrency() throws {
        try lua(workload)
        let r = try lua("""
            local runs = sim.sweep{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = {1, 4, 16} }
            return #runs, runs[1].output_throughput < runs[2].output_throughput, runs[2].output_throughput < runs[3].output_throughput
            """)
        XCTAssertEqual(r, [3, true, true])
    }

    func testSchedulerPoliciesFromLuaAreStoredAndChecked() throws {
        try lua(workload)
        try lua("""
            base = { gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 16 }
            function with(s) local t = {}; for k, v in pairs(base) do t[k] = v end; t.scheduler = s; return sim.run(t) end
            c = with{ policy = 'continuous' }
            s = with{ policy = 'static', priority = 'prefill', max_seqs = 8, chunked_prefill = false }
            """)
        // Static batches of 8 wait for their longest member: slower than continuous batching.
        XCTAssertEqual(try lua("return s.makespan > c.makespan"), [true])
        XCTAssertEqual(try lua("""
            local a, b = c.settings, s.settings
            return a.policy, a.priority, b.policy, b.priority, b.max_seqs, b.chunked_prefill
            """), ["continuous", "decode", "static", "prefill", 8, false])
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 1, scheduler = { policy = 'batch' } }")?
            .contains("field 'scheduler.policy' must be one of 'continuous', 'static', got 'batch'"), true)
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 1, scheduler = { priority = 1 } }")?
            .contains("field 'scheduler.priority' must be a string"), true)
    }

    func testProfilesAndBadInputs() throws {
        try lua(workload)
        XCTAssertEqual(try lua("return sim.gpu{ name = 'H100' }.tflops, sim.gpu{ name = 'H100', memory_gb = 94 }.memory_gb"), [989.0, 94.0])
        XCTAssertEqual(try lua("return sim.model{ name = 'Qwen2.5-32B' }.layers"), [64])
        XCTAssertEqual(try lua("return sim.deployment{ gpu = 'A800', gpus = 2, model = 'Qwen2.5-32B' }.kv_tokens > 100000"), [true])
        XCTAssertEqual(luaError("sim.run{ gpu = 'L4', model = 'Llama-3.1-70B', workload = wl, concurrency = 1 }")?
            .contains("Llama-3.1-70B needs 141 GB of weights; 1 × L4 has"), true)
        XCTAssertEqual(luaError("sim.run{ gpu = 'Z100', model = 'Llama-3.1-8B', workload = wl, concurrency = 1 }")?
            .contains("unknown GPU \"Z100\"; known: A800-80G"), true)
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl }")?
            .contains("give one of 'concurrency' or 'rate'"), true)
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = 5, concurrency = 1 }")?
            .contains("field 'workload' must be a workload"), true)
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 1, efficiency = { mfu = 2 } }")?
            .contains("mfu"), true)
        // A user-defined model: every figure given.
        XCTAssertEqual(try lua("""
            local m = sim.model{ name = 'tiny', params_b = 1, layers = 16, hidden = 2048, heads = 16, kv_heads = 4 }
            return sim.run{ gpu = 'L4', model = m, workload = wl, concurrency = 4 }.succeeded
            """), [60])
    }

    func testCalibrationFitsASimulatedRun() throws {
        try lua(workload)
        // A run simulated with known efficiency stands in for a measured one.
        try lua("""
            truth = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 8,
                             efficiency = { mfu = 0.45, mbu = 0.6, overhead = 0.004 } }
            fit = sim.calibrate(truth, { gpu = 'A100', model = 'Llama-3.1-8B' })
            """)
        XCTAssertEqual(try lua("return fit.rms_error_after < fit.rms_error_before, fit.rms_error_after < 0.05"), [true, true])
        XCTAssertEqual(try lua("return #fit.figures, fit.figures[1].figure"), [7, "ttft_mean"])
    }

    func testCalibrationOnManyRunsSavesAProfileThatSimRunReuses() throws {
        try lua(workload)
        try lua("""
            truth = {}
            for i, c in ipairs({ 1, 4, 8 }) do
              truth[i] = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = c,
                                  efficiency = { mfu = 0.45, mbu = 0.6, overhead = 0.004 } }
            end
            fit = sim.calibrate{ runs = truth, gpu = 'A100', model = 'Llama-3.1-8B', fit = { 'mfu', 'mbu', 'overhead' },
                                 save = 'a100-fitted' }
            """)
        XCTAssertEqual(try lua("return #fit.figures, #fit.terms, fit.terms[1].term, fit.saved, fit.rms_error_after < 0.02"),
                       [21, 3, "mfu", "a100-fitted", true])
        XCTAssertEqual(try lua("return fit.figures[8].run, fit.figures[8].run_id == truth[2].run_id"), [2, true])
        // The saved profile drives a new run; options still override it.
        XCTAssertEqual(try lua("""
            local again = sim.run{ profile = 'a100-fitted', workload = wl, concurrency = 4 }
            local other = sim.run{ profile = fit.profile, workload = wl, concurrency = 4, gpus = 2 }
            return math.abs(again.makespan - truth[2].makespan) / truth[2].makespan < 0.02, other.gpus, again.settings.gpu
            """), [true, 2, "A100"])
        // A replay predicts a stored run: its requests as served, at its load.
        XCTAssertEqual(try lua("""
            local p = sim.run{ replay = truth[3], profile = 'a100-fitted', keep = 'summary' }
            return p.requests, p.concurrency, math.abs(p.makespan - truth[3].makespan) / truth[3].makespan < 0.02
            """), [60, 8, true])
        XCTAssertEqual(luaError("sim.run{ replay = truth[3], workload = wl, profile = 'a100-fitted' }")?
                        .contains("give 'workload' or 'replay', not both"), true)
        let missing = luaError("sim.run{ profile = 'nope', workload = wl, concurrency = 1 }") ?? ""
        XCTAssertTrue(missing.contains("no simulator profile 'nope'") && missing.contains("a100-fitted"), missing)
        XCTAssertEqual(luaError("sim.calibrate{ runs = truth, gpu = 'A100', model = 'Llama-3.1-8B', fit = { 'mfuu' } }")?
                        .contains("unknown term 'mfuu'"), true)
    }

    func testCalibrationReadsTheStepScatterFromStoredChunkGaps() throws {
        try lua(workload)
        try lua("""
            truth = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 4, keep = 'chunks',
                             efficiency = { mfu = 0.45, mbu = 0.6, overhead = 0.004, step_jitter = 0.1 } }
            fit = sim.calibrate{ runs = { truth }, gpu = 'A100', model = 'Llama-3.1-8B', fit = { 'mfu' } }
            told = sim.calibrate{ runs = { truth }, gpu = 'A100', model = 'Llama-3.1-8B', fit = { 'mfu' },
                                  efficiency = { step_jitter = 0.02 } }
            """)
        XCTAssertEqual(try lua("""
            return math.abs(fit.step_jitter - 0.1) < 0.015, fit.step_jitter_gaps > 100,
                   fit.profile.efficiency.step_jitter == fit.step_jitter, told.step_jitter, told.step_jitter_gaps
            """), [true, true, true, 0.02, 0])
        // Without stored chunk times there is nothing to read it from: the given value (0) stays.
        XCTAssertEqual(try lua("""
            local plain = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 4 }
            local f = sim.calibrate{ runs = { plain }, gpu = 'A100', model = 'Llama-3.1-8B', fit = { 'mfu' } }
            return f.step_jitter, f.step_jitter_gaps
            """), [0.0, 0])
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 1, efficiency = { step_jitter = 2 } }")?
                        .contains("efficiency.step_jitter must be a spread between 0 and 1, got 2"), true)
    }

    func testKeepChoosesWhatASimulatedRunStores() throws {
        try lua(workload)
        XCTAssertEqual(try lua("""
            local function stored(keep)
              local r = sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 4, keep = keep }
              local n, chunks = 0, 0
              for q in r:each_request() do n = n + 1; chunks = chunks + #q.chunk_times end
              return n, chunks, r.itl ~= nil
            end
            local a, b, c = stored('summary')
            local d, e, f = stored('requests')
            local g, h, i = stored('chunks')
            return a, b, c, d, e, f, g, h > 0, i
            """), [0, 0, true, 60, 0, true, 60, true, true])
        XCTAssertEqual(luaError("sim.run{ gpu = 'A100', model = 'Llama-3.1-8B', workload = wl, concurrency = 4, keep = 'all' }")?
                        .contains("field 'keep' must be one of 'summary', 'requests', 'chunks', got 'all'"), true)
    }
}
