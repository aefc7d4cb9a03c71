import Foundation

extension RunSummary {
    /// Encodes under ``Field`` names; `error_rate` is written for readers but not read.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Field.self)
        try c.encode(requests, forKey: .requests)
        try c.encode(succeeded, forKey: .succeeded)
        try c.encode(failed, forKey: .failed)
        try c.encode(truncated, forKey: .truncated)
        try c.encode(errorsByKind, forKey: .errorsByKind)
        try c.encode(successRate, forKey: .successRate)
        try c.encode(errorRate, forKey: .errorRate)
        try c.encode(makespan, forKey: .makespan)
        try c.encode(requestThroughput, forKey: .requestsPerS)
        try c.encode(outputThroughput, forKey: .outputTokensPerS)
        try c.encode(totalThroughput, forKey: .totalTokensPerS)
        try c.encode(achievedConcurrency, forKey: .achievedConcurrency)
        try c.encode(inputTokens, forKey: .inputTokens)
        try c.encode(outputTokens, forKey: .outputTokens)
        try c.encode(tokensApproximate, forKey: .tokensApprox)
        for field in Field.allCases where field.isDistribution {
            try c.encodeIfPresent(self[distribution: field], forKey: field)
        }
    }

    /// Decodes what ``encode(to:)`` wrote.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: Field.self)
        requests = try c.decode(Int.self, forKey: .requests)
        succeeded = try c.decode(Int.self, forKey: .succeeded)
        failed = try c.decode(Int.self, forKey: .failed)
        truncated = try c.decode(Int.self, forKey: .truncated)
        errorsByKind = try c.decode([String: Int].self, forKey: .errorsByKind)
        successRate = try c.decode(Double.self, forKey: .successRate)
        makespan = try c.decode(Double.self, forKey: .makespan)
        requestThroughput = try c.decode(Double.self, forKey: .requestsPerS)
        outputThroughput = try c.decode(Double.self, forKey: .outputTokensPerS)
        totalThroughput = try c.decode(Double.self, forKey: .totalTokensPerS)
        achievedConcurrency = try c.decode(Double.self, forKey: .achievedConcurrency)
        inputTokens = try c.decode(Int.self, forKey: .inputTokens)
        outputTokens = try c.decode(Int.self, forKey: .outputTokens)
        tokensApproximate = try c.decode(Bool.self, forKey: .tokensApprox)
        ttft = try c.decodeIfPresent(LatencyStats.self, forKey: .ttft)
        tpot = try c.decodeIfPresent(LatencyStats.self, forKey: .tpot)
        itl = try c.decodeIfPresent(LatencyStats.self, forKey: .itl)
        e2e = try c.decodeIfPresent(LatencyStats.self, forKey: .e2e)
        tokensPerSecond = try c.decodeIfPresent(LatencyStats.self, forKey: .tokensPerS)
        ttftFromIntended = try c.decodeIfPresent(LatencyStats.self, forKey: .ttftFromIntended)
        e2eFromIntended = try c.decodeIfPresent(LatencyStats.self, forKey: .e2eFromIntended)
        sendLag = try c.decodeIfPresent(LatencyStats.self, forKey: .sendLag)
    }

    /// A distribution by its field; nil for a field that is not one, or has no sample.
    public subscript(distribution field: Field) -> LatencyStats? {
        switch field {
        case .ttft: return ttft
        case .tpot: return tpot
        case .itl: return itl
        case .e2e: return e2e
        case .tokensPerS: return tokensPerSecond
        case .ttftFromIntended: return ttftFromIntended
        case .e2eFromIntended: return e2eFromIntended
        case .sendLag: return sendLag
        default: return nil
        }
    }

    /// A scalar figure by its field, as a number (booleans 0/1); nil for a distribution
    /// or `errors_by_kind`.
    public subscript(scalar field: Field) -> Double? {
        switch field {
        case .requests: return Double(requests)
        case .succeeded: return Double(succeeded)
        case .failed: return Double(failed)
        case .truncated: return Double(truncated)
        case .successRate: return successRate
        case .errorRate: return errorRate
        case .makespan: return makespan
        case .requestsPerS: return requestThroughput
        case .outputTokensPerS: return outputThroughput
        case .totalTokensPerS: return totalThroughput
        case .achievedConcurrency: return achievedConcurrency
        case .inputTokens: return Double(inputTokens)
        case .outputTokens: return Double(outputTokens)
        case .tokensApprox: return tokensApproximate ? 1 : 0
        default: return nil
        }
    }

    /// The summary as a JSON object with sorted keys, for `runs.summary`.
    /// Statistics without samples are left out. Throws if a figure is not finite.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a summary written by ``json()``.
    public init(json: String) throws {
        self = try JSONDecoder().decode(RunSummary.self, from: Data(json.utf8))
    }
}
