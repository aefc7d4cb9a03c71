extension GPUProfile {
    /// Every preset, in the order (and with the names and aliases) of Cost's `GPUPreset.all`.
    /// Figures from data/gpus.md: dense BF16/FP16 tensor throughput without sparsity,
    /// datasheet bandwidth and capacity (decimal GB), board power.
    public static let all: [GPUProfile] = [
        preset("A800-80G", ["A800", "A800-SXM", "A800-80G-SXM"], tflops: 312, tbs: 2.039, gb: 80, watts: 400,
               "gpus.md: A800 80G SXM, same compute and memory as the A100 80G SXM (NVLink capped at 400 GB/s)"),
        preset("A100-80G-SXM", ["A100", "A100-80G", "A100-SXM"], tflops: 312, tbs: 2.039, gb: 80, watts: 400,
               "gpus.md: NVIDIA A100 80GB SXM datasheet"),
        preset("H100-SXM", ["H100", "H100-80G", "H100-SXM5"], tflops: 989, tbs: 3.35, gb: 80, watts: 700,
               "gpus.md: NVIDIA H100 SXM datasheet (dense, not the 1,979 sparse figure)"),
        preset("H200", ["H200-SXM", "H200-141G"], tflops: 989, tbs: 4.8, gb: 141, watts: 700,
               "gpus.md: NVIDIA H200 SXM datasheet (dense)"),
        preset("L40S", ["L40S-48G"], tflops: 362, tbs: 0.864, gb: 48, watts: 350,
               "gpus.md: NVIDIA L40S datasheet"),
        preset("L4", ["L4-24G"], tflops: 121, tbs: 0.300, gb: 24, watts: 72,
               "gpus.md: NVIDIA L4 datasheet"),
        preset("B200", ["B200-HGX", "B200-SXM"], tflops: 2_250, tbs: 8.0, gb: 180, watts: 1_000,
               "gpus.md: NVIDIA HGX B200, 180 GB usable"),
        preset("MI300X", ["MI300X-192G", "Instinct-MI300X"], tflops: 1_307, tbs: 5.3, gb: 192, watts: 750,
               "gpus.md: AMD Instinct MI300X datasheet (dense, not the 2,615 sparse figure)"),
        preset("RTX-4090", ["4090", "GeForce-RTX-4090"], tflops: 165, tbs: 1.008, gb: 24, watts: 450,
               "gpus.md: GeForce RTX 4090, FP16 tensor with FP32 accumulate (330 with FP16 accumulate)"),
    ]

    private static func preset(_ name: String, _ aliases: [String], tflops: Double, tbs: Double, gb: Double,
                               watts: Double, _ source: String) -> GPUProfile {
        // Literal, positive figures: no check needed.
        GPUProfile(unchecked: name, aliases, tflops * 1e12, tbs * 1e12, gb * 1e9, watts, source)
    }
}
