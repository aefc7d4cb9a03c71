import Interop
import Metrics
import Store

/// `frontier export` and `bench.export`: stored runs or their requests as CSV or JSON
/// Lines, with the stable column names of docs/interop.md.
public enum RunExport {
    /// What to export.
    public enum What: String, Sendable, CaseIterable { case runs, requests }
    /// The text format.
    public enum Format: String, Sendable, CaseIterable { case csv, jsonl }

    /// The run's own columns, in front of the summary's.
    public static let runColumns = ["run_id", "tag", "source", "target", "model", "concurrency", "rate", "status",
                                    "started_at", "ended_at", "sweep"]

    /// The export text of the runs with `tag` (any when nil; of a tag, the sweep `sweep`
    /// picks), kept to `runIDs` when given.
    public static func text(db: Database, tag: String?, sweep: SweepChoice = .latest, runIDs: [Int64]?,
                            what: What, format: Format) throws -> String {
        let runs = try RunRecords.list(tag: tag, sweep: runIDs == nil ? sweep : .all, db: db).filter { run in runIDs.map { $0.contains(run.id) } ?? true }
        var records: [[String: ExportValue]] = []
        let columns: [String]
        switch what {
        case .runs:
            columns = runColumns + SummaryExport.columns
            for run in runs {
                var values = own(run)
                if let summary = run.summary { values.merge(SummaryExport.values(summary)) { a, _ in a } }
                records.append(values)
            }
        case .requests:
            columns = RequestExport.columns
            for run in runs {
                for s in try StoredRequests.load(run: run.id, db: db) {
                    records.append(RequestExport.values(s.record, runID: Int(run.id)))
                }
            }
        }
        switch format {
        case .csv: return Export.csv(header: columns, rows: records.map { r in columns.map { r[$0]?.csvField } })
        case .jsonl: return records.map { Export.jsonLine($0) + "\n" }.joined()
        }
    }

    static func own(_ run: StoredRun) -> [String: ExportValue] {
        func text(_ s: String?) -> ExportValue { s.map(ExportValue.string) ?? .null }
        func real(_ d: Double?) -> ExportValue { d.map(ExportValue.double) ?? .null }
        return ["run_id": .int(Int(run.id)), "tag": text(run.tag), "source": .string(run.source), "target": text(run.target),
                "model": text(run.model), "concurrency": run.concurrency.map(ExportValue.int) ?? .null,
                "rate": real(run.rate), "status": .string(run.status), "started_at": real(run.startedAt),
                "ended_at": real(run.endedAt), "sweep": run.sweep.map { .int(Int($0)) } ?? .null]
    }
}
