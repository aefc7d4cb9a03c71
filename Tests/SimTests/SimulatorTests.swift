import XCTest
import Metrics
@testable import Sim

final class SimulatorTests: XCTestCase {
    func testOneRequestStreamsOneChunkPerTokenAtIterationEnds() throws {
        let d = try Fixture.llama2OnA100()
        let result = try Simulator.run(requests: [SimRequest(inputTokens: 100, outputTokens: 3)],
                                       load: .closed(concurrency: 1), deployment: d)
        // Iteration 1 prefills the 100-token prompt and emits token 1; iterations 2 and 3
        // decode with 100, then 101 tokens in the cache.
        let t1 = d.iterationTime(prefill: [PrefillChunk(tokens: 100)]).total
        let t2 = d.iterationTime(decodeContexts: [100]).total
        let t3 = d.iterationTime(decodeContexts: [101]).total
        let record = try XCTUnwrap(result.records.first)
        XCTAssertEqual(record.chunkTimes, [t1, t1 + t2, t1 + t2 + t3])
        XCTAssertEqual(record.sent, 0)
        XCTAssertEqual(try XCTUnwrap(record.ttft), t1, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(record.e2e), t1 + t2 + t3, accuracy: 1e-15)
        XCTAssertNil(record.intended)
        XCTAssertEqual(record.inputTokens, 100)
        XCTAssertEqual(record.outputTokens, 3)
        XCTAssertFalse(record.tokensApproximate)
        XCTAssertEqual(record.status, .ok)
        XCTAssertEqual(record.httpStatus, 200)
        XCTAssertEqual(result.iterations, 3)
        XCTAssertEqual(result.makespan, t1 + t2 + t3, accuracy: 1e-15)
        XCTAssertEqual(result.preemptions, 0)
    }

    func testRecordsSummariseLikeMeasuredOnes() throws {
        let requests = (0..<200).map { SimRequest(inputTokens: 200 + 7 * ($0 % 50), outputTokens: 20 + $0 % 30) }
        let result = try Simulator.run(requests: requests, load: .closed(concurrency: 16),
                                       deployment: Fixture.llama3OnA100())
        let summary = result.summary
        XCTAssertEqual(summary.requests, 200)
        XCTAssertEqual(summary.succeeded, 200)
        XCTAssertEqual(summary.outputTokens, requests.reduce(0) { $0 + $1.outputTokens })
        XCTAssertFalse(summary.tokensApproximate)
        let ttft = try XCTUnwrap(summary.ttft), e2e = try XCTUnwrap(summary.e2e), tpot = try XCTUnwrap(summary.tpot)
        XCTAssertLessThan(ttft.mean, e2e.mean)
        XCTAssertGreaterThan(tpot.min, 0)
        XCTAssertEqual(summary.achievedConcurrency, 16, accuracy: 1.5)
        XCTAssertEqual(summary.makespan, result.makespan, accuracy: 1e-9)
        for (i, record) in result.records.enumerated() {
            XCTAssertEqual(record.index, i)
            XCTAssertEqual(record.chunkTimes.count, requests[i].outputTokens)
            XCTAssertEqual(record.chunkTimes.first, record.ttft)
            XCTAssertEqual(try XCTUnwrap(record.chunkTimes.last), try XCTUnwrap(record.e2e), accuracy: 1e-9)
            XCTAssertEqual(record.chunkGaps.filter { $0 <= 0 }, [])
        }
    }

