/// How an engine forms batches (docs/sim.md, "Scheduler").
public enum BatchingPolicy: String, Sendable, Equatable, CaseIterable {
    /// Continuous (in-flight) batching, as vLLM: requests join and leave the running
    /// batch at every iteration.
    case continuous
    /// Static batching: a batch is formed from waiting requests only when the engine is
    /// empty, then runs until its longest member finishes; nothing joins mid-batch.
    case `static`
}

/// Who gets the token budget first in an iteration (docs/sim.md, "Scheduler").
public enum SchedulingPriority: String, Sendable, Equatable, CaseIterable {
    /// Running sequences first (decodes and unfinished prompt chunks), then admissions from
    /// the budget left, as vLLM's V1 engine does. The default.
    case decode
    /// Prompts first, as vLLM's V0 scheduler: unfinished prompt chunks and admissions take
    /// the budget, and an iteration that computes any prompt runs no decodes.
    case prefill
}

/// The serving engine's batching limits and policies, with vLLM's defaults.
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
    /// Continuous (default) or static batching.
    public var policy: BatchingPolicy
    /// Decode priority (default) or prefill priority.
    public var priority: SchedulingPriority

    /// Checked limits; throws `SimError.invalid` naming the bad field.
    public init(maxSequences: Int = 256, maxBatchedTokens: Int = 8192, chunkedPrefill: Bool = true,
                blockSize: Int = 16, policy: BatchingPolicy = .continuous,
                priority: SchedulingPriority = .decode) throws {
        try Check.count(maxSequences, in: 1...1_000_000, "maxSequences")
        // vLLM asks the same: every running sequence must be able to decode each iteration.
        try Check.count(maxBatchedTokens, in: maxSequences...100_000_000, "maxBatchedTokens")
        try Check.count(blockSize, in: 1...4096, "blockSize")
        self.maxSequences = maxSequences
        self.maxBatchedTokens = maxBatchedTokens
        self.chunkedPrefill = chunkedPrefill
        self.blockSize = blockSize
        self.policy = policy
        self.priority = priority
    }

    /// vLLM's defaults: 256 sequences, 8192 tokens, chunked prefill, 16-token blocks,
    /// continuous batching with decode priority.
    public static let standard = SchedulerConfig(unchecked: ())

    private init(unchecked: Void) {
        maxSequences = 256
        maxBatchedTokens = 8192
        chunkedPrefill = true
        blockSize = 16
        policy = .continuous
        priority = .decode
    }
}
