import XCTest
import LuaBridge
@testable import Scripting

/// A host on a fresh store file in a temp directory, with the repo's stdlib.
class HostTestCase: XCTestCase {
    var dir: URL!
    var host: ScriptHost!

    static var stdlib: String {
        // Tests/ScriptingTests/HostTestCase.swift -> repo root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("stdlib").path
    }

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("frontier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        host = try makeHost()
    }

    override func tearDownWithError() throws {
        host?.close()
        try? FileManager.default.removeItem(at: dir)
    }

    func makeHost(script: String? = nil, extra: [String: String] = [:]) throws -> ScriptHost {
        var env = extra
        env["FRONTIER_PATH"] = [extra["FRONTIER_PATH"], Self.stdlib].compactMap { $0 }.joined(separator: ":")
        return try ScriptHost(.init(databasePath: dir.appendingPathComponent("test.db").path,
                                    scriptPath: script, environment: env, executable: "/nonexistent/frontier"))
    }

    @discardableResult
    func lua(_ code: String) throws -> [LuaValue] { try host.vm.run(code, chunkName: "=test") }

    /// The error message of running `code`, or nil if it succeeded.
    func luaError(_ code: String) -> String? {
        do { try host.vm.run(code, chunkName: "=test"); return nil } catch { return (error as? LuaError)?.message ?? "\(error)" }
    }
}
