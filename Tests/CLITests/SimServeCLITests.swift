import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 request to 127.0.0.1:port over a plain socket (Connection: close); the
/// whole response (head and body), or nil.
private func http(port: Int, _ method: String, _ path: String, body: String? = nil) -> String? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return nil }
    var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if let body { text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n" }
    text += "\r\n" + (body ?? "")
    let request = Array(text.utf8)
    guard request.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == request.count else { return nil }
    var data: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n <= 0 { break }
        data += buffer[0..<n]
    }
    return String(decoding: data, as: UTF8.self)
}

/// `frontier serve --sim`: the simulated server from the shell.
final class SimServeCLITests: CLITestCase {
    func testSimulatedServeAnswersAndStopsOnCtrlC() throws {
        let (server, _, o, e) = try start(["serve", "--sim", "--gpu", "A800-80G", "--gpus", "2",
                                           "--model", "Qwen2.5-32B", "--port", "0"])
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        XCTAssertTrue(out.wait(for: "Ctrl-C stops"), out.snapshot() + err.snapshot())
        let line = out.snapshot()
        XCTAssertTrue(line.contains("simulated 2 × A800-80G, Qwen2.5-32B, KV cache"), line)
        guard let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") }),
              let port = url.split(separator: ":").last.flatMap({ Int($0.prefix(while: \.isNumber)) }) else {
            server.terminate()
            return XCTFail(line)
        }
        let models = http(port: port, "GET", "/v1/models") ?? ""
        XCTAssertTrue(models.contains("\"id\":\"Qwen2.5-32B\""), models)
        let completion = http(port: port, "POST", "/v1/completions",
                              body: #"{"prompt":"one two three","max_tokens":5,"stream":true}"#) ?? ""
        XCTAssertEqual(completion.components(separatedBy: "\"text\":\" tok\"").count - 1, 5, completion)
        XCTAssertTrue(completion.contains("data: [DONE]"), completion)
        let metrics = http(port: port, "GET", "/metrics") ?? ""
        XCTAssertTrue(metrics.contains("vllm:generation_tokens_total{model_name=\"Qwen2.5-32B\"} 5"), metrics)
        XCTAssertTrue(metrics.contains("vllm:gpu_cache_usage_perc"), metrics)
        kill(server.processIdentifier, SIGINT)
        server.waitUntilExit()
        XCTAssertEqual(server.terminationStatus, 0, err.text())
        XCTAssertTrue(out.text().contains("stopped: 3 requests, 5 tokens sent"), out.snapshot())
    }

    func testAModelThatDoesNotFitIsAUsageError() throws {
        let r = try run(["serve", "--sim", "--gpu", "L4", "--model", "Llama-3.1-70B", "--port", "0"], timeout: 30)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("Llama-3.1-70B needs 141 GB of weights; 1 × L4 has"), r.stderr)
        let missing = try run(["serve", "--sim", "--model", "Qwen2.5-32B"], timeout: 30)
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("--sim needs --gpu"), missing.stderr)
    }
}
