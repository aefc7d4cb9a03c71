import Foundation
import XCTest

/// Runs the built `frontier` binary as a user would, in a temp directory.
class CLITestCase: XCTestCase {
    var dir: URL!

    static var repoRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The binary SwiftPM built next to the test bundle.
    static var binary: URL {
        let products = Bundle.main.bundleURL
        let candidates = [products.appendingPathComponent("frontier"),
                          products.deletingLastPathComponent().appendingPathComponent("frontier")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[0]
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("frontier-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build the binary first: \(Self.binary.path)")
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: dir)
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Writes `text` to a file in the temp directory; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["HOME"] = dir.path      // history goes here, not into the user's home
        env["FRONTIER_DB"] = nil
        env["FRONTIER_PATH"] = nil
        for (k, v) in extra { env[k] = v }
        return env
    }

    /// Starts the binary with pipes; the caller feeds stdin and waits.
    func start(_ args: [String], executable: URL? = nil, env: [String: String] = [:], cwd: URL? = nil) throws -> (Process, Pipe, Pipe, Pipe) {
        let p = Process()
        p.executableURL = executable ?? Self.binary
        p.arguments = args
        p.environment = environment(env)
        p.currentDirectoryURL = cwd ?? dir
        let (i, o, e) = (Pipe(), Pipe(), Pipe())
        p.standardInput = i
        p.standardOutput = o
        p.standardError = e
        try p.run()
        return (p, i, o, e)
    }

    /// Runs to completion (killed after `timeout` seconds) and collects output.
    func run(_ args: [String], stdin: String = "", executable: URL? = nil, env: [String: String] = [:],
             cwd: URL? = nil, timeout: TimeInterval = 60) throws -> Result {
        let (p, i, o, e) = try start(args, executable: executable, env: env, cwd: cwd)
        let out = Collector(o.fileHandleForReading), err = Collector(e.fileHandleForReading)
        i.fileHandleForWriting.write(Data(stdin.utf8))
        try i.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(10_000) }
        if p.isRunning { p.terminate(); XCTFail("frontier \(args) did not finish in \(timeout)s") }
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: out.text(), stderr: err.text())
    }
}

/// Reads a pipe to the end on a background thread (so a full pipe never blocks the child).
final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        let fd = handle.fileDescriptor
        Thread.detachNewThread { [self] in
            // read(2) rather than availableData: a pty reports EIO at its end, which Foundation traps on.
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                lock.lock(); data.append(contentsOf: buffer[0..<n]); lock.unlock()
            }
            done.signal()
        }
    }

    /// Everything read so far.
    func snapshot() -> String {
        lock.lock(); defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }

    /// Waits for end of stream, then everything.
    func text() -> String {
        _ = done.wait(timeout: .now() + 30)
        return snapshot()
    }

    /// Waits until the output contains `needle` (or the timeout passes).
    @discardableResult
    func wait(for needle: String, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if snapshot().contains(needle) { return true }
            usleep(20_000)
        }
        return false
    }
}
