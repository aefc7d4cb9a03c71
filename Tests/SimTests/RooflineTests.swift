import XCTest
@testable import Sim

final class RooflineTests: XCTestCase {
    // Llama-2-7B on an A100 at the defaults: weights 6.74e9 × 2 = 13.48 GB, KV
    // 524,288 bytes per token, bandwidth 2.039e12 × 0.8 = 1.6312e12 B/s, compute
    // 312e12 × 0.6 = 1.872e14 FLOP/s, overhead 1 ms.

    func testBatchOneDecodeIsTheWeightReadPlusOverhead() throws {
        let t = try Fixture.llama2OnA100().iterationTime(decodeContexts: [0])
        // bytes = 13.48e9 + 524,288 (the new token's KV); 13,480,524,288 / 1.6312e12 = 8.2642 ms.
        XCTAssertEqual(t.bytes, 13_480_524_288)
        XCTAssertEqual(t.memoryTime, 0.0082642, accuracy: 1e-6)
        // flops = 2 × 6.74e9 + 4 × 32 × 4096 × 1 = 1.348e10 + 524,288.
        XCTAssertEqual(t.flops, 13_480_524_288)
        XCTAssertFalse(t.isComputeBound)
        XCTAssertEqual(t.allReduceTime, 0)
        // 9.26 ms: gpus.md's measured 9.3 ms for batch-1 decode of a 7B model on an A100.
        XCTAssertEqual(t.total, 0.0092642, accuracy: 1e-6)
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
        XCTAssertEqual(batch.total, 0.019559, accuracy: 1e-6)
    }

    func testLongPrefillIsComputeBound() throws {
        let t = try Fixture.llama2OnA100().iterationTime(prefill: [PrefillChunk(tokens: 2048)])
        // flops = 2 × 6.74e9 × 2048 + 4 × 32 × 4096 × (2048 × 2049 / 2) = 2.8707e13; ÷ 1.872e14 = 153.35 ms.
        XCTAssertTrue(t.isComputeBound)
        XCTAssertEqual(t.computeTime, 0.15335, accuracy: 1e-5)
        XCTAssertEqual(t.total, 0.15435, accuracy: 1e-5)
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
        XCTAssertEqual(one.bytes, 12.9e9 * 2 + 131_072, accuracy: 1e3)
        XCTAssertEqual(many.bytes, 46.7e9 * 2 + 64 * 131_072, accuracy: 1e3)
    }
}
