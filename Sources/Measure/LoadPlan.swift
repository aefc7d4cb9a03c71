import NIOCore

/// How load is offered.
public enum LoadShape: Sendable, Equatable {
    /// N requests in flight at all times (the paper's sweep: 8 → 128).
    case closed(concurrency: Int)
    /// Requests sent at a rate (per second): evenly spaced when `burstiness`
    /// is nil, else gamma-distributed gaps with that shape (1 = Poisson;
    /// below 1 burstier). `maxInFlight` caps requests in flight; sends wait for a slot.
    case open(rate: Double, burstiness: Double?, maxInFlight: Int?)
    /// Requests sent at the arrival times of a trace workload, in its order;
    /// `maxInFlight` caps requests in flight as for the open loop.
    case trace(maxInFlight: Int?)

    /// The in-flight cap of an open loop or a replay.
    public var maxInFlight: Int? {
        switch self {
        case .closed: return nil
        case .open(_, _, let cap), .trace(let cap): return cap
        }
    }
}

/// Everything a run needs besides the endpoint and the workload.
public struct LoadPlan: Sendable, Equatable {
    public var shape: LoadShape
    /// Seeds the request order and the open-loop arrival times.
    public var seed: UInt64
    /// Requests sent first and not counted (prompts altered so they do not warm a prefix cache).
    public var warmup: Int
    /// Stop sending after this many seconds (requests in flight finish).
    public var duration: Double?
    /// Stop after this many requests.
    public var maxRequests: Int?
    /// Keep every response's text (needed to score quality).
    public var keepResponses: Bool
    /// Issue requests in the workload's order instead of a seeded shuffle.
    public var keepOrder: Bool
    /// Event-loop threads of the client.
    public var clientThreads: Int
    /// Resend once a request whose connection closed before any reply (always on; tests
    /// turn it off to show the failure it prevents).
    var resendUnanswered = true

    public init(shape: LoadShape, seed: UInt64 = 0, warmup: Int = 0, duration: Double? = nil,
                maxRequests: Int? = nil, keepResponses: Bool = false, keepOrder: Bool = false,
                clientThreads: Int = LoadPlan.defaultClientThreads) {
        self.shape = shape
        self.seed = seed
        self.warmup = warmup
        self.duration = duration
        self.maxRequests = maxRequests
        self.keepResponses = keepResponses
        self.keepOrder = keepOrder
        self.clientThreads = clientThreads
    }

    /// One thread on a machine of two cores or fewer (leaving a core to a
    /// local server), else half the cores.
    public static var defaultClientThreads: Int {
        let cores = System.coreCount
        return cores <= 2 ? 1 : cores / 2
    }

    /// The most requests one client process keeps in flight.
    public static let maxInFlight = 100_000

    public func validate() throws {
        switch shape {
        case .closed(let c):
            // Each request in flight holds a connection (a file descriptor) and its buffers.
            if c < 1 || c > Self.maxInFlight {
                throw MeasureError.invalidArgument("concurrency must be 1 to \(Self.maxInFlight) (requests in flight at once, each with its own connection), got \(c)")
            }
        case .open(let r, let b, let cap):
            if !(r >= 1e-3 && r <= 1e6) { throw MeasureError.invalidArgument("rate must be from 0.001 to 1e6 requests per second, got \(r)") }
            if let b, !(b > 0 && b <= 1e3) { throw MeasureError.invalidArgument("burstiness must be in (0, 1000], got \(b)") }
            if let cap, cap < 1 || cap > Self.maxInFlight {
                throw MeasureError.invalidArgument("max_in_flight must be 1 to \(Self.maxInFlight), got \(cap)")
            }
        case .trace(let cap):
            if let cap, cap < 1 || cap > Self.maxInFlight {
                throw MeasureError.invalidArgument("max_in_flight must be 1 to \(Self.maxInFlight), got \(cap)")
            }
        }
        if warmup < 0 { throw MeasureError.invalidArgument("warmup must be 0 or more, got \(warmup)") }
        if let d = duration, !(d > 0 && d <= 1e7) { throw MeasureError.invalidArgument("duration must be in (0, 1e7] seconds, got \(d)") }
        if let m = maxRequests, m < 1 { throw MeasureError.invalidArgument("max_requests must be at least 1, got \(m)") }
        if clientThreads < 1 || clientThreads > 64 { throw MeasureError.invalidArgument("client_threads must be 1 to 64, got \(clientThreads)") }
    }

    /// The order in which workload entries are sent: a seeded shuffle (or the
    /// workload order), cut to `maxRequests`.
    func order(count: Int) -> [Int] {
        var idx = Array(0..<count)
        // A trace is replayed in its own order: its arrival times ascend.
        if !keepOrder, !isTrace {
            var rng = SeededRNG(seed: seed ^ 0x5EED_0F_0D3E)
            for i in stride(from: count - 1, to: 0, by: -1) { idx.swapAt(i, rng.int(0, i)) }
        }
        if let m = maxRequests, m < idx.count { idx = Array(idx.prefix(m)) }
        return idx
    }

    var isTrace: Bool {
        if case .trace = shape { return true }
        return false
    }

    /// Intended send times (seconds after the start) for an open loop (a replay's come from its workload).
    func arrivals(count: Int) -> [Double] {
        guard case .open(let rate, let burst, _) = shape else { return [] }
        return Arrivals.times(count: count, rate: rate, burstiness: burst, seed: seed)
    }
}
