import Foundation
import XCTest
@testable import Sim

/// Scheduler policies with schedules worked out by hand, and the one scheduler core giving
/// the offline simulator and the real-time engine the same schedule.
final class SchedulerPolicyTests: XCTestCase {
    /// A 1B model on a GPU so fast that compute and memory time vanish below a double's
    /// precision: every iteration takes exactly the 1 s overhead, so a token streamed at
    /// the end of iteration k (from the start) is streamed at t = k.
    static func unitSteps(kvTokens: Int = 10_000) throws -> Deployment {
        let model = try ModelProfile(name: "tiny-1B", totalParams: 1e9, layers: 16, hiddenSize: 2048,
                                     attentionHeads: 16, kvHeads: 4, headDim: 64)
        let gpu = try GPUProfile(name: "instant", denseFLOPS: 1e40, memoryBandwidth: 1e40,
                                 memoryBytes: model.weightBytes + Double(kvTokens) * model.kvBytesPerToken + 1,
                                 powerWatts: 100)
        return try Deployment(gpu: gpu, model: model, efficiency: Efficiency(iterationOverhead: 1),
                              memoryFraction: 1, reservePerGPU: 0)
    }

    private func run(_ requests: [(Int, Int)], concurrency: Int, _ scheduler: SchedulerConfig) throws -> SimResult {
        try Simulator.run(requests: requests.map { SimRequest(inputTokens: $0.0, outputTokens: $0.1) },
                          load: .closed(concurrency: concurrency), deployment: Self.unitSteps(), scheduler: scheduler)
    }

    func testStaticBatchingRunsEachBatchToItsLongestMember() throws {
        // Four 10-token prompts with 2, 5, 3 and 1 output tokens, all sent at 0, two sequences at a time.
        let requests = [(10, 2), (10, 5), (10, 3), (10, 1)]
        let fixed = try run(requests, concurrency: 4, SchedulerConfig(maxSequences: 2, policy: .static))
        // Iteration 1 forms batch {0, 1} and prefills both (first tokens at 1); request 0
        // finishes at 2, but its slot stays empty until request 1's fifth token at 5.
        // Iteration 6 forms batch {2, 3}: request 3's only token at 6, request 2's at 6, 7, 8.
        XCTAssertEqual(fixed.records.map(\.chunkTimes), [[1, 2], [1, 2, 3, 4, 5], [6, 7, 8], [6]])
        XCTAssertEqual(fixed.iterations, 8)
        XCTAssertEqual(fixed.makespan, 8)
        XCTAssertEqual(fixed.peakRunning, 2)

        // Continuous batching fills request 0's slot at once: request 2 joins at iteration 3
        // (tokens at 3, 4, 5), request 3 at 6, when request 1 and 2 leave at 5.
        let continuous = try run(requests, concurrency: 4, SchedulerConfig(maxSequences: 2))
        XCTAssertEqual(continuous.records.map(\.chunkTimes), [[1, 2], [1, 2, 3, 4, 5], [3, 4, 5], [6]])
        XCTAssertEqual(continuous.iterations, 6)
    }

    func testStaticBatchesAreLimitedByTheTokenBudget() throws {
        // Without chunked prefill a batch takes prompts while they fit in 16 tokens: {0} (10),
        // then {1, 2} (8 + 8), then {3}.
        let requests = [(10, 2), (8, 1), (8, 3), (10, 1)]
        let result = try run(requests, concurrency: 4,
                             SchedulerConfig(maxSequences: 4, maxBatchedTokens: 16, chunkedPrefill: false, policy: .static))
        XCTAssertEqual(result.records.map(\.chunkTimes), [[1, 2], [3], [3, 4, 5], [6]])
    }

    func testPrefillPriorityAdmitsPromptsBeforeDecodes() throws {
        // Budget 11 tokens, no chunking, two clients. Request 0 (9 + 3) and request 1 (1 + 1)
        // start together; request 1 finishes at 1 and its client sends request 2 (11 + 1).
        let requests = [(9, 3), (1, 1), (11, 1)]
        func schedule(_ priority: SchedulingPriority) throws -> SimResult {
            try run(requests, concurrency: 2,
                    SchedulerConfig(maxSequences: 2, maxBatchedTokens: 11, chunkedPrefill: false, priority: priority))
        }
        // Decode priority: request 0's decodes take a token of the budget first, so the
        // 11-token prompt does not fit until request 0 finishes at 3; it streams at 4
        // (3 s after it was sent at 1).
        let decode = try schedule(.decode)
        XCTAssertEqual(decode.records.map(\.chunkTimes), [[1, 2, 3], [1], [3]])
        XCTAssertEqual(decode.records.map(\.sent), [0, 0, 1])
        // Prefill priority: iteration 2 is request 2's prefill alone (first token at 2, 1 s
        // after sending) and request 0's decode waits: its tokens come at 3 and 4.
        let prefill = try schedule(.prefill)
        XCTAssertEqual(prefill.records.map(\.chunkTimes), [[1, 3, 4], [1], [1]])
        XCTAssertEqual(decode.iterations, 4)
        XCTAssertEqual(prefill.iterations, 4)
    }

