/// One request of a simulated workload: exact token counts (the simulator does not
/// stop early, so every request produces all of its output tokens).
public struct SimRequest: Sendable, Equatable {
    /// Prompt tokens (≥ 1).
    public var inputTokens: Int
    /// Tokens generated (≥ 1).
    public var outputTokens: Int

    /// A request; `Simulator.run` checks that both counts are at least 1.
    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// How load is offered, with the same arrival schedule as Measure's `LoadShape`,
/// so a simulated run and a measured one with the same seed send at the same times.
public enum SimLoad: Sendable, Equatable {
    /// `concurrency` requests in flight: the first ones are sent at 0 and each finish
    /// sends the next request at that instant.
    case closed(concurrency: Int)
    /// Requests sent at `rate` per second: evenly spaced when `burstiness` is nil,
    /// else gamma-distributed gaps of that shape with mean 1/rate (1 = Poisson,
    /// below 1 burstier), drawn from `seed`. The first is sent at 0.
    case open(rate: Double, burstiness: Double?, seed: UInt64)

    func validate() throws {
        switch self {
        case .closed(let concurrency):
            try Check.count(concurrency, in: 1...100_000_000, "concurrency")
        case .open(let rate, let burstiness, _):
            guard rate.isFinite, rate >= 1e-3, rate <= 1e6 else {
                throw SimError.invalid(name: "rate", expected: "from 0.001 to 1e6 requests per second",
                                       got: formatNumber(rate))
            }
            if let b = burstiness, !(b > 0 && b <= 1e3) {
                throw SimError.invalid(name: "burstiness", expected: "in (0, 1000]", got: formatNumber(b))
            }
        }
    }
}
