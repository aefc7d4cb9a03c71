/// The rules that read how figures change from level to level: TTFT jump, past the
/// optimal zone, queueing (docs/frontier.md, "Diagnosis").
extension Diagnosis {
    /// The median of a non-empty list (the mean of the two middle values for an even count).
    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// "concurrency 32", "rate 4".
    static func at(_ sweep: DiagnosisSweep, _ level: Double) -> String {
        "\(sweep.load.rawValue) \(Format.number(level))"
    }

    /// "Reduce concurrency to 32", "Reduce the request rate to 2".
    static func reduce(_ sweep: DiagnosisSweep, to level: Double) -> String {
        (sweep.load == .rate ? "Reduce the request rate to " : "Reduce concurrency to ") + Format.number(level)
    }

    /// With SLA verdicts, whether the level at `k` meets the SLA, else the highest level
    /// below it that does: the advice should not send a reader to a level that fails it.
    static func slaNote(_ sweep: DiagnosisSweep, _ k: Int) -> String {
        guard let meets = sweep.levels[k].meetsSLA else { return "" }
        if meets { return " It meets the SLA." }
        if let j = (0..<k).last(where: { sweep.levels[$0].meetsSLA == true }) {
            return " It fails the SLA; \(at(sweep, sweep.levels[j].level)) is the highest level below it that meets it."
        }
        return " It fails the SLA, as every level below it does."
    }

    /// TTFT p50 or p99 grows from level i − 1 to i by at least `ttftJump` × the expected
    /// growth, and by at least `ttftMinRise` seconds. Expected: the largest of 1, the load's
    /// own growth (a server whose TTFT grows as fast as its load is busy, not failing) and
    /// the median growth of the steps before. The first level where either statistic jumps.
    static func ttftJump(_ sweep: DiagnosisSweep, _ t: DiagnosisThresholds) -> Finding? {
        let levels = sweep.levels
        let statistics: [(name: String, path: KeyPath<DiagnosisLevel, Double?>)] = [("p50", \.ttftP50), ("p99", \.ttftP99)]
        var growth: [[Double]] = statistics.map { _ in [] }
        for i in levels.indices.dropFirst() {
            var jumps: [String] = []
            for (s, statistic) in statistics.enumerated() {
                guard let a = levels[i - 1][keyPath: statistic.path], let b = levels[i][keyPath: statistic.path], a > 0 else { continue }
                let g = b / a
                let load = levels[i].level / levels[i - 1].level
                let before = growth[s].isEmpty ? nil : median(growth[s])
                let expected = max(1, load, before ?? 1)
                if g >= t.ttftJump * expected, b - a >= t.ttftMinRise {
                    let why = "the load grew \(Format.factor(load))" + (before.map { ", earlier steps a median \(Format.factor($0))" } ?? "")
                    jumps.append("TTFT \(statistic.name) rose \(Format.factor(g)) from \(Format.seconds(a)) at "
                                 + "\(at(sweep, levels[i - 1].level)) to \(Format.seconds(b)) at \(Format.number(levels[i].level)), "
                                 + "against an expected \(Format.factor(expected)) (\(why))")
                }
                growth[s].append(g)
            }
            guard !jumps.isEmpty else { continue }
            let advice = reduce(sweep, to: levels[i - 1].level) + ", the level before the jump: from "
                + "\(Format.number(levels[i].level)) the server ran out of memory for its KV cache or its scheduler "
                + "began queueing requests." + slaNote(sweep, i - 1)
            return Finding(kind: .ttftJump, level: levels[i].level, load: sweep.load, runID: levels[i].runID,
                           evidence: jumps.joined(separator: "; ") + ".", advice: advice)
        }
        return nil
    }

    /// Over the levels with both a cost per request and a quality, the first level i whose
    /// cost per request fell by less than `minFall` from the previous such level (a rise
    /// included) while quality rose by no more than `qualityGain` of its previous value.
    static func pastOptimalZone(_ sweep: DiagnosisSweep, _ t: DiagnosisThresholds) -> Finding? {
        let levels = sweep.levels
        let known = levels.indices.filter { levels[$0].costPerRequest != nil && levels[$0].quality != nil }
        for (p, i) in zip(known, known.dropFirst()) {
            guard let c0 = levels[p].costPerRequest, let c1 = levels[i].costPerRequest,
                  let q0 = levels[p].quality, let q1 = levels[i].quality else { continue }
            let fall = (c0 - c1) / c0
            guard fall < t.minFall, q1 - q0 <= t.qualityGain * abs(q0) else { continue }
            let change = fall >= 0 ? "fell only \(Format.percent(fall))" : "rose \(Format.percent(-fall))"
            let short = fall >= 0 ? " (less than the \(Format.percent(t.minFall)) a level should save)" : ""
            let evidence = "Cost per request \(change) from \(Format.significant(c0, 4)) at \(at(sweep, levels[p].level)) "
                + "to \(Format.significant(c1, 4)) at \(Format.number(levels[i].level))\(short), while quality rose by no more "
                + "than \(Format.percent(t.qualityGain)) "
                + "(\(Format.significant(q0, 4)) to \(Format.significant(q1, 4)))."
            let advice = (sweep.load == .rate ? "Stay at rate " : "Stay at concurrency ") + Format.number(levels[p].level)
                + ": more load costs as much or more per request and buys no quality." + slaNote(sweep, p)
            return Finding(kind: .pastOptimalZone, level: levels[i].level, load: sweep.load, runID: levels[i].runID,
                           evidence: evidence, advice: advice)
        }
        return nil
    }

    /// Open loop: over the levels with both TTFT p50 and TTFT-from-intended p50, the first
    /// level i where TTFT from the intended send time has grown since the first such level
    /// by at least `queueing` × TTFT's growth, and by at least `ttftMinRise` seconds.
    static func queueing(_ sweep: DiagnosisSweep, _ t: DiagnosisThresholds) -> Finding? {
        guard sweep.load == .rate else { return nil }
        let levels = sweep.levels
        let known = levels.indices.filter { (levels[$0].ttftP50 ?? 0) > 0 && (levels[$0].ttftFromIntendedP50 ?? 0) > 0 }
        guard let base = known.first else { return nil }
        for (p, i) in zip(known, known.dropFirst()) {
            guard let q0 = levels[base].ttftFromIntendedP50, let s0 = levels[base].ttftP50,
                  let q = levels[i].ttftFromIntendedP50, let s = levels[i].ttftP50 else { continue }
            let (fromIntended, fromSent) = (q / q0, s / s0)
            guard fromIntended >= t.queueing * fromSent, q - q0 >= t.ttftMinRise else { continue }
            let lag = levels[i].sendLagP50.map { "; requests were sent \(Format.seconds($0)) late (send lag p50)" } ?? ""
            let evidence = "TTFT from the intended send time (p50) rose \(Format.factor(fromIntended)) from "
                + "\(Format.seconds(q0)) at \(at(sweep, levels[base].level)) to \(Format.seconds(q)) at "
                + "\(Format.number(levels[i].level)), while TTFT from the actual send rose \(Format.factor(fromSent)) "
                + "(\(Format.seconds(s0)) to \(Format.seconds(s)))\(lag)."
            let advice = "Requests queued before they were sent: the arrivals outpace what is served. "
                + reduce(sweep, to: levels[p].level) + ", the level before, or, if the client is the limit "
                + "(its CPU or its in-flight limit), give it more threads or slots." + slaNote(sweep, p)
            return Finding(kind: .queueing, level: levels[i].level, load: sweep.load, runID: levels[i].runID,
                           evidence: evidence, advice: advice)
        }
        return nil
    }
}
