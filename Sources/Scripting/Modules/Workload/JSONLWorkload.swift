import Foundation
import LuaBridge
import Measure

/// `workload.jsonl`: one JSON object per line.
enum JSONLWorkload {
    static func read(path: String, defaultMaxTokens: Int?, declared: Set<String> = []) throws -> Workload {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MeasureError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        var requests: [WorkloadRequest] = []
        for (n, line) in String(decoding: data, as: UTF8.self)
            // "\r\n" is one Character in Swift: a line ends at either.
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let value: LuaValue
            do { value = try JSON.decode(text) } catch {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "not valid JSON")
            }
            guard case .table(let t) = value else {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "expected a JSON object, got \(value.typeName == "table" ? "an array" : value.typeName)")
            }
            do { requests.append(try request(from: t, defaultMaxTokens: defaultMaxTokens, declared: declared)) } catch {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "\(error)")
            }
        }
        guard !requests.isEmpty else { throw MeasureError.workloadFile(path: path, line: 1, reason: "no requests in the file") }
        return Workload(requests: requests, origin: "jsonl \(path) (\(requests.count) requests)")
    }

    /// The fields a request may have.
    static let requestFields: Set<String> = ["prompt", "messages", "max_tokens", "expected", "meta", "class"]

    /// One request from a decoded object (a JSONL line or a Lua table). A field that is
    /// neither a request field nor in `declared` is an error; declared fields are kept in
    /// the request's meta under their own names.
    static func request(from t: [String: LuaValue], defaultMaxTokens: Int?, declared: Set<String> = []) throws -> WorkloadRequest {
        if let unknown = t.keys.sorted().first(where: { !requestFields.contains($0) && !declared.contains($0) }) {
            let valid = requestFields.union(declared).sorted().joined(separator: ", ")
            throw MeasureError.invalidArgument("unknown field '\(unknown)' (valid: \(valid); declare other fields with fields = {...})")
        }
        let prompt: Prompt
        if let p = t["prompt"], !p.isNil, let m = t["messages"], !m.isNil {
            throw MeasureError.invalidArgument("give 'prompt' (completions) or 'messages' (chat), not both")
        }
        if let p = t["prompt"], !p.isNil {
            guard let s = p.string else { throw MeasureError.invalidArgument("'prompt' must be a string") }
            prompt = .text(s)
        } else if case .array(let ms)? = t["messages"] {
            prompt = .messages(try ms.enumerated().map { i, m in
                guard case .table(let mt) = m, let content = mt["content"]?.string else {
                    throw MeasureError.invalidArgument("'messages[\(i + 1)]' must be an object with a string 'content'")
                }
                return ChatMessage(role: mt["role"]?.string ?? "user", content: content)
            })
        } else {
            throw MeasureError.invalidArgument("needs 'prompt' (a string) or 'messages' (a list of {role, content})")
        }
        let maxTokens: Int
        if let v = t["max_tokens"], !v.isNil {
            guard let i = v.integer, i >= 1 else { throw MeasureError.invalidArgument("'max_tokens' must be a whole number of at least 1") }
            maxTokens = i
        } else if let d = defaultMaxTokens {
            maxTokens = d
        } else {
            throw MeasureError.invalidArgument("needs 'max_tokens' (or give a default: workload.jsonl(path, {max_tokens = n}))")
        }
        var expected: String?
        if let e = t["expected"], !e.isNil {
            guard let s = e.string ?? e.number.map({ String($0) }) else { throw MeasureError.invalidArgument("'expected' must be a string") }
            expected = e.integer.map(String.init) ?? s
        }
        var metaValue = t["meta"] ?? .nil
        let kept = declared.sorted().filter { !(t[$0]?.isNil ?? true) }
        if !kept.isEmpty {
            var m: [String: LuaValue] = [:]
            switch metaValue {
            case .nil: break
            case .table(let existing): m = existing
            default: throw MeasureError.invalidArgument("'meta' must be an object when declared fields are kept in it")
            }
            for k in kept { m[k] = t[k] }
            metaValue = .table(m)
        }
        let meta = try metaValue.isNil ? nil : JSON.encode(metaValue)
        var requestClass: String?
        if let c = t["class"], !c.isNil {
            guard let s = c.string, !s.isEmpty else { throw MeasureError.invalidArgument("'class' must be a non-empty string") }
            requestClass = s
        }
        return WorkloadRequest(prompt: prompt, maxTokens: maxTokens, expected: expected, meta: meta, requestClass: requestClass)
    }
}
