import Foundation
import SeededRandom

/// How much of the hardware's peak a serving engine reaches, and what it adds per
/// iteration. The defaults come from the efficiency factors in data/gpus.md
/// (docs/sim.md explains each); `Calibration.fit` fits any of them to measurements.
///
/// Prefill and decode have their own compute efficiency: prefill runs large matmuls,
/// decode small ones whose efficiency grows with the batch. On a GPU decode is bound by
/// memory and the split hardly matters; on a CPU it is bound by compute and batching
/// buys little, which only a separate, batch-dependent decode efficiency can express.
public struct Efficiency: Sendable, Equatable {
    /// Model FLOPs utilisation of prefill: achieved ÷ peak dense FLOP/s.
    /// Default 0.6: profiled linear layers reach 0.66–0.71 at ≥ 256 tokens and 0.56 at
    /// 128, and prefill attention kernels far less.
    public var mfu: Double
    /// Model FLOPs utilisation of decode at a large batch; nil: the same as `mfu`.
    public var decodeMFU: Double?
    /// The decode batch at which decode reaches half of `decodeMFU`: decode efficiency at
    /// batch b is decodeMFU × b ÷ (b + decodeBatchHalf). 0 (default): no dependence.
    public var decodeBatchHalf: Double
    /// Memory bandwidth utilisation: achieved ÷ peak bytes/s on memory-bound work.
    /// Default 0.8: profiled 0.71–0.76 for linear layers, roofline tools use ≤ 0.9.
    public var mbu: Double
    /// Fixed time per scheduler iteration (scheduling, sampling, kernel launches), seconds.
    /// Default 1 ms: batch-1 decode of a 7B FP16 model on an A100 takes ≈ 9.3 ms, of
    /// which 13.5 GB ÷ (2.039 TB/s × 0.8) = 8.3 ms is reading the weights.
    public var iterationOverhead: Double
    /// Time per sequence in an iteration (sampling, detokenising, bookkeeping), seconds.
    /// Default 0.
    public var sequenceOverhead: Double
    /// Time added to an iteration that carries more than one sequence (decoding or
    /// prefilling), seconds. Default 0. Some engines have a fast path for a lone
    /// sequence: llama.cpp on this machine's CPU decodes one sequence in about 2 ms a
    /// step and two in 5.4–6.3 ms, then about 0.7 ms more per further sequence, while a
    /// lone 16-token prompt takes 3 ms.
    public var batchOverhead: Double
    /// Bus bandwidth of one tensor-parallel all-reduce, bytes/s per GPU. Default
    /// 150 GB/s, an NVLink figure (A800 links are capped at 400 GB/s both ways); PCIe
    /// cards (L4, L40S, RTX 4090) reach about 20 GB/s and should set it.
    public var allReduceBandwidth: Double
    /// Fixed latency of one all-reduce, seconds. Default 10 µs.
    public var allReduceLatency: Double
    /// How much iteration times scatter around the model: each iteration's time is
    /// multiplied by exp(σz − σ²/2), z standard normal from a fixed seed, so the mean is
    /// kept and runs stay reproducible. Default 0: every iteration takes its modelled
    /// time. A real engine's steps scatter (a CPU engine on this shared machine: a
    /// log-spread of 0.03–0.15 in its decode gaps), which is what sets TTFT tails; the
    /// calibration estimates it from measured chunk gaps (``Calibration/stepJitter(_:)``).
    public var stepJitter: Double

    /// Checked efficiency figures; throws `SimError.invalid` naming the bad field.
    public init(mfu: Double = 0.6, mbu: Double = 0.8, iterationOverhead: Double = 0.001,
                allReduceBandwidth: Double = 150e9, allReduceLatency: Double = 10e-6,
                decodeMFU: Double? = nil, decodeBatchHalf: Double = 0, sequenceOverhead: Double = 0,
                batchOverhead: Double = 0, stepJitter: Double = 0) throws {
        try Check.unitFraction(mfu, "mfu")
        try Check.unitFraction(mbu, "mbu")
        if let decodeMFU { try Check.unitFraction(decodeMFU, "decodeMFU") }
        try Check.nonNegative(decodeBatchHalf, "decodeBatchHalf")
        try Check.nonNegative(iterationOverhead, "iterationOverhead")
        try Check.nonNegative(sequenceOverhead, "sequenceOverhead")
        try Check.nonNegative(batchOverhead, "batchOverhead")
        try Check.positive(allReduceBandwidth, "allReduceBandwidth")
        try Check.nonNegative(allReduceLatency, "allReduceLatency")
        guard stepJitter.isFinite, (0...1).contains(stepJitter) else {
            throw SimError.invalid(name: "stepJitter", expected: "a spread between 0 and 1", got: formatNumber(stepJitter))
        }
        self.init(unchecked: mfu, mbu, iterationOverhead, allReduceBandwidth, allReduceLatency)
        self.decodeMFU = decodeMFU
        self.decodeBatchHalf = decodeBatchHalf
        self.sequenceOverhead = sequenceOverhead
        self.batchOverhead = batchOverhead
        self.stepJitter = stepJitter
    }

    /// The documented defaults.
    public static let standard = Efficiency(unchecked: 0.6, 0.8, 0.001, 150e9, 10e-6)

    init(unchecked mfu: Double, _ mbu: Double, _ overhead: Double, _ bandwidth: Double, _ latency: Double) {
        self.mfu = mfu
        self.decodeMFU = nil
        self.decodeBatchHalf = 0
        self.mbu = mbu
        self.iterationOverhead = overhead
        self.sequenceOverhead = 0
        self.batchOverhead = 0
        self.allReduceBandwidth = bandwidth
        self.allReduceLatency = latency
        self.stepJitter = 0
    }

    /// Decode's compute efficiency with `batch` sequences decoding.
    @inline(__always)
    func decodeEfficiency(batch: Int) -> Double {
        let top = decodeMFU ?? mfu
        guard decodeBatchHalf > 0 else { return top }
        let b = Double(batch)
        return top * b / (b + decodeBatchHalf)
    }
}

/// The scatter of iteration times (``Efficiency/stepJitter``): one factor per iteration,
/// from a fixed seed, so the offline and the real-time engine draw the same sequence.
struct StepJitter {
    private let sigma: Double
    private var random = SplitMix64(seed: 0x5eed_5eed)

    init(_ sigma: Double) { self.sigma = sigma }

    /// The next iteration's time for a modelled `seconds`.
    @inline(__always)
    mutating func apply(_ seconds: Double) -> Double {
        guard sigma > 0 else { return seconds }
        return seconds * exp(sigma * random.normal() - sigma * sigma / 2)
    }
}
