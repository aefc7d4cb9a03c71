import Foundation
import Runs

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

/// Where a request sits in a multi-turn session.
public struct SessionTurn: Sendable, Equatable {
    public var session: Int
    public var turn: Int
    public var turns: Int
    public init(session: Int, turn: Int, turns: Int) {
        self.session = session
        self.turn = turn
        self.turns = turns
    }
    /// True while later turns follow: the slot that sent this turn waits for the next.
    public var continues: Bool { turn < turns }
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
    /// The request's class (`chat`, `rag`, …): stored with it, and run figures are broken down by it.
    public var requestClass: String?
    /// When a trace sent it: seconds after the replay starts (speed-up and window applied).
    public var arrival: Double?
    /// A session workload's turn: which session (0-based), which turn (1-based) and how
    /// many turns the session has. The load generator keeps the slot for the next turn.
    public var session: SessionTurn?

    public init(prompt: Prompt, maxTokens: Int, expected: String? = nil, meta: String? = nil, inputTokensHint: Int? = nil,
                requestClass: String? = nil) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.expected = expected
        self.meta = meta
        self.inputTokensHint = inputTokensHint
        self.requestClass = requestClass
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

/// The requests of a run, in order. The load generator never calls back into Lua:
/// everything is decided here, before a run. A synthetic workload is a generator, not
/// an array: request `i` is made when it is needed, from its own seeded stream, so a
/// workload of ten million requests takes no more memory than one of ten.
public struct Workload: Sendable, Equatable, RandomAccessCollection {
    /// The most requests one workload may hold.
    public static let maxRequests = 10_000_000

    /// What a synthetic workload is made from; request `i` is a function of these and `i`.
    public struct Synthetic: Sendable, Equatable {
        public var seed: UInt64
        public var input: LengthDistribution
        public var output: LengthDistribution
        public var chat: Bool
        /// Prompts resized to the server's tokens (``PromptFit``), when a calibration was found.
        public var fit: TokenizerCalibration?
    }

    /// A trace that gives lengths and arrival times but no text (the Azure LLM inference
    /// traces): request `i`'s prompt is made, like a synthetic one, to `inputs[i]` tokens.
    public struct LengthTrace: Sendable, Equatable {
        public var seed: UInt64
        public var chat: Bool
        public var inputs: [Int]
        public var outputs: [Int]
        /// Seconds after the replay starts, ascending.
        public var arrivals: [Double]
        public var fit: TokenizerCalibration?

        public init(seed: UInt64, chat: Bool, inputs: [Int], outputs: [Int], arrivals: [Double]) {
            self.seed = seed
            self.chat = chat
            self.inputs = inputs
            self.outputs = outputs
            self.arrivals = arrivals
        }
    }

    enum Storage: Sendable, Equatable {
        case list([WorkloadRequest])
        case synthetic(Synthetic, count: Int)
        case trace(LengthTrace)
    }

    var storage: Storage
    /// How it was made ("synthetic n=100 seed=7 input=… output=…"), stored with runs.
    public var origin: String

