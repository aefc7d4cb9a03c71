import Foundation
import XCTest
import LuaBridge
@testable import Scripting
#if canImport(Glibc)
import Glibc
#endif

/// `GET path` on 127.0.0.1:port over a plain socket; the body, or nil.
private func httpGet(port: Int, _ path: String) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        data += buffer[0..<n]
    }
    let text = String(decoding: data, as: UTF8.self)
    return text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) }
}

/// The value of a series in a Prometheus text body.
private func series(_ name: String, in body: String) -> Double? {
    for line in body.split(separator: "\n") where line.hasPrefix(name + "{") {
        return line.split(separator: " ").last.flatMap { Double($0) }
    }
    return nil
}

/// Polls `/metrics` on a thread while Lua runs, keeping the largest value of each series seen.
private final class MetricsPoller: @unchecked Sendable {
    private let lock = NSLock()
    private var peaks: [String: Double] = [:]  // guarded by lock
    private var running = true  // guarded by lock
    private let done = DispatchSemaphore(value: 0)

    init(port: Int, names: [String]) {
        Thread { [self] in
            while lock.withLock({ running }) {
                if let body = httpGet(port: port, "/metrics") {
                    lock.withLock {
                        for name in names {
                            if let v = series(name, in: body) { peaks[name] = max(peaks[name] ?? 0, v) }
                        }
                    }
                }
                usleep(5_000)
            }
            done.signal()
        }.start()
    }

    func stop() -> [String: Double] {
        lock.withLock { running = false }
        done.wait()
        return lock.withLock { peaks }
    }
}

/// sim.server: the test server paced by the simulator, measured by bench.run.
final class SimServerTests: HostTestCase {
    /// A 1B model on a compute-poor GPU: steps of a few milliseconds that lengthen with the batch.
    let server = """
        srv = sim.server{ gpu = { name = 'slow', tflops = 10, bandwidth_tb_per_s = 2, memory_gb = 80, power_w = 100 },
                          model = { name = 'tiny', params_b = 1, layers = 16, hidden = 2048, heads = 16, kv_heads = 4, head_dim = 64 },
                          efficiency = { overhead = 0.003 }, model_name = 'sim-tiny' }
        """

    func testLatencyGrowsWithLoadAndMetricsShowTheBatch() throws {
        try lua(server)
        let port = try XCTUnwrap(try lua("return srv.port").first?.integer)
        XCTAssertEqual(try lua("return srv.url:match('^http://127.0.0.1:%d+/v1$') ~= nil, tostring(srv):sub(1, 12)"),
                       [true, "test_server("])
        let one = try lua("""
            local wl = workload.synthetic{ n = 8, seed = 1, input = 50, output = 10 }
            r1 = bench.run{ target = srv, workload = wl, concurrency = 1, quiet = true }
            return r1.succeeded, r1.model
            """)
        XCTAssertEqual(one, [8, "sim-tiny"])
        let poller = MetricsPoller(port: port, names: ["vllm:num_requests_running", "vllm:gpu_cache_usage_perc",
                                                       "vllm:generation_tokens_total"])
        XCTAssertEqual(try lua("""
            local wl = workload.synthetic{ n = 64, seed = 2, input = 50, output = 10 }
            r16 = bench.run{ target = srv, workload = wl, concurrency = 16, quiet = true }
            return r16.succeeded
            """), [64])
        let peaks = poller.stop()
        XCTAssertGreaterThan(peaks["vllm:num_requests_running"] ?? 0, 1, "\(peaks)")
        XCTAssertGreaterThan(peaks["vllm:gpu_cache_usage_perc"] ?? 0, 0, "\(peaks)")
        let figures = try lua("return r1.ttft.p50, r16.ttft.p50, r1.tpot.mean, r16.tpot.mean")
        let ttft1 = try XCTUnwrap(figures[0].number), ttft16 = try XCTUnwrap(figures[1].number)
        let tpot1 = try XCTUnwrap(figures[2].number), tpot16 = try XCTUnwrap(figures[3].number)
        XCTAssertGreaterThan(ttft16, ttft1, "TTFT grows with load")
        // The roofline: 4.3 ms per step alone, about 8 ms with 16 decoding.
        XCTAssertGreaterThan(tpot16, tpot1 * 1.3, "TPOT grows with load: \(tpot1) vs \(tpot16)")
        XCTAssertEqual(try lua("""
            local s = sim.snapshot(srv)
            return s.finished, s.running, s.waiting, s.kv_blocks_used, s.generated_tokens
            """), [72, 0, 0, 0, 720])
        let metrics = try XCTUnwrap(httpGet(port: port, "/metrics"))
        XCTAssertEqual(series("vllm:generation_tokens_total", in: metrics), 720)
        XCTAssertEqual(series("vllm:num_preemptions_total", in: metrics), 0)
        XCTAssertTrue(metrics.contains("model_name=\"sim-tiny\""), metrics)
        try lua("srv:stop()")
        XCTAssertNil(httpGet(port: port, "/v1/models"), "stopped")
    }

