/// A rented GPU's price: dollars per GPU per hour, billed for the hours rented.
public struct CloudPrice: Sendable, Equatable {
    /// Dollars per GPU-hour.
    public let hourly: Double

    /// Throws when `hourly` is negative or not finite.
    public init(hourly: Double) throws {
        try Check.nonNegative(hourly, "hourly price")
        self.hourly = hourly
    }
}

/// A hosted model's price: dollars per million input and output tokens, plus an
/// optional fee per request. Time does not enter it.
public struct APIPrice: Sendable, Equatable {
    /// Dollars per 1M input (prompt) tokens.
    public let inputPerMillion: Double
    /// Dollars per 1M output (completion) tokens.
    public let outputPerMillion: Double
    /// Dollars per request, on top of the token prices (0 for most APIs).
    public let perRequest: Double

    /// Throws when any price is negative or not finite.
    public init(inputPerMillion: Double, outputPerMillion: Double, perRequest: Double = 0) throws {
        try Check.nonNegative(inputPerMillion, "input price per 1M tokens")
        try Check.nonNegative(outputPerMillion, "output price per 1M tokens")
        try Check.nonNegative(perRequest, "price per request")
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.perRequest = perRequest
    }

    /// inputTokens/1e6 × input price + outputTokens/1e6 × output price + requests × fee.
    public func cost(inputTokens: Double, outputTokens: Double, requests: Double = 0) -> Double {
        inputTokens / 1e6 * inputPerMillion + outputTokens / 1e6 * outputPerMillion + requests * perRequest
    }
}
