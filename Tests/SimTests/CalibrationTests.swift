import XCTest
import Metrics
@testable import Sim

final class CalibrationTests: XCTestCase {
    func testRecoversKnownEfficiencyFromSimulatedRuns() throws {
        let truth = try Efficiency(mfu: 0.45, mbu: 0.65, iterationOverhead: 0.004)
        let measuredOn = try Fixture.llama3OnA100(efficiency: truth)
        // One request at a time pins prefill (mfu) and batch-one decode (mbu + overhead);
        // 24 long contexts at once read far more KV, which separates mbu from overhead.
        let runs = try [
            (Fixture.requests(6, input: 1024, output: 24), SimLoad.closed(concurrency: 1)),
            (Fixture.requests(48, input: 2000, output: 24), SimLoad.closed(concurrency: 24)),
        ].map { requests, load in
            CalibrationRun(measured: try Simulator.run(requests: requests, load: load, deployment: measuredOn).records,
                           requests: requests, load: load)
        }
        let result = try Calibration.fit(runs: runs, deployment: Fixture.llama3OnA100())
        XCTAssertEqual(result.efficiency.mfu, 0.45, accuracy: 0.45 * 0.03)
        XCTAssertEqual(result.efficiency.mbu, 0.65, accuracy: 0.65 * 0.03)
        XCTAssertEqual(result.efficiency.iterationOverhead, 0.004, accuracy: 0.004 * 0.05)
        XCTAssertLessThan(result.rmsErrorAfter, 0.01)
        XCTAssertGreaterThan(result.rmsErrorBefore, 0.1)
        XCTAssertEqual(result.figures.count, 6)
        XCTAssertEqual(result.figures.map(\.name), ["ttft_mean", "tpot_mean", "makespan", "ttft_mean", "tpot_mean", "makespan"])
        for figure in result.figures { XCTAssertLessThan(abs(figure.errorAfter), 0.01, figure.name) }
    }

    func testOneRunFitsItsFiguresAndRejectsEmptyMeasurements() throws {
        let requests = Fixture.requests(32, input: 300, output: 16)
        let truth = try Efficiency(mfu: 0.5, mbu: 0.7, iterationOverhead: 0.002)
        let measured = try Simulator.run(requests: requests, load: .closed(concurrency: 8),
                                         deployment: Fixture.llama3OnA100(efficiency: truth)).records
        let result = try Calibration.fit(measured: measured, requests: requests, load: .closed(concurrency: 8),
                                         deployment: Fixture.llama3OnA100())
        XCTAssertLessThan(result.rmsErrorAfter, 0.01)
        XCTAssertThrowsError(try Calibration.fit(measured: [], requests: requests, load: .closed(concurrency: 8),
                                                 deployment: Fixture.llama3OnA100()))
    }
}