    func testStaticBatchingServesEveryRequest() throws {
        try lua("""
            srv = sim.server{ gpu = { name = 'slow', tflops = 10, bandwidth_tb_per_s = 2, memory_gb = 80, power_w = 100 },
                              model = { name = 'tiny', params_b = 1, layers = 16, hidden = 2048, heads = 16, kv_heads = 4, head_dim = 64 },
                              efficiency = { overhead = 0.001 }, scheduler = { policy = 'static', priority = 'prefill', max_seqs = 4 } }
            local wl = workload.synthetic{ n = 12, seed = 1, input = 30, output = 8 }
            r = bench.run{ target = srv, workload = wl, concurrency = 6, quiet = true }
            s = sim.snapshot(srv)
            srv:stop()
            """)
        // Three batches of four: every request served, nothing left in the engine.
        XCTAssertEqual(try lua("return r.succeeded, s.finished, s.running, s.waiting, s.generated_tokens"), [12, 12, 0, 0, 96])
        XCTAssertEqual(luaError("sim.server{ gpu = 'A100', model = 'Llama-3.1-8B', scheduler = { policy = 'dynamic' } }")?
            .contains("field 'scheduler.policy' must be one of 'continuous', 'static', got 'dynamic'"), true)
    }

    func testBadDeploymentsAndPlainServers() throws {
        XCTAssertEqual(luaError("sim.server{ gpu = 'L4', model = 'Llama-3.1-70B' }")?
            .contains("Llama-3.1-70B needs 141 GB of weights; 1 × L4 has"), true)
        XCTAssertEqual(luaError("sim.server{ gpu = 'A100', model = 'Llama-3.1-8B', ttft = 1 }")?.contains("ttft"), true)
        XCTAssertEqual(luaError("sim.snapshot(bench.test_server{})")?.contains("a server from sim.server{}"), true)
        // A prompt the cache cannot hold is a 400 from the server, not a hang.
        try lua("""
            srv = sim.server{ gpu = { name = 'small', tflops = 100, bandwidth_tb_per_s = 2, memory_gb = 3.0165, power_w = 1 },
                              model = { name = 'tiny', params_b = 1, layers = 16, hidden = 2048, heads = 16, kv_heads = 4, head_dim = 64 },
                              memory_fraction = 1 }
            """)
        XCTAssertEqual(try lua("return sim.snapshot(srv).kv_blocks_total > 0"), [true])
        try lua("""
            local wl = workload.synthetic{ n = 2, seed = 1, input = 5000, output = 4 }
            r = bench.run{ target = srv, workload = wl, concurrency = 1, quiet = true }
            srv:stop()
            """)
        XCTAssertEqual(try lua("return r.succeeded, r.count"), [0, 2])
    }
}
