import Foundation
import Interop
import LuaBridge
import Measure
import Metrics
import Store

/// `bench.export{}` and `frontier export`: runs or requests as CSV or JSON Lines,
/// with the stable column names of docs/interop.md.
enum ExportBinding {
    /// The run's own columns, in front of the summary's.
    static let runColumns = ["run_id", "tag", "source", "target", "model", "concurrency", "rate", "status",
                             "started_at", "ended_at"]

    /// The export text of the selected runs (`what`: runs or requests; `format`: csv or jsonl).
    static func text(db: Database, tag: String?, runIDs: [Int]?, what: String, format: String) throws -> String {
        let rows = try db.query("""
            SELECT run_id, tag, source, target, model, concurrency, rate, status, started_at, ended_at, summary
            FROM runs WHERE (?1 IS NULL OR tag = ?1) ORDER BY run_id
            """, [tag.map(SQLValue.text) ?? .null])
        var records: [[String: ExportValue]] = []
        var columns: [String]
        switch what {
        case "runs":
            columns = runColumns + SummaryExport.columns
            for row in rows.rows {
                guard case .integer(let id) = row[0], runIDs.map({ $0.contains(Int(id)) }) ?? true else { continue }
                var values: [String: ExportValue] = [:]
                for (i, c) in runColumns.enumerated() { values[c] = value(row[i]) }
                if case .text(let json) = row[10], let summary = try? RunSummary(json: json) {
                    values.merge(SummaryExport.values(summary)) { a, _ in a }
                }
                records.append(values)
            }
        case "requests":
            columns = RequestExport.columns
            for row in rows.rows {
                guard case .integer(let id) = row[0], runIDs.map({ $0.contains(Int(id)) }) ?? true else { continue }
                for s in try StoredRequests.load(run: id, db: db) {
                    records.append(RequestExport.values(s.record, runID: Int(id)))
                }
            }
        default:
            throw LuaScriptError("what to export must be 'runs' or 'requests', got '\(what)'")
        }
        switch format {
        case "csv": return Export.csv(header: columns, rows: records.map { r in columns.map { r[$0]?.csvField } })
        case "jsonl", "json": return records.map { Export.jsonLine($0) + "\n" }.joined()
        default: throw LuaScriptError("export format must be 'csv' or 'jsonl', got '\(format)'")
        }
    }

    static func value(_ v: SQLValue) -> ExportValue {
        switch v {
        case .null: return .null
        case .integer(let i): return .int(Int(i))
        case .real(let d): return .double(d)
        case .text(let s): return .string(s)
        case .blob: return .null
        }
    }

    /// `bench.export{ tag=, run=, what='runs'|'requests', format='csv'|'jsonl', out=, db= }`.
    static func run(_ call: LuaCall, store: StoreModule) throws -> Int {
        let o = try Options(call, 1, optional: true)
        try o.only(["tag", "run", "runs", "what", "format", "out", "db"])
        var ids: [Int]?
        if let r = o.table["run"] { ids = [r["run_id"].integer ?? r.integer ?? -1] }
        if case .array(let a)? = o.table["runs"] { ids = a.compactMap { $0["run_id"].integer ?? $0.integer } }
        let text: String
        do {
            text = try self.text(db: store.handle(path: try o.string("db")).db(), tag: try o.string("tag"), runIDs: ids,
                                 what: try o.string("what") ?? "runs", format: try o.string("format") ?? "csv")
        } catch let e as LuaScriptError { throw call.argumentError(1, e.description) }
        if let out = try o.string("out") {
            do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                throw call.argumentError(1, "cannot write '\(out)': \(error.localizedDescription)")
            }
            return try call.returning(.string(out))
        }
        return try call.returning(.string(text))
    }
}
