import Foundation

/// A distribution of token counts (prompt or output lengths). Samples are
/// rounded and clamped to at least 1 (and to `max` where one is given).
public enum LengthDistribution: Sendable, Equatable {
    case fixed(Int)
    case uniform(min: Int, max: Int)
    case normal(mean: Double, sd: Double)
    case lognormal(median: Double, sigma: Double)
    /// Values drawn with the given weights (equal weights when empty).
    case empirical(values: [Int], weights: [Double])
    /// Long-tailed lengths as served traffic has them: a lognormal body, and with
    /// probability `tail` a Pareto tail of shape `alpha` starting at the body's 95th
    /// percentile (median·e^(1.645·sigma)); every draw capped at `cap`.
    case longTail(median: Double, sigma: Double, tail: Double, alpha: Double, cap: Int)
    /// A reasoning model's output: an answer's length plus reasoning tokens `ratio` times
    /// the answer, ratio uniform in [ratioMin, ratioMax] (the 4–8× of long chain-of-thought).
    indirect case thinking(answer: LengthDistribution, ratioMin: Double, ratioMax: Double)

    /// Checks the parameters; the message names the field that is wrong.
    /// The longest length a distribution may produce (tokens).
    public static let maxLength = 10_000_000

    public func validate() throws {
        func bad(_ s: String) -> MeasureError { .invalidArgument(s) }
        let limit = Double(Self.maxLength)
        switch self {
        case .fixed(let n): if n < 1 || n > Self.maxLength { throw bad("fixed length must be 1 to \(Self.maxLength), got \(n)") }
        case .uniform(let lo, let hi):
            if lo < 1 || hi < lo || hi > Self.maxLength { throw bad("uniform needs 1 <= min <= max <= \(Self.maxLength), got min \(lo), max \(hi)") }
        case .normal(let m, let s):
            if !(m >= 1 && m <= limit && s >= 0 && s <= limit) { throw bad("normal needs 1 <= mean <= \(Self.maxLength) and 0 <= sd <= \(Self.maxLength), got mean \(m), sd \(s)") }
        case .lognormal(let m, let s):
            if !(m >= 1 && m <= limit && s >= 0 && s <= 10) { throw bad("lognormal needs 1 <= median <= \(Self.maxLength) and 0 <= sigma <= 10, got median \(m), sigma \(s)") }
        case .empirical(let v, let w):
            if v.isEmpty { throw bad("empirical needs at least one value") }
            if v.contains(where: { $0 < 1 || $0 > Self.maxLength }) { throw bad("empirical values must be 1 to \(Self.maxLength)") }
            if !w.isEmpty && (w.count != v.count || w.contains { $0 < 0 } || w.reduce(0, +) <= 0) {
                throw bad("empirical weights must be one non-negative number per value, not all zero")
            }
        case .longTail(let m, let s, let tail, let alpha, let cap):
            if !(m >= 1 && m <= limit && s >= 0 && s <= 10) { throw bad("long_tail needs 1 <= median <= \(Self.maxLength) and 0 <= sigma <= 10, got median \(m), sigma \(s)") }
            if !(tail >= 0 && tail <= 1) { throw bad("long_tail needs 0 <= tail <= 1 (the share of draws from the Pareto tail), got \(tail)") }
            if !(alpha > 0 && alpha <= 100) { throw bad("long_tail needs 0 < alpha <= 100 (the Pareto shape; smaller is heavier), got \(alpha)") }
            if cap < 1 || cap > Self.maxLength || Double(cap) < m { throw bad("long_tail needs median <= cap <= \(Self.maxLength), got cap \(cap)") }
        case .thinking(let answer, let lo, let hi):
            try answer.validate()
            if !(lo >= 0 && hi >= lo && hi <= 1000) { throw bad("thinking needs 0 <= ratio min <= ratio max <= 1000, got \(lo)..\(hi)") }
        }
    }

    public func sample(_ rng: inout SeededRNG) -> Int {
        let x: Double
        switch self {
        case .fixed(let n): return max(1, n)
        case .uniform(let lo, let hi): return rng.int(lo, hi)
        case .normal(let m, let s): x = m + s * rng.normal()
        case .lognormal(let median, let sigma): x = median * Foundation.exp(sigma * rng.normal())
        case .empirical(let values, let weights):
            if weights.isEmpty { return values[rng.int(0, values.count - 1)] }
            var r = rng.uniform() * weights.reduce(0, +)
            for (v, w) in zip(values, weights) {
                r -= w
                if r < 0 { return v }
            }
            return values[values.count - 1]
        case .longTail(let median, let sigma, let tail, let alpha, let cap):
            if tail > 0, rng.uniform() < tail {
                // Pareto by inversion: x_m · U^(-1/alpha), U in (0, 1].
                let start = median * Foundation.exp(1.645 * sigma)
                x = start * Foundation.pow(1 - rng.uniform(), -1 / alpha)
            } else {
                x = median * Foundation.exp(sigma * rng.normal())
            }
            return Int(min(max(1, x.rounded()), Double(cap)))
        case .thinking(let answer, let lo, let hi):
            let a = answer.sample(&rng)
            let ratio = lo + (hi - lo) * rng.uniform()
            return min(Self.maxLength, a + Int((Double(a) * ratio).rounded()))
        }
        // Clamped before converting: a far tail sample must not trap.
        return Int(min(max(1, x.rounded()), Double(Self.maxLength)))
    }

    /// A short description ("lognormal(median 400, sigma 0.6)").
    public var summary: String {
        switch self {
        case .fixed(let n): return "fixed(\(n))"
        case .uniform(let lo, let hi): return "uniform(\(lo)..\(hi))"
        case .normal(let m, let s): return "normal(mean \(m), sd \(s))"
        case .lognormal(let m, let s): return "lognormal(median \(m), sigma \(s))"
        case .empirical(let v, _): return "empirical(\(v.count) values)"
        case .longTail(let m, let s, let t, let a, let c): return "long_tail(median \(m), sigma \(s), tail \(t), alpha \(a), cap \(c))"
        case .thinking(let answer, let lo, let hi):
            return "thinking(answer \(answer.summary), ratio \(lo == hi ? "\(lo)" : "\(lo)..\(hi)"))"
        }
    }
}

/// Errors of the measurement layer, with messages naming the input.
public enum MeasureError: Error, CustomStringConvertible, Equatable {
    case invalidArgument(String)
    case workloadFile(path: String, line: Int, reason: String)
    case cannotRead(path: String, reason: String)
    case store(String)

    public var description: String {
        switch self {
        case .invalidArgument(let s): return s
        case .workloadFile(let p, let l, let r): return "\(p):\(l): \(r)"
        case .cannotRead(let p, let r): return "cannot read \(p): \(r)"
        case .store(let s): return s
        }
    }
}
