extension RequestRecord {
    /// Time per output token: (e2e − ttft) / (outputTokens − 1); nil unless the
    /// request has both times and more than one output token.
    public var timePerOutputToken: Double? {
        guard let ttft, let e2e, let tokens = outputTokens, tokens > 1 else { return nil }
        return (e2e - ttft) / Double(tokens - 1)
    }

    /// Gaps between consecutive chunk arrivals (seconds); empty with fewer than two chunks.
    public var chunkGaps: [Double] {
        guard chunkTimes.count > 1 else { return [] }
        return zip(chunkTimes.dropFirst(), chunkTimes).map { $0 - $1 }
    }

    /// outputTokens / e2e (tokens per second); nil without a token count or with e2e ≤ 0.
    public var outputTokensPerSecond: Double? {
        guard let e2e, e2e > 0, let tokens = outputTokens else { return nil }
        return Double(tokens) / e2e
    }

    /// sent − intended: how late the client sent the request (open loop only).
    public var sendLag: Double? { intended.map { sent - $0 } }

    /// firstToken − intended (open loop only).
    public var ttftFromIntended: Double? {
        guard let intended, let firstToken else { return nil }
        return firstToken - intended
    }

    /// ended − intended (open loop only).
    public var e2eFromIntended: Double? {
        guard let intended, let ended else { return nil }
        return ended - intended
    }

    /// `ended`, or `sent` for a request that never ended.
    var endOrSent: Double { ended ?? sent }
}
