import Cost
import LuaBridge
import Runs
import Sim

/// `cost.energy(run)` and the `power = "run"` option of cost.of: a run's energy from its
/// sampled `power_w` series (measured) or, for a simulated run, from its GPUs' board
/// power and the engine's busy time (estimated).
enum EnergyBinding {
    static func energy(_ call: LuaCall, store: StoreModule) throws -> LuaValue {
        let run = try RunView(call, 1)
        let o = try Options(call, 2, optional: true)
        try o.only(["idle_share"])
        let e = try measure(run, idleShare: try o.number("idle_share") ?? RunEnergy.defaultIdleShare, call, store: store)
        var t: [String: LuaValue] = ["joules": .double(e.joules), "seconds": .double(e.seconds),
                                     "average_power_w": .double(e.averageWatts), "source": .string(e.source.rawValue),
                                     "samples": .int(e.samples)]
        if let v = e.joulesPerOutputToken(run.number("output_tokens") ?? 0) { t["joules_per_output_token"] = .double(v) }
        if let v = e.joulesPerRequest(run.number("succeeded") ?? 0) { t["joules_per_request"] = .double(v) }
        if let id = run.runID { t["run_id"] = .int(Int(id)) }
        return .table(t)
    }

    /// The run's energy: estimated for a simulated run, else integrated from its stored
    /// `power_w` samples over 0 … makespan on the run's clock.
    static func measure(_ run: RunView, idleShare: Double, _ call: LuaCall, store: StoreModule) throws -> RunEnergy {
        guard let seconds = run.number("makespan"), seconds > 0 else {
            throw call.argumentError(1, "run has no makespan: energy needs the run's duration")
        }
        do {
            if run.table["source"]?.string == "simulated" {
                guard let busy = run.number("settings.busy_time") else {
                    throw call.argumentError(1, "this simulated run stores no busy time (simulated before energy estimates); simulate it again")
                }
                let gpus = run.number("settings.gpus").map { Int($0) } ?? 1
                let board = try run.number("settings.power_w")
                    ?? (run.table["settings"]?["gpu"].string).map { try GPUProfile.named($0).powerWatts } ?? 0
                return try RunEnergy.estimated(boardWatts: board, gpus: gpus, busySeconds: busy, seconds: seconds, idleShare: idleShare)
            }
            guard let id = run.runID else {
                throw call.argumentError(1, "a measured energy needs a stored run (a table with run_id) and its power_w samples")
            }
            let rows = try ServerMetricRecords.load(run: id, name: "power_w", db: store.handle(path: run.dbPath).db())
            guard !rows.isEmpty else {
                throw call.argumentError(1, "run \(id) has no power_w samples: measure with the GPUs' DCGM exporter sampled (bench.run{ server_metrics = { url = 'http://HOST:9400/metrics' } }), or cost it at the preset's power")
            }
            return try RunEnergy.measured(series: rows.map { (t: $0.t, watts: $0.value) }, seconds: seconds)
        } catch let e as CostError {
            throw call.argumentError(1, wrapping: e, prefix: "run: ")
        } catch let e as SimError {
            throw call.argumentError(1, "run: \(e)")
        }
    }
}
