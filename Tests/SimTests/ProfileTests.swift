import XCTest
@testable import Sim

final class ProfileTests: XCTestCase {
    func testGPUNamesMatchLooselyAndByAlias() throws {
        XCTAssertEqual(try GPUProfile.named("a800 80g").name, "A800-80G")
        XCTAssertEqual(try GPUProfile.named("A800").name, "A800-80G")
        XCTAssertEqual(try GPUProfile.named("h100_sxm").name, "H100-SXM")
        XCTAssertEqual(try GPUProfile.named("H100").name, "H100-SXM")
        XCTAssertEqual(try GPUProfile.named("4090").name, "RTX-4090")
        for name in ["A800-80G", "A100-80G-SXM", "H100-SXM", "H200", "L40S", "L4", "B200", "MI300X", "RTX-4090"] {
            XCTAssertNoThrow(try GPUProfile.named(name), name)
        }
        XCTAssertThrowsError(try GPUProfile.named("TPU-v5")) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown GPU \"TPU-v5\"; known: A800-80G, A100-80G-SXM"), "\(error)")
        }
    }

    func testGPUPresetFiguresAreDenseDatasheetOnes() throws {
        let h200 = try GPUProfile.named("H200")
        XCTAssertEqual(h200.denseFLOPS, 989e12)
        XCTAssertEqual(h200.memoryBandwidth, 4.8e12)
        XCTAssertEqual(h200.memoryBytes, 141e9)
        XCTAssertEqual(try GPUProfile.named("MI300X").denseFLOPS, 1_307e12)
    }

    func testModelNamesAndDerivedSizes() throws {
        let llama = try ModelProfile.named("meta-llama-3.1-8b-instruct")
        XCTAssertEqual(llama.name, "Llama-3.1-8B")
        // 2 × 32 layers × 8 KV heads × 128 × 2 bytes = 131,072 bytes.
        XCTAssertEqual(llama.kvBytesPerToken, 131_072)
        XCTAssertEqual(llama.weightBytes, 16.06e9, accuracy: 1e6)
        // gpus.md: Llama-2-7B fp16 holds 512 KiB of KV per token.
        XCTAssertEqual(try ModelProfile.named("llama2-7b").kvBytesPerToken, 512 * 1024)
        XCTAssertThrowsError(try ModelProfile.named("gpt-5"))
    }

    func testMoEReadsActiveWeightsForOneTokenAndNearlyAllForABigBatch() throws {
        let mixtral = try ModelProfile.named("Mixtral-8x7B")
        XCTAssertTrue(mixtral.isMixtureOfExperts)
        // The untied embedding table (32,000 × 4096 × 2 B) is looked up, not read whole.
        let embedding = 32_000.0 * 4096 * 2
        XCTAssertEqual(mixtral.weightBytesRead(tokens: 1), 12.9e9 * 2 - embedding, accuracy: 1e3)
        // 2 of 8 experts per token: 64 tokens miss a given expert with probability 0.75^64 ≈ 1e-8.
        XCTAssertEqual(mixtral.weightBytesRead(tokens: 64), mixtral.weightBytes - embedding, accuracy: 1e3)
        let two = mixtral.weightBytesRead(tokens: 2)
        XCTAssertGreaterThan(two, mixtral.weightBytesRead(tokens: 1))
        XCTAssertLessThan(two, mixtral.weightBytes)
        let dense = try ModelProfile.named("Qwen2.5-32B")
        XCTAssertEqual(dense.weightBytesRead(tokens: 1), dense.weightBytes - 152_064 * 5120 * 2)
    }

    func testValidatingInitsNameTheBadField() {
        XCTAssertThrowsError(try GPUProfile(name: "x", denseFLOPS: 1e12, memoryBandwidth: -1, memoryBytes: 1e9,
                                            powerWatts: 1)) { error in
            XCTAssertEqual("\(error)", "memoryBandwidth must be a finite number > 0, got -1")
        }
        XCTAssertThrowsError(try GPUProfile(name: " ", denseFLOPS: 1, memoryBandwidth: 1, memoryBytes: 1, powerWatts: 1))
        XCTAssertThrowsError(try ModelProfile(name: "m", totalParams: 1e9, activeParams: 2e9, layers: 2, hiddenSize: 64,
                                              attentionHeads: 4, kvHeads: 4, experts: 8, expertsPerToken: 2)) { error in
            XCTAssertTrue("\(error)".hasPrefix("activeParams must be ≤ totalParams"), "\(error)")
        }
        XCTAssertThrowsError(try ModelProfile(name: "m", totalParams: 1e9, layers: 2, hiddenSize: 64,
                                              attentionHeads: 4, kvHeads: 8)) { error in
            XCTAssertEqual("\(error)", "kvHeads must be in 1...4, got 8")
        }
        XCTAssertThrowsError(try Efficiency(mfu: 1.5)) { error in
            XCTAssertEqual("\(error)", "mfu must be in (0, 1], got 1.5")
        }
        XCTAssertThrowsError(try SchedulerConfig(maxSequences: 512, maxBatchedTokens: 256)) { error in
            XCTAssertEqual("\(error)", "maxBatchedTokens must be in 512...100000000, got 256")
        }
        XCTAssertNoThrow(try ModelProfile(name: "tiny", totalParams: 1e8, layers: 4, hiddenSize: 256,
                                          attentionHeads: 4, kvHeads: 2))
    }

    func testAModelThatDoesNotFitIsAClearError() throws {
        XCTAssertThrowsError(try Deployment(gpu: GPUProfile.named("L4"), model: ModelProfile.named("Llama-3.1-70B"))) { error in
            XCTAssertEqual("\(error)", "Llama-3.1-70B needs 141 GB of weights; 1 × L4 has 21.6 GB usable")
        }
        // Weights fit (16.1 of 16.8 GB) but the 1 GB reserve leaves no cache.
        XCTAssertThrowsError(try Deployment(gpu: GPUProfile.named("L4"), model: ModelProfile.named("Llama-3.1-8B"),
                                            memoryFraction: 0.7)) { error in
            XCTAssertTrue("\(error)".hasSuffix("leaving no room for the KV cache"), "\(error)")
        }
        // Two H100s hold it: 2 × 80 × 0.9 = 144 GB.
        XCTAssertNoThrow(try Deployment(gpu: GPUProfile.named("H100"), count: 2, model: ModelProfile.named("Llama-3.1-70B")))
    }

    func testKVCapacityFollowsTheMemorySplit() throws {
        // (80 GB × 0.9 − 16.06 GB − 1 GB) ÷ 131,072 bytes = 419,158 tokens.
        let d = try Fixture.llama3OnA100()
        XCTAssertEqual(d.kvCapacityTokens, Int((72e9 - 16.06e9 - 1e9) / 131_072))
        XCTAssertEqual(d.kvCapacityTokens, 419_158)
    }
}
