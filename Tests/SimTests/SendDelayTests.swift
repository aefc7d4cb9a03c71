import XCTest
import Metrics
@testable import Sim

/// A client's send delays: how a replay carries them and what they do to batching.
final class SendDelayTests: XCTestCase {
    func testAClosedLoopsDelaysAreMeasuredFromTheSlotThatFreed() {
        // Concurrency 2: requests 0 and 1 go at the start; 2 when the first request
        // ends (at 1.0), 3 when the second ends (at 1.5). Records come in index order,
        // not send order: record 1 was sent before record 0.
        let records = [
            RequestRecord(index: 0, sent: 0.004, ended: 1.5, inputTokens: 10, outputTokens: 4, status: .ok),
            RequestRecord(index: 1, sent: 0.001, ended: 1.0, inputTokens: 11, outputTokens: 5, status: .ok),
            RequestRecord(index: 2, sent: 1.003, ended: 2.0, inputTokens: 12, outputTokens: 6, status: .ok),
            RequestRecord(index: 3, sent: 1.502, ended: nil, inputTokens: nil, outputTokens: nil, status: .error),
        ]
        let replay = SimRequest.replaying(records, load: .closed(concurrency: 2))
        XCTAssertEqual(replay.records.map(\.index), [1, 0, 2, 3])
        XCTAssertEqual(replay.requests.map(\.inputTokens), [11, 10, 12, 1])
        XCTAssertEqual(replay.requests.map(\.outputTokens), [5, 4, 6, 1])
        let delays = replay.requests.map(\.sendDelay)
        for (got, want) in zip(delays, [0.001, 0.004, 0.003, 0.002]) { XCTAssertEqual(got, want, accuracy: 1e-12) }
    }

    func testAnOpenLoopsDelayIsSentMinusIntended() {
        let records = [
            RequestRecord(index: 0, intended: 0, sent: 0.002, ended: 0.5, inputTokens: 8, outputTokens: 2, status: .ok),
            RequestRecord(index: 1, intended: 0.25, sent: 0.2501, ended: 0.7, inputTokens: 8, outputTokens: 2, status: .ok),
            RequestRecord(index: 2, intended: 0.5, sent: 0.49, ended: 0.9, inputTokens: 8, outputTokens: 2, status: .ok),
        ]
        let delays = SimRequest.replaying(records, load: .open(rate: 4, burstiness: nil, seed: 0)).requests.map(\.sendDelay)
        XCTAssertEqual(delays[0], 0.002, accuracy: 1e-12)
        XCTAssertEqual(delays[1], 0.0001, accuracy: 1e-12)
        XCTAssertEqual(delays[2], 0, "a send before its time counts as no delay")
    }

    func testStaggeredSendsAreBatchedOnlyWhenTheyArriveBeforeTheIterationStarts() throws {
        let d = try Fixture.llama3OnA100()
        let prefill1 = d.iterationTime(prefill: [PrefillChunk(tokens: 100)]).total
        // A perfect client: both prompts arrive at 0 and are prefilled together.
        let together = try Simulator.run(requests: Fixture.requests(2, input: 100, output: 1),
                                         load: .closed(concurrency: 2), deployment: d)
        let prefill2 = d.iterationTime(prefill: [PrefillChunk(tokens: 100), PrefillChunk(tokens: 100)]).total
        XCTAssertEqual(together.records.map { $0.ttft ?? -1 }, [prefill2, prefill2])

        // The second prompt is sent 1 µs after the first: the engine has already started
        // an iteration with the first alone, so the second waits for it to end.
        let late = 1e-6
        let requests = [SimRequest(inputTokens: 100, outputTokens: 1),
                        SimRequest(inputTokens: 100, outputTokens: 1, sendDelay: late)]
        let staggered = try Simulator.run(requests: requests, load: .closed(concurrency: 2), deployment: d)
        XCTAssertEqual(staggered.records[0].sent, 0)
        XCTAssertEqual(staggered.records[1].sent, late)
        XCTAssertEqual(try XCTUnwrap(staggered.records[0].ttft), prefill1, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(staggered.records[1].ttft), prefill1 + prefill1 - late, accuracy: 1e-12)
    }

    func testAClosedLoopSendsItsNextRequestADelayAfterTheSlotFrees() throws {
        let d = try Fixture.llama3OnA100()
        let t = d.iterationTime(prefill: [PrefillChunk(tokens: 50)]).total
        let requests = [SimRequest(inputTokens: 50, outputTokens: 1),
                        SimRequest(inputTokens: 50, outputTokens: 1, sendDelay: 0.25)]
        let result = try Simulator.run(requests: requests, load: .closed(concurrency: 1), deployment: d)
        XCTAssertEqual(result.records[1].sent, t + 0.25, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(result.records[1].ttft), t, accuracy: 1e-12, "the engine was idle when it arrived")
        XCTAssertEqual(result.makespan, 2 * t + 0.25, accuracy: 1e-12)
    }

    func testANegativeOrInfiniteDelayIsRefusedByName() throws {
        let d = try Fixture.llama3OnA100()
        for bad in [-0.001, Double.infinity, Double.nan] {
            XCTAssertThrowsError(try Simulator.run(requests: [SimRequest(inputTokens: 5, outputTokens: 1, sendDelay: bad)],
                                                   load: .closed(concurrency: 1), deployment: d)) { error in
                XCTAssertTrue("\(error)".contains("requests[1].sendDelay"), "\(error)")
            }
        }
    }
}
