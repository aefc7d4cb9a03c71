import Foundation
import LuaBridge
import Scripting

/// The interactive loop: reads input (libedit on a terminal, plain lines
/// from a pipe), evaluates it, prints results. Ctrl-C at the prompt clears
/// the line; during a statement it interrupts it; Ctrl-D exits.
struct REPL {
    let host: ScriptHost

    /// Runs until end of input; returns the exit status (128 + the signal when SIGTERM or
    /// SIGHUP ended it, else 0).
    func run() -> Int32 {
        let tty = isatty(STDIN_FILENO) != 0
        let reader: LineReader = tty
            ? EditLineReader(historyPath: historyPath, host: host)
            : PlainLineReader()
        if tty {
            print("frontier \(ScriptHost.version) (Lua 5.4) — store: \(storeDescription). help() lists modules; Ctrl-D exits.")
        }
        var buffer = ""
        while true {
            fflush(nil)
            switch reader.read(prompt: buffer.isEmpty ? "> " : ">> ") {
            case .eof:
                if tty { print("") }
                return 0
            case .interrupted:
                // Ctrl-C clears the line; SIGTERM or SIGHUP (kill, a closed terminal) ends the session.
                if let signal = LuaVM.interruptSignal, signal != SIGINT { return 128 + signal }
                buffer = ""
                print("")
            case .line(let line):
                let source = buffer.isEmpty ? line : buffer + "\n" + line
                if source.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                switch host.replEval(source) {
                case .more:
                    buffer = source
                    continue
                case .ok(let text):
                    if let text { print(text) }
                case .error(let message):
                    fflush(nil)
                    Session.printError(message)
                }
                reader.remember(source)
                buffer = ""
            }
        }
    }

    var historyPath: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return home + "/.frontier_history"
    }

    var storeDescription: String {
        (try? host.vm.run("return db.path()").first?.string) ?? "?"
    }
}
