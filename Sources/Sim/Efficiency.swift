/// How much of the hardware's peak a serving engine reaches, and what it adds per
/// iteration. The defaults come from the efficiency factors in data/gpus.md
/// (docs/sim.md explains each); `Calibration.fit` fits the first three to measurements.
public struct Efficiency: Sendable, Equatable {
    /// Model FLOPs utilisation: achieved ÷ peak dense FLOP/s on compute-bound work.
    /// Default 0.6: profiled linear layers reach 0.66–0.71 at ≥ 256 tokens and 0.56 at
    /// 128, and prefill attention kernels far less.
    public var mfu: Double
    /// Memory bandwidth utilisation: achieved ÷ peak bytes/s on memory-bound work.
    /// Default 0.8: profiled 0.71–0.76 for linear layers, roofline tools use ≤ 0.9.
    public var mbu: Double
    /// Fixed time per scheduler iteration (scheduling, sampling, kernel launches), seconds.
    /// Default 1 ms: batch-1 decode of a 7B FP16 model on an A100 takes ≈ 9.3 ms, of
    /// which 13.5 GB ÷ (2.039 TB/s × 0.8) = 8.3 ms is reading the weights.
    public var iterationOverhead: Double
    /// Bus bandwidth of one tensor-parallel all-reduce, bytes/s per GPU. Default
    /// 150 GB/s, an NVLink figure (A800 links are capped at 400 GB/s both ways); PCIe
    /// cards (L4, L40S, RTX 4090) reach about 20 GB/s and should set it.
    public var allReduceBandwidth: Double
    /// Fixed latency of one all-reduce, seconds. Default 10 µs.
    public var allReduceLatency: Double

    /// Checked efficiency figures; throws `SimError.invalid` naming the bad field.
    public init(mfu: Double = 0.6, mbu: Double = 0.8, iterationOverhead: Double = 0.001,
                allReduceBandwidth: Double = 150e9, allReduceLatency: Double = 10e-6) throws {
        try Check.unitFraction(mfu, "mfu")
        try Check.unitFraction(mbu, "mbu")
        try Check.nonNegative(iterationOverhead, "iterationOverhead")
        try Check.positive(allReduceBandwidth, "allReduceBandwidth")
        try Check.nonNegative(allReduceLatency, "allReduceLatency")
        self.mfu = mfu
        self.mbu = mbu
        self.iterationOverhead = iterationOverhead
        self.allReduceBandwidth = allReduceBandwidth
        self.allReduceLatency = allReduceLatency
    }

    /// The documented defaults.
    public static let standard = Efficiency(unchecked: 0.6, 0.8, 0.001, 150e9, 10e-6)

    init(unchecked mfu: Double, _ mbu: Double, _ overhead: Double, _ bandwidth: Double, _ latency: Double) {
        self.mfu = mfu
        self.mbu = mbu
        self.iterationOverhead = overhead
        self.allReduceBandwidth = bandwidth
        self.allReduceLatency = latency
    }
}
