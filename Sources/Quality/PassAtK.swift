/// pass@k: the chance that at least one of k samples of a problem passes, estimated
/// without bias from n ≥ k samples of which c passed (Chen et al. 2021, "Evaluating
/// Large Language Models Trained on Code"): 1 − C(n−c, k) / C(n, k) per problem,
/// averaged over problems, with the standard error of that mean across problems.
public enum PassAtK {
    /// 1 − C(n−c, k)/C(n, k), computed as 1 − ∏_{i=n−c+1}^{n} (1 − k/i) so large n does
    /// not overflow. Throws unless 0 ≤ c ≤ n and 1 ≤ k ≤ n.
    public static func estimate(n: Int, c: Int, k: Int) throws -> Double {
        guard n >= 1 else { throw QualityError.invalid(name: "samples per problem", expected: "≥ 1", got: "\(n)") }
        guard (0...n).contains(c) else { throw QualityError.invalid(name: "passed samples", expected: "0 to \(n)", got: "\(c)") }
        guard (1...n).contains(k) else {
            throw QualityError.invalid(name: "k", expected: "1 to the samples per problem (\(n))", got: "\(k)")
        }
        if n - c < k { return 1 }
        var fail = 1.0
        for i in (n - c + 1)..<(n + 1) { fail *= 1 - Double(k) / Double(i) }
        return 1 - fail
    }

    /// The mean of `estimate` over problems (each with its own n and c), named
    /// "pass@k:<scorer>", with n the number of problems and the standard error across them.
    public static func score(problems: [(n: Int, c: Int)], k: Int, name: String) throws -> QualityScore {
        guard !problems.isEmpty else {
            throw QualityError.invalid(name: "problems", expected: "at least one scored problem", got: "none")
        }
        let values = try problems.map { try estimate(n: $0.n, c: $0.c, k: k) }
        return try QualityScore.mean(of: values, name: name)
    }
}
