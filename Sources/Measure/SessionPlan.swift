/// A multi-turn session workload (docs/measure.md, "Sessions"): `sessions` conversations,
/// each of several turns. Turn k+1 carries the history, the previous answer and a new
/// user message, after a think time, on the slot that sent turn k. The first turns are
/// the run's workload; later turns are made as answers arrive.
public struct SessionPlan: Sendable, Equatable {
    public var sessions: Int
    /// Turns per session.
    public var turns: LengthDistribution
    /// Seconds between an answer and the next turn's send.
    public var thinkTime: Double
    /// Tokens of each made-up user message.
    public var input: LengthDistribution
    /// `max_tokens` of each turn.
    public var output: LengthDistribution
    public var seed: UInt64
    /// A system message opening every conversation.
    public var system: String?

    public init(sessions: Int, turns: LengthDistribution, thinkTime: Double, input: LengthDistribution,
                output: LengthDistribution, seed: UInt64, system: String? = nil) {
        self.sessions = sessions
        self.turns = turns
        self.thinkTime = thinkTime
        self.input = input
        self.output = output
        self.seed = seed
        self.system = system
    }

    /// The most sessions one workload may hold (their first turns are made up front).
    public static let maxSessions = 1_000_000
    /// The most turns one session may have.
    public static let maxTurns = 10_000

    public func validate() throws {
        guard sessions >= 1, sessions <= Self.maxSessions else {
            throw MeasureError.invalidArgument("n must be 1 to \(Self.maxSessions) sessions, got \(sessions)")
        }
        guard thinkTime.isFinite, thinkTime >= 0, thinkTime <= 3600 else {
            throw MeasureError.invalidArgument("think_time must be 0 to 3600 seconds, got \(thinkTime)")
        }
        try turns.validate()
        try input.validate()
        try output.validate()
    }

    /// How many turns session `j` (0-based) has, capped at ``maxTurns``.
    public func turns(of j: Int) -> Int {
        var rng = Workload.stream(seed ^ 0x7E55_1047, j)
        return min(Self.maxTurns, turns.sample(&rng))
    }

    /// Turn `k` (1-based) of session `j` made up: the history, then a new user message of
    /// `input` tokens, asking for `output` tokens.
    public func turn(session j: Int, turn k: Int, history: [ChatMessage]) -> WorkloadRequest {
        var rng = Workload.stream(seed &+ UInt64(k) &* 0xA24B_AED4_963E_E407, j)
        let inLen = input.sample(&rng), outLen = output.sample(&rng)
        let text = PromptText.make(tokens: inLen, tag: "s\(seed)-\(j)-\(k)", rng: &rng)
        var messages = history
        if messages.isEmpty, let system { messages.append(ChatMessage(role: "system", content: system)) }
        messages.append(ChatMessage(role: "user", content: text))
        var r = WorkloadRequest(prompt: .messages(messages), maxTokens: outLen)
        r.session = SessionTurn(session: j, turn: k, turns: turns(of: j))
        return r
    }

    /// The messages a turn sent, followed by its answer: the history the next turn carries.
    public static func history(after sent: Prompt, answer: String) -> [ChatMessage] {
        switch sent {
        case .messages(let ms): return ms + [ChatMessage(role: "assistant", content: answer)]
        case .text(let t): return [ChatMessage(role: "user", content: t), ChatMessage(role: "assistant", content: answer)]
        }
    }
}
