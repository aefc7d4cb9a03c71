import Foundation
import Metrics
import TestServer
import XCTest
@testable import Measure

/// The sampler against the test server's /metrics: a user's mapping, and series no
/// mapping names stored under their own names (bounded) instead of stopping.
final class ServerMetricsSamplingTests: XCTestCase {
    func run(_ s: TestServer, _ options: ServerMetricsOptions) throws -> RunOutcome {
        var e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        e.totalTimeout = 60
        let w = try Workload.synthetic(n: 12, seed: 1, input: .fixed(10), output: .fixed(20))
        let run = try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: 3)), tag: nil,
                                 store: nil, serverMetrics: options)
        try run.start()
        let deadline = Date().addingTimeInterval(60)
        while !run.wait(timeout: 0.1) {
            if Date() > deadline { run.stop(.failed); XCTFail("run did not finish"); break }
        }
        return try run.finish()
    }

    func testUserMappingComesFirstAndUnmappedSeriesAreKeptWithinTheBound() throws {
        var c = TestServerConfig()
        c.ttft = 0.02
        c.itl = 0.01
        c.metrics = {
            [MetricSample(name: "myengine_running", type: .gauge, help: "running", value: 42)]
                + (0..<5).map { MetricSample(name: "myengine_extra_\($0)", type: .gauge, help: "x", value: Double($0)) }
        }
        let s = try TestServer.start(c)
        defer { s.stop() }
        let o = try run(s, ServerMetricsOptions(interval: 0.05, mapping: ["requests_running": "myengine_running"],
                                                maxUnmapped: 3))
        XCTAssertEqual(o.status, .completed)
        let running = o.serverMetrics.filter { $0.name == "requests_running" }
        XCTAssertGreaterThanOrEqual(running.count, 3)
        XCTAssertTrue(running.allSatisfy { $0.value == 42 }, "the user's name wins over vLLM's")
        let names = Set(o.serverMetrics.map(\.name))
        XCTAssertTrue(names.contains("generation_tokens_total"), "the table still maps the rest")
        XCTAssertFalse(names.contains("myengine_running"), "a mapped name is not stored twice")
        let extras = names.filter { $0.hasPrefix("myengine_extra_") }
        XCTAssertEqual(extras, ["myengine_extra_0", "myengine_extra_1", "myengine_extra_2"], "bounded, the first met")
        XCTAssertTrue(o.warnings.contains { $0.contains("more than 3 unmapped series") }, "\(o.warnings)")
        XCTAssertTrue(o.settings.contains("myengine_running"), "the mapping is stored with the run")
    }

    func testAMappingToAnUnknownSeriesIsRefused() throws {
        let s = try TestServer.start(TestServerConfig())
        defer { s.stop() }
        let e = Endpoint(baseURL: s.baseURL, model: "frontier-test")
        let w = try Workload.synthetic(n: 1, seed: 1, input: .fixed(1), output: .fixed(1))
        XCTAssertThrowsError(try MeasureRun(endpoint: e, workload: w, plan: LoadPlan(shape: .closed(concurrency: 1)), tag: nil,
                                            store: nil, serverMetrics: ServerMetricsOptions(mapping: ["running": "x"]))) {
            XCTAssertTrue("\($0)".contains("'running' is not one of requests_running"), "\($0)")
        }
    }
}
