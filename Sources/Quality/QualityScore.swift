/// A run's or a model's quality: the mean of item scores, with how many items and
/// the standard error of the mean (sample stdev / √n) when it is known.
public struct QualityScore: Sendable, Equatable {
    /// What was scored: a benchmark ("wineval-3.0"), a scorer ("exact") or a metric.
    public let name: String
    /// The score, on the scale it was given (0–1 for scorers; 0–100 for many benchmarks).
    public let value: Double
    /// Items behind the score, when known.
    public let count: Int?
    /// Standard error of the score, when known.
    public let stderr: Double?

    /// Throws when the value or stderr is not finite, or the count is negative.
    public init(name: String, value: Double, count: Int? = nil, stderr: Double? = nil) throws {
        guard !name.isEmpty else { throw QualityError.invalid(name: "name", expected: "a non-empty string", got: "\"\"") }
        guard value.isFinite else { throw QualityError.invalid(name: "score", expected: "a finite number", got: "\(value)") }
        if let count, count < 0 { throw QualityError.invalid(name: "n", expected: "≥ 0", got: "\(count)") }
        if let stderr, !(stderr.isFinite && stderr >= 0) {
            throw QualityError.invalid(name: "stderr", expected: "a finite number ≥ 0", got: "\(stderr)")
        }
        self.name = name
        self.value = value
        self.count = count
        self.stderr = stderr
    }

    /// The mean of item scores, with n and the standard error √(Σ(x − mean)² / (n − 1)) / √n
    /// (nil for fewer than two items). Throws on no items.
    public static func mean(of scores: [Double], name: String) throws -> QualityScore {
        guard !scores.isEmpty else {
            throw QualityError.invalid(name: "scores", expected: "at least one scored item", got: "none")
        }
        let n = Double(scores.count)
        let mean = scores.reduce(0, +) / n
        var stderr: Double?
        if scores.count > 1 {
            let variance = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
            stderr = (variance / n).squareRoot()
        }
        return try QualityScore(name: name, value: mean, count: scores.count, stderr: stderr)
    }
}
