import Foundation
import LuaBridge
import Synchronization

/// Names retired by the one-name rule (docs/lua-style.md). They keep working for one
/// release: the old option is read as the new one, with a one-line warning on stderr
/// the first time each is used.
enum Deprecations {
    /// Options renamed per function (qualified name as Lua calls it): old → new.
    static let options: [String: [String: String]] = {
        let gpus = ["count": "gpus"]
        return ["cost.gpu": gpus, "cost.cloud": gpus, "sim.run": gpus, "sim.sweep": gpus, "sim.deployment": gpus,
                "sim.server": gpus, "sim.calibrate": gpus]
    }()

    /// Messages already printed; warnings may come from any thread.
    private static let warned = Mutex<Set<String>>([])

    /// `table` with the function's retired option names moved to their new names.
    /// Giving both names is an error: which one was meant cannot be known.
    static func apply(_ table: [String: LuaValue], call: LuaCall, position: Int) throws -> [String: LuaValue] {
        guard let renames = options[call.functionName] else { return table }
        var t = table
        for (old, new) in renames {
            try move(old, to: new, in: &t, call: call, position: position,
                     warning: "\(call.functionName){ \(old) = } is deprecated; use '\(new)' (docs/lua-style.md)")
        }
        return t
    }

    /// Moves `old` to `new` in `t` with `warning`, when `old` is given; both given is an error.
    static func move(_ old: String, to new: String, in t: inout [String: LuaValue], call: LuaCall, position: Int,
                     warning: String) throws {
        guard let v = t[old], !v.isNil else { return }
        if let given = t[new], !given.isNil {
            throw call.argumentError(position, "field '\(old)' is the old name of '\(new)'; give only '\(new)'")
        }
        t[new] = v
        t[old] = nil
        warn(warning)
    }

    /// Prints `message` once per process.
    static func warn(_ message: String) {
        guard warned.withLock({ $0.insert(message).inserted }) else { return }
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }
}

extension Options {
    /// This table with the retired field `old` read as `new` (warning once), for
    /// nested tables the per-function list in ``Deprecations`` does not reach.
    func renaming(_ old: String, to new: String) throws -> Options {
        guard has(old) else { return self }
        var t = table
        try Deprecations.move(old, to: new, in: &t, call: call, position: position,
                              warning: "field '\(old)' is deprecated; use '\(new)' (docs/lua-style.md)")
        return Options(table: t, call: call, position: position, path: path)
    }
}
