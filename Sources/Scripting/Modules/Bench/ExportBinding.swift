import Foundation
import LuaBridge
import Runs

/// `bench.export{}`: runs or requests as CSV or JSON Lines (Runs.RunExport), the
/// same text `frontier export` writes.
enum ExportBinding {
    /// `bench.export{ tag=, sweep=, run=, runs=, what='runs'|'requests', format='csv'|'jsonl', out=, db= }`.
    static func run(_ call: LuaCall, store: StoreModule) throws -> Int {
        let o = try Options(call, 1, optional: true)
        try o.only(["tag", "sweep", "run", "runs", "what", "format", "out", "db"])
        var ids: [Int64]?
        if let r = o.table["run"] {
            guard let id = r["run_id"].integer ?? r.integer else { throw o.error("run", "a stored run or a run_id") }
            ids = [Int64(id)]
        }
        if case .array(let a)? = o.table["runs"] {
            ids = try a.map { v in
                guard let id = v["run_id"].integer ?? v.integer else { throw o.error("runs", "a list of stored runs or run_ids") }
                return Int64(id)
            }
        }
        let whatName = try o.string("what") ?? "runs", formatName = try o.string("format") ?? "csv"
        guard let what = RunExport.What(rawValue: whatName) else {
            throw call.argumentError(1, "field 'what' (what to export) must be 'runs' or 'requests', got '\(whatName)'")
        }
        guard let format = RunExport.Format(rawValue: formatName == "json" ? "jsonl" : formatName) else {
            throw call.argumentError(1, "field 'format' must be 'csv' or 'jsonl', got '\(formatName)'")
        }
        let text = try RunExport.text(db: store.handle(path: try o.string("db")).db(), tag: try o.string("tag"),
                                      sweep: try o.sweep(), runIDs: ids, what: what, format: format)
        if let out = try o.string("out") {
            do { try OutputFile.write(text, to: out) } catch {
                throw call.argumentError(1, "field 'out': \(error)")
            }
            return try call.returning(.string(out))
        }
        return try call.returning(.string(text))
    }
}
