/// A model served on `count` identical GPUs in tensor parallel, with the memory
/// split that sets the KV-cache size (as vLLM's `gpu_memory_utilization` does).
public struct Deployment: Sendable, Equatable {
    /// The accelerator.
    public let gpu: GPUProfile
    /// GPUs in tensor parallel: weights, KV cache, bandwidth and FLOP/s are split
    /// across them, and every layer pays two all-reduces.
    public let count: Int
    /// The model served.
    public let model: ModelProfile
    /// Achieved shares of peak and per-iteration overheads (settable: it does not
    /// enter the memory checks, and calibration tries many).
    public var efficiency: Efficiency
    /// Share of each GPU's memory the engine may use (vLLM's `gpu_memory_utilization`).
    public let memoryFraction: Double
    /// Memory held back per GPU for activations, CUDA graphs and communication
    /// buffers, bytes (vLLM measures it with a profiling run; 1 GB by default).
    public let reservePerGPU: Double
    /// Tokens the KV cache holds:
    /// ⌊(count × memory × fraction − weights − count × reserve) ÷ kvBytesPerToken⌋.
    public let kvCapacityTokens: Int

    /// A deployment whose model fits; throws `SimError.doesNotFit` with the figures
    /// ("Llama-3.1-70B needs 141 GB of weights; 1 × L4 has 21.6 GB usable"), or
    /// `SimError.invalid` naming a bad field.
    public init(gpu: GPUProfile, count: Int = 1, model: ModelProfile, efficiency: Efficiency = .standard,
                memoryFraction: Double = 0.9, reservePerGPU: Double = 1e9) throws {
        try Check.count(count, in: 1...1024, "count")
        try Check.unitFraction(memoryFraction, "memoryFraction")
        try Check.nonNegative(reservePerGPU, "reservePerGPU")
        let usable = Double(count) * gpu.memoryBytes * memoryFraction
        let weights = model.weightBytes
        let usableText = "\(count) × \(gpu.name) has \(formatGB(usable)) usable"
        guard weights < usable else {
            throw SimError.doesNotFit("\(model.name) needs \(formatGB(weights)) of weights; \(usableText)")
        }
        let reserve = Double(count) * reservePerGPU
        let cacheBytes = usable - weights - reserve
        let tokens = cacheBytes > 0 ? Int(cacheBytes / model.kvBytesPerToken) : 0
        // Fewer tokens than one request needs is a deployment no one would run.
        guard tokens >= 16 else {
            throw SimError.doesNotFit("\(model.name) needs \(formatGB(weights)) of weights and \(formatGB(reserve)) "
                + "of reserve; \(usableText), leaving no room for the KV cache")
        }
        self.gpu = gpu
        self.count = count
        self.model = model
        self.efficiency = efficiency
        self.memoryFraction = memoryFraction
        self.reservePerGPU = reservePerGPU
        self.kvCapacityTokens = tokens
    }

    /// Cost of one iteration: `prefill` chunks (each with the tokens already in the
    /// cache before it) and decode steps of sequences with `decodeContexts` tokens
    /// in the cache. The roofline of docs/sim.md.
    public func iterationTime(prefill: [PrefillChunk] = [], decodeContexts: [Int] = []) -> IterationTime {
        var batch = BatchTotals()
        for chunk in prefill { batch.addPrefill(tokens: chunk.tokens, prior: chunk.priorContext, completes: chunk.completesPrompt) }
        for context in decodeContexts { batch.addDecode(context: context) }
        return Roofline(self).breakdown(batch)
    }
}
