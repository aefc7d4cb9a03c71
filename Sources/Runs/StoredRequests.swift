import Metrics
import Store

/// One stored request read back: the record, and what the workload said about it.
public struct StoredRequest: Sendable, Equatable {
    public var record: RequestRecord
    /// The answer the workload expected, for scoring.
    public var expected: String?
    /// The request's position in its workload.
    public var workloadIndex: Int?
    /// The request's class, as the workload gave it.
    public var requestClass: String?
    /// The workload's meta for the request, JSON text.
    public var meta: String?
    /// A session workload's session (0-based) and turn (1-based).
    public var session: Int?
    public var turn: Int?

    public init(record: RequestRecord, expected: String? = nil, workloadIndex: Int? = nil,
                requestClass: String? = nil, meta: String? = nil, session: Int? = nil, turn: Int? = nil) {
        self.record = record
        self.expected = expected
        self.workloadIndex = workloadIndex
        self.requestClass = requestClass
        self.meta = meta
        self.session = session
        self.turn = turn
    }
}

/// Reads a run's requests back from the store as `RequestRecord`s, in `idx` order:
/// what cost, SLA and quality code work on, whether a run was measured or simulated.
public enum StoredRequests {
    /// The run's requests with `idx > after`, at most `limit` of them (all by default);
    /// without `chunks`, chunk times are neither read nor decoded (left empty).
    public static func load(run: Int64, after: Int = -1, limit: Int = -1, chunks: Bool = true,
                            db: Database) throws -> [StoredRequest] {
        var out: [StoredRequest] = []
        try db.forEachRow("""
            SELECT idx, intended, sent, first_token, ended, input_tokens, output_tokens, tokens_approx,
                   http_status, status, error_kind, error, \(chunks ? "chunk_times" : "NULL"), response, max_tokens,
                   workload_index, expected, class, meta, session, turn
            FROM requests WHERE run_id = ? AND idx > ? ORDER BY idx LIMIT ?
            """, [.integer(run), .integer(Int64(after)), .integer(Int64(limit))]) { row in
            let record = RequestRecord(
                index: row.int(0) ?? 0, intended: row.double(1), sent: row.double(2) ?? 0, firstToken: row.double(3),
                ended: row.double(4), chunkTimes: row.withBlob(12, ChunkTimes.decode) ?? [],
                inputTokens: row.int(5), outputTokens: row.int(6), tokensApproximate: row.int(7) == 1,
                httpStatus: row.int(8), status: row.text(9).flatMap(RequestStatus.init(rawValue:)) ?? .error,
                errorKind: row.text(10).flatMap(ErrorKind.init(rawValue:)), error: row.text(11), response: row.text(13),
                maxTokens: row.int(14))
            out.append(StoredRequest(record: record, expected: row.text(16), workloadIndex: row.int(15),
                                     requestClass: row.text(17), meta: row.text(18), session: row.int(19), turn: row.int(20)))
        }
        return out
    }
}
