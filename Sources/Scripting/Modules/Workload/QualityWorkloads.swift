import Foundation
import LuaBridge
import Measure
import Quality
import Runs

/// `workload.humaneval`, `workload.multiple_choice`, `workload.needle`: workloads whose
/// requests carry what a quality scorer needs (docs/quality.md). The problems, items and
/// haystacks are built by the Quality target; this file only adapts them to Lua.
enum QualityWorkloads {
    static var bindings: [LuaBinding] {
        [
            LuaBinding("humaneval", args: "path, [{samples=1, max_tokens=512, limit=, chat=false}]",
                       "HumanEval-format problems (task_id, prompt, canonical_solution, test, entry_point; JSONL, optionally gzipped), each sent `samples` times for pass@k; score with quality.code().") { call in
                let path = try call.string(1)
                let o = try Options(call, 2, optional: true)
                try o.only(["samples", "max_tokens", "limit", "chat"])
                let samples = try o.int("samples") ?? 1
                guard (1...1000).contains(samples) else { throw o.error("samples", "1 to 1000") }
                let maxTokens = try o.int("max_tokens") ?? 512
                guard maxTokens >= 1 else { throw o.error("max_tokens", "≥ 1") }
                let chat = try o.bool("chat") ?? false
                var problems = try checked(call) { try CodeProblem.read(path: path) }
                if let limit = try o.int("limit") {
                    guard limit >= 1 else { throw o.error("limit", "≥ 1") }
                    problems = Array(problems.prefix(limit))
                }
                var requests: [WorkloadRequest] = []
                for p in problems {
                    let prompt: Prompt = chat
                        ? .messages([ChatMessage(role: "user", content: "Complete this Python function. Reply with the whole function in a ```python code block.\n\n```python\n\(p.prompt)```")])
                        : .text(p.prompt)
                    for s in 1...samples {
                        let meta = try JSON.encode(["task_id": .string(p.taskID), "sample": .int(s)])
                        requests.append(WorkloadRequest(prompt: prompt, maxTokens: maxTokens, expected: CodeScorer.expected(for: p), meta: meta))
                    }
                }
                try call.push(object: WorkloadBox(Workload(requests: requests,
                    origin: "humaneval \(path) (\(problems.count) problems × \(samples) samples)")))
                return 1
            },
            LuaBinding("multiple_choice", args: "path | items, [{max_tokens=16, limit=, chat=false}]",
                       "Multiple-choice items (question, choices, answer letter or 0-based index; a JSONL file or a list of tables), asked with lettered choices; score with quality.choice().") { call in
                let o = try Options(call, 2, optional: true)
                try o.only(["max_tokens", "limit", "chat"])
                let maxTokens = try o.int("max_tokens") ?? 16
                guard maxTokens >= 1 else { throw o.error("max_tokens", "≥ 1") }
                let chat = try o.bool("chat") ?? false
                var items: [ChoiceItem]
                var origin: String
                if call.isTable(1) {
                    guard case .array(let list) = try call.value(1), !list.isEmpty else {
                        throw call.argumentError(1, "a path or a non-empty list of items {question=, choices={...}, answer=} expected")
                    }
                    items = try list.enumerated().map { i, v in
                        guard case .table = v else { throw call.argumentError(1, "items[\(i + 1)] must be a table {question=, choices=, answer=}, got \(v.typeName)") }
                        let json = try JSON.encode(v)
                        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
                            throw call.argumentError(1, "items[\(i + 1)] must be a table {question=, choices=, answer=}")
                        }
                        let known: Set<String> = ["question", "choices", "answer", "subject"]
                        if let bad = object.keys.sorted().first(where: { !known.contains($0) }) {
                            throw call.argumentError(1, "items[\(i + 1)] has unknown field '\(bad)' (valid: answer, choices, question, subject)")
                        }
                        return try checked(call) { try ChoiceItem.item(from: object, at: "items[\(i + 1)]") }
                    }
                    origin = "multiple choice (\(items.count) items)"
                } else {
                    let path = try call.string(1)
                    let data: Data
                    do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw call.unreadableFile(1, path: path, error) }
                    items = try checked(call) { try ChoiceItem.parse(data, source: path) }
                    origin = "multiple choice \(path) (\(items.count) items)"
                }
                if let limit = try o.int("limit") {
                    guard limit >= 1 else { throw o.error("limit", "≥ 1") }
                    items = Array(items.prefix(limit))
                }
                let requests = try items.map { item in
                    var meta: [String: LuaValue] = [:]
                    if let s = item.subject { meta["subject"] = .string(s) }
                    return WorkloadRequest(prompt: chat ? .messages([ChatMessage(role: "user", content: item.prompt)]) : .text(item.prompt),
                                           maxTokens: maxTokens, expected: String(item.answer),
                                           meta: meta.isEmpty ? nil : try JSON.encode(.table(meta)))
                }
                try call.push(object: WorkloadBox(Workload(requests: requests, origin: origin)))
                return 1
            },
            LuaBinding("needle", args: "{lengths=, n=1, seed=0, max_tokens=16, target= | tokens_per_word=1, chat=false}",
                       "Needle in a haystack: for each prompt length (in the server's tokens: measured on target=, else words × tokens_per_word) n prompts with a six-digit secret code at depths spread from start to end; expected is the code (score with quality.numeric()).") { call in
                let o = Options(table: try call.fields(1, skipping: ["target"]), call: call, position: 1)
                try o.only(["lengths", "n", "seed", "max_tokens", "tokens_per_word", "chat", "target"])
                guard case .array(let ls)? = o.table["lengths"], !ls.isEmpty else { throw o.error("lengths", "a non-empty list of prompt lengths in tokens") }
                let lengths = try ls.map { v -> Int in
                    guard let i = v.integer, i >= 1 else { throw o.error("lengths", "a list of whole numbers ≥ 1") }
                    return i
                }
                let n = try o.int("n") ?? 1
                guard (1...10_000).contains(n) else { throw o.error("n", "1 to 10000") }
                let seed = UInt64(truncatingIfNeeded: try o.int("seed") ?? 0)
                let maxTokens = try o.int("max_tokens") ?? 16
                guard maxTokens >= 1 else { throw o.error("max_tokens", "≥ 1") }
                let perWord = try o.number("tokens_per_word") ?? 1
                guard perWord.isFinite, perWord > 0 else { throw o.error("tokens_per_word", "a number > 0") }
                let chat = try o.bool("chat") ?? false
                // Lengths in the server's tokens: the haystack's words measured on the target
                // (its /tokenize, or probes for chat), else the given tokens per word.
                var wordsFor: (Int) -> Int = { max(40, Int((Double($0) / perWord).rounded())) }
                if call.isTable(1), try call.typeName(1, field: "target") != "nil" {
                    guard !o.has("tokens_per_word") else { throw o.error("tokens_per_word", "left out with 'target' (the target measures it)") }
                    var endpoint = try BenchModule.target(call, skipping: [])
                    if chat { endpoint.api = .chat }
                    let fit = try needleFit(endpoint, call)
                    wordsFor = { max(40, fit.words(forTokens: $0)) }
                }
                var requests: [WorkloadRequest] = []
                for (li, length) in lengths.enumerated() {
                    for (di, depth) in NeedleHaystack.depths(n).enumerated() {
                        let words = wordsFor(length)
                        let h = try checked(call) {
                            try NeedleHaystack(words: words, depth: depth, seed: seed &+ UInt64(li * 100_003 + di))
                        }
                        let meta = try JSON.encode(["length": .int(length), "depth": .double(depth), "words": .int(h.words)])
                        requests.append(WorkloadRequest(prompt: chat ? .messages([ChatMessage(role: "user", content: h.prompt)]) : .text(h.prompt),
                                                        maxTokens: maxTokens, expected: h.code, meta: meta))
                    }
                }
                try call.push(object: WorkloadBox(Workload(requests: requests,
                    origin: "needle lengths=\(lengths.map(String.init).joined(separator: ",")) n=\(n) seed=\(seed)")))
                return 1
            },
        ]
    }

    /// How the target counts a haystack: three needle prompts (100, 400 and 1,600 words)
    /// counted on it, and the line through them (`TokenizerCalibration.fit`).
    static func needleFit(_ endpoint: Endpoint, _ call: LuaCall) throws -> TokenizerCalibration {
        let sizes = [100, 400, 1600]
        let texts = try sizes.map { words in try checked(call) { try NeedleHaystack(words: words, depth: 0.5, seed: 7).prompt } }
        let counts: [Int]
        do { counts = try PromptFit.count(texts, endpoint: endpoint) } catch {
            throw call.argumentError(1, "field 'target': could not count its tokens: \(error)")
        }
        guard let fit = TokenizerCalibration.fit(method: "needle", points: zip(sizes, counts).map { ($0, $1) }) else {
            throw call.argumentError(1, "field 'target': its token counts gave no usable line (\(counts))")
        }
        return fit
    }

    /// Runs `body`, turning a `QualityError` into an argument error of argument 1.
    static func checked<T>(_ call: LuaCall, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as QualityError { throw call.argumentError(1, wrapping: e) }
    }
}
