/// One thing a diagnosis found, with the figures that triggered it and what to do.
public struct Finding: Sendable, Equatable {
    /// The failure signature. Raw values are the names Lua shows (docs/lua-style.md).
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// TTFT rises by a large factor from one level to the next (memory or scheduling saturation).
        case ttftJump = "ttft_jump"
        /// More load costs as much or more per request and buys no quality.
        case pastOptimalZone = "past_optimal_zone"
        /// The server counts far more input tokens than the text suggests.
        case tokenizerMismatch = "tokenizer_mismatch"
        /// Errors above a rate at a level, or concentrated in a window of the run.
        case errorBurst = "error_burst"
        /// The client's busiest thread was busy most of the run.
        case clientBound = "client_bound"
        /// Open loop: TTFT from the intended send time rises while TTFT from the send does not.
        case queueing
    }

    public let kind: Kind
    /// The level it concerns; nil for a finding about a sweep or a model.
    public let level: Double?
    /// The run whose figures triggered it.
    public let runID: Int64?
    /// The model, for a finding comparing models.
    public let model: String?
    /// The figures and levels that triggered it, as a sentence.
    public let evidence: String
    /// What to do about it, as a sentence.
    public let advice: String
    /// One line for a terminal: kind, where, evidence and advice.
    public let text: String

    /// A finding; `load` names the level's unit in `text` (unused without a level).
    public init(kind: Kind, level: Double?, load: DiagnosisSweep.Load = .concurrency, runID: Int64?, model: String? = nil,
                evidence: String, advice: String) {
        self.kind = kind
        self.level = level
        self.runID = runID
        self.model = model
        self.evidence = evidence
        self.advice = advice
        var place: [String] = []
        if let level { place.append("at \(load.rawValue) \(Format.number(level))") }
        let about = [runID.map { "run \($0)" }, model].compactMap { $0 }
        if !about.isEmpty { place.append("(\(about.joined(separator: ", ")))") }
        text = ([kind.rawValue] + place).joined(separator: " ") + ": " + evidence + " " + advice
    }
}

/// The thresholds of the diagnosis rules (docs/frontier.md, "Diagnosis"), with their defaults.
public struct DiagnosisThresholds: Sendable, Equatable {
    /// TTFT jump: growth to a level at least this many times the expected growth (the load's,
    /// or the median of the steps before, at least 1).
    public var ttftJump: Double = 3
    /// TTFT jump and queueing: the rise must also be at least this many seconds (below it, timer noise).
    public var ttftMinRise: Double = 0.01
    /// Past the optimal zone: cost per request must fall at least this fraction per level.
    public var minFall: Double = 0.05
    /// Past the optimal zone: quality counts as flat unless it rose by more than this fraction.
    public var qualityGain: Double = 0.01
    /// Tokenizer mismatch: served input tokens at least this many times what the text suggests.
    public var tokenizerRatio: Double = 1.3
    /// Error burst: a level's (failed + truncated) / requests above this.
    public var errorRate: Double = 0.05
    /// Error burst in time: window width, seconds.
    public var burstWindow: Double = 5
    /// Error burst in time: at least this many failures in the window …
    public var burstErrors: Int = 5
    /// … and at least this fraction of the requests ending in it.
    public var burstRate: Double = 0.5
    /// Client bound: the busiest client thread's CPU over wall time above this (the validity rule's 0.9).
    public var clientCPU: Double = 0.9
    /// Queueing: TTFT from the intended send time grew at least this many times as much as TTFT.
    public var queueing: Double = 2

    /// The defaults.
    public init() {}

    /// - Throws: ``FrontierError/outOfRange(parameter:value:expected:)`` naming the threshold.
    public func validate() throws {
        func check(_ name: String, _ v: Double, _ ok: Bool, _ expected: String) throws {
            guard v.isFinite, ok else { throw FrontierError.outOfRange(parameter: name, value: v, expected: expected) }
        }
        try check("ttft_jump", ttftJump, ttftJump > 1, "> 1")
        try check("ttft_min_rise", ttftMinRise, ttftMinRise >= 0, "≥ 0")
        try check("min_fall", minFall, minFall >= 0 && minFall < 1, "in [0, 1)")
        try check("quality_gain", qualityGain, qualityGain >= 0, "≥ 0")
        try check("tokenizer_ratio", tokenizerRatio, tokenizerRatio > 1, "> 1")
        try check("error_rate", errorRate, errorRate >= 0 && errorRate < 1, "in [0, 1)")
        try check("burst_window", burstWindow, burstWindow > 0, "> 0")
        try check("burst_errors", Double(burstErrors), burstErrors >= 1, "≥ 1")
        try check("burst_rate", burstRate, burstRate > 0 && burstRate <= 1, "in (0, 1]")
        try check("client_cpu", clientCPU, clientCPU > 0 && clientCPU <= 1, "in (0, 1]")
        try check("queueing", queueing, queueing > 1, "> 1")
    }
}
