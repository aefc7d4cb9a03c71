import Foundation

/// How rented replicas follow the load: the price of one replica, the block it is
/// rented in, the shortest time it is billed for, and how long a new one takes to serve.
public struct CloudScaling: Sendable, Equatable {
    /// Dollars per replica-hour (price per GPU-hour × GPUs in a replica).
    public let hourly: Double
    /// Replicas are added and removed in blocks of this many (≥ 1).
    public let granularity: Int
    /// A started replica is billed for at least this many seconds, and kept (serving)
    /// until it has been.
    public let minBilling: Double
    /// Seconds from starting a replica to its first served request; billed, not serving.
    public let startup: Double

    /// - Throws: ``CostError`` for a negative or non-finite price, time or a block below 1.
    public init(hourly: Double, granularity: Int = 1, minBilling: Double = 0, startup: Double = 0) throws {
        try Check.nonNegative(hourly, "cloud hourly")
        try Check.count(granularity, in: 1, PlanInputs.maxReplicas, "cloud granularity")
        try Check.nonNegative(minBilling, "cloud min_billing")
        try Check.nonNegative(startup, "cloud startup")
        self.hourly = hourly
        self.granularity = granularity
        self.minBilling = minBilling
        self.startup = startup
    }

    /// What following `rates` (requests per second per interval) with replicas of
    /// `capacity` requests per second costs and misses over one pass of the profile.
    ///
    /// At the start of each interval the fleet is set to the interval's need,
    /// ⌈rate / capacity⌉ rounded up to a multiple of the granularity (scaling on a known
    /// schedule, not on a lagging metric). New replicas are billed from that moment and
    /// serve from `startup` seconds later; requests above the serving capacity meanwhile
    /// are misses. A replica no longer needed stops, oldest first, once billed for
    /// `minBilling`; until then it stays and serves. The first interval starts warm
    /// (its replicas up at time 0), and at the end each replica is billed to the end of
    /// the profile, at least `minBilling` from its start.
    func follow(_ rates: [Double], interval: Double, capacity: Double) -> CloudUsage {
        var starts: [Double] = []  // start time of each running replica; ascending
        let warm = -Double.infinity
        var billed = 0.0, missed = 0.0, peak = 0
        for (i, rate) in rates.enumerated() {
            let t0 = Double(i) * interval
            let target = blocks(Replicas.needed(rate, capacity))
            if i == 0 {
                starts = Array(repeating: warm, count: target)
            } else if target > starts.count {
                starts += Array(repeating: t0, count: target - starts.count)
            } else {
                var surplus = starts.count - target
                var kept: [Double] = []
                for s in starts {
                    if surplus > 0, t0 - s >= minBilling {
                        billed += t0 - max(s, 0)
                        surplus -= 1
                    } else {
                        kept.append(s)
                    }
                }
                starts = kept
            }
            peak = max(peak, starts.count)
            missed += shortfall(rate, from: t0, interval: interval, starts: starts, capacity: capacity)
        }
        let end = Double(rates.count) * interval
        for s in starts { billed += s == warm ? end : max(end - s, minBilling) }
        return CloudUsage(replicaSeconds: billed, missedRequests: missed, peakReplicas: peak)
    }

    /// Requests above the serving capacity in [t0, t0 + interval): replicas serve from
    /// start + startup, so capacity steps up at each readiness time inside the interval.
    private func shortfall(_ rate: Double, from t0: Double, interval: Double, starts: [Double], capacity: Double) -> Double {
        let t1 = t0 + interval
        let readyTimes = starts.map { $0 + startup }
        var cuts = readyTimes.filter { $0 > t0 && $0 < t1 }
        cuts = Array(Set(cuts)).sorted()
        var missed = 0.0
        var from = t0
        for to in cuts + [t1] {
            let serving = readyTimes.filter { $0 <= from }.count
            missed += max(0, rate - capacity * Double(serving)) * (to - from)
            from = to
        }
        return missed
    }

    /// `n` rounded up to a whole number of blocks.
    private func blocks(_ n: Int) -> Int { (n + granularity - 1) / granularity * granularity }
}

/// Replicas a load needs.
enum Replicas {
    /// ⌈rate / capacity⌉: a rate a hair above a whole number of replicas (rounding in a
    /// sum of floating-point rates) does not buy another replica.
    static func needed(_ rate: Double, _ capacity: Double) -> Int {
        Int(max(0, (rate / capacity * (1 - 1e-12)).rounded(.up)))
    }
}

/// What one pass of a profile used of rented replicas.
struct CloudUsage {
    /// Replica-seconds billed.
    var replicaSeconds: Double
    /// Requests arriving while the fleet was short (startup lag).
    var missedRequests: Double
    /// Most replicas rented at once.
    var peakReplicas: Int
}
