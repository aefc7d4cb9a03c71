import ArgumentParser
import Foundation
import LuaBridge
import Scripting

/// Starting a host and turning script errors into exit statuses.
enum Session {
    static func makeHost(databasePath: String, scriptPath: String?, quiet: Bool) throws -> ScriptHost {
        do {
            let host = try ScriptHost(.init(databasePath: databasePath, scriptPath: scriptPath, quiet: quiet))
            host.vm.installInterruptHandler()
            return host
        } catch {
            printError("frontier: \(error)")
            throw ExitCode(1)
        }
    }

    /// Runs Lua; on error prints the message and traceback to stderr and exits 1
    /// (128 + the signal when interrupted: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
    static func report(_ body: () throws -> Void) throws {
        do {
            try body()
            fflush(nil)
        } catch {
            fflush(nil)
            printError("frontier: \(error)")
            if case LuaError.runtime(let m, _) = error, m.contains("interrupted") {
                throw ExitCode(128 + (LuaVM.interruptSignal ?? SIGINT))
            }
            throw ExitCode(1)
        }
    }

    /// The GPU count of `--gpus`, or of the retired `--count` (with a warning).
    static func gpus(_ gpus: Int, deprecatedCount: Int?) -> Int {
        guard let count = deprecatedCount else { return gpus }
        printError("warning: --count is deprecated; use --gpus (docs/lua-style.md)")
        return count
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
