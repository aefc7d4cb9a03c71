/// A service-level agreement over a run: clauses that bound run-level figures
/// (`ttft_p95 ≤ 1 s`, `tokens_per_s_mean ≥ 20`, `success_rate ≥ 0.99`), and the
/// per-request bounds that decide which requests are *good* for goodput.
///
/// A clause is named `<quantity>_<statistic>` for the latency-like quantities
/// (`ttft_p50`, `e2e_p99`, `tokens_per_s_mean`) or by a run-level figure alone
/// (`success_rate`, `output_throughput`). Latencies, error rate and makespan are
/// upper bounds; throughputs, tokens per second and success rate are lower bounds.
/// docs/metrics.md defines every quantity.
public struct SLA: Sendable, Equatable {
    /// The clauses, sorted by name so results list in a stable order.
    public let clauses: [SLAClause]
    /// Per-request bounds: a request is good when it succeeded and each of its own
    /// values is within these. Derived from the clauses unless given.
    public let requestBounds: [SLAQuantity: Double]

    /// `clauses` by name ("ttft_p95": 1.0). `requestBounds`, by quantity name, replaces
    /// the derived per-request bounds: without it each per-request quantity (ttft,
    /// tpot, e2e, tokens_per_s, and the from-intended latencies) takes the loosest
    /// bound its clauses set, so a request that meets the tail bound counts as good.
    /// Throws `SLAError` on an unknown name or a bound that is not a finite number ≥ 0.
    public init(clauses: [String: Double], requestBounds: [String: Double]? = nil) throws {
        let parsed = try clauses.keys.sorted().map { try SLAClause(name: $0, limit: clauses[$0] ?? 0) }
        self.clauses = parsed
        if let requestBounds {
            var bounds: [SLAQuantity: Double] = [:]
            for name in requestBounds.keys.sorted() {
                let limit = requestBounds[name] ?? 0
                guard let q = SLAQuantity(rawValue: name), q.isPerRequest else {
                    throw SLAError.unknownRequestQuantity(name, known: SLAQuantity.perRequest.map(\.rawValue))
                }
                try SLAClause.checkLimit(limit, name)
                bounds[q] = limit
            }
            self.requestBounds = bounds
        } else {
            var bounds: [SLAQuantity: Double] = [:]
            for c in parsed where c.quantity.isPerRequest {
                let loosest: (Double, Double) -> Double = c.quantity.isUpperBound ? { Swift.max($0, $1) } : { Swift.min($0, $1) }
                bounds[c.quantity] = bounds[c.quantity].map { loosest($0, c.limit) } ?? c.limit
            }
            self.requestBounds = bounds
        }
    }

    /// Evaluates every clause on a run's summary; `good_fraction` needs the run's goodput.
    public func evaluate(_ summary: RunSummary, goodput: Goodput? = nil) -> SLAResult {
        evaluate { clause in
            clause.quantity == .goodFraction ? goodput?.goodFraction : clause.value(in: summary)
        }
    }

    /// Whether a clause needs per-request goodness (`good_fraction`).
    public var needsGoodput: Bool { clauses.contains { $0.quantity == .goodFraction } }

    /// Evaluates every clause with values from `lookup` (nil: the run has no such figure,
    /// which fails the clause), for runs held in another form than `RunSummary`.
    public func evaluate(_ lookup: (SLAClause) -> Double?) -> SLAResult {
        SLAResult(clauses: clauses.map { ClauseResult(clause: $0, actual: lookup($0)) })
    }

    /// Whether one request is good: it completed normally and meets every per-request
    /// bound whose value it has (tpot needs two output tokens; a request without one is
    /// judged on the other bounds).
    public func isGood(_ record: RequestRecord) -> Bool {
        guard record.status == .ok else { return false }
        for (quantity, limit) in requestBounds {
            guard let value = quantity.value(of: record) else {
                if quantity == .tpot { continue }
                return false
            }
            if quantity.isUpperBound ? value > limit : value < limit { return false }
        }
        return true
    }

