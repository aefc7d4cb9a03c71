import LuaBridge
import Runs

extension Options {
    /// Field `sweep`: `'latest'` (nil when absent), `'all'` or a sweep id.
    func sweep() throws -> SweepChoice {
        guard let v = table["sweep"], !v.isNil else { return .latest }
        if let id = v.integer, id > 0 { return .id(Int64(id)) }
        if let s = v.string, let c = SweepChoice(text: s) { return c }
        throw call.argumentError(position, "field '\(path)sweep' must be \(SweepChoice.expected), got \(v.string.map { "'\($0)'" } ?? v.typeName)")
    }
}

extension StoredRuns {
    /// A stored sweep as Lua sees it (`bench.sweeps`).
    static func table(_ s: Sweeps.Stored) -> LuaValue {
        var t: [String: LuaValue] = ["sweep": .int(Int(s.id)), "runs": .int(s.runs),
                                     "sources": .array(s.sources.map(LuaValue.string)),
                                     "levels": .array(s.levels.map { $0 == $0.rounded() && abs($0) < 1e15 ? .int(Int($0)) : .double($0) })]
        t["tag"] = s.tag.map(LuaValue.string)
        t["started_at"] = s.startedAt.map(LuaValue.double)
        return .table(t)
    }
}
