/// The serving engine's batching limits, with vLLM's defaults.
public struct SchedulerConfig: Sendable, Equatable {
    /// Sequences running at once (vLLM's `max_num_seqs`, default 256).
    public var maxSequences: Int
    /// Tokens one iteration may process: one per decoding sequence plus prefill
    /// tokens (vLLM's `max_num_batched_tokens`, default 8192).
    public var maxBatchedTokens: Int
    /// Split long prompts across iterations and batch them with decodes (on by
    /// default, as in vLLM's V1 engine). Off: a prompt is prefilled whole, in one
    /// iteration, so every prompt must fit in `maxBatchedTokens`.
    public var chunkedPrefill: Bool
    /// Tokens per KV-cache block (vLLM's `block_size`, default 16); sequences hold
    /// whole blocks.
    public var blockSize: Int

    /// Checked limits; throws `SimError.invalid` naming the bad field.
    public init(maxSequences: Int = 256, maxBatchedTokens: Int = 8192, chunkedPrefill: Bool = true,
                blockSize: Int = 16) throws {
        try Check.count(maxSequences, in: 1...1_000_000, "maxSequences")
        // vLLM asks the same: every running sequence must be able to decode each iteration.
        try Check.count(maxBatchedTokens, in: maxSequences...100_000_000, "maxBatchedTokens")
        try Check.count(blockSize, in: 1...4096, "blockSize")
        self.maxSequences = maxSequences
        self.maxBatchedTokens = maxBatchedTokens
        self.chunkedPrefill = chunkedPrefill
        self.blockSize = blockSize
    }

    /// vLLM's defaults: 256 sequences, 8192 tokens, chunked prefill, 16-token blocks.
    public static let standard = SchedulerConfig(unchecked: ())

    private init(unchecked: Void) {
        maxSequences = 256
        maxBatchedTokens = 8192
        chunkedPrefill = true
        blockSize = 16
    }
}
