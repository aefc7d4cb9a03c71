/// The rules that read one run at a time: error bursts, a busy client, a tokenizer that
/// counts far more tokens than the text suggests (docs/frontier.md, "Diagnosis").
extension Diagnosis {
    /// Tokens per word of the synthetic prompts' common English words in the usual
    /// tokenizers: one each (llama.cpp made 64 of them into 67–72 tokens, template included).
    public static let usualTokensPerWord = 1.0

    /// A window of a run where errors cluster.
    struct Burst {
        let start: Double
        let failed: Int
        let requests: Int
        let kinds: [String: Int]
    }

    /// Among windows [τ, τ + width] starting at each failure's time τ, the one with the most
    /// failures (the earliest on ties) holding at least `burstErrors` failures that are at
    /// least `burstRate` of the requests ending in it; nil when none does.
    static func burst(_ outcomes: [RequestOutcome], _ t: DiagnosisThresholds) -> Burst? {
        let sorted = outcomes.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
        var failedBefore = [0]  // failures among the first k requests
        for o in sorted { failedBefore.append((failedBefore.last ?? 0) + (o.failed ? 1 : 0)) }
        var best: (start: Double, lo: Int, hi: Int, failed: Int)?
        var lo = 0, hi = 0
        for o in sorted where o.failed {
            // Both ends only move forward as the start does.
            while sorted[lo].time < o.time { lo += 1 }
            while hi < sorted.count, sorted[hi].time <= o.time + t.burstWindow { hi += 1 }
            let failed = failedBefore[hi] - failedBefore[lo]
            guard failed >= t.burstErrors, Double(failed) >= t.burstRate * Double(hi - lo),
                  failed > (best?.failed ?? 0) else { continue }
            best = (o.time, lo, hi, failed)
        }
        guard let best else { return nil }
        var kinds: [String: Int] = [:]
        for o in sorted[best.lo..<best.hi] where o.failed { kinds[o.kind ?? "other", default: 0] += 1 }
        return Burst(start: best.start, failed: best.failed, requests: best.hi - best.lo, kinds: kinds)
    }

