/// What a run used, as plain numbers: the measurement layer fills it from a run's
/// summary, and nothing here knows where the numbers came from.
public struct RunUsage: Sendable, Equatable {
    /// Wall-clock seconds the hardware was held: the run's makespan.
    public let wallSeconds: Double
    /// GPUs the run used, when known; when given it must match the hardware's count.
    public let gpus: Int?
    /// Requests sent.
    public let requests: Int
    /// Requests that completed normally (≤ requests).
    public let succeeded: Int
    /// Input (prompt) tokens.
    public let inputTokens: Int
    /// Output (completion) tokens.
    public let outputTokens: Int
    /// Requests that met the SLA (≤ succeeded), when an SLA was applied.
    public let goodRequests: Int?
    /// A quality score for the run (e.g. a benchmark score), when one was attached.
    public let qualityScore: Double?

    /// Validates counts against each other; throws `CostError` naming the bad one.
    public init(wallSeconds: Double, gpus: Int? = nil, requests: Int, succeeded: Int,
                inputTokens: Int, outputTokens: Int, goodRequests: Int? = nil,
                qualityScore: Double? = nil) throws {
        try Check.nonNegative(wallSeconds, "wallSeconds")
        if let gpus { try Check.count(gpus, atLeast: 1, "gpus") }
        try Check.count(requests, atLeast: 0, "requests")
        try Check.count(succeeded, atLeast: 0, "succeeded")
        guard succeeded <= requests else {
            throw CostError.invalid(name: "succeeded", expected: "≤ requests (\(requests))", got: String(succeeded))
        }
        try Check.count(inputTokens, atLeast: 0, "inputTokens")
        try Check.count(outputTokens, atLeast: 0, "outputTokens")
        if let goodRequests {
            try Check.count(goodRequests, atLeast: 0, "goodRequests")
            // Only a request that completed can meet an SLA.
            guard goodRequests <= succeeded else {
                throw CostError.invalid(name: "goodRequests", expected: "≤ succeeded (\(succeeded))",
                                        got: String(goodRequests))
            }
        }
        if let qualityScore { try Check.finite(qualityScore, "qualityScore") }
        self.wallSeconds = wallSeconds
        self.gpus = gpus
        self.requests = requests
        self.succeeded = succeeded
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.goodRequests = goodRequests
        self.qualityScore = qualityScore
    }
}
