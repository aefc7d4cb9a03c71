import Store

/// Every SQL statement that reads `server_metrics` (RunStore writes them).
public enum ServerMetricRecords {
    /// The run's samples of series `name` (every series when nil), in time order.
    public static func load(run: Int64, name: String? = nil, db: Database) throws -> [ServerMetricSample] {
        let r = try db.query("""
            SELECT t, name, value FROM server_metrics WHERE run_id = ?1 AND (?2 IS NULL OR name = ?2) ORDER BY t, name
            """, [.integer(run), name.map(SQLValue.text) ?? .null])
        return r.rows.compactMap { row in
            guard case .text(let n) = row[1] else { return nil }
            return ServerMetricSample(t: row[0].double ?? .nan, name: n, value: row[2].double ?? .nan)
        }
    }
}