    /// Good requests and their output tokens per second of makespan. `extra` adds a
    /// condition of the caller's (a user's per-request predicate) on top of `isGood`.
    public func goodput(_ records: [RequestRecord], makespan: Double,
                        extra: (RequestRecord) throws -> Bool = { _ in true }) rethrows -> Goodput {
        var requests = 0, tokens = 0
        for r in records where isGood(r) {
            guard try extra(r) else { continue }
            requests += 1
            tokens += r.outputTokens ?? 0
        }
        return Goodput(goodRequests: requests, goodTokens: tokens, total: records.count, makespan: makespan)
    }
}

/// What the SLA counts: a latency-like quantity with statistics, or a run-level figure.
public enum SLAQuantity: String, Sendable, CaseIterable, Comparable {
    case ttft, tpot, itl, e2e
    case tokensPerS = "tokens_per_s"
    case ttftFromIntended = "ttft_from_intended"
    case e2eFromIntended = "e2e_from_intended"
    case successRate = "success_rate"
    case errorRate = "error_rate"
    case requestThroughput = "requests_per_s"
    case outputThroughput = "output_tokens_per_s"
    case totalThroughput = "total_tokens_per_s"
    case makespan
    /// The share of requests that are good (see `SLA.isGood`): "95 % of requests within bounds".
    case goodFraction = "good_fraction"

    /// Whether clauses on it take a statistic suffix (`_p95`).
    public var hasStatistics: Bool {
        switch self {
        case .ttft, .tpot, .itl, .e2e, .tokensPerS, .ttftFromIntended, .e2eFromIntended: return true
        default: return false
        }
    }

    /// True for "at most" (latencies, error rate, makespan); false for "at least".
    public var isUpperBound: Bool {
        switch self {
        case .tokensPerS, .successRate, .requestThroughput, .outputThroughput, .totalThroughput, .goodFraction: return false
        default: return true
        }
    }

    /// Whether a single request has its own value (ITL is a run-level distribution of gaps).
    public var isPerRequest: Bool {
        switch self {
        case .ttft, .tpot, .e2e, .tokensPerS, .ttftFromIntended, .e2eFromIntended: return true
        default: return false
        }
    }

    /// The stored summary figure of the same name; nil for `good_fraction`, which needs
    /// the run's requests.
    public var field: RunSummary.Field? { RunSummary.Field(rawValue: rawValue) }

    static let perRequest = allCases.filter(\.isPerRequest)

    /// The request's own value of a per-request quantity.
    public func value(of r: RequestRecord) -> Double? {
        switch self {
        case .ttft: return r.ttft
        case .tpot: return r.timePerOutputToken
        case .e2e: return r.e2e
        case .tokensPerS: return r.outputTokensPerSecond
        case .ttftFromIntended: return r.ttftFromIntended
        case .e2eFromIntended: return r.e2eFromIntended
        default: return nil
        }
    }

    func stats(in s: RunSummary) -> LatencyStats? {
        field.flatMap { s[distribution: $0] }
    }

    public static func < (a: SLAQuantity, b: SLAQuantity) -> Bool { a.rawValue < b.rawValue }
}

/// The statistic a latency-like clause bounds.
public enum SLAStatistic: String, Sendable, CaseIterable {
    case mean, min, p50, p90, p95, p99, max

    /// This statistic of `s`.
    public func value(of s: LatencyStats) -> Double {
        switch self {
        case .mean: return s.mean
        case .min: return s.min
        case .p50: return s.p50
        case .p90: return s.p90
        case .p95: return s.p95
        case .p99: return s.p99
        case .max: return s.max
        }
    }
}

/// One bound: `name` (as written), what it bounds, and the limit.
public struct SLAClause: Sendable, Equatable {
    /// The clause as the user named it: "ttft_p95".
    public let name: String
    /// What it bounds.
    public let quantity: SLAQuantity
    /// The statistic, for latency-like quantities.
    public let statistic: SLAStatistic?
    /// The bound (seconds, tokens/s, a rate or a fraction, as the quantity is measured).
    public let limit: Double

