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
        let result = try Calibration.fit(runs: runs, deployment: Fixture.llama3OnA100(), terms: [.mfu, .mbu, .overhead])
        XCTAssertEqual(result.efficiency.mfu, 0.45, accuracy: 0.45 * 0.03)
        XCTAssertEqual(result.efficiency.mbu, 0.65, accuracy: 0.65 * 0.03)
        XCTAssertEqual(result.efficiency.iterationOverhead, 0.004, accuracy: 0.004 * 0.05)
        XCTAssertLessThan(result.rmsErrorAfter, 0.01)
        XCTAssertGreaterThan(result.rmsErrorBefore, 0.1)
        XCTAssertEqual(result.figures.count, 2 * Calibration.figureNames.count)
        XCTAssertEqual(result.figures.map(\.name), Calibration.figureNames + Calibration.figureNames)
        for figure in result.figures { XCTAssertLessThan(abs(figure.errorAfter), 0.01, figure.name) }
        XCTAssertEqual(result.terms.map(\.term), [.mfu, .mbu, .overhead])
        for t in result.terms { XCTAssertTrue(t.identified, "\(t.term)"); XCTAssertFalse(t.atBound, "\(t.term)") }
        XCTAssertTrue(result.warnings.isEmpty, "\(result.warnings)")
    }

    /// An engine with a fast path for a lone sequence (llama.cpp on a CPU): a fixed cost
    /// on every step of more than one sequence. Runs at 1 and 8 whose last wave is half
    /// full hold steps of 1, 4 and 8 sequences, which pin it; 2 and 6 are then predicted.
    func testRecoversABatchOverheadFromTwoConcurrenciesWithAHalfWave() throws {
        let gpu = try GPUProfile(name: "cpu", denseFLOPS: 2e11, memoryBandwidth: 1e12, memoryBytes: 16e9, powerWatts: 65)
        let model = try ModelProfile(name: "tiny", totalParams: 2.3e7, layers: 6, hiddenSize: 384, attentionHeads: 6,
                                     kvHeads: 6, vocabSize: 16_000, tiedEmbeddings: false)
        let truth = try Efficiency(mfu: 0.3, mbu: 0.8, iterationOverhead: 0.0008, decodeMFU: 0.15, batchOverhead: 0.0025)
        let measuredOn = try Deployment(gpu: gpu, model: model, efficiency: truth, reservePerGPU: 0)
        func requests(_ c: Int, input: Int, output: Int) -> [SimRequest] {
            (0..<(c == 1 ? 8 : 3 * c + c / 2)).map { SimRequest(inputTokens: input + $0 % 3, outputTokens: output) }
        }
        var runs: [CalibrationRun] = []
        for c in [1, 8] {
            for (input, output) in [(64, 32), (256, 16)] {
                let r = requests(c, input: input, output: output), load = SimLoad.closed(concurrency: c)
                runs.append(CalibrationRun(measured: try Simulator.run(requests: r, load: load, deployment: measuredOn).records,
                                           requests: r, load: load))
            }
        }
        let prior = try Deployment(gpu: gpu, model: model, reservePerGPU: 0)
        let result = try Calibration.fit(runs: runs, deployment: prior, terms: [.mfu, .decodeMFU, .overhead, .batchOverhead])
        XCTAssertEqual(result.efficiency.batchOverhead, 0.0025, accuracy: 0.0025 * 0.1, "\(result.terms)")
        XCTAssertEqual(result.efficiency.iterationOverhead, 0.0008, accuracy: 0.0008 * 0.2, "\(result.terms)")
        var fitted = prior
        fitted.efficiency = result.efficiency
        for c in [2, 6] {
            let held = requests(c, input: 128, output: 24)
            let real = try Simulator.run(requests: held, load: .closed(concurrency: c), deployment: measuredOn).summary
            let predicted = try Simulator.run(requests: held, load: .closed(concurrency: c), deployment: fitted).summary
            let tpot = try XCTUnwrap(real.tpot?.p50), predictedTPOT = try XCTUnwrap(predicted.tpot?.p50)
            XCTAssertEqual(predictedTPOT, tpot, accuracy: tpot * 0.05, "c = \(c)")
            XCTAssertEqual(predicted.makespan, real.makespan, accuracy: real.makespan * 0.05, "c = \(c)")
        }
    }

    /// A CPU-like box: decode bound by compute with its own efficiency that grows with the
    /// batch, and a per-sequence overhead. Three concurrencies pin all five terms.
    func testRecoversAComputeBoundDecodeFromThreeConcurrencies() throws {
        let gpu = try GPUProfile(name: "cpu", denseFLOPS: 4e11, memoryBandwidth: 5e10, memoryBytes: 32e9, powerWatts: 65)
        let model = try ModelProfile(name: "small", totalParams: 6e7, layers: 8, hiddenSize: 512, attentionHeads: 8,
                                     kvHeads: 8, vocabSize: 32_000, tiedEmbeddings: false)
        let truth = try Efficiency(mfu: 0.3, mbu: 0.5, iterationOverhead: 0.002, decodeMFU: 0.12, decodeBatchHalf: 3,
                                   sequenceOverhead: 0.0004)
        let measuredOn = try Deployment(gpu: gpu, model: model, efficiency: truth, reservePerGPU: 0)
        let runs = try [1, 4, 8].map { c -> CalibrationRun in
            let requests = (0..<(4 * c + 4)).map { SimRequest(inputTokens: 64 + 16 * ($0 % 5), outputTokens: 32) }
            let load = SimLoad.closed(concurrency: c)
            return CalibrationRun(measured: try Simulator.run(requests: requests, load: load, deployment: measuredOn).records,
                                  requests: requests, load: load)
        }
        let prior = try Deployment(gpu: gpu, model: model, reservePerGPU: 0)
        let result = try Calibration.fit(runs: runs, deployment: prior,
                                         terms: [.mfu, .decodeMFU, .decodeBatchHalf, .overhead, .sequenceOverhead])
        XCTAssertLessThan(result.rmsErrorAfter, 0.02, "\(result.figures.map { ($0.name, $0.errorAfter) })")
        XCTAssertGreaterThan(result.rmsErrorBefore, 0.2)
        // Predicting a concurrency the fit never saw.
        var fitted = prior
        fitted.efficiency = result.efficiency
        let held = (0..<24).map { SimRequest(inputTokens: 64 + 16 * ($0 % 5), outputTokens: 32) }
        let truthRun = try Simulator.run(requests: held, load: .closed(concurrency: 6), deployment: measuredOn)
        let predicted = try Simulator.run(requests: held, load: .closed(concurrency: 6), deployment: fitted)
        XCTAssertEqual(predicted.summary.makespan, truthRun.summary.makespan, accuracy: truthRun.summary.makespan * 0.05)
    }

    func testOneRunCannotIdentifyEveryTerm() throws {
        let requests = Fixture.requests(16, input: 300, output: 16)
        let measured = try Simulator.run(requests: requests, load: .closed(concurrency: 4),
                                         deployment: Fixture.llama3OnA100()).records
        let result = try Calibration.fit(measured: measured, requests: requests, load: .closed(concurrency: 4),
                                         deployment: Fixture.llama3OnA100())
        XCTAssertEqual(result.terms.count, CalibrationTerm.allCases.count)
        XCTAssertTrue(result.terms.contains { !$0.identified }, "\(result.terms)")
        XCTAssertTrue(result.warnings.contains { $0.contains("not identified") }, "\(result.warnings)")
    }

    func testInverseOfASmallMatrix() {
        let inv = Calibration.invert([[4, 7], [2, 6]])
        // [[4, 7], [2, 6]]⁻¹ = 1/10 × [[6, −7], [−2, 4]].
        XCTAssertEqual(inv?[0][0] ?? 0, 0.6, accuracy: 1e-12)
        XCTAssertEqual(inv?[0][1] ?? 0, -0.7, accuracy: 1e-12)
        XCTAssertEqual(inv?[1][0] ?? 0, -0.2, accuracy: 1e-12)
        XCTAssertEqual(inv?[1][1] ?? 0, 0.4, accuracy: 1e-12)
        XCTAssertNil(Calibration.invert([[1, 2], [2, 4]]))
    }

    func testOneRunFitsItsFiguresAndRejectsEmptyMeasurements() throws {
        let requests = Fixture.requests(32, input: 300, output: 16)
        let truth = try Efficiency(mfu: 0.5, mbu: 0.7, iterationOverhead: 0.002)
        let measured = try Simulator.run(requests: requests, load: .closed(concurrency: 8),
                                         deployment: Fixture.llama3OnA100(efficiency: truth)).records
        let result = try Calibration.fit(measured: measured, requests: requests, load: .closed(concurrency: 8),
                                         deployment: Fixture.llama3OnA100(), terms: [.mfu, .mbu, .overhead])
        XCTAssertLessThan(result.rmsErrorAfter, 0.01)
        XCTAssertThrowsError(try Calibration.fit(measured: [], requests: requests, load: .closed(concurrency: 8),
                                                 deployment: Fixture.llama3OnA100()))
    }

    /// After a run's aggregates come its requests' own TPOTs, in order, so the requests of
    /// a last, partly full wave (fewer sequences per step) count on their own. By hand:
    /// sent 0, first token 0.1, ended 0.4 with 4 tokens → (0.4 − 0.1) ÷ 3 = 0.1 s;
    /// sent 0.5, first token 0.55, ended 0.75 with 5 tokens → 0.2 ÷ 4 = 0.05 s; a failed
    /// request has none; one token has no gaps.
    func testFiguresEndWithEachRequestsTPOTInOrder() {
        let records = [
            RequestRecord(index: 0, sent: 0, firstToken: 0.1, ended: 0.4, outputTokens: 4, status: .ok),
            RequestRecord(index: 1, sent: 0.5, firstToken: 0.55, ended: 0.75, outputTokens: 5, status: .ok),
            RequestRecord(index: 2, sent: 0.6, ended: 0.7, status: .error),
            RequestRecord(index: 3, sent: 0.8, firstToken: 0.9, ended: 0.9, outputTokens: 1, status: .ok),
        ]
        let figures = Calibration.figures(records)
        XCTAssertEqual(figures.count, Calibration.figureNames.count + records.count)
        let tail = Array(figures.suffix(records.count))
        XCTAssertEqual(tail[0] ?? -1, 0.1, accuracy: 1e-12)
        XCTAssertEqual(tail[1] ?? -1, 0.05, accuracy: 1e-12)
        XCTAssertNil(tail[2] ?? nil)
        XCTAssertNil(tail[3] ?? nil)
        // The run's TPOT mean is the mean of the same two: 0.075 s.
        XCTAssertEqual(figures[3] ?? -1, 0.075, accuracy: 1e-12)
    }
}
