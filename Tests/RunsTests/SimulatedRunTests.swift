import Metrics
import Runs
import Sim
import SimRuns
import Store
import XCTest

/// A simulated run stored and read back from Swift alone, as a measured one would be.
final class SimulatedRunTests: StoreFileTestCase {

    func testSimulatedRunIsStoredWithItsRequestsAndDeployment() throws {
        let deployment = try Deployment(gpu: GPUProfile.named("A100"), count: 2, model: ModelProfile.named("Llama-3.1-8B"))
        let requests = (0..<10).map { SimRequest(inputTokens: 100 + $0, outputTokens: 20) }
        let plan = SimulatedRuns.Plan(deployment: deployment, scheduler: .standard, requests: requests,
                                      expected: requests.indices.map { "answer \($0)" }, workloadOrigin: "test",
                                      load: .closed(concurrency: 4), seed: 3, tag: "swift", program: "tests")
        let (run, result) = try SimulatedRuns.run(plan, path: path)
        XCTAssertEqual(run.source, "simulated")
        XCTAssertEqual(run.tag, "swift")
        XCTAssertEqual(run.concurrency, 4)
        XCTAssertEqual(run.target, "sim:2xA100-80G-SXM")
        XCTAssertEqual(run.summary, result.summary)
        XCTAssertEqual(run.summary?.requests, 10)
        XCTAssertEqual(run.settings.map { $0.contains(#""gpus":2"#) }, true)
        let stored = try StoredRequests.load(run: run.id, db: Database(path: path))
        XCTAssertEqual(stored.count, 10)
        XCTAssertEqual(Set(stored.compactMap(\.expected)).count, 10, "each request keeps its expected answer")
        XCTAssertEqual(stored.map(\.record.outputTokens), Array(repeating: 20, count: 10))
    }
}
