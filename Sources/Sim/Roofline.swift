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
    /// The fixed per-iteration overhead, the batch overhead (more than one sequence) and
    /// the per-sequence one.
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
    /// Sequences decoding one token each.
    var decodeSequences = 0
    /// Prefill chunks (one per sequence with prompt work this iteration).
    var prefillChunks = 0
    /// Prefill chunks that end their prompt: each needs logits once.
    var promptsCompleted = 0
    /// Σ over new prefill tokens of the positions each attends to (query × key pairs).
    var prefillPairs = 0.0
    /// The same for decode tokens.
    var decodePairs = 0.0
    /// Tokens of KV read from the cache (prior context of every sequence in the batch).
    var kvReadTokens = 0.0

    /// A decode step: reads `context` cached tokens, attends to them and itself.
    @inline(__always)
    mutating func addDecode(context: Int) {
        tokens += 1
        decodeSequences += 1
        decodePairs += Double(context + 1)
        kvReadTokens += Double(context)
    }

    /// A prefill chunk of `c` tokens after `prior` cached ones: token i of the chunk
    /// attends to prior + i positions (causal), Σ = c × prior + c(c + 1)/2. `completes`:
    /// the chunk ends its prompt (its last position needs logits).
    @inline(__always)
    mutating func addPrefill(tokens c: Int, prior: Int, completes: Bool) {
        tokens += c
        prefillTokens += c
        prefillChunks += 1
        if completes { promptsCompleted += 1 }
        let cd = Double(c)
        prefillPairs += cd * Double(prior) + cd * (cd + 1) / 2
        kvReadTokens += Double(prior)
    }
}

/// The iteration-cost model with its constants worked out once per run
/// (formula and units in docs/sim.md):
///
///   FLOPs of a phase = 2 × layer parameters × its tokens + 4 × layers × heads × headDim ×
///                      its attention pairs + 2 × vocab × hidden × its logit positions
///   compute = prefill FLOPs ÷ (n × peak × mfu) + decode FLOPs ÷ (n × peak × decode mfu(b))
///   memory  = (weights read + KV bytes × (cached tokens read + new tokens)) ÷ (n × bandwidth × mbu)
///   time    = max(compute, memory) + all-reduce + overhead + sequence overhead × sequences
///             (+ batch overhead when the iteration carries more than one sequence)
///
/// The embedding is a lookup (no FLOPs, and its rows are not read as a whole); the LM
/// head runs once per decode token and once per prompt that completes, not on every
/// prompt token. With the vocabulary unknown, every active parameter counts on every
/// token, as the plain roofline does.
struct Roofline {
    let layerFlopsPerToken: Double   // 2 × active layer parameters
    let headFlops: Double            // 2 × vocab × hidden, per logit position
    let flopsPerPair: Double         // 4 × layers × heads × headDim
    let peakCompute: Double          // FLOP/s: count × peak
    let prefillRate: Double          // FLOP/s: count × peak × mfu
    let memoryRate: Double           // bytes/s: count × bandwidth × mbu
    let kvBytesPerToken: Double
    let denseWeightBytes: Double?    // nil for a MoE, whose bytes depend on the batch
    let model: ModelProfile
    let efficiency: Efficiency
    let allReducePerToken: Double    // seconds per token of all-reduce traffic
    let allReduceFixed: Double       // seconds of all-reduce latency per iteration

    init(_ d: Deployment) {
        let m = d.model, e = d.efficiency, n = Double(d.count)
        model = m
        efficiency = e
        layerFlopsPerToken = 2 * m.activeLayerParams
        headFlops = m.vocabSize > 0 ? 2 * m.lmHeadParams : 0
        flopsPerPair = 4 * Double(m.layers) * Double(m.attentionWidth)
        peakCompute = n * d.gpu.denseFLOPS
        prefillRate = peakCompute * e.mfu
        memoryRate = n * d.gpu.memoryBandwidth * e.mbu
        kvBytesPerToken = m.kvBytesPerToken
        denseWeightBytes = m.isMixtureOfExperts ? nil : m.weightBytesRead(tokens: 1)
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
        let decodeTokens = Double(b.decodeSequences)
        let prefillFlops = layerFlopsPerToken * Double(b.prefillTokens) + flopsPerPair * b.prefillPairs
            + headFlops * Double(b.promptsCompleted)
        let decodeFlops = (layerFlopsPerToken + headFlops) * decodeTokens + flopsPerPair * b.decodePairs
        var compute = prefillFlops / prefillRate
        if b.decodeSequences > 0 {
            compute += decodeFlops / (peakCompute * efficiency.decodeEfficiency(batch: b.decodeSequences))
        }
        let weights = denseWeightBytes ?? model.weightBytesRead(tokens: b.tokens)
        let bytes = weights + kvBytesPerToken * (b.kvReadTokens + Double(b.tokens))
        let memory = bytes / memoryRate
        let allReduce = allReducePerToken * Double(b.tokens) + allReduceFixed
        let sequences = b.decodeSequences + b.prefillChunks
        let overhead = efficiency.iterationOverhead + (sequences > 1 ? efficiency.batchOverhead : 0)
            + efficiency.sequenceOverhead * Double(sequences)
        return IterationTime(tokens: b.tokens, flops: prefillFlops + decodeFlops, bytes: bytes, computeTime: compute,
                             memoryTime: memory, allReduceTime: allReduce, overhead: overhead,
                             total: max(compute, memory) + allReduce + overhead)
    }
}