    func testPrefillPriorityFinishesChunkedPromptsBeforeDecoding() throws {
        // Chunks of 8 tokens: request 1's 20-token prompt takes iterations 2–4 (8 + 8 + 4),
        // and request 0 (4 + 3), which decodes from iteration 2, waits for it.
        let requests = [(4, 3), (20, 1)]
        let prefill = try Simulator.run(requests: requests.map { SimRequest(inputTokens: $0.0, outputTokens: $0.1) },
                                        load: .open(rate: 1, burstiness: nil, seed: 0), deployment: Self.unitSteps(),
                                        scheduler: SchedulerConfig(maxSequences: 2, maxBatchedTokens: 8, priority: .prefill))
        // Request 1 is sent at 1 (evenly spaced at 1/s): its chunks run in iterations 2, 3, 4.
        XCTAssertEqual(prefill.records.map(\.chunkTimes), [[1, 5, 6], [3]])
        let decode = try Simulator.run(requests: requests.map { SimRequest(inputTokens: $0.0, outputTokens: $0.1) },
                                       load: .open(rate: 1, burstiness: nil, seed: 0), deployment: Self.unitSteps(),
                                       scheduler: SchedulerConfig(maxSequences: 2, maxBatchedTokens: 8))
        // Decode first: request 0 decodes at 2 and 3 beside 7-token chunks; request 1's
        // prompt takes 7 + 7 + 6 tokens, its first token at 4.
        XCTAssertEqual(decode.records.map(\.chunkTimes), [[1, 2, 3], [3]])
    }

    /// Collects each request's token times on the real-time engine's virtual clock.
    private final class Timeline: @unchecked Sendable {
        private let lock = NSLock()
        private var times: [[Double]]
        weak var engine: RealTimeEngine?

        init(_ n: Int) { times = Array(repeating: [], count: n) }

        func add(_ request: Int, _ n: Int) {
            // Called on the engine's thread after the iteration that produced the tokens.
            let t = engine?.simulatedTime ?? -1
            lock.withLock { times[request].append(contentsOf: repeatElement(t, count: n)) }
        }

        var all: [[Double]] { lock.withLock { times } }
    }

    func testOfflineAndRealTimeEnginesProduceTheSameSchedule() throws {
        // 120 requests of varied lengths in a cache of about 3,000 tokens: many preemptions.
        // With scattered step times too: both engines draw the same factors in the same order.
        for jitter in [0, 0.2] {
            var deployment = try RealTimeEngineTests.tiny(kvTokens: 3_000)
            deployment.efficiency.stepJitter = jitter
            try sameSchedule(deployment)
        }
    }

    private func sameSchedule(_ deployment: Deployment) throws {
        let requests = (0..<120).map { i in SimRequest(inputTokens: 20 + (i * 37) % 300, outputTokens: 5 + (i * 53) % 120) }
        let configs: [SchedulerConfig] = [
            try SchedulerConfig(maxSequences: 32, maxBatchedTokens: 512),
            try SchedulerConfig(maxSequences: 32, maxBatchedTokens: 512, priority: .prefill),
            try SchedulerConfig(maxSequences: 32, maxBatchedTokens: 512, policy: .static),
            try SchedulerConfig(maxSequences: 16, maxBatchedTokens: 512, chunkedPrefill: false, policy: .static,
                                priority: .prefill),
        ]
        for config in configs {
            // All requests present from the start: the offline closed loop sends them all at 0.
            let offline = try Simulator.run(requests: requests, load: .closed(concurrency: requests.count),
                                            deployment: deployment, scheduler: config)
            let engine = RealTimeEngine(deployment: deployment, scheduler: config, paced: false)
            let timeline = Timeline(requests.count)
            timeline.engine = engine
            for (i, r) in requests.enumerated() {
                _ = try engine.submit(inputTokens: r.inputTokens, outputTokens: r.outputTokens) { timeline.add(i, $0) }
            }
            engine.start()
            let deadline = Date().addingTimeInterval(30)
            while engine.snapshot().finished < requests.count, Date() < deadline { usleep(1_000) }
            let s = engine.snapshot()
            engine.stop()
            let label = "\(config), step jitter \(deployment.efficiency.stepJitter)"
            XCTAssertEqual(s.finished, requests.count, label)
            XCTAssertEqual(s.iterations, offline.iterations, label)
            XCTAssertEqual(s.preemptions, offline.preemptions, label)
            XCTAssertEqual(s.kvBlocksUsed, 0)
            // Token for token, the same iteration ends on the same virtual clock.
            XCTAssertEqual(timeline.all, offline.records.map(\.chunkTimes), label)
            if config.policy == .continuous {
                XCTAssertGreaterThan(offline.preemptions, 10, "the workload exercises preemption")
            }
        }
    }
}
