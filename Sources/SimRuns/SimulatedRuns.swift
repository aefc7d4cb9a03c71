import Metrics
import Runs
import Sim

/// Simulate one load level and store it like a measured run: the join of Sim (which
/// knows nothing of the store) and Runs (which knows nothing of the simulator).
public enum SimulatedRuns {
    /// What of a simulated run is stored: its summary always; its requests (times and
    /// token counts, no per-token times) by default; every token's time on request.
    /// A 100 k-request level stores in under 2 s and about 10 MB with `requests`, where
    /// `chunks` takes several times that and hundreds of MB.
    public enum Keep: String, Sendable, CaseIterable {
        case summary, requests, chunks
    }

    /// One simulated run to make.
    public struct Plan: Sendable {
        public var deployment: Deployment
        public var scheduler: SchedulerConfig
        /// The requests in workload order, with the answer each expects (for scoring).
        public var requests: [SimRequest]
        public var expected: [String?]
        /// How the workload was made (`workload:origin()`), kept in the settings.
        public var workloadOrigin: String
        public var load: SimLoad
        /// The seed of an open loop's arrivals, kept in the settings.
        public var seed: UInt64
        public var tag: String?
        /// The program and version that made the run (`frontier 0.x`).
        public var program: String
        /// What is stored.
        public var keep: Keep
        /// Each request's class, in workload order (empty: none); figures are broken down by it.
        public var classes: [String?] = []

        public init(deployment: Deployment, scheduler: SchedulerConfig, requests: [SimRequest], expected: [String?],
                    workloadOrigin: String, load: SimLoad, seed: UInt64, tag: String?, program: String,
                    keep: Keep = .requests) {
            self.deployment = deployment
            self.scheduler = scheduler
            self.requests = requests
            self.expected = expected
            self.workloadOrigin = workloadOrigin
            self.load = load
            self.seed = seed
            self.tag = tag
            self.program = program
            self.keep = keep
        }
    }

    /// Simulates `plan`, stores the run (source `simulated`) and its requests in the store
    /// at `path`, and returns the run as stored with the simulator's own result.
    public static func run(_ plan: Plan, path: String) throws -> (StoredRun, SimResult) {
        let d = plan.deployment, s = plan.scheduler
        let result = try Simulator.run(requests: plan.requests, load: plan.load, deployment: d, scheduler: s,
                                       chunkTimes: plan.keep == .chunks)
        var concurrency: Int?, rate: Double?
        switch plan.load {
        case .closed(let c): concurrency = c
        case .open(let r, _, _): rate = r
        }
        let settings: [String: Any] = [
            "program": plan.program, "gpu": d.gpu.name, "gpus": d.count, "model": d.model.name,
            "mfu": d.efficiency.mfu, "mbu": d.efficiency.mbu, "overhead": d.efficiency.iterationOverhead,
            "kv_tokens": result.kvCapacityTokens, "max_seqs": s.maxSequences, "max_batched_tokens": s.maxBatchedTokens,
            "chunked_prefill": s.chunkedPrefill, "policy": s.policy.rawValue, "priority": s.priority.rawValue,
            "workload": plan.workloadOrigin,
            "seed": Int(bitPattern: UInt(plan.seed)), "iterations": result.iterations,
            "preemptions": result.preemptions, "peak_running": result.peakRunning,
            // For an energy estimate (cost.energy): how busy the engine was, each GPU's board power.
            "busy_time": result.busyTime, "power_w": d.gpu.powerWatts,
            "load": rate == nil ? "closed" : "open", "keep": plan.keep.rawValue,
        ]
        let meta = RunMeta(tag: plan.tag, source: "simulated", target: "sim:\(d.count)x\(d.gpu.name)", model: d.model.name,
                           concurrency: concurrency, rate: rate, settings: try RunRecords.settingsJSON(settings))
        let records: [(RequestRecord, RunStore.RequestExtra)] = plan.keep == .summary ? [] : result.records.enumerated().map { i, record in
            (record, RunStore.RequestExtra(workloadIndex: i, expected: i < plan.expected.count ? plan.expected[i] : nil,
                                           requestClass: i < plan.classes.count ? plan.classes[i] : nil))
        }
        let byClass = RunSummary.grouped(result.records) { r in r.index < plan.classes.count ? plan.classes[r.index] : nil }
        let extras: [String: Any] = byClass.isEmpty ? [:] : ["by_class": try byClass.mapValues { try $0.jsonObject() }]
        return (try RunRecords.storeFinished(meta, records: records, summary: result.summary, extras: extras, path: path), result)
    }
}
