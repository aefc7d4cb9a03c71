/// How one request ended.
public enum RequestStatus: String, Sendable, Codable, CaseIterable {
    /// Completed normally: a `finish_reason` of `stop` or `length`, or all the tokens asked for.
    case ok
    /// Failed: no usable response (HTTP error, connection error, timeout, malformed reply).
    case error
    /// The stream ended early: fewer tokens than asked and no `stop`/`length` finish reason.
    case truncated
}

/// Why a request failed; stored as the `error_kind` column.
public enum ErrorKind: String, Sendable, Codable, CaseIterable {
    case connect            // could not connect (refused, unreachable, DNS)
    case tls                // TLS handshake failed (another cause than those below)
    case tlsUntrusted = "tls_untrusted"     // the server's certificate comes from a CA not trusted here
    case tlsName = "tls_name"               // the certificate is for another name
    case tlsExpired = "tls_expired"         // the certificate has expired or is not yet valid
    case tlsClientCertificate = "tls_client_certificate"  // the server wants (or refused) a client certificate
    case proxy                              // the proxy refused, failed or asked for credentials
    case http429 = "http_429"
    case http4xx = "http_4xx"
    case http5xx = "http_5xx"
    case timeoutConnect = "timeout_connect"
    case timeoutFirstToken = "timeout_first_token"
    case timeoutTotal = "timeout_total"
    case reset              // connection closed or reset mid-response
    case malformed          // a chunk or body that is not the expected JSON / SSE
    case nonJSON = "non_json"   // a body that is not JSON at all (HTML error page...)
    case cancelled          // stopped by the user (Ctrl-C, on_progress returning false)
    case other
}

/// One request as measured (or simulated). Times are seconds on the run's
/// clock: 0 is the run start; `chunkTimes` are offsets from `sent`.
public struct RequestRecord: Sendable, Equatable {
    /// 0-based position in the run's workload order.
    public var index: Int
    /// When the load generator meant to send it (open loop only).
    public var intended: Double?
    /// When it was sent (request head written).
    public var sent: Double
    /// Arrival of the first streamed chunk carrying content.
    public var firstToken: Double?
    /// Arrival of the last byte, or the moment it failed.
    public var ended: Double?
    /// Arrival of every content chunk, seconds after `sent` (so the first is the TTFT).
    public var chunkTimes: [Double]
    /// Prompt tokens (server's `usage`, else nil).
    public var inputTokens: Int?
    /// Completion tokens (server's `usage`, else counted chunks).
    public var outputTokens: Int?
    /// True when a token count was counted from chunks, not reported by the server.
    public var tokensApproximate: Bool
    public var httpStatus: Int?
    public var status: RequestStatus
    public var errorKind: ErrorKind?
    public var error: String?
    /// The generated text, when the run keeps responses.
    public var response: String?
    /// The number of tokens asked for (`max_tokens`), when known.
    public var maxTokens: Int?

    public init(index: Int, intended: Double? = nil, sent: Double, firstToken: Double? = nil,
                ended: Double? = nil, chunkTimes: [Double] = [], inputTokens: Int? = nil,
                outputTokens: Int? = nil, tokensApproximate: Bool = false, httpStatus: Int? = nil,
                status: RequestStatus, errorKind: ErrorKind? = nil, error: String? = nil,
                response: String? = nil, maxTokens: Int? = nil) {
        self.index = index
        self.intended = intended
        self.sent = sent
        self.firstToken = firstToken
        self.ended = ended
        self.chunkTimes = chunkTimes
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.tokensApproximate = tokensApproximate
        self.httpStatus = httpStatus
        self.status = status
        self.errorKind = errorKind
        self.error = error
        self.response = response
        self.maxTokens = maxTokens
    }

    /// Time to first token: first content chunk − sent.
    public var ttft: Double? { firstToken.map { $0 - sent } }
    /// End-to-end latency: last byte − sent.
    public var e2e: Double? { ended.map { $0 - sent } }
}
