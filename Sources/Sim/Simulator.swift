import Metrics
import SeededRandom

/// A discrete-event simulator of a continuous-batching engine (vLLM-like): each
/// event is one scheduler iteration, costed by the roofline of `Deployment`.
/// Deterministic: the same inputs (and seed) give the same records, bit for bit.
public enum Simulator {
    /// Simulates `requests`, in order, under `load` on `deployment`. Throws
    /// `SimError` for invalid input, or for a request that could never run (longer
    /// than the whole KV cache; without chunked prefill, over the token budget).
    /// With `chunkTimes` false the records hold no per-token times (the summary's ITL
    /// is computed all the same): far less memory and time for large runs.
    public static func run(requests: [SimRequest], load: SimLoad, deployment: Deployment,
                           scheduler: SchedulerConfig = .standard, chunkTimes: Bool = true) throws -> SimResult {
        try load.validate()
        let blockSize = scheduler.blockSize
        let totalBlocks = deployment.kvCapacityTokens / blockSize
        let capacity = totalBlocks * blockSize
        for (i, request) in requests.enumerated() {
            try Check.count(request.inputTokens, in: 1...100_000_000, "requests[\(i + 1)].inputTokens")
            try Check.count(request.outputTokens, in: 1...100_000_000, "requests[\(i + 1)].outputTokens")
            let tokens = request.inputTokens + request.outputTokens
            guard tokens <= capacity else {
                throw SimError.requestTooLong(index: i, tokens: tokens, capacity: capacity)
            }
            // A recomputed prompt includes the output so far, so it can reach input + output − 1.
            if !scheduler.chunkedPrefill, tokens - 1 > scheduler.maxBatchedTokens {
                throw SimError.promptOverBudget(index: i, tokens: tokens - 1,
                                                maxBatchedTokens: scheduler.maxBatchedTokens)
            }
        }
        var engine = Engine(requests: requests, load: load, roofline: Roofline(deployment),
                            scheduler: scheduler, totalBlocks: totalBlocks, keepsChunkTimes: chunkTimes)
        try engine.run()
        return engine.result(kvCapacityTokens: deployment.kvCapacityTokens)
    }

    /// Open-loop send times: the same draws as Measure's `LoadPlan.arrivals`.
    static func arrivals(count: Int, rate: Double, burstiness: Double?, seed: UInt64) -> [Double] {
        Arrivals.times(count: count, rate: rate, burstiness: burstiness, seed: seed)
    }
}
