import XCTest
@testable import Sim

final class RooflineTests: XCTestCase {
    // Llama-2-7B on an A100 at the defaults: 6.74e9 parameters, of which the embedding
    // and the (untied) LM head are 32,000 × 4096 = 131,072,000 each, so 6,477,856,000 in
    // the layers. Weights read per iteration: all but the embedding table (a lookup):
    // 6,608,928,000 × 2 B = 13,217,856,000 B. KV 524,288 B per token, bandwidth
    // 2.039e12 × 0.8 = 1.6312e12 B/s, compute 312e12 × 0.6 = 1.872e14 FLOP/s, overhead 1 ms.

    func testBatchOneDecodeIsTheWeightReadPlusOverhead() throws {
        let t = try Fixture.llama2OnA100().iterationTime(decodeContexts: [0])
        // bytes = 13,217,856,000 + 524,288 (the new token's KV); ÷ 1.6312e12 = 8.10347 ms.
        XCTAssertEqual(t.bytes, 13_218_380_288)
        XCTAssertEqual(t.memoryTime, 0.00810347, accuracy: 1e-7)
        // flops = 2 × 6,477,856,000 (layers) + 2 × 131,072,000 (LM head, once) + 4 × 32 × 4096 × 1 (attention).
        XCTAssertEqual(t.flops, 12_955_712_000 + 262_144_000 + 524_288)
        XCTAssertFalse(t.isComputeBound)
        XCTAssertEqual(t.allReduceTime, 0)
        // 9.1 ms: gpus.md's measured 9.3 ms for batch-1 decode of a 7B model on an A100.
        XCTAssertEqual(t.total, 0.00910347, accuracy: 1e-7)
    }

    func testDecodeTimeScalesWithBytesMoved() throws {
        let d = try Fixture.llama2OnA100()
        let one = d.iterationTime(decodeContexts: [0])
        let batch = d.iterationTime(decodeContexts: Array(repeating: 1000, count: 32))
        // 32 sequences read 32 × 1000 more tokens of KV: 32,000 × 524,288 B / 1.6312e12 B/s = 10.285 ms more
        // (plus 31 more tokens written).
        let extraBytes = 32.0 * 1000 * 524_288 + 31 * 524_288
        XCTAssertEqual(batch.bytes - one.bytes, extraBytes)
        XCTAssertEqual(batch.total - one.total, extraBytes / 1.6312e12, accuracy: 1e-9)
        XCTAssertEqual(batch.total, 0.0193986, accuracy: 1e-6)
    }

    func testLongPrefillIsComputeBound() throws {
        let t = try Fixture.llama2OnA100().iterationTime(prefill: [PrefillChunk(tokens: 2048)])
        // flops = 2 × 6,477,856,000 × 2048 (layers) + 4 × 32 × 4096 × (2048 × 2049 / 2) (attention)
        //       + 2 × 131,072,000 (the LM head, for the last position only)
        //       = 26,533,298,176,000 + 1,100,048,498,688 + 262,144,000 = 27,633,608,818,688; ÷ 1.872e14 = 147.615 ms.
        XCTAssertEqual(t.flops, 27_633_608_818_688)
        XCTAssertTrue(t.isComputeBound)
        XCTAssertEqual(t.computeTime, 0.147615, accuracy: 1e-6)
        XCTAssertEqual(t.total, 0.148615, accuracy: 1e-6)
        // A chunk that does not end its prompt needs no logits: the LM head's FLOPs less.
        let partial = try Fixture.llama2OnA100().iterationTime(prefill: [PrefillChunk(tokens: 2048, completesPrompt: false)])
        XCTAssertEqual(t.flops - partial.flops, 2 * 131_072_000)
        // A second chunk after the first attends to the 2048 cached tokens too: more FLOPs.
        let second = try Fixture.llama2OnA100().iterationTime(prefill: [PrefillChunk(tokens: 2048, priorContext: 2048)])
        XCTAssertEqual(second.flops - t.flops, 4 * 32 * 4096 * 2048.0 * 2048, accuracy: 1)
    }

    func testTensorParallelShortensDecodeButNotByHalf() throws {
        let one = try Fixture.llama3OnA100().iterationTime(decodeContexts: Array(repeating: 500, count: 64))
        let two = try Fixture.llama3OnA100(count: 2).iterationTime(decodeContexts: Array(repeating: 500, count: 64))
        XCTAssertEqual(two.memoryTime, one.memoryTime / 2, accuracy: 1e-12)
        XCTAssertGreaterThan(two.allReduceTime, 0)
        // 2 × 32 layers × (2 × ½ × 64 tokens × 4096 × 2 B ÷ 150e9 B/s + 10 µs) = 0.864 ms.
        XCTAssertEqual(two.allReduceTime, 64 * (64 * 4096 * 2 / 150e9 + 10e-6), accuracy: 1e-12)
        XCTAssertLessThan(two.total, one.total)
        XCTAssertGreaterThan(two.total, one.total / 2)
    }

