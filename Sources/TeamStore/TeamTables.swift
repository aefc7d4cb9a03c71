import Foundation
import Store

/// The columns copied between the local file and the team store, table by table: the
/// same names on both sides, except that the team store keys a run by its global id
/// (`run_uid`) where the file has its local `run_id`. Each column carries its PostgreSQL
/// type, cast onto its parameter so a value binds whatever SQLite storage class it has.
enum TeamTables {
    struct Table {
        let name: String
        /// (column, PostgreSQL type)
        let columns: [(String, String)]
        /// Sort order for reading a run's rows back (stable copies, identical figures).
        let order: String

        var names: [String] { columns.map(\.0) }
        /// The columns as the team store returns them to the local file (jsonb as text).
        var selectList: String {
            columns.map { $0.1 == "jsonb" ? "\($0.0)::text AS \($0.0)" : $0.0 }.joined(separator: ", ")
        }
    }

    static let requests = Table(name: "requests", columns: [
        ("idx", "bigint"), ("intended", "float8"), ("sent", "float8"), ("first_token", "float8"), ("ended", "float8"),
        ("ttft", "float8"), ("e2e", "float8"), ("input_tokens", "bigint"), ("output_tokens", "bigint"),
        ("tokens_approx", "bigint"), ("http_status", "bigint"), ("status", "text"), ("error_kind", "text"),
        ("error", "text"), ("chunk_times", "bytea"), ("response", "text"), ("max_tokens", "bigint"),
        ("workload_index", "bigint"), ("expected", "text"),
        // Team schema version 2 (local version 11): what the workload said about the request.
        ("class", "text"), ("meta", "jsonb"), ("session", "bigint"), ("turn", "bigint"),
    ], order: "idx")

    static let requestScores = Table(name: "request_scores", columns: [
        ("idx", "bigint"), ("scorer", "text"), ("score", "float8"), ("detail", "jsonb"),
    ], order: "idx, scorer")

    static let quality = Table(name: "quality", columns: [
        ("created", "text"), ("model", "text"), ("name", "text"), ("score", "float8"), ("n", "bigint"),
        ("stderr", "float8"), ("source", "text"), ("detail", "jsonb"),
    ], order: "id")

    static let serverMetrics = Table(name: "server_metrics", columns: [
        ("t", "float8"), ("name", "text"), ("value", "float8"),
    ], order: "name, t")

    /// The tables stored per run, parents first.
    static let perRun = [requests, requestScores, quality, serverMetrics]

    /// From this many rows on, ``insert(_:runUID:rows:into:)`` uses COPY.
    static let copyFrom = 100

    /// Inserts `rows` for one run into the team store: COPY for many, else a few multi-row INSERTs (at most
    /// about 30,000 parameters each, under the protocol's 65,535).
    static func insert(_ t: Table, runUID: String, rows: [[SQLValue]], into c: TeamConnection) throws {
        guard !rows.isEmpty else { return }
        // Many rows (a run's requests): COPY, an order of magnitude faster than INSERTs.
        if rows.count >= copyFrom {
            try c.copy(into: t.name, columns: ["run_uid"] + t.names, types: ["text"] + t.columns.map(\.1),
                       rows: rows.map { [.text(runUID)] + $0 }, what: "copying \(rows.count) rows of \(t.name)")
            return
        }
        let width = t.columns.count + 1
        let perStatement = max(1, 30_000 / width)
        let columnList = (["run_uid"] + t.names).joined(separator: ", ")
        var start = 0
        while start < rows.count {
            let batch = rows[start..<min(rows.count, start + perStatement)]
            var sql = "INSERT INTO \(t.name) (\(columnList)) VALUES "
            var params: [SQLValue] = []
            params.reserveCapacity(batch.count * width)
            var n = 0
            for (k, row) in batch.enumerated() {
                if k > 0 { sql += ", " }
                n += 1; sql += "($\(n)::text"; params.append(.text(runUID))
                for (i, column) in t.columns.enumerated() {
                    n += 1; sql += ", $\(n)::\(column.1)"; params.append(row[i])
                }
                sql += ")"
            }
            try c.query(sql, params, what: "storing \(batch.count) rows of \(t.name)")
            start += batch.count
        }
    }
}
