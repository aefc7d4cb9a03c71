import Foundation

/// A transformer as the roofline model sees it: parameter counts and the shapes that
/// set attention cost and KV-cache size. Presets are in `ModelProfile.all`.
public struct ModelProfile: Sendable, Equatable {
    /// The canonical name, e.g. "Llama-3.1-8B".
    public let name: String
    /// Other names that select this profile.
    public let aliases: [String]
    /// Every parameter, embeddings included (all experts of a MoE).
    public let totalParams: Double
    /// Parameters one token passes through (equal to `totalParams` for a dense model).
    public let activeParams: Double
    /// Transformer layers (`num_hidden_layers`).
    public let layers: Int
    /// Residual width (`hidden_size`).
    public let hiddenSize: Int
    /// Query heads (`num_attention_heads`).
    public let attentionHeads: Int
    /// Key/value heads (`num_key_value_heads`; fewer than query heads with GQA).
    public let kvHeads: Int
    /// Width of one head (`head_dim`).
    public let headDim: Int
    /// Bytes per weight: 2 for BF16/FP16, 1 for FP8/INT8, 0.5 for 4-bit.
    public let bytesPerWeight: Double
    /// Bytes per cached key or value element: 2 for an FP16 cache, 1 for FP8.
    public let bytesPerKVElement: Double
    /// Routed experts per MoE layer (1 for a dense model).
    public let experts: Int
    /// Experts each token is routed to (1 for a dense model).
    public let expertsPerToken: Int
    /// Vocabulary size (`vocab_size`); 0 when unknown, and then every parameter is
    /// counted as matmul work on every token (the plain roofline).
    public let vocabSize: Int
    /// Whether the LM head shares the embedding matrix (`tie_word_embeddings`).
    public let tiedEmbeddings: Bool
    /// Where the figures come from.
    public let source: String

    /// A profile with checked figures; throws `SimError.invalid` naming the bad field.
    /// `activeParams` defaults to `totalParams` (dense) and `headDim` to hidden ÷ heads.
    public init(name: String, aliases: [String] = [], totalParams: Double, activeParams: Double? = nil,
                layers: Int, hiddenSize: Int, attentionHeads: Int, kvHeads: Int, headDim: Int? = nil,
                bytesPerWeight: Double = 2, bytesPerKVElement: Double = 2, experts: Int = 1,
                expertsPerToken: Int = 1, vocabSize: Int = 0, tiedEmbeddings: Bool = false,
                source: String = "user-defined") throws {
        try Check.name(name, "name")
        try Check.positive(totalParams, "totalParams")
        let active = activeParams ?? totalParams
        try Check.positive(active, "activeParams")
        guard active <= totalParams else {
            throw SimError.invalid(name: "activeParams", expected: "≤ totalParams (\(formatNumber(totalParams)))",
                                   got: formatNumber(active))
        }
        try Check.count(layers, in: 1...10_000, "layers")
        try Check.count(hiddenSize, in: 1...1_000_000, "hiddenSize")
        try Check.count(attentionHeads, in: 1...10_000, "attentionHeads")
        try Check.count(kvHeads, in: 1...attentionHeads, "kvHeads")
        let dim = headDim ?? hiddenSize / attentionHeads
        try Check.count(dim, in: 1...100_000, "headDim")
        try Check.positive(bytesPerWeight, "bytesPerWeight")
        try Check.positive(bytesPerKVElement, "bytesPerKVElement")
        try Check.count(experts, in: 1...100_000, "experts")
        try Check.count(expertsPerToken, in: 1...experts, "expertsPerToken")
        try Check.count(vocabSize, in: 0...10_000_000, "vocabSize")
        // The embedding and the LM head are part of the parameters; more than all of them is a typo.
        let vocabParams = Double(vocabSize) * Double(hiddenSize) * (tiedEmbeddings ? 1 : 2)
        guard vocabParams < active else {
            throw SimError.invalid(name: "vocabSize", expected: "embedding and LM head (\(formatNumber(vocabParams)) parameters) fewer than activeParams",
                                   got: "\(vocabSize)")
        }
        // A model with no routing has nothing inactive; the expert formula would divide by zero.
        if expertsPerToken == experts, active != totalParams {
            throw SimError.invalid(name: "activeParams", expected: "equal to totalParams unless experts > expertsPerToken",
                                   got: formatNumber(active))
        }
        self.init(unchecked: name, aliases, totalParams, active, layers, hiddenSize, attentionHeads, kvHeads,
                  dim, bytesPerWeight, bytesPerKVElement, experts, expertsPerToken, source,
                  vocabSize: vocabSize, tiedEmbeddings: tiedEmbeddings)
    }