    /// Parses "ttft_p95", "tokens_per_s_mean", "success_rate"…; throws `SLAError`.
    public init(name: String, limit: Double) throws {
        try Self.checkLimit(limit, name)
        self.name = name
        self.limit = limit
        if let q = SLAQuantity(rawValue: name), !q.hasStatistics {
            (quantity, statistic) = (q, nil)
            return
        }
        for q in SLAQuantity.allCases where q.hasStatistics {
            for s in SLAStatistic.allCases where name == "\(q.rawValue)_\(s.rawValue)" {
                (quantity, statistic) = (q, s)
                return
            }
        }
        throw SLAError.unknownClause(name, known: Self.knownNames)
    }

    /// Every name a clause can have, for error messages and docs.
    public static var knownNames: [String] {
        SLAQuantity.allCases.flatMap { q in
            q.hasStatistics ? SLAStatistic.allCases.map { "\(q.rawValue)_\($0.rawValue)" } : [q.rawValue]
        }
    }

    static func checkLimit(_ limit: Double, _ name: String) throws {
        guard limit.isFinite, limit >= 0 else { throw SLAError.badLimit(name, limit) }
    }

    /// True for an upper bound (value ≤ limit passes).
    public var isUpperBound: Bool { quantity.isUpperBound }

    /// The clause's figure in a run summary (nil when the run has none, e.g. no TPOT).
    public func value(in s: RunSummary) -> Double? {
        if let statistic { return quantity.stats(in: s).map { statistic.value(of: $0) } }
        return quantity.field.flatMap { s[scalar: $0] }
    }
}

/// One clause evaluated.
public struct ClauseResult: Sendable, Equatable {
    public let clause: SLAClause
    /// The run's value; nil when it has none (the clause then fails).
    public let actual: Double?

    /// value ≤ limit for upper bounds, value ≥ limit for lower bounds.
    public var passed: Bool {
        guard let actual else { return false }
        return clause.isUpperBound ? actual <= clause.limit : actual >= clause.limit
    }

    /// How far past the limit the value is, in the quantity's unit: positive when the
    /// clause fails (actual − limit for upper bounds, limit − actual for lower), ≤ 0
    /// when it passes (the headroom, negated).
    public var excess: Double? {
        actual.map { clause.isUpperBound ? $0 - clause.limit : clause.limit - $0 }
    }

    /// `excess` as a fraction of the limit (nil when the limit is 0).
    public var relativeExcess: Double? {
        guard let excess, clause.limit != 0 else { return nil }
        return excess / clause.limit
    }
}

/// An SLA evaluated on a run.
public struct SLAResult: Sendable, Equatable {
    /// Every clause, in the SLA's order.
    public let clauses: [ClauseResult]
    /// True when every clause passes (an SLA without clauses passes).
    public var passed: Bool { clauses.allSatisfy(\.passed) }
    /// The clauses that failed.
    public var failures: [ClauseResult] { clauses.filter { !$0.passed } }
}

/// Requests and tokens that met the SLA, per second of makespan.
public struct Goodput: Sendable, Equatable {
    /// Requests that were good.
    public let goodRequests: Int
    /// Output tokens of the good requests.
    public let goodTokens: Int
    /// Requests considered.
    public let total: Int
    /// The run's makespan, seconds.
    public let makespan: Double

    /// goodRequests / makespan (0 when the makespan is 0).
    public var requestsPerSecond: Double { makespan > 0 ? Double(goodRequests) / makespan : 0 }
    /// goodTokens / makespan (0 when the makespan is 0).
    public var tokensPerSecond: Double { makespan > 0 ? Double(goodTokens) / makespan : 0 }
    /// goodRequests / total (0 without requests).
    public var goodFraction: Double { total > 0 ? Double(goodRequests) / Double(total) : 0 }
}

/// Why an SLA was rejected.
public enum SLAError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownClause(String, known: [String])
    case unknownRequestQuantity(String, known: [String])
    case badLimit(String, Double)

    public var description: String {
        switch self {
        case let .unknownClause(name, known):
            return "unknown SLA clause '\(name)' (expected one of: \(known.joined(separator: ", ")))"
        case let .unknownRequestQuantity(name, known):
            return "unknown per-request SLA bound '\(name)' (expected one of: \(known.joined(separator: ", ")))"
        case let .badLimit(name, limit):
            return "SLA clause '\(name)' must be a finite number ≥ 0, got \(limit)"
        }
    }
}
