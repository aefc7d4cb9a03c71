import Cost
import FrontierMath
import LuaBridge
import Metrics
import Report

/// What each sweep's runs say, for the top of the report and `frontier report --summary`:
/// the cheapest level meeting the SLA with its cost per 1,000 requests and per 1M tokens,
/// where more load stops paying, what fails beyond, the knee where runs carry quality,
/// and warnings that change the decision.
struct SweepAnswers {
    let store: StoreModule
    let hardware: ReportCharts.HardwareFor?
    let sla: SLABox?

    /// One answer per sweep, in the order sweeps first appear among `runs`. Runs are
    /// grouped by their stored sweep, else by tag and target. `verdicts`, when the caller
    /// has judged every run already (the HTML report's verdict table), are used as they
    /// are rather than judged again.
    func make(_ runs: [RunView], verdicts: [SLAResult]? = nil) throws -> [SweepAnswer] {
        let known = verdicts?.count == runs.count ? verdicts : nil
        return try Self.sweepIndices(runs).compactMap { group in
            try answer(group.map { runs[$0] }, verdicts: known.map { v in group.map { v[$0] } })
        }
    }

    /// Positions of `runs` grouped by sweep (their stored sweep, else tag and target), in
    /// the order sweeps first appear.
    static func sweepIndices(_ runs: [RunView]) -> [[Int]] {
        var order: [String] = [], groups: [String: [Int]] = [:]
        for (k, r) in runs.enumerated() {
            let key = r.table["sweep"]?.integer.map { "sweep \($0)" }
                ?? "\(r.table["tag"]?.string ?? "")\u{0}\(r.table["target"]?.string ?? "")"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(k)
        }
        return order.compactMap { groups[$0] }
    }

    /// `runs` grouped by sweep, as ``sweepIndices(_:)``.
    static func sweeps(_ runs: [RunView]) -> [[RunView]] {
        sweepIndices(runs).map { $0.map { runs[$0] } }
    }

    /// "2 × A800" for a simulated run (its own deployment); nil for any other.
    static func simulatedDeployment(_ run: RunView) -> String? {
        guard run.table["source"]?.string == "simulated", let gpu = run.table["gpu"]?.string,
              let n = run.table["gpus"]?.integer else { return nil }
        return "\(n) × \(gpu)"
    }

    /// A sweep's name in a legend: its tag and what ran it, never a URL.
    /// "quickstart-sim · 2 × A800 (simulated)", "quickstart · frontier-test (measured)".
    static func seriesName(_ run: RunView) -> String {
        let tag = run.table["tag"]?.string ?? "untagged"
        let source = run.table["source"]?.string ?? "measured"
        if let deployment = simulatedDeployment(run) { return "\(tag) · \(deployment) (simulated)" }
        let what = run.table["settings"]?["engine"].string ?? run.table["model"]?.string
        return what.map { "\(tag) · \($0) (\(source))" } ?? "\(tag) (\(source))"
    }

    private struct Level {
        let run: RunView
        let level: Double
        let cost: RunCost?
        let verdict: SLAResult?
    }