    func testInterTokenLatencyWithoutChunkTimesIsTheChunkGapsSample() throws {
        // Preemptions (a tight cache) give gaps that span several iterations too.
        let requests = (0..<300).map { SimRequest(inputTokens: 100 + 13 * ($0 % 40), outputTokens: 5 + $0 % 60) }
        let d = try Fixture.llama3OnA100()
        for load in [SimLoad.closed(concurrency: 24), .open(rate: 40, burstiness: 1, seed: 3)] {
            let full = try Simulator.run(requests: requests, load: load, deployment: d)
            let lean = try Simulator.run(requests: requests, load: load, deployment: d, chunkTimes: false)
            let gaps = try XCTUnwrap(LatencyStats(full.records.flatMap(\.chunkGaps)))
            for itl in [try XCTUnwrap(full.summary.itl), try XCTUnwrap(lean.summary.itl)] {
                XCTAssertEqual(itl.count, gaps.count)
                for (a, b) in [(itl.mean, gaps.mean), (itl.stdev, gaps.stdev), (itl.min, gaps.min), (itl.p50, gaps.p50),
                               (itl.p90, gaps.p90), (itl.p99, gaps.p99), (itl.max, gaps.max)] {
                    XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)))
                }
            }
            XCTAssertEqual(lean.records.map(\.chunkTimes.count).max(), 0)
            XCTAssertEqual(lean.records.map(\.e2e), full.records.map(\.e2e))
            XCTAssertEqual(lean.records.map(\.ttft), full.records.map(\.ttft))
        }
    }

    func testThroughputRisesWithConcurrencyThenPlateaus() throws {
        let d = try Fixture.llama3OnA100()
        let scheduler = try SchedulerConfig(maxSequences: 64)
        func throughput(_ concurrency: Int) throws -> Double {
            let result = try Simulator.run(requests: Fixture.requests(256, input: 128, output: 32),
                                           load: .closed(concurrency: concurrency), deployment: d, scheduler: scheduler)
            return result.summary.outputThroughput
        }
        let t1 = try throughput(1), t8 = try throughput(8), t64 = try throughput(64), t128 = try throughput(128)
        // Decode is bound by reading the weights, so batching 8 nearly multiplies throughput by 8.
        XCTAssertGreaterThan(t8, 5 * t1)
        XCTAssertGreaterThan(t64, 2 * t8)
        // Above max_num_seqs the extra requests only queue.
        XCTAssertEqual(t128 / t64, 1, accuracy: 0.05)
    }

    func testTTFTGrowsOnceTheKVCacheIsFull() throws {
        // 500 + 250 tokens each: a 12,000-token cache holds about 15 such sequences.
        let requests = Fixture.requests(120, input: 500, output: 250)
        let roomy = try Simulator.run(requests: requests, load: .closed(concurrency: 48),
                                      deployment: Fixture.llama3OnA100())
        let tight = try Simulator.run(requests: requests, load: .closed(concurrency: 48),
                                      deployment: Fixture.smallCache(kvTokens: 12_000))
        XCTAssertEqual(tight.kvCapacityTokens, 12_000)
        XCTAssertLessThanOrEqual(tight.peakRunning, 24)
        XCTAssertEqual(roomy.peakRunning, 48)
        let roomyTTFT = try XCTUnwrap(roomy.summary.ttft?.mean), tightTTFT = try XCTUnwrap(tight.summary.ttft?.mean)
        XCTAssertGreaterThan(tightTTFT, 5 * roomyTTFT)
        // With the cache below the concurrency, fewer requests run at once; each is faster.
        XCTAssertLessThan(try XCTUnwrap(tight.summary.tpot?.mean), try XCTUnwrap(roomy.summary.tpot?.mean))
    }

    func testPreemptionHappensAndIsCountedWhenKVIsTight() throws {
        // Short prompts are admitted eagerly; their long outputs then outgrow the cache.
        let requests = Fixture.requests(40, input: 32, output: 400)
        let result = try Simulator.run(requests: requests, load: .closed(concurrency: 40),
                                       deployment: Fixture.smallCache(kvTokens: 4_000))
        XCTAssertGreaterThan(result.preemptions, 0)
        XCTAssertEqual(result.preemptionsPerRequest.reduce(0, +), result.preemptions)
        XCTAssertEqual(result.preemptionsPerRequest.count, 40)
        // Preempted requests still finish with every token, streamed in order.
        for record in result.records {
            XCTAssertEqual(record.chunkTimes.count, 400)
            XCTAssertEqual(record.chunkGaps.filter { $0 <= 0 }, [])
        }
        // The same load with room for everything preempts nothing.
        let roomy = try Simulator.run(requests: requests, load: .closed(concurrency: 40),
                                      deployment: Fixture.llama3OnA100())
        XCTAssertEqual(roomy.preemptions, 0)
    }

    func testTheSameSeedGivesIdenticalRecords() throws {
        let requests = (0..<150).map { SimRequest(inputTokens: 100 + $0 % 300, outputTokens: 10 + $0 % 40) }
        let d = try Fixture.llama3OnA100()
        let load = SimLoad.open(rate: 20, burstiness: 0.5, seed: 7)
        let a = try Simulator.run(requests: requests, load: load, deployment: d)
        let b = try Simulator.run(requests: requests, load: load, deployment: d)
        XCTAssertEqual(a, b)
        let c = try Simulator.run(requests: requests, load: .open(rate: 20, burstiness: 0.5, seed: 8), deployment: d)
        XCTAssertNotEqual(a.records.map(\.sent), c.records.map(\.sent))
    }

    func testOpenLoopSendsOnScheduleAndRecordsIntendedTimes() throws {
        let d = try Fixture.llama3OnA100()
        let even = try Simulator.run(requests: Fixture.requests(10, input: 50, output: 5),
                                     load: .open(rate: 4, burstiness: nil, seed: 0), deployment: d)
        XCTAssertEqual(even.records.map(\.sent), (0..<10).map { Double($0) * 0.25 })
        XCTAssertEqual(even.records.map(\.intended), even.records.map(\.sent))
        // Light load: no queueing, so every request's TTFT is one prefill iteration.
        let prefill = d.iterationTime(prefill: [PrefillChunk(tokens: 50)]).total
        for record in even.records { XCTAssertEqual(try XCTUnwrap(record.ttft), prefill, accuracy: 1e-9) }
        XCTAssertNotNil(even.summary.sendLag)

        // Poisson: mean gap 1/rate.
        let poisson = try Simulator.run(requests: Fixture.requests(2000, input: 20, output: 1),
                                        load: .open(rate: 50, burstiness: 1, seed: 3), deployment: d)
        let last = try XCTUnwrap(poisson.records.last?.sent)
        XCTAssertEqual(last / 1999, 0.02, accuracy: 0.002)
    }

    func testChunkedPrefillSplitsLongPromptsAndUnchunkedDoesNot() throws {
        let d = try Fixture.llama3OnA100()
        let requests = Fixture.requests(4, input: 3000, output: 4)
        let chunked = try Simulator.run(requests: requests, load: .closed(concurrency: 4), deployment: d,
                                        scheduler: SchedulerConfig(maxBatchedTokens: 2048))
        // 12,000 prompt tokens at 2048 per iteration need at least 6 iterations before the last first token.
        XCTAssertGreaterThanOrEqual(chunked.iterations, 6 + 3)
        XCTAssertThrowsError(try Simulator.run(requests: requests, load: .closed(concurrency: 4), deployment: d,
                                               scheduler: SchedulerConfig(maxBatchedTokens: 2048, chunkedPrefill: false))) { error in
            XCTAssertEqual(error as? SimError, .promptOverBudget(index: 0, tokens: 3003, maxBatchedTokens: 2048))
        }
        let whole = try Simulator.run(requests: requests, load: .closed(concurrency: 4), deployment: d,
                                      scheduler: SchedulerConfig(chunkedPrefill: false))
        // 8192 tokens per iteration: two 3000-token prompts go together, then the other two.
        XCTAssertEqual(whole.records.map(\.firstToken), [whole.records[0].firstToken, whole.records[0].firstToken,
                                                          whole.records[2].firstToken, whole.records[2].firstToken])
        XCTAssertLessThan(try XCTUnwrap(whole.records[0].firstToken), try XCTUnwrap(whole.records[2].firstToken))
    }

    func testARequestLongerThanTheCacheIsAnErrorNotAHang() throws {
        let d = try Fixture.smallCache(kvTokens: 1000)
        XCTAssertThrowsError(try Simulator.run(requests: [SimRequest(inputTokens: 10, outputTokens: 5),
                                                          SimRequest(inputTokens: 900, outputTokens: 200)],
                                               load: .closed(concurrency: 2), deployment: d)) { error in
            XCTAssertEqual("\(error)", "request 2 needs 1100 tokens of KV cache (input + output), "
                + "more than the whole cache of 992 tokens")
        }
        XCTAssertThrowsError(try Simulator.run(requests: [SimRequest(inputTokens: 0, outputTokens: 5)],
                                               load: .closed(concurrency: 1), deployment: d)) { error in
            XCTAssertEqual("\(error)", "requests[1].inputTokens must be in 1...100000000, got 0")
        }
        XCTAssertThrowsError(try Simulator.run(requests: [], load: .closed(concurrency: 0), deployment: d))
        XCTAssertEqual(try Simulator.run(requests: [], load: .closed(concurrency: 1), deployment: d).records, [])
    }
}
