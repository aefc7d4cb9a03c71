import Foundation
import Metrics

/// Requested vs served input tokens of a run: what the workload asked for (synthetic
/// prompts' lengths) against the server's `usage.prompt_tokens`, over the requests that
/// have both.
public struct InputLengthCheck: Sendable, Equatable {
    /// Mean and standard deviation of one side.
    public struct Side: Sendable, Equatable {
        public var mean: Double
        public var stdev: Double
    }

    public var requested: Side
    public var served: Side
    /// Requests compared.
    public var requests: Int
    /// (served mean − requested mean) / requested mean.
    public var difference: Double

    /// Beyond this relative difference a run carries a warning.
    public static let tolerance = 0.02

    /// Nil when no request has both a requested and a served (non-approximate) count.
    public init?(pairs: [(requested: Int, served: Int)]) {
        guard !pairs.isEmpty else { return nil }
        func side(_ xs: [Double]) -> Side {
            let mean = xs.reduce(0, +) / Double(xs.count)
            let variance = xs.count > 1 ? xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(xs.count - 1) : 0
            return Side(mean: mean, stdev: variance.squareRoot())
        }
        requested = side(pairs.map { Double($0.requested) })
        served = side(pairs.map { Double($0.served) })
        requests = pairs.count
        difference = requested.mean > 0 ? (served.mean - requested.mean) / requested.mean : 0
    }

    /// As stored beside the summary (`input_length`) and in the Lua run table.
    public var json: [String: Any] {
        ["requested": ["mean": requested.mean, "stdev": requested.stdev],
         "served": ["mean": served.mean, "stdev": served.stdev],
         "requests": requests, "difference": difference]
    }

    /// A warning when the served lengths are off by more than ``tolerance``.
    public var warning: String? {
        guard abs(difference) > Self.tolerance else { return nil }
        return String(format: "served input tokens average %.1f, %+.1f %% from the %.1f requested; the prompts are not "
                      + "in this server's tokens (bench.run{ tokenizer = 'auto' } fits them)",
                      served.mean, difference * 100, requested.mean)
    }
}
