import Foundation

/// One chat message.
public struct ChatMessage: Sendable, Equatable {
    public var role: String
    public var content: String
    public init(role: String, content: String) {
        self.role = role
        self.content = content
    }
}

/// What to send: a completions prompt or chat messages.
public enum Prompt: Sendable, Equatable {
    case text(String)
    case messages([ChatMessage])
}

/// One request of a workload: plain data, built before the run starts.
public struct WorkloadRequest: Sendable, Equatable {
    public var prompt: Prompt
    public var maxTokens: Int
    /// The expected answer, for quality scoring later.
    public var expected: String?
    /// Free-form metadata as JSON text.
    public var meta: String?
    /// The intended prompt length in tokens (synthetic workloads), for reports.
    public var inputTokensHint: Int?

    public init(prompt: Prompt, maxTokens: Int, expected: String? = nil, meta: String? = nil, inputTokensHint: Int? = nil) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.expected = expected
        self.meta = meta
        self.inputTokensHint = inputTokensHint
    }

    /// Prompt tokens for planning (the simulator): the hint when the workload set one,
    /// else the prompt's words, as the built-in test server counts them.
    public var estimatedInputTokens: Int {
        if let inputTokensHint { return inputTokensHint }
        func words(_ s: String) -> Int { s.split(whereSeparator: { $0.isWhitespace }).count }
        switch prompt {
        case .text(let s): return max(1, words(s))
        case .messages(let ms): return max(1, ms.reduce(0) { $0 + words($1.content) })
        }
    }
}

/// A list of requests, in the order they were built. The load generator
/// never calls back into Lua: everything is decided here, before a run.
public struct Workload: Sendable, Equatable {
    /// The most requests one workload may hold. A workload is built in memory before a
    /// run (prompt text included, about 2 KB for a 400-token prompt), so larger ones are
    /// refused up front with this limit named rather than failing an allocation.
    public static let maxRequests = 10_000_000

    public var requests: [WorkloadRequest]
    /// How it was made ("synthetic n=100 seed=7 input=… output=…"), stored with runs.
    public var origin: String

    public init(requests: [WorkloadRequest], origin: String) {
        self.requests = requests
        self.origin = origin
    }

    public var count: Int { requests.count }

    /// `n` requests with prompt and output lengths drawn from the distributions.
    /// Prompts are unique per request (so a server's prefix cache does not
    /// measure itself) and the same for the same seed.
    public static func synthetic(n: Int, seed: UInt64, input: LengthDistribution, output: LengthDistribution,
                                 chat: Bool = false) throws -> Workload {
        guard n >= 1 else { throw MeasureError.invalidArgument("n must be at least 1, got \(n)") }
        try input.validate()
        try output.validate()
        var rng = SeededRNG(seed: seed)
        var requests: [WorkloadRequest] = []
        requests.reserveCapacity(n)
        for i in 0..<n {
            let inLen = input.sample(&rng), outLen = output.sample(&rng)
            let text = PromptText.make(tokens: inLen, tag: "\(seed)-\(i)", rng: &rng)
            let prompt: Prompt = chat ? .messages([ChatMessage(role: "user", content: text)]) : .text(text)
            requests.append(WorkloadRequest(prompt: prompt, maxTokens: outLen, inputTokensHint: inLen))
        }
        return Workload(requests: requests,
                        origin: "synthetic n=\(n) seed=\(seed) input=\(input.summary) output=\(output.summary)")
    }
}

/// Deterministic prompt text of about `tokens` tokens: common short English
/// words, one token each for the usual tokenizers, after a unique tag.
public enum PromptText {
    static let words: [String] = """
        the of and to in is was for on that with as by at from his her which or be this an are not \
        have one had but what all were when we there can more if out so said up about into them time \
        has two like see way could people my than first water been call who its now find long down day \
        did get come made may part over new sound take only little work know place year live me back give \
        most very after thing our just name good sentence man think say great where help through much before \
        line right too mean old any same tell boy follow came want show also around form three small set put
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

    public static func make(tokens: Int, tag: String, rng: inout SeededRNG) -> String {
        var parts = ["Request", tag + ":"]
        parts.reserveCapacity(tokens + 2)
        // As many words as tokens asked for, the tag's two included: a word is
        // about one token for the usual tokenizers, and exactly one for the test server.
        for _ in 0..<max(1, tokens - 2) { parts.append(words[rng.int(0, words.count - 1)]) }
        return parts.joined(separator: " ")
    }
}
