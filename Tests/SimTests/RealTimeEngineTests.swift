import Foundation
import Metrics
import Sim
import XCTest

/// Collects one request's token arrivals from the engine's thread.
private final class Arrivals: @unchecked Sendable {
    private let lock = NSLock()
    private var times: [Double] = []
    private let start: Double

    init() { start = Arrivals.now() }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    func add(_ n: Int) {
        let t = Arrivals.now() - start
        lock.withLock { times.append(contentsOf: repeatElement(t, count: n)) }
    }

    var count: Int { lock.withLock { times.count } }
    var all: [Double] { lock.withLock { times } }
}

/// The real-time engine: the offline simulator's timing and rules, on the wall clock.
/// Tolerances are wide: these run on a shared, noisy machine.
final class RealTimeEngineTests: XCTestCase {
    /// A 1B-parameter model on a GPU slow enough in compute that batching shows, with
    /// steps of a few milliseconds (so a test takes well under a second).
    static func tiny(kvTokens: Int? = nil) throws -> Deployment {
        let model = try ModelProfile(name: "tiny-1B", totalParams: 1e9, layers: 16, hiddenSize: 2048,
                                     attentionHeads: 16, kvHeads: 4, headDim: 64)
        let memory = kvTokens.map { model.weightBytes + Double($0) * model.kvBytesPerToken + 1 } ?? 80e9
        let gpu = try GPUProfile(name: "test-gpu", denseFLOPS: 2e13, memoryBandwidth: 2e12, memoryBytes: memory,
                                 powerWatts: 100)
        return try Deployment(gpu: gpu, model: model, efficiency: Efficiency(iterationOverhead: 0.003),
                              memoryFraction: 1, reservePerGPU: 0)
    }

