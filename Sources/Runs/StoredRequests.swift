import Metrics
import Store

/// One stored request read back: the record, and what the workload said about it.
public struct StoredRequest: Sendable, Equatable {
    public var record: RequestRecord
    /// The answer the workload expected, for scoring.
    public var expected: String?
    /// The request's position in its workload.
    public var workloadIndex: Int?

    public init(record: RequestRecord, expected: String? = nil, workloadIndex: Int? = nil) {
        self.record = record
        self.expected = expected
        self.workloadIndex = workloadIndex
    }
}

/// Reads a run's requests back from the store as `RequestRecord`s, in `idx` order:
/// what cost, SLA and quality code work on, whether a run was measured or simulated.
public enum StoredRequests {
    /// The run's requests with `idx > after`, at most `limit` of them (all by default);
    /// without `chunks`, chunk times are neither read nor decoded (left empty).
    public static func load(run: Int64, after: Int = -1, limit: Int = -1, chunks: Bool = true,
                            db: Database) throws -> [StoredRequest] {
        let r = try db.query("""
            SELECT idx, intended, sent, first_token, ended, input_tokens, output_tokens, tokens_approx,
                   http_status, status, error_kind, error, \(chunks ? "chunk_times" : "NULL"), response, max_tokens,
                   workload_index, expected
            FROM requests WHERE run_id = ? AND idx > ? ORDER BY idx LIMIT ?
            """, [.integer(run), .integer(Int64(after)), .integer(Int64(limit))])
        return r.rows.map { row in
            func real(_ i: Int) -> Double? { row[i].double }
            func int(_ i: Int) -> Int? { row[i].int }
            func text(_ i: Int) -> String? { row[i].text }
            var chunks: [Double] = []
            if case .blob(let b) = row[12] { chunks = ChunkTimes.decode(b) }
            let record = RequestRecord(
                index: int(0) ?? 0, intended: real(1), sent: real(2) ?? 0, firstToken: real(3), ended: real(4),
                chunkTimes: chunks, inputTokens: int(5), outputTokens: int(6), tokensApproximate: int(7) == 1,
                httpStatus: int(8), status: text(9).flatMap(RequestStatus.init(rawValue:)) ?? .error,
                errorKind: text(10).flatMap(ErrorKind.init(rawValue:)), error: text(11), response: text(13),
                maxTokens: int(14))
            return StoredRequest(record: record, expected: text(16), workloadIndex: int(15))
        }
    }
}
