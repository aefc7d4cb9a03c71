extension ModelProfile {
    /// Common open models in BF16 with an FP16/BF16 KV cache. Shapes are the published
    /// config.json values (`num_hidden_layers`, `hidden_size`, `num_attention_heads`,
    /// `num_key_value_heads`, `head_dim`); parameter counts are the model cards'.
    /// docs/sim.md lists them with their sources.
    public static let all: [ModelProfile] = [
        preset("Llama-3.1-8B", ["Llama-3.1-8B-Instruct", "Meta-Llama-3.1-8B", "Meta-Llama-3.1-8B-Instruct", "llama3.1-8b"],
               total: 8.03e9, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, vocab: 128_256,
               "meta-llama/Llama-3.1-8B config.json; 8.03 B parameters (model card)"),
        preset("Llama-3.1-70B", ["Llama-3.1-70B-Instruct", "Meta-Llama-3.1-70B", "Meta-Llama-3.1-70B-Instruct", "llama3.1-70b"],
               total: 70.6e9, layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, vocab: 128_256,
               "meta-llama/Llama-3.1-70B config.json; 70.6 B parameters (model card)"),
        preset("Llama-2-7B", ["Llama-2-7b-hf", "Llama-2-7B-chat", "llama2-7b"],
               total: 6.74e9, layers: 32, hidden: 4096, heads: 32, kvHeads: 32, headDim: 128, vocab: 32_000,
               "meta-llama/Llama-2-7b-hf config.json (no GQA: 512 KiB of KV per token, as gpus.md); 6.74 B parameters"),
        preset("Qwen2.5-7B", ["Qwen2.5-7B-Instruct", "qwen2.5-7b"],
               total: 7.61e9, layers: 28, hidden: 3584, heads: 28, kvHeads: 4, headDim: 128, vocab: 152_064,
               "Qwen/Qwen2.5-7B config.json; 7.61 B parameters (model card)"),
        preset("Qwen2.5-32B", ["Qwen2.5-32B-Instruct", "qwen2.5-32b"],
               total: 32.5e9, layers: 64, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, vocab: 152_064,
               "Qwen/Qwen2.5-32B config.json; 32.5 B parameters (model card)"),
        preset("Qwen3-8B", ["qwen3-8b"],
               total: 8.2e9, layers: 36, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, vocab: 151_936,
               "Qwen/Qwen3-8B config.json; 8.2 B parameters (model card)"),
        preset("Qwen3-32B", ["qwen3-32b"],
               total: 32.8e9, layers: 64, hidden: 5120, heads: 64, kvHeads: 8, headDim: 128, vocab: 151_936,
               "Qwen/Qwen3-32B config.json; 32.8 B parameters (model card)"),
        preset("Mixtral-8x7B", ["Mixtral-8x7B-Instruct", "Mixtral-8x7B-Instruct-v0.1", "Mixtral-8x7B-v0.1"],
               total: 46.7e9, active: 12.9e9, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, vocab: 32_000,
               experts: 8, perToken: 2,
               "mistralai/Mixtral-8x7B-v0.1 config.json (8 experts, 2 per token); 46.7 B total, 12.9 B active (Mistral AI)"),
        preset("Qwen3-30B-A3B", ["Qwen3-30B-A3B-Instruct", "qwen3-30b-a3b"],
               total: 30.5e9, active: 3.3e9, layers: 48, hidden: 2048, heads: 32, kvHeads: 4, headDim: 128, vocab: 151_936,
               experts: 128, perToken: 8,
               "Qwen/Qwen3-30B-A3B config.json (128 experts, 8 per token); 30.5 B total, 3.3 B active (model card)"),
    ]

    private static func preset(_ name: String, _ aliases: [String], total: Double, active: Double? = nil,
                               layers: Int, hidden: Int, heads: Int, kvHeads: Int, headDim: Int, vocab: Int,
                               experts: Int = 1, perToken: Int = 1, _ source: String) -> ModelProfile {
        // Literal, consistent figures: no check needed. Every preset has separate
        // embedding and LM-head matrices (tie_word_embeddings false in its config.json).
        ModelProfile(unchecked: name, aliases, total, active ?? total, layers, hidden, heads, kvHeads, headDim,
                     2, 2, experts, perToken, source, vocabSize: vocab, tiedEmbeddings: false)
    }
}