    /// Waits until `condition` holds or `timeout` seconds pass.
    private func wait(_ timeout: Double, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if condition() { return true }
            usleep(2_000)
        }
        return condition()
    }

    func testOneRequestMatchesTheOfflineSimulator() throws {
        let deployment = try Self.tiny()
        let offline = try Simulator.run(requests: [SimRequest(inputTokens: 300, outputTokens: 40)],
                                        load: .closed(concurrency: 1), deployment: deployment)
        let expected = offline.records[0].chunkTimes
        let engine = RealTimeEngine(deployment: deployment)
        engine.start()
        defer { engine.stop() }
        let arrivals = Arrivals()
        _ = try engine.submit(inputTokens: 300, outputTokens: 40) { arrivals.add($0) }
        XCTAssertTrue(wait(5) { arrivals.count == 40 }, "got \(arrivals.count) of 40 tokens")
        let got = arrivals.all
        XCTAssertEqual(got.count, 40)
        guard let ttft = got.first, let e2e = got.last, let ttftSim = expected.first, let e2eSim = expected.last else { return }
        // Absolute deadlines: the end stays on schedule even when single wake-ups are late.
        XCTAssertEqual(ttft, ttftSim, accuracy: ttftSim * 0.5 + 0.01, "ttft \(ttft) vs simulated \(ttftSim)")
        XCTAssertEqual(e2e, e2eSim, accuracy: e2eSim * 0.3 + 0.01, "e2e \(e2e) vs simulated \(e2eSim)")
        let s = engine.snapshot()
        XCTAssertEqual(s.finished, 1)
        XCTAssertEqual(s.generatedTokens, 40)
        XCTAssertEqual(s.running, 0)
        XCTAssertEqual(s.kvBlocksUsed, 0)
        XCTAssertEqual(s.iterations, offline.iterations)
    }

    func testMoreConcurrentRequestsMeanLongerTokens() throws {
        let deployment = try Self.tiny()
        func meanTPOT(_ n: Int) throws -> Double {
            let engine = RealTimeEngine(deployment: deployment)
            engine.start()
            defer { engine.stop() }
            let all = (0..<n).map { _ in Arrivals() }
            for a in all { _ = try engine.submit(inputTokens: 20, outputTokens: 30) { a.add($0) } }
            XCTAssertTrue(wait(10) { all.allSatisfy { $0.count == 30 } })
            let tpots = all.map { a -> Double in
                let t = a.all
                guard let first = t.first, let last = t.last, t.count > 1 else { return 0 }
                return (last - first) / Double(t.count - 1)
            }
            return tpots.reduce(0, +) / Double(n)
        }
        let alone = try meanTPOT(1), crowded = try meanTPOT(48)
        // The roofline says 4.25 ms alone and about 11 ms at 48 (compute-bound); ask for less.
        XCTAssertGreaterThan(crowded, alone * 1.5, "alone \(alone) s, 48 at once \(crowded) s")
    }

    func testAFullCacheQueuesAndPreempts() throws {
        // About 1,000 tokens of cache (62 blocks); ten requests of 100 + 100 tokens need twice that.
        let deployment = try Self.tiny(kvTokens: 1_000)
        let engine = RealTimeEngine(deployment: deployment)
        let all = (0..<10).map { _ in Arrivals() }
        for a in all { _ = try engine.submit(inputTokens: 100, outputTokens: 100) { a.add($0) } }
        XCTAssertEqual(engine.snapshot().waiting, 10, "submissions wait until start()")
        engine.start()
        defer { engine.stop() }
        var sawWaiting = false, peakUsage = 0.0
        XCTAssertTrue(wait(20) {
            let s = engine.snapshot()
            if s.running > 0, s.waiting > 0 { sawWaiting = true }
            peakUsage = max(peakUsage, s.kvCacheUsage)
            return s.finished == 10
        })
        let s = engine.snapshot()
        XCTAssertTrue(sawWaiting)
        XCTAssertGreaterThan(peakUsage, 0.8)
        XCTAssertGreaterThan(s.preemptions, 0)
        XCTAssertEqual(all.map(\.count), Array(repeating: 100, count: 10), "every token exactly once, preempted or not")
        XCTAssertEqual(s.kvBlocksUsed, 0)
        // The offline simulator preempts under the same rules.
        let offline = try Simulator.run(requests: Array(repeating: SimRequest(inputTokens: 100, outputTokens: 100), count: 10),
                                        load: .closed(concurrency: 10), deployment: deployment)
        XCTAssertEqual(s.preemptions, offline.preemptions)
        XCTAssertEqual(s.iterations, offline.iterations)
    }

    func testCancelFreesTheCache() throws {
        let deployment = try Self.tiny(kvTokens: 1_000)
        let engine = RealTimeEngine(deployment: deployment)
        engine.start()
        defer { engine.stop() }
        let long = Arrivals(), next = Arrivals()
        let ticket = try engine.submit(inputTokens: 600, outputTokens: 390) { long.add($0) }
        XCTAssertTrue(wait(5) { long.count > 0 })
        // 500 more tokens of prompt do not fit beside the first request's 600+.
        _ = try engine.submit(inputTokens: 500, outputTokens: 10) { next.add($0) }
        XCTAssertTrue(wait(2) { engine.snapshot().waiting == 1 })
        XCTAssertEqual(next.count, 0)
        engine.cancel(ticket)
        XCTAssertTrue(wait(5) { next.count == 10 }, "the waiting request runs once the cache is freed")
        let s = engine.snapshot()
        XCTAssertEqual(s.cancelled, 1)
        XCTAssertEqual(s.finished, 1)
        XCTAssertEqual(s.kvBlocksUsed, 0)
        XCTAssertLessThan(long.count, 390)
    }

    func testRequestsThatCanNeverRunAreRejectedAtOnce() throws {
        let engine = RealTimeEngine(deployment: try Self.tiny(kvTokens: 1_000))
        engine.start()
        XCTAssertThrowsError(try engine.submit(inputTokens: 900, outputTokens: 200) { _ in XCTFail("called") }) { error in
            XCTAssertEqual("\(error)", "request 1 needs 1100 tokens of KV cache (input + output), more than the whole cache of 992 tokens")
        }
        XCTAssertThrowsError(try engine.submit(inputTokens: 0, outputTokens: 1) { _ in })
        engine.stop()
        XCTAssertThrowsError(try engine.submit(inputTokens: 1, outputTokens: 1) { _ in }) { error in
            XCTAssertTrue(error is RealTimeEngine.Stopped)
        }
        engine.stop()  // idempotent
        XCTAssertEqual(engine.snapshot().running, 0)
    }
}