    private func answer(_ runs: [RunView], verdicts: [SLAResult]?) throws -> SweepAnswer? {
        guard let first = runs.first else { return nil }
        var levels: [Level] = []
        for (k, r) in runs.enumerated() {
            guard let level = r.level else { continue }
            let hw = try hardware?(r) ?? ReportCharts.ownDeployment(r)
            let cost = try hw.map { try RunCost(usage: r.usage(), hardware: $0) }
            let verdict = try verdicts?[k] ?? sla?.evaluate(r, store: store).0
            levels.append(Level(run: r, level: level, cost: cost, verdict: verdict))
        }
        levels.sort { $0.level < $1.level }
        let unit = first.table["rate"]?.number != nil ? "rate" : "concurrency"
        func at(_ l: Level) -> String { "\(unit) \(Self.number(l.level))" }
        let slaName = sla.map { $0.name.map { "the SLA '\($0)'" } ?? "the SLA" } ?? ""
        var findings: [String] = [], warnings: [String] = []

        let costed = levels.filter { $0.cost?.perRequest != nil }
        let distinct = Set(levels.map(\.level)).count == levels.count
        if !levels.isEmpty, costed.count == levels.count, distinct {
            let sweep = levels.map { SweepLevel(level: $0.level, costPerTask: $0.cost?.perRequest ?? 0, meetsSLA: $0.verdict?.passed) }
            if sla != nil {
                if let best = try Saturation.cheapestMeeting(sweep), let pick = levels.first(where: { $0.level == best.level }) {
                    findings.append("Run at \(at(pick)): the cheapest level meeting \(slaName), \(Self.price(pick.cost)).")
                    if let beyond = levels.first(where: { $0.level > pick.level && $0.verdict?.passed == false }),
                       let v = beyond.verdict {
                        findings.append("Beyond it \(slaName) fails from \(at(beyond)) up (\(SLAModule.summary(v).replacingOccurrences(of: "failed: ", with: ""))).")
                    }
                } else if let v = levels.first?.verdict {
                    findings.append("No level meets \(slaName); at \(at(levels[0])) it \(SLAModule.summary(v)).")
                }
            } else if let pick = costed.min(by: { ($0.cost?.perRequest ?? 0) < ($1.cost?.perRequest ?? 0) }) {
                findings.append("The cheapest level is \(at(pick)), \(Self.price(pick.cost)) (no SLA given: speed is not judged).")
            }
            if levels.count >= 2, sweep.allSatisfy({ $0.costPerTask > 0 }) {
                let s = try Saturation.find(sweep)
                switch (s.rule, s.level) {
                case (.endOfSweep, _), (_, nil):
                    findings.append("No saturation within the levels run: \(s.reason); try higher levels.")
                case (_, let level?):
                    findings.append("More load stops paying at \(unit) \(Self.number(level.level)): \(s.reason).")
                }
            }
        } else if !levels.isEmpty {
            if !distinct {
                warnings.append("Two runs share a level: these runs mix sweeps (bench.sweeps lists them); the decision is not computed.")
            } else {
                findings.append("Not costed: give hardware (report.html{ hardware = … } or frontier report --gpu/--hourly) for the cost per 1,000 requests.")
            }
            if sla != nil {
                let passing = levels.filter { $0.verdict?.passed == true }.map { Self.number($0.level) }
                findings.append(passing.isEmpty ? "No level meets \(slaName)."
                                                : "Levels meeting \(slaName): \(unit) \(passing.joined(separator: ", ")).")
            }
        }
        if levels.isEmpty { findings.append("No load level (concurrency or rate) on these runs: no sweep to decide on.") }
        if let knee = try knee(levels) { findings.append(knee) }

        for l in levels {
            let id = l.run.runID.map { "run \($0)" } ?? "a run"
            if let status = l.run.table["status"]?.string, status != "completed" {
                warnings.append("\(id) (\(at(l))) is \(status): its figures cover only the requests that finished.")
            }
            if l.run.table["valid"]?.bool == false {
                let reasons = l.run.table["verdict"]?["reasons"]
                let why: String
                if case .array(let list)? = reasons, let reason = list.first?.string { why = reason } else { why = "see its verdict" }
                warnings.append("\(id) (\(at(l))) is not a valid measurement: \(why).")
            }
        }
        if first.table["source"]?.string == "simulated" {
            warnings.append("Simulated: predicted by the roofline model, not measured; calibrate it against a measured sweep (sim.calibrate) before relying on the level.")
        }
        return SweepAnswer(title: title(first, levels: levels.count), findings: findings, warnings: warnings)
    }

    /// Where quality stops rising much per dollar, when the runs carry `quality`.
    private func knee(_ levels: [Level]) throws -> String? {
        let points = levels.compactMap { l -> (Level, Double, Double)? in
            guard let q = l.run.number("quality"), let c = l.cost?.perRequest else { return nil }
            return (l, c, q)
        }
        guard points.count >= 3 else { return nil }
        let columns = try PointColumns(ids: points.indices.map(String.init),
                                       values: ["cost": points.map(\.1), "quality": points.map(\.2)])
        let frontier = try EfficientFrontier(points: columns)
        guard frontier.points.count >= 3, let knee = try Knee.find(on: frontier),
              let k = frontier.points.first(where: { $0.cost == knee.x && $0.quality == knee.y }) else { return nil }
        let l = points[k.index].0
        return "Quality stops rising much per dollar at the knee, \(l.run.table["rate"]?.number != nil ? "rate" : "concurrency") \(Self.number(l.level)) (quality \(Self.number(knee.y)), \(Money.dollars(knee.x * 1000)) per 1,000 requests)."
    }

    /// "quickstart-sim · sweep 3 · simulated on 2 × A800 · Qwen2.5-32B · 7 levels".
    private func title(_ run: RunView, levels: Int) -> String {
        var parts: [String] = [run.table["tag"]?.string ?? "untagged"]
        if let sweep = run.table["sweep"]?.integer { parts.append("sweep \(sweep)") }
        let source = run.table["source"]?.string ?? "measured"
        if let deployment = Self.simulatedDeployment(run) {
            parts.append("simulated on \(deployment)")
        } else if let engine = run.table["settings"]?["engine"].string {
            parts.append("\(source), \(engine)")
        } else {
            parts.append(source)
        }
        if let model = run.table["model"]?.string { parts.append(model) }
        parts.append(levels == 1 ? "1 level" : "\(levels) levels")
        return parts.joined(separator: " · ")
    }

    /// "$0.123 per 1,000 requests and $0.456 per 1M tokens".
    static func price(_ cost: RunCost?) -> String {
        guard let cost, let per = cost.perRequest else { return "cost unknown" }
        let tokens = cost.perMillionTokens.map { " and \(Money.dollars($0)) per 1M tokens" } ?? ""
        return "\(Money.dollars(per * 1000)) per 1,000 requests\(tokens)"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : NumberFormat.short(v)
    }
}
