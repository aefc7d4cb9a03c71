/// A needle in a haystack: a long text of bland filler sentences with one sentence,
/// "The secret code is NNNNNN.", put at a chosen depth, and a question asking for the
/// code at the end. The expected answer is the code, so an exact scorer grades it and
/// quality can be traced against prompt length (and cost) as the context grows.
public struct NeedleHaystack: Sendable, Equatable {
    /// The prompt: instruction, haystack with the needle, question.
    public let prompt: String
    /// The six-digit code, the expected answer.
    public let code: String
    /// Where the needle sits, 0 (start of the haystack) to 1 (its end).
    public let depth: Double
    /// Words in the prompt.
    public let words: Int

    static let filler = [
        "The committee met on Tuesday to review the quarterly schedule.",
        "Rain is expected in the northern valleys later this week.",
        "Most of the old library was moved to the new building in spring.",
        "A small bakery on the corner sells bread until early afternoon.",
        "The river path is closed for repairs between the two bridges.",
        "Several volunteers painted the fence along the school garden.",
        "The museum added a room of maps drawn by early surveyors.",
        "Trains on the coastal line run every forty minutes on weekends.",
        "The orchard harvest was smaller than last year but of good quality.",
        "An article in the local paper described the history of the harbour.",
        "The town council approved a plan for more bicycle parking.",
        "Visitors often stop at the lookout to watch the sunset over the hills.",
        "The choir rehearses in the hall behind the market every Thursday.",
        "A new bus stop was built near the entrance of the hospital.",
        "The lighthouse keeper kept a diary of every passing ship.",
        "Wild flowers cover the meadow at the edge of the forest in June.",
    ]
    static let question = "What is the secret code? Reply with the code only."
    static let instruction = "Read the text below. Somewhere in it is a secret code."

    /// A prompt of `words` words (at least 40) with the needle at `depth`; `seed` picks
    /// the code and the filler, so the same arguments give the same prompt.
    public init(words: Int, depth: Double, seed: UInt64) throws {
        guard words >= 40, words <= 2_000_000 else { throw QualityError.invalid(name: "length", expected: "40 to 2e6 words", got: "\(words)") }
        guard depth.isFinite, (0...1).contains(depth) else { throw QualityError.invalid(name: "depth", expected: "0 to 1", got: "\(depth)") }
        var state = seed &+ 0x9e37_79b9_7f4a_7c15
        func next() -> UInt64 {
            state = state &+ 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        let code = String(100_000 + Int(next() % 900_000))
        let needle = "The secret code is \(code)."
        func count(_ s: String) -> Int { s.split(separator: " ").count }
        let fixed = count(Self.instruction) + count(Self.question) + count(needle)
        var haystack: [String] = []
        var have = 0
        while have < words - fixed {
            let s = Self.filler[Int(next() % UInt64(Self.filler.count))]
            let w = s.split(separator: " ")
            let take = min(w.count, words - fixed - have)
            haystack.append(w.prefix(take).joined(separator: " "))
            have += take
        }
        let at = Int((depth * Double(haystack.count)).rounded())
        haystack.insert(needle, at: min(at, haystack.count))
        self.prompt = Self.instruction + "\n\n" + haystack.joined(separator: " ") + "\n\n" + Self.question
        self.code = code
        self.depth = depth
        self.words = count(prompt.replacingOccurrences(of: "\n\n", with: " "))
    }

    /// `n` depths spread evenly from 0 to 1 (0.5 for one).
    public static func depths(_ n: Int) -> [Double] {
        n <= 1 ? [0.5] : (0..<n).map { Double($0) / Double(n - 1) }
    }
}
