/// Part of one sequence's prompt computed in an iteration.
public struct PrefillChunk: Sendable, Equatable {
    /// Tokens computed in this iteration.
    public var tokens: Int
    /// Tokens of the same sequence already in the KV cache (earlier chunks).
    public var priorContext: Int
    /// Whether this chunk ends the prompt: only then does the LM head run (once, for the
    /// last position) and the first output token come out.
    public var completesPrompt: Bool

    /// A chunk of `tokens` prompt tokens after `priorContext` cached ones (0: the prompt's start).
    public init(tokens: Int, priorContext: Int = 0, completesPrompt: Bool = true) {
        self.tokens = tokens
        self.priorContext = priorContext
        self.completesPrompt = completesPrompt
    }
}

/// One iteration's cost and where it comes from (seconds, FLOPs, bytes).
public struct IterationTime: Sendable, Equatable {
    /// Tokens processed: prefill tokens + decode sequences.
    public var tokens: Int
    /// Floating-point operations of the whole batch (all GPUs together).
    public var flops: Double
    /// Bytes moved to and from memory (all GPUs together).
    public var bytes: Double
    /// flops ÷ (count × peak × mfu).
    public var computeTime: Double
    /// bytes ÷ (count × bandwidth × mbu).
    public var memoryTime: Double
    /// Tensor-parallel all-reduces (0 on one GPU).
    public var allReduceTime: Double
    /// The fixed per-iteration overhead.
    public var overhead: Double
    /// max(compute, memory) + all-reduce + overhead.
    public var total: Double

    /// Whether compute, not memory, bounds the iteration.
    public var isComputeBound: Bool { computeTime > memoryTime }
}

/// What the roofline needs to know about a batch: sums, so adding a sequence is O(1)
/// and nothing is allocated per iteration.
struct BatchTotals {
    /// Prefill tokens plus decode sequences.
    var tokens = 0
    var prefillTokens = 0
    /// Σ over new tokens of the positions each attends to (query × key pairs).
    var attentionPairs = 0.0
    /// Tokens of KV read from the cache (prior context of every sequence in the batch).
    var kvReadTokens = 0.0

    /// A decode step: reads `context` cached tokens, attends to them and itself.
    @inline(__always)
    mutating func addDecode(context: Int) {
        tokens += 1
        attentionPairs += Double(context + 1)
        kvReadTokens += Double(context)
    }

    /// A prefill chunk of `c` tokens after `prior` cached ones: token i of the chunk
    /// attends to prior + i positions (causal), Σ = c × prior + c(c + 1)/2. `completes`:
    /// the chunk ends its prompt (its last position needs logits).
    @inline(__always)
    mutating func addPrefill(tokens c: Int, prior: Int, completes: Bool) {
        tokens += c
        prefillTokens += c
        let cd = Double(c)
        attentionPairs += cd * Double(prior) + cd * (cd + 1) / 2
        kvReadTokens += Double(prior)
    }
}

/// The iteration-cost model with its constants worked out once per run
/// (formula and units in docs/sim.md).
struct Roofline {
    let flopsPerToken: Double        // 2 × active parameters
    let flopsPerPair: Double         // 4 × layers × heads × headDim
    let computeRate: Double          // FLOP/s: count × peak × mfu
    let memoryRate: Double           // bytes/s: count × bandwidth × mbu
    let kvBytesPerToken: Double
    let denseWeightBytes: Double?    // nil for a MoE, whose bytes depend on the batch
    let model: ModelProfile
    let overhead: Double
    let allReducePerToken: Double    // seconds per token of all-reduce traffic
    let allReduceFixed: Double       // seconds of all-reduce latency per iteration

    init(_ d: Deployment) {
        let m = d.model, e = d.efficiency, n = Double(d.count)
        model = m
        flopsPerToken = 2 * m.activeParams
        flopsPerPair = 4 * Double(m.layers) * Double(m.attentionWidth)
        computeRate = n * d.gpu.denseFLOPS * e.mfu
        memoryRate = n * d.gpu.memoryBandwidth * e.mbu
        kvBytesPerToken = m.kvBytesPerToken
        denseWeightBytes = m.isMixtureOfExperts ? nil : m.weightBytes
        overhead = e.iterationOverhead
        if d.count > 1 {
            // Two all-reduces per layer (after attention, after the MLP) of tokens × hidden
            // 16-bit activations; a ring sends 2(n − 1)/n of the buffer per GPU.
            let allReduces = 2 * Double(m.layers)
            allReducePerToken = allReduces * 2 * (n - 1) / n * Double(m.hiddenSize) * 2 / e.allReduceBandwidth
            allReduceFixed = allReduces * e.allReduceLatency
        } else {
            allReducePerToken = 0
            allReduceFixed = 0
        }
    }

    @inline(__always)
    func seconds(_ b: BatchTotals) -> Double { breakdown(b).total }

    @inline(__always)
    func breakdown(_ b: BatchTotals) -> IterationTime {
        let flops = flopsPerToken * Double(b.tokens) + flopsPerPair * b.attentionPairs
        let weights = denseWeightBytes ?? model.weightBytesRead(tokens: b.tokens)
        let bytes = weights + kvBytesPerToken * (b.kvReadTokens + Double(b.tokens))
        let compute = flops / computeRate, memory = bytes / memoryRate
        let allReduce = allReducePerToken * Double(b.tokens) + allReduceFixed
        return IterationTime(tokens: b.tokens, flops: flops, bytes: bytes, computeTime: compute,
                             memoryTime: memory, allReduceTime: allReduce, overhead: overhead,
                             total: max(compute, memory) + allReduce + overhead)
    }
}