    init(unchecked name: String, _ aliases: [String], _ total: Double, _ active: Double, _ layers: Int,
         _ hidden: Int, _ heads: Int, _ kvHeads: Int, _ headDim: Int, _ bytesPerWeight: Double,
         _ bytesPerKV: Double, _ experts: Int, _ expertsPerToken: Int, _ source: String,
         vocabSize: Int = 0, tiedEmbeddings: Bool = false) {
        self.name = name
        self.aliases = aliases
        self.totalParams = total
        self.activeParams = active
        self.layers = layers
        self.hiddenSize = hidden
        self.attentionHeads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.bytesPerWeight = bytesPerWeight
        self.bytesPerKVElement = bytesPerKV
        self.experts = experts
        self.expertsPerToken = expertsPerToken
        self.source = source
        self.vocabSize = vocabSize
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Parameters of the embedding table (vocab × hidden): a lookup, not matmul work.
    public var embeddingParams: Double { Double(vocabSize) * Double(hiddenSize) }

    /// Parameters of the LM head (vocab × hidden), run once per sequence that needs
    /// logits in an iteration; with tied embeddings they are the embedding's.
    public var lmHeadParams: Double { Double(vocabSize) * Double(hiddenSize) }

    /// Parameters one token passes through as matmuls in the layers: the active ones
    /// less the embedding and (untied) LM head. All active ones when the vocabulary is unknown.
    public var activeLayerParams: Double {
        activeParams - embeddingParams - (tiedEmbeddings ? 0 : lmHeadParams)
    }

    /// Bytes of weights held in memory: totalParams × bytesPerWeight.
    public var weightBytes: Double { totalParams * bytesPerWeight }

    /// Bytes of KV cache per token: 2 (K and V) × layers × kvHeads × headDim × bytesPerKVElement.
    public var kvBytesPerToken: Double {
        2 * Double(layers) * Double(kvHeads) * Double(headDim) * bytesPerKVElement
    }

    /// Query width of attention (heads × headDim), which sets attention FLOPs.
    public var attentionWidth: Int { attentionHeads * headDim }

    /// Whether tokens are routed to a subset of experts.
    public var isMixtureOfExperts: Bool { expertsPerToken < experts }

    /// Bytes of weights one iteration of `tokens` tokens reads. Dense: all of them.
    /// MoE: the shared part plus the experts that at least one token is routed to,
    /// with routing assumed uniform and independent: a given expert is touched with
    /// probability 1 − (1 − k/E)^tokens. So one token reads `activeParams`, and a
    /// large batch reads nearly every expert.
    /// An untied embedding table is looked up row by row, so it is left out.
    public func weightBytesRead(tokens: Int) -> Double {
        let lookedUp = tiedEmbeddings ? 0 : embeddingParams * bytesPerWeight
        guard isMixtureOfExperts, tokens > 0 else { return weightBytes - lookedUp }
        let share = Double(expertsPerToken) / Double(experts)
        let expertParams = (totalParams - activeParams) / (1 - share)
        let shared = totalParams - expertParams
        let touched = 1 - Foundation.pow(1 - share, Double(tokens))
        return (shared + expertParams * touched) * bytesPerWeight - lookedUp
    }

    /// The preset called `name` or one of its aliases, ignoring case, spaces, hyphens
    /// and underscores; an unknown name throws `SimError.unknownProfile`.
    public static func named(_ name: String) throws -> ModelProfile {
        let key = normalizedName(name)
        let match = all.first { ([$0.name] + $0.aliases).contains { normalizedName($0) == key } }
        guard let match else { throw SimError.unknownProfile(kind: "model", name: name, known: all.map(\.name)) }
        return match
    }
}
