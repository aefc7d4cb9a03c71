/// What a run's requests say about failures in time: one entry per request.
public struct RequestOutcome: Sendable, Equatable {
    /// When the request ended (its end, else its send time), seconds on the run's clock.
    public var time: Double
    /// Whether it failed or was truncated.
    public var failed: Bool
    /// The error kind of a failure (`http_5xx`, `timeout_total`, `truncated`, …), when known.
    public var kind: String?

    /// One request's outcome.
    public init(time: Double, failed: Bool, kind: String? = nil) {
        self.time = time
        self.failed = failed
        self.kind = kind
    }
}

/// One run of a sweep, as the diagnosis reads it. Every figure is optional: a rule
/// whose figures a level lacks skips that level (absent means unknown, never 0).
public struct DiagnosisLevel: Sendable, Equatable {
    /// The load: concurrency, or request rate for an open loop.
    public var level: Double
    /// The stored run's id, carried into findings.
    public var runID: Int64?
    /// The served model, for comparing input tokens across models.
    public var model: String?
    /// What the run sent (the workload's description): runs compare input tokens only
    /// with runs of the same workload.
    public var workload: String?
    /// TTFT p50 and p99, seconds (ok requests).
    public var ttftP50: Double?
    public var ttftP99: Double?
    /// Open loop: TTFT p50 from the intended send time, seconds.
    public var ttftFromIntendedP50: Double?
    /// Open loop: send lag p50, seconds (evidence only).
    public var sendLagP50: Double?
    /// Requests of the run, and those that failed or were truncated.
    public var requests: Int
    public var errors: Int
    /// The run's requests in any order (empty when not loaded): for bursts of errors in time.
    public var outcomes: [RequestOutcome]
    /// The client's busiest thread's CPU time over the run's wall time.
    public var clientCPU: Double?
    /// Cost per request (any currency, > 0).
    public var costPerRequest: Double?
    /// The quality score of the run's answers.
    public var quality: Double?
    /// Whether the run meets the SLA; nil when none was judged.
    public var meetsSLA: Bool?
    /// The server's tokens per prompt word, from the tokenizer calibration before the run.
    public var tokensPerWord: Double?
    /// Mean input tokens per request the workload asked for, and the server counted.
    public var inputTokensRequested: Double?
    public var inputTokensServed: Double?
    /// Input tokens per successful request (the server's count over ok requests ÷ their number).
    public var inputTokensPerRequest: Double?

    /// A level with the figures known for it.
    public init(level: Double, runID: Int64? = nil, model: String? = nil, workload: String? = nil,
                ttftP50: Double? = nil, ttftP99: Double? = nil, ttftFromIntendedP50: Double? = nil,
                sendLagP50: Double? = nil, requests: Int = 0, errors: Int = 0, outcomes: [RequestOutcome] = [],
                clientCPU: Double? = nil, costPerRequest: Double? = nil, quality: Double? = nil,
                meetsSLA: Bool? = nil, tokensPerWord: Double? = nil, inputTokensRequested: Double? = nil,
                inputTokensServed: Double? = nil, inputTokensPerRequest: Double? = nil) {
        self.level = level
        self.runID = runID
        self.model = model
        self.workload = workload
        self.ttftP50 = ttftP50
        self.ttftP99 = ttftP99
        self.ttftFromIntendedP50 = ttftFromIntendedP50
        self.sendLagP50 = sendLagP50
        self.requests = requests
        self.errors = errors
        self.outcomes = outcomes
        self.clientCPU = clientCPU
        self.costPerRequest = costPerRequest
        self.quality = quality
        self.meetsSLA = meetsSLA
        self.tokensPerWord = tokensPerWord
        self.inputTokensRequested = inputTokensRequested
        self.inputTokensServed = inputTokensServed
        self.inputTokensPerRequest = inputTokensPerRequest
    }
}

/// The runs of one sweep: one run per load level.
public struct DiagnosisSweep: Sendable, Equatable {
    /// What the level is.
    public enum Load: String, Sendable, Equatable {
        /// A closed loop: requests in flight.
        case concurrency
        /// An open loop: requests per second.
        case rate
    }

    public var load: Load
    /// Levels in strictly ascending load.
    public var levels: [DiagnosisLevel]

    /// A sweep.
    public init(load: Load, levels: [DiagnosisLevel]) {
        self.load = load
        self.levels = levels
    }
}

/// The failure signatures of "Beyond Benchmarks" (arXiv 2510.26136) read off sweeps:
/// each rule is defined in docs/frontier.md, "Diagnosis".
public enum Diagnosis {
    /// Every finding in `sweeps`: per sweep, ordered by level (sweep-wide findings last),
    /// then the input-token comparison across models. Empty when nothing is wrong.
    /// - Throws: ``FrontierError`` for no sweeps, an empty sweep, levels not strictly
    ///   ascending, a non-finite figure, or a threshold out of range.
    public static func findings(in sweeps: [DiagnosisSweep],
                                thresholds: DiagnosisThresholds = DiagnosisThresholds()) throws -> [Finding] {
        try thresholds.validate()
        guard !sweeps.isEmpty else { throw FrontierError.tooFewPoints(what: "a diagnosis", needed: 1, got: 0) }
        var out: [Finding] = []
        for sweep in sweeps {
            try validate(sweep)
            var found = [ttftJump(sweep, thresholds), pastOptimalZone(sweep, thresholds), queueing(sweep, thresholds)]
                .compactMap { $0 }
            for i in sweep.levels.indices {
                found += [errorBurst(sweep, i, thresholds), clientBound(sweep, i, thresholds)].compactMap { $0 }
            }
            if let t = tokenizer(sweep, thresholds) { found.append(t) }
            // Stable: within a level, the order the rules ran in.
            out += found.enumerated().sorted { a, b in
                let (x, y) = (a.element.level ?? .infinity, b.element.level ?? .infinity)
                return x != y ? x < y : a.offset < b.offset
            }.map(\.element)
        }
        return out + tokensAcrossModels(sweeps.flatMap(\.levels), thresholds)
    }

    private static func validate(_ sweep: DiagnosisSweep) throws {
        guard !sweep.levels.isEmpty else { throw FrontierError.tooFewPoints(what: "a diagnosed sweep", needed: 1, got: 0) }
        for (i, l) in sweep.levels.enumerated() {
            guard l.level.isFinite else { throw FrontierError.nonFinite(what: "sweep level", index: i, value: l.level) }
            if i > 0, l.level <= sweep.levels[i - 1].level {
                throw FrontierError.notAscending(what: "sweep levels", previous: sweep.levels[i - 1].level, next: l.level)
            }
            let figures: [Double?] = [l.ttftP50, l.ttftP99, l.ttftFromIntendedP50, l.sendLagP50, l.clientCPU, l.costPerRequest,
                                      l.quality, l.tokensPerWord, l.inputTokensRequested, l.inputTokensServed,
                                      l.inputTokensPerRequest]
            if let bad = figures.compactMap({ $0 }).first(where: { !$0.isFinite }) {
                throw FrontierError.nonFinite(what: "figure of sweep level", index: i, value: bad)
            }
            if let c = l.costPerRequest, c <= 0 { throw FrontierError.nonPositiveCostPerTask(level: l.level, cost: c) }
            guard l.requests >= 0, l.errors >= 0, l.errors <= l.requests else {
                throw FrontierError.outOfRange(parameter: "errors at level \(Format.number(l.level))", value: Double(l.errors),
                                               expected: "between 0 and the level's \(l.requests) requests")
            }
        }
    }
}
