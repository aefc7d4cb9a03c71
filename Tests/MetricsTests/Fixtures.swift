import Metrics

/// Five records of an open-loop run (times in seconds since run start; chunk times are
/// offsets from `sent`, the first one equal to the TTFT, the last to the E2E):
///
/// | # | status    | intended | sent | first | ended | chunkTimes            | in | out |
/// |---|-----------|----------|------|-------|-------|-----------------------|----|-----|
/// | 0 | ok        | 0        | 0    | 0.5   | 2.0   | 0.5, 0.75, 1.25, 2.0  | 10 | 4   |
/// | 1 | ok        | 1.0      | 1.25 | 2.25  | 4.25  | 1.0, 1.75, 3.0        | 20 | 3   |
/// | 2 | ok        | 2.0      | 2.0  | 4.0   | 4.0   | 2.0                   | 30 | 1   |
/// | 3 | error 5xx | 3.0      | 3.5  | –     | 5.0   | –                     | –  | –   |
/// | 4 | truncated | 4.0      | 4.0  | 4.5   | 6.0   | 0.5, 1.0, 2.0         | 40 | 3 (approximate) |
///
/// Per ok request:
/// - TTFT = first − sent: 0.5, 1.0, 2.0. E2E = ended − sent: 2.0, 3.0, 2.0.
/// - TPOT = (E2E − TTFT)/(out − 1): #0 1.5/3 = 0.5; #1 2.0/2 = 1.0; #2 out = 1, no sample.
/// - chunk gaps: #0 0.25, 0.5, 0.75; #1 0.75, 1.25; #2 none.
/// - tokens/s = out / E2E: 4/2 = 2.0; 3/3 = 1.0; 1/2 = 0.5.
/// - from intended: TTFT 0.5, 1.25, 2.0; E2E 2.0, 3.25, 2.0.
/// Every record: send lag = sent − intended: 0, 0.25, 0, 0.5, 0;
/// busy time = ended − sent: 2.0, 3.0, 2.0, 1.5, 2.0 (sum 10.5).
enum Fixture {
    static let records: [RequestRecord] = [
        RequestRecord(index: 0, intended: 0, sent: 0, firstToken: 0.5, ended: 2.0,
                      chunkTimes: [0.5, 0.75, 1.25, 2.0], inputTokens: 10, outputTokens: 4,
                      httpStatus: 200, status: .ok),
        RequestRecord(index: 1, intended: 1.0, sent: 1.25, firstToken: 2.25, ended: 4.25,
                      chunkTimes: [1.0, 1.75, 3.0], inputTokens: 20, outputTokens: 3,
                      httpStatus: 200, status: .ok),
        RequestRecord(index: 2, intended: 2.0, sent: 2.0, firstToken: 4.0, ended: 4.0,
                      chunkTimes: [2.0], inputTokens: 30, outputTokens: 1,
                      httpStatus: 200, status: .ok),
        RequestRecord(index: 3, intended: 3.0, sent: 3.5, ended: 5.0, httpStatus: 503,
                      status: .error, errorKind: .http5xx, error: "503 Service Unavailable"),
        RequestRecord(index: 4, intended: 4.0, sent: 4.0, firstToken: 4.5, ended: 6.0,
                      chunkTimes: [0.5, 1.0, 2.0], inputTokens: 40, outputTokens: 3,
                      tokensApproximate: true, httpStatus: 200, status: .truncated),
    ]

    /// The same records without intended send times (a closed-loop run).
    static var closedLoop: [RequestRecord] {
        records.map { record in
            var copy = record
            copy.intended = nil
            return copy
        }
    }

    /// One ok request: sent at `sent`, first token after `ttft`, ended after `e2e`.
    static func ok(_ index: Int, sent: Double, ttft: Double, e2e: Double,
                   output: Int? = 2, input: Int? = 1, approximate: Bool = false) -> RequestRecord {
        RequestRecord(index: index, sent: sent, firstToken: sent + ttft, ended: sent + e2e,
                      chunkTimes: [ttft, e2e], inputTokens: input, outputTokens: output,
                      tokensApproximate: approximate, status: .ok)
    }
}
