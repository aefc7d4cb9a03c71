import Foundation
import LuaBridge
import Measure
import Metrics

/// A session workload as a run needs it: the plan, and the user's function for each
/// next turn (nil: turns are made up from the plan).
final class SessionSource {
    let plan: SessionPlan
    let turn: LuaFunction?
    init(plan: SessionPlan, turn: LuaFunction?) {
        self.plan = plan
        self.turn = turn
    }

    /// The table given to the turn function: which session and turn, and the
    /// conversation so far (the previous answer included).
    static func sessionTable(_ j: Int, _ k: Int, _ turns: Int, _ history: [ChatMessage]) -> LuaValue {
        ["session": .int(j + 1), "turn": .int(k), "turns": .int(turns),
         "messages": .array(history.map { ["role": .string($0.role), "content": .string($0.content)] })]
    }

    /// Turn `k` of session `j`: the user's function's request (nil ends the session), or a made-up one.
    func make(session j: Int, turn k: Int, history: [ChatMessage], previous: LuaValue) throws -> WorkloadRequest? {
        let turns = plan.turns(of: j)
        guard let turn else { return plan.turn(session: j, turn: k, history: history) }
        let out = try turn.call([Self.sessionTable(j, k, turns, history), previous]).first ?? .nil
        if out.isNil { return nil }
        guard case .table(let t) = out else {
            throw LuaScriptError("workload.sessions: the turn function returned \(out.typeName) for session \(j + 1) turn \(k); expected a request table or nil")
        }
        var r: WorkloadRequest
        do { r = try JSONLWorkload.request(from: t, defaultMaxTokens: plan.output.sampleFor(session: j, turn: k, seed: plan.seed)) }
        catch { throw LuaScriptError("workload.sessions: session \(j + 1) turn \(k): \(error)") }
        r.session = SessionTurn(session: j, turn: k, turns: turns)
        return r
    }
}

/// Drives a session workload during a run, on the Lua thread: each finished turn's
/// answer becomes the next turn's history, sent after the think time on the same slot.
final class SessionDriver {
    let source: SessionSource
    /// What each session's latest turn sent.
    private var sent: [Int: Prompt] = [:]

    init(source: SessionSource, workload: Workload) {
        self.source = source
        for i in 0..<workload.count {
            if let s = workload.labels(at: i).session { sent[s.session] = workload[i].prompt }
        }
    }

    /// Called for every finished record of the run.
    func finished(_ record: RequestRecord, _ labels: RequestLabels, previous: @autoclosure () -> LuaValue, run m: MeasureRun) throws {
        guard let st = labels.session else { return }
        guard st.continues else { sent[st.session] = nil; return }
        // A failed turn ends its conversation: its history has no answer to carry.
        guard record.status == .ok, let prompt = sent[st.session] else {
            sent[st.session] = nil
            return m.releaseSlot()
        }
        let history = SessionPlan.history(after: prompt, answer: record.response ?? "")
        guard let next = try source.make(session: st.session, turn: st.turn + 1, history: history, previous: previous()) else {
            sent[st.session] = nil
            return m.releaseSlot()
        }
        sent[st.session] = next.prompt
        m.enqueue(next, delay: source.plan.thinkTime, onKeptSlot: true)
    }
}

extension LengthDistribution {
    /// A draw for a turn's default `max_tokens`, the same for the same seed, session and turn.
    func sampleFor(session j: Int, turn k: Int, seed: UInt64) -> Int {
        var rng = SeededRNG(seed: seed &+ UInt64(j) &* 0x9E37_79B9 &+ UInt64(k))
        return sample(&rng)
    }
}

/// `workload.sessions{…}`.
enum SessionWorkloads {
    static var bindings: [LuaBinding] {
        [
            LuaBinding("sessions", args: "{n=, turns=5|dist, think_time=0, input=dist|n, output=dist|n, seed=0, system=, turn=function(s, prev) ... end}",
                       "n multi-turn chat sessions: each turn carries the history and the previous answer, after think_time seconds, on the slot of the previous turn (concurrency = sessions at once; with rate, sessions start at that rate); turn(s, prev) may build each turn (s = {session, turn, turns, messages}; nil ends the session), else user messages of input tokens are made up. Figures per turn: run:by('turn').") { call in
                let o = Options(table: try call.fields(1, skipping: ["turn"]), call: call, position: 1)
                try o.only(["n", "turns", "think_time", "input", "output", "seed", "system", "turn"])
                let n = try o.required("n", o.int, "number of sessions")
                let turns = try WorkloadModule.distribution(o.table["turns"] ?? .int(5), call, 1, field: "turns")
                let plan = SessionPlan(
                    sessions: n, turns: turns, thinkTime: try o.number("think_time") ?? 0,
                    input: try WorkloadModule.distribution(o.table["input"] ?? .int(64), call, 1, field: "input"),
                    output: try WorkloadModule.distribution(o.table["output"] ?? .int(64), call, 1, field: "output"),
                    seed: UInt64(truncatingIfNeeded: try o.int("seed") ?? 0), system: try o.string("system"))
                do { try plan.validate() } catch { throw call.argumentError(1, "\(error)") }
                let source = SessionSource(plan: plan, turn: try call.function(1, field: "turn"))
                // The first turns are made now (the user's function, if any, called for each).
                var first: [WorkloadRequest] = []
                first.reserveCapacity(n)
                for j in 0..<n {
                    let history: [ChatMessage] = plan.system.map { [ChatMessage(role: "system", content: $0)] } ?? []
                    guard let r = try source.make(session: j, turn: 1, history: history, previous: .nil) else {
                        throw LuaScriptError("workload.sessions: the turn function returned nil for the first turn of session \(j + 1); a session needs a first turn")
                    }
                    first.append(r)
                }
                let origin = "sessions n=\(n) turns=\(turns.summary) think_time=\(plan.thinkTime) input=\(plan.input.summary) output=\(plan.output.summary) seed=\(plan.seed)"
                    + (source.turn == nil ? "" : " (turns from a Lua function)")
                try call.push(object: WorkloadBox(Workload(requests: first, origin: origin), sessions: source))
                return 1
            },
        ]
    }
}