    func testMixtureOfExpertsDecodeReadsOnlyActiveExpertsAtBatchOne() throws {
        let d = try Deployment(gpu: GPUProfile.named("H100"), count: 2, model: ModelProfile.named("Mixtral-8x7B"))
        let one = d.iterationTime(decodeContexts: [0])
        let many = d.iterationTime(decodeContexts: Array(repeating: 0, count: 64))
        // Active (or all) weights less the untied embedding table, 32,000 × 4096 × 2 B.
        XCTAssertEqual(one.bytes, 12.9e9 * 2 - 262_144_000 + 131_072, accuracy: 1e3)
        XCTAssertEqual(many.bytes, 46.7e9 * 2 - 262_144_000 + 64 * 131_072, accuracy: 1e3)
    }

    /// A CPU-like box where decode is bound by compute: 100 GFLOP/s peak, bandwidth too
    /// high to matter, a 10 M-parameter model with no vocabulary given (every parameter is
    /// matmul work): 2e7 FLOPs per token, attention ignored at context 0 (4 × 2 × 64 × 1).
    func testDecodeEfficiencyDependsOnTheBatch() throws {
        let gpu = try GPUProfile(name: "cpu", denseFLOPS: 1e11, memoryBandwidth: 1e18, memoryBytes: 64e9, powerWatts: 65)
        let model = try ModelProfile(name: "tiny", totalParams: 1e7, layers: 2, hiddenSize: 64, attentionHeads: 1, kvHeads: 1)
        let e = try Efficiency(mfu: 0.5, mbu: 0.8, iterationOverhead: 0, decodeMFU: 0.4, decodeBatchHalf: 4)
        let d = try Deployment(gpu: gpu, model: model, efficiency: e, memoryFraction: 0.9, reservePerGPU: 0)
        // Batch 1: efficiency 0.4 × 1/(1 + 4) = 0.08; (2e7 + 512) FLOPs ÷ (1e11 × 0.08) = 2.50064 ms.
        XCTAssertEqual(d.iterationTime(decodeContexts: [0]).total, (2e7 + 512) / 8e9, accuracy: 1e-12)
        // Batch 4: 0.4 × 4/8 = 0.2; 4 × (2e7 + 512) ÷ 2e10 = 4.0001 ms: 4 tokens for 1.6× the time.
        XCTAssertEqual(d.iterationTime(decodeContexts: [0, 0, 0, 0]).total, 4 * (2e7 + 512) / 2e10, accuracy: 1e-12)
        // Prefill keeps its own efficiency: 100 tokens, 2e9 + 4 × 2 × 64 × 5050 FLOPs ÷ 5e10.
        XCTAssertEqual(d.iterationTime(prefill: [PrefillChunk(tokens: 100)]).total, (2e9 + 4 * 2 * 64 * 5050.0) / 5e10,
                       accuracy: 1e-12)
        // A per-sequence overhead adds to each sequence in the batch.
        var withSeq = d
        withSeq.efficiency.sequenceOverhead = 0.001
        XCTAssertEqual(withSeq.iterationTime(decodeContexts: [0, 0]).total - d.iterationTime(decodeContexts: [0, 0]).total,
                       0.002, accuracy: 1e-12)
        // A batch overhead adds once to every iteration of more than one sequence, not to a lone one.
        var withBatch = d
        withBatch.efficiency.batchOverhead = 0.005
        XCTAssertEqual(withBatch.iterationTime(decodeContexts: [0]).total, d.iterationTime(decodeContexts: [0]).total)
        for contexts in [[0, 0], [0, 0, 0, 0]] {
            XCTAssertEqual(withBatch.iterationTime(decodeContexts: contexts).total - d.iterationTime(decodeContexts: contexts).total,
                           0.005, accuracy: 1e-12)
        }
        let prompt = [PrefillChunk(tokens: 100)]
        XCTAssertEqual(withBatch.iterationTime(prefill: prompt).total, d.iterationTime(prefill: prompt).total)
        let prompts = [PrefillChunk(tokens: 100), PrefillChunk(tokens: 3)]
        XCTAssertEqual(withBatch.iterationTime(prefill: prompts).total - d.iterationTime(prefill: prompts).total, 0.005, accuracy: 1e-12)
        // A prompt beside one decoding sequence: two sequences.
        XCTAssertEqual(withBatch.iterationTime(prefill: prompt, decodeContexts: [0]).total
                       - d.iterationTime(prefill: prompt, decodeContexts: [0]).total, 0.005, accuracy: 1e-12)
    }
}