    /// Errors above `errorRate` at the level, or a burst in time; one finding per run.
    static func errorBurst(_ sweep: DiagnosisSweep, _ i: Int, _ t: DiagnosisThresholds) -> Finding? {
        let l = sweep.levels[i]
        var evidence: [String] = []
        if l.requests > 0, Double(l.errors) / Double(l.requests) > t.errorRate {
            evidence.append("\(Format.percent(Double(l.errors) / Double(l.requests))) of requests failed or were truncated "
                            + "(\(l.errors) of \(l.requests)), more than \(Format.percent(t.errorRate))")
        }
        let window = burst(l.outcomes, t)
        if let w = window {
            let kinds = w.kinds.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }
            evidence.append("\(w.failed) of the \(w.requests) requests ending between \(Format.significant(w.start)) s and "
                            + "\(Format.significant(w.start + t.burstWindow)) s of the run failed (\(kinds.joined(separator: ", ")))")
        }
        guard !evidence.isEmpty else { return nil }
        let advice = window.map {
            "Errors came in a burst (an outage, a restart, a full queue): look at the server around "
                + "\(Format.significant($0.start)) s into the run, and run this level again before trusting its figures."
        } ?? ("Treat \(at(sweep, l.level)) as beyond what the server sustains, or find the cause in the errors by kind; "
              + "latencies count successful requests only, so they look better than the service was.")
        return Finding(kind: .errorBurst, level: l.level, load: sweep.load, runID: l.runID,
                       evidence: evidence.joined(separator: "; ") + ".", advice: advice)
    }

    /// The client's busiest thread busy more than `clientCPU` of the run.
    static func clientBound(_ sweep: DiagnosisSweep, _ i: Int, _ t: DiagnosisThresholds) -> Finding? {
        let l = sweep.levels[i]
        guard let cpu = l.clientCPU, cpu > t.clientCPU else { return nil }
        return Finding(kind: .clientBound, level: l.level, load: sweep.load, runID: l.runID,
                       evidence: "The client's busiest thread was busy \(Format.percent(cpu)) of the run, more than "
                           + "\(Format.percent(t.clientCPU)).",
                       advice: "The client, not the server, may limit this level and delay what it measures: give it "
                           + "more client threads or a machine of its own, and run the level again.")
    }

    /// What one run's tokens say against `tokenizerRatio`, or nil.
    static func tokenEvidence(_ l: DiagnosisLevel, _ t: DiagnosisThresholds) -> String? {
        var parts: [String] = []
        if let perWord = l.tokensPerWord, perWord >= t.tokenizerRatio * usualTokensPerWord {
            parts.append("the server counts \(Format.significant(perWord)) tokens per prompt word, "
                         + "\(Format.factor(perWord / usualTokensPerWord)) the \(Format.number(usualTokensPerWord)) of the usual tokenizers")
        }
        if let asked = l.inputTokensRequested, let served = l.inputTokensServed, asked > 0, served >= t.tokenizerRatio * asked {
            parts.append("served input tokens average \(Format.count(served)) per request, "
                         + "\(Format.factor(served / asked)) the \(Format.count(asked)) the workload asked for")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    static let tokenizerAdvice = "This model's tokenizer makes more tokens of the same text: its per-token prices and "
        + "token throughputs overstate the work done, so compare it with other models per request or per task."

    /// Once per sweep (a tokenizer belongs to the model): the first level whose tokens
    /// are at least `tokenizerRatio` × what the text suggests.
    static func tokenizer(_ sweep: DiagnosisSweep, _ t: DiagnosisThresholds) -> Finding? {
        let flagged = sweep.levels.filter { tokenEvidence($0, t) != nil }
        guard let first = flagged.first, let evidence = tokenEvidence(first, t) else { return nil }
        let scope = "At \(at(sweep, first.level))" + (sweep.levels.count > 1 ? " (\(flagged.count) of \(sweep.levels.count) levels alike)" : "")
        return Finding(kind: .tokenizerMismatch, level: nil, load: sweep.load, runID: first.runID, model: first.model,
                       evidence: scope + ": " + evidence + ".", advice: tokenizerAdvice)
    }

    /// Across models on one workload: a model whose input tokens per request (the median of
    /// its runs) are at least `tokenizerRatio` × the median of the other models' values.
    static func tokensAcrossModels(_ levels: [DiagnosisLevel], _ t: DiagnosisThresholds) -> [Finding] {
        // workload → model → (values, first run), in order of first appearance.
        var workloads: [String] = []
        var models: [String: [String]] = [:]
        var values: [String: [String: (samples: [Double], run: Int64?)]] = [:]
        for l in levels {
            guard let w = l.workload, let m = l.model, let v = l.inputTokensPerRequest, v > 0 else { continue }
            if models[w] == nil { workloads.append(w) }
            if values[w]?[m] == nil { models[w, default: []].append(m) }
            values[w, default: [:]][m, default: ([], l.runID)].samples.append(v)
        }
        var out: [Finding] = []
        for w in workloads {
            let names = models[w] ?? []
            guard names.count >= 2 else { continue }
            let perModel = names.map { median(values[w]?[$0]?.samples ?? [0]) }
            for (k, m) in names.enumerated() {
                let others = perModel.enumerated().filter { $0.offset != k }.map(\.element)
                let reference = median(others)
                guard perModel[k] >= t.tokenizerRatio * reference else { continue }
                let list = names.indices.filter { $0 != k }.map { "\(names[$0]) \(Format.count(perModel[$0]))" }
                let evidence = "\(m) used \(Format.count(perModel[k])) input tokens per request on the workload '\(w)', "
                    + "\(Format.factor(perModel[k] / reference)) the median \(Format.count(reference)) of the other models "
                    + "(\(list.joined(separator: ", ")))."
                out.append(Finding(kind: .tokenizerMismatch, level: nil, runID: values[w]?[m]?.run, model: m,
                                   evidence: evidence, advice: tokenizerAdvice))
            }
        }
        return out
    }
}
