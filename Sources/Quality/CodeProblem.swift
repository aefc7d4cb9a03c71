import Foundation

/// One HumanEval-format problem: a function's signature and docstring (`prompt`), a
/// reference body (`canonical_solution`), a `check(candidate)` function (`test`) and the
/// function's name (`entry_point`).
public struct CodeProblem: Sendable, Equatable, Codable {
    public let taskID: String
    public let prompt: String
    public let canonicalSolution: String
    public let test: String
    public let entryPoint: String

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id", prompt, canonicalSolution = "canonical_solution", test, entryPoint = "entry_point"
    }

    public init(taskID: String, prompt: String, canonicalSolution: String, test: String, entryPoint: String) {
        self.taskID = taskID
        self.prompt = prompt
        self.canonicalSolution = canonicalSolution
        self.test = test
        self.entryPoint = entryPoint
    }

    /// Reads one JSON object a line; a file ending in `.gz` (or starting with gzip's magic
    /// bytes) is decompressed with `gzip -dc` first. Errors name the file, the line and the field.
    public static func read(path: String) throws -> [CodeProblem] {
        var data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw QualityError.invalid(name: path, expected: "a readable HumanEval JSONL file", got: "\((error as NSError).localizedDescription)")
        }
        if data.starts(with: [0x1f, 0x8b]) { data = try gunzip(path) }
        return try parse(data, source: path)
    }

    /// One problem per non-empty line of `data`; `source` names the input in messages.
    public static func parse(_ data: Data, source: String) throws -> [CodeProblem] {
        var out: [CodeProblem] = []
        for (n, line) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let where_ = "\(source) line \(n + 1)"
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) else {
                throw QualityError.invalid(name: where_, expected: "a JSON object", got: "text that is not JSON")
            }
            guard let o = object as? [String: Any] else {
                throw QualityError.invalid(name: where_, expected: "a JSON object", got: object is [Any] ? "an array" : "a \(type(of: object))")
            }
            func field(_ key: String, required: Bool = true) throws -> String {
                guard let v = o[key] else {
                    if required { throw QualityError.invalid(name: "\(where_) field '\(key)'", expected: "a string", got: "nothing") }
                    return ""
                }
                guard let s = v as? String else { throw QualityError.invalid(name: "\(where_) field '\(key)'", expected: "a string", got: "\(type(of: v))") }
                return s
            }
            let entry = try field("entry_point")
            guard !entry.isEmpty, entry.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw QualityError.invalid(name: "\(where_) field 'entry_point'", expected: "a Python function name", got: "'\(entry)'")
            }
            out.append(CodeProblem(taskID: try field("task_id"), prompt: try field("prompt"),
                                   canonicalSolution: try field("canonical_solution", required: false),
                                   test: try field("test"), entryPoint: entry))
        }
        guard !out.isEmpty else { throw QualityError.invalid(name: source, expected: "at least one problem", got: "none") }
        return out
    }

    static func gunzip(_ path: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exec gzip -dc -- \"$0\"", path]
        let pipe = Pipe(), err = Pipe()
        p.standardOutput = pipe
        p.standardError = err
        do { try p.run() } catch {
            throw QualityError.invalid(name: path, expected: "a gzip file (gzip must be installed)", got: "\(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw QualityError.invalid(name: path, expected: "a gzip file", got: message.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return data
    }

    /// The code in a response: the first fenced block (```python … ``` or ``` … ```) when
    /// there is one (chat models wrap code so), else the whole response.
    public static func code(in response: String) -> String {
        guard let open = response.range(of: "```") else { return response }
        var start = open.upperBound
        // Skip the fence's language tag up to the end of its line.
        if let nl = response[start...].firstIndex(of: "\n") {
            let tag = response[start..<nl].trimmingCharacters(in: .whitespaces)
            if tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) { start = response.index(after: nl) }
        }
        let end = response.range(of: "```", range: start..<response.endIndex)?.lowerBound ?? response.endIndex
        return String(response[start..<end])
    }

    /// The file the sandbox runs: the prompt, the completion's code, the tests and
    /// `check(entry_point)`. A completion that repeats the whole function (`def name(`)
    /// simply redefines it after the prompt's docstring-only definition.
    public func program(completion: String) -> String {
        let code = Self.code(in: completion)
        return prompt + code + "\n\n" + test + "\n\ncheck(\(entryPoint))\n"
    }
}
