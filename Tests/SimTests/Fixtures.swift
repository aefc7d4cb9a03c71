import Sim

/// Deployments and workloads shared by the tests.
enum Fixture {
    /// Llama-2-7B (no GQA: 512 KiB of KV per token) on one A100 with the default efficiency.
    static func llama2OnA100(count: Int = 1) throws -> Deployment {
        try Deployment(gpu: GPUProfile.named("A100"), count: count, model: ModelProfile.named("Llama-2-7B"))
    }

    static func llama3OnA100(count: Int = 1, efficiency: Efficiency = .standard) throws -> Deployment {
        try Deployment(gpu: GPUProfile.named("A100"), count: count, model: ModelProfile.named("Llama-3.1-8B"),
                       efficiency: efficiency)
    }

    /// Llama-3.1-8B (128 KiB of KV per token) on an A100-like GPU with only enough
    /// memory left for `kvTokens` tokens of KV cache (no reserve, fraction 1).
    static func smallCache(kvTokens: Int) throws -> Deployment {
        let model = try ModelProfile.named("Llama-3.1-8B")
        let a100 = try GPUProfile.named("A100")
        let memory = model.weightBytes + Double(kvTokens) * model.kvBytesPerToken + 1
        let gpu = try GPUProfile(name: "small-A100", denseFLOPS: a100.denseFLOPS, memoryBandwidth: a100.memoryBandwidth,
                                 memoryBytes: memory, powerWatts: 400)
        return try Deployment(gpu: gpu, model: model, memoryFraction: 1, reservePerGPU: 0)
    }

    /// `count` identical requests.
    static func requests(_ count: Int, input: Int, output: Int) -> [SimRequest] {
        Array(repeating: SimRequest(inputTokens: input, outputTokens: output), count: count)
    }
}