    public init(requests: [WorkloadRequest], origin: String) {
        storage = .list(requests)
        self.origin = origin
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int {
        switch storage {
        case .list(let a): return a.count
        case .synthetic(_, let n): return n
        case .trace(let t): return t.inputs.count
        }
    }

    /// A replay of `trace` (its prompts made when sent).
    public init(trace: LengthTrace, origin: String) {
        storage = .trace(trace)
        self.origin = origin
    }

    /// Whether every request has an arrival time (a trace): the load then follows them.
    public var hasArrivals: Bool {
        switch storage {
        case .trace: return true
        case .synthetic: return false
        case .list(let a): return !a.isEmpty && a.allSatisfy { $0.arrival != nil }
        }
    }

    /// Request `i`'s arrival time in a trace, without making its prompt.
    public func arrival(at i: Int) -> Double? {
        switch storage {
        case .trace(let t): return t.arrivals[i]
        case .synthetic: return nil
        case .list(let a): return a[i].arrival
        }
    }

    /// Request `i` (0-based), made now when the workload is synthetic.
    public subscript(i: Int) -> WorkloadRequest {
        switch storage {
        case .list(let a): return a[i]
        case .synthetic(let s, _): return Self.make(s, i)
        case .trace(let t):
            var rng = Self.stream(t.seed, i)
            var r = Self.request(tokens: t.inputs[i], maxTokens: t.outputs[i], tag: "t\(t.seed)-\(i)", chat: t.chat,
                                 fit: t.fit, salt: i, rng: &rng)
            r.arrival = t.arrivals[i]
            return r
        }
    }

    /// The synthetic description, when this workload is one.
    public var synthetic: Synthetic? {
        if case .synthetic(let s, _) = storage { return s }
        return nil
    }

    /// Whether any request carries an intended prompt length (what prompt fitting resizes to).
    public var hasInputTokenHints: Bool {
        switch storage {
        case .synthetic, .trace: return true
        case .list(let a): return a.contains { $0.inputTokensHint != nil }
        }
    }

    /// Request `i`'s expected answer, without making its prompt (synthetic requests have none).
    public func expected(at i: Int) -> String? {
        if case .list(let a) = storage { return a[i].expected }
        return nil
    }

    /// Request `i`'s class, meta and session turn, without making its prompt (synthetic requests have none).
    public func labels(at i: Int) -> RequestLabels {
        if case .list(let a) = storage { return RequestLabels(a[i]) }
        return RequestLabels()
    }

    /// Whether any request has a class.
    public var hasClasses: Bool {
        if case .list(let a) = storage { return a.contains { $0.requestClass != nil } }
        return false
    }

    /// Request `i`'s intended prompt length, without making its prompt.
    public func inputTokensHint(at i: Int) -> Int? {
        switch storage {
        case .list(let a): return a[i].inputTokensHint
        case .synthetic: return sizes(at: i).inputTokens
        case .trace(let t): return t.inputs[i]
        }
    }

    /// Request `i`'s prompt tokens for planning (``WorkloadRequest/estimatedInputTokens``)
    /// and its output limit, without making its prompt text when the workload is synthetic.
    public func sizes(at i: Int) -> (inputTokens: Int, maxTokens: Int) {
        switch storage {
        case .list(let a): return (a[i].estimatedInputTokens, a[i].maxTokens)
        case .synthetic(let s, _):
            var rng = Self.stream(s.seed, i)
            return (s.input.sample(&rng), s.output.sample(&rng))
        case .trace(let t): return (t.inputs[i], t.outputs[i])
        }
    }

    /// `n` requests with prompt and output lengths drawn from the distributions.
    /// Prompts are unique per request (so a server's prefix cache does not
    /// measure itself) and the same for the same seed. Nothing is made until asked for.
    public static func synthetic(n: Int, seed: UInt64, input: LengthDistribution, output: LengthDistribution,
                                 chat: Bool = false) throws -> Workload {
        guard n >= 1, n <= maxRequests else {
            throw MeasureError.invalidArgument("n must be 1 to \(maxRequests), got \(n)")
        }
        try input.validate()
        try output.validate()
        var w = Workload(requests: [], origin: "synthetic n=\(n) seed=\(seed) input=\(input.summary) output=\(output.summary)")
        w.storage = .synthetic(Synthetic(seed: seed, input: input, output: output, chat: chat), count: n)
        return w
    }

    /// Request `i`'s own generator: seeded from the workload's seed and `i` through one
    /// SplitMix64 step, so streams of neighbouring requests do not overlap.
    static func stream(_ seed: UInt64, _ i: Int) -> SeededRNG {
        var base = SeededRNG(seed: seed &+ UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
        return SeededRNG(seed: base.next())
    }

    static func make(_ s: Synthetic, _ i: Int) -> WorkloadRequest {
        var rng = stream(s.seed, i)
        let inLen = s.input.sample(&rng), outLen = s.output.sample(&rng)
        return request(tokens: inLen, maxTokens: outLen, tag: "\(s.seed)-\(i)", chat: s.chat, fit: s.fit, salt: i, rng: &rng)
    }

    /// A request of a made-up prompt of `tokens` tokens (words, or the server's tokens when fitted).
    static func request(tokens inLen: Int, maxTokens outLen: Int, tag: String, chat: Bool, fit: TokenizerCalibration?,
                        salt: Int, rng: inout SeededRNG) -> WorkloadRequest {
        var text = PromptText.make(tokens: inLen, tag: tag, rng: &rng)
        if let c = fit { text = PromptFit.resize(text, to: c.words(forTokens: inLen), salt: salt) }
        let prompt: Prompt = chat ? .messages([ChatMessage(role: "user", content: text)]) : .text(text)
        return WorkloadRequest(prompt: prompt, maxTokens: outLen, inputTokensHint: inLen)
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

    /// Words of the tag: "Request" and three words picked by a hash of the tag's text.
    static let tagWordCount = 4

    public static func make(tokens: Int, tag: String, rng: inout SeededRNG) -> String {
        var parts = tagWords(tag)
        parts.reserveCapacity(tokens + tagWordCount)
        // As many words as tokens asked for, the tag's included: a word is about one
        // token for the usual tokenizers, and exactly one for the test server.
        for _ in 0..<max(1, tokens - tagWordCount) { parts.append(words[rng.int(0, words.count - 1)]) }
        return parts.joined(separator: " ")
    }

    /// "Request", three words chosen by a hash of `tag` ("seed-index"), the last with a
    /// colon: unique enough that prompts share no prefix worth caching (120³ tags), and,
    /// unlike the seed's digits, costing the same tokens whatever the seed, so the
    /// tokenizer calibration's probes (tagged the same way) measure what a run sends.
    static func tagWords(_ tag: String) -> [String] {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in tag.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var picked = ["Request"]
        for _ in 1..<tagWordCount {
            h = (h ^ (h >> 29)) &* 0xbf58_476d_1ce4_e5b9
            picked.append(words[Int((h >> 32) % UInt64(words.count))])
        }
        picked[tagWordCount - 1] += ":"
        return picked
    }
}

/// What the workload says about a request besides what is sent: stored with it and
/// used to break the run's figures down (by class, by turn).
public struct RequestLabels: Sendable, Equatable {
    public var requestClass: String?
    public var meta: String?
    public var session: SessionTurn?

    public init(requestClass: String? = nil, meta: String? = nil, session: SessionTurn? = nil) {
        self.requestClass = requestClass
        self.meta = meta
        self.session = session
    }

    public init(_ r: WorkloadRequest) {
        self.init(requestClass: r.requestClass, meta: r.meta, session: r.session)
    }
}
