import LuaBridge

/// What one REPL input amounted to.
public enum REPLOutcome: Equatable {
    /// The input is incomplete: read another line and try again with both.
    case more
    /// It ran; the text of its results, if it had any.
    case ok(String?)
    /// It did not compile or raised; the message (and traceback).
    case error(String)
}

extension ScriptHost {
    /// Evaluates REPL input (expression or statements) with Ctrl-C armed.
    /// The VM's state survives errors and interrupts.
    public func replEval(_ source: String) -> REPLOutcome {
        do {
            let r = try vm.interruptible {
                try vm.run("return require('repl').eval(...)", chunkName: "=repl", args: [.string(source)])
            }
            switch r.first?.string {
            case "more": return .more
            case "ok": return .ok(r.count > 1 ? r[1].string : nil)
            default: return .error(r.count > 1 ? r[1].string ?? "error" : "error")
            }
        } catch {
            return .error(String(describing: error))
        }
    }

    /// Tab completions for the text before the cursor.
    public func completions(for text: String) -> [String] { vm.completions(for: text) }
}
