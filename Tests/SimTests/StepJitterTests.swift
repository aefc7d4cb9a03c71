import Foundation
import Metrics
import XCTest
@testable import Sim

/// Scattered iteration times (`Efficiency.stepJitter`): what a real engine's steps do,
/// and what sets TTFT tails (docs/sim.md).
final class StepJitterTests: XCTestCase {
    func testNoJitterLeavesEveryIterationAsModelled() {
        var j = StepJitter(0)
        XCTAssertEqual((0..<5).map { _ in j.apply(0.25) }, Array(repeating: 0.25, count: 5))
    }

    func testFactorsKeepTheMeanAndHaveTheGivenLogSpread() {
        var j = StepJitter(0.1)
        let factors = (0..<200_000).map { _ in j.apply(1) }
        let mean = factors.reduce(0, +) / Double(factors.count)
        let logs = factors.map { log($0) }
        let logMean = logs.reduce(0, +) / Double(logs.count)
        let sd = (logs.map { ($0 - logMean) * ($0 - logMean) }.reduce(0, +) / Double(logs.count - 1)).squareRoot()
        XCTAssertEqual(mean, 1, accuracy: 0.002, "exp(σz − σ²/2) has mean 1")
        XCTAssertEqual(sd, 0.1, accuracy: 0.002)
        XCTAssertEqual(logMean, -0.005, accuracy: 0.001, "the median moves by −σ²/2")
        // A fixed seed: the same factors every time.
        var again = StepJitter(0.1)
        XCTAssertEqual((0..<10).map { _ in again.apply(1) }, Array(factors.prefix(10)))
    }

    func testARunWithJitterIsReproducibleKeepsItsMakespanAndWidensTheTTFTTail() throws {
        var deployment = try Fixture.llama3OnA100()
        let requests = Fixture.requests(400, input: 500, output: 50)
        let load = SimLoad.closed(concurrency: 1)
        let plain = try Simulator.run(requests: requests, load: load, deployment: deployment)
        deployment.efficiency.stepJitter = 0.15
        let a = try Simulator.run(requests: requests, load: load, deployment: deployment)
        let b = try Simulator.run(requests: requests, load: load, deployment: deployment)
        XCTAssertEqual(a.records, b.records)
        func ttft(_ r: SimResult) -> [Double] { r.records.compactMap(\.ttft).sorted() }
        func makespan(_ r: SimResult) -> Double { r.records.compactMap(\.ended).max() ?? 0 }
        // One request at a time: every TTFT is one prefill, the same length each time.
        XCTAssertEqual(LatencyStats.percentile(ttft(plain), 99) / LatencyStats.percentile(ttft(plain), 50), 1, accuracy: 1e-9)
        // A prefill step's factor at p99 over p50: exp(2.33 × 0.15) ≈ 1.42.
        XCTAssertEqual(LatencyStats.percentile(ttft(a), 99) / LatencyStats.percentile(ttft(a), 50), 1.42, accuracy: 0.1)
        XCTAssertEqual(makespan(a) / makespan(plain), 1, accuracy: 0.01, "the mean step is kept")
    }

    /// Gaps 1, 1.1 and 1/1.1 s in each of 17 requests: each request's median gap is 1, the
    /// logs are 0 and ±ln 1.1 = ±0.09531, their median absolute deviation 0.09531, so the
    /// spread is 1.4826 × 0.09531 = 0.14131 from 51 gaps.
    func testTheScatterIsReadFromChunkGapsByHand() {
        let request = RequestRecord(index: 0, sent: 0, firstToken: 0.5, ended: 3.5,
                                    chunkTimes: [0.5, 1.5, 2.6, 2.6 + 1 / 1.1], status: .ok)
        let failed = RequestRecord(index: 1, sent: 0, ended: 1, chunkTimes: [0.1, 5, 5.1, 9], status: .error)
        let estimate = Calibration.stepJitter([Array(repeating: request, count: 9), Array(repeating: request, count: 8) + [failed]])
        XCTAssertEqual(estimate?.gaps, 51)
        XCTAssertEqual(estimate?.sigma ?? 0, 1.4826 * log(1.1), accuracy: 1e-9)
        XCTAssertNil(Calibration.stepJitter([Array(repeating: request, count: 16)]), "48 gaps are too few")
    }

    func testCalibrationEstimatesTheScatterOfSimulatedMeasurementsUnlessTold() throws {
        var truth = try Fixture.llama3OnA100()
        truth.efficiency.stepJitter = 0.1
        let requests = Fixture.requests(40, input: 300, output: 40)
        let load = SimLoad.closed(concurrency: 4)
        let run = CalibrationRun(measured: try Simulator.run(requests: requests, load: load, deployment: truth).records,
                                 requests: requests, load: load)
        let fit = try Calibration.fit(runs: [run], deployment: Fixture.llama3OnA100(), terms: [.mfu])
        XCTAssertEqual(fit.efficiency.stepJitter, 0.1, accuracy: 0.01)
        XCTAssertEqual(fit.stepJitterGaps, 40 * 39)
        var given = try Fixture.llama3OnA100()
        given.efficiency.stepJitter = 0.05
        let kept = try Calibration.fit(runs: [run], deployment: given, terms: [.mfu], estimateStepJitter: false)
        XCTAssertEqual(kept.efficiency.stepJitter, 0.05)
        XCTAssertEqual(kept.stepJitterGaps, 0)
        XCTAssertThrowsError(try Efficiency(stepJitter: 1.5))
        XCTAssertThrowsError(try Efficiency(stepJitter: -0.1))
    }
}
