import Foundation

/// Execution scoring: a response scores 1 when its code, run with the problem's tests
/// in a ``CodeSandbox``, passes. The problem travels in the request's expected answer as
/// JSON (`task_id`, `prompt`, `test`, `entry_point`), so a stored run can be re-scored
/// without the original file.
public struct CodeScorer: Sendable {
    public static let version = 1
    public let sandbox: CodeSandbox

    public init(sandbox: CodeSandbox) { self.sandbox = sandbox }

    /// The expected answer a code request carries: the problem without its solution.
    public static func expected(for p: CodeProblem) -> String {
        let o: [String: String] = ["task_id": p.taskID, "prompt": p.prompt, "test": p.test, "entry_point": p.entryPoint]
        let data = (try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The problem back from an expected answer; throws naming what is missing.
    public static func problem(fromExpected text: String) throws -> CodeProblem {
        let problems = try CodeProblem.parse(Data(text.utf8), source: "the expected answer")
        guard problems.count == 1, let p = problems.first else {
            throw QualityError.invalid(name: "the expected answer", expected: "one HumanEval problem as JSON", got: "\(problems.count)")
        }
        return p
    }

    /// Runs the response; a missing response or expected answer is an error outcome.
    public func score(response: String?, expected: String?, stop: () -> Bool = { false }) -> CodeOutcome {
        guard let response else {
            return CodeOutcome(kind: .error, output: "no response", exitStatus: nil, elapsed: 0, networkIsolated: false)
        }
        let problem: CodeProblem
        do {
            guard let expected else { throw QualityError.invalid(name: "the expected answer", expected: "present", got: "nothing") }
            problem = try Self.problem(fromExpected: expected)
        } catch {
            return CodeOutcome(kind: .error, output: "\(error)", exitStatus: nil, elapsed: 0, networkIsolated: false)
        }
        return sandbox.run(problem.program(completion: response), stop: stop)
    }

    /// An outcome as the JSON stored in `request_scores.detail`.
    public static func detail(_ o: CodeOutcome, taskID: String?) -> String {
        var d: [String: Any] = ["version": version, "outcome": o.kind.rawValue, "output": o.output,
                                "elapsed": (o.elapsed * 1000).rounded() / 1000, "network_isolated": o.networkIsolated]
        if let s = o.exitStatus { d["exit_status"] = Int(s) }
        if let taskID { d["task_id"] = taskID }
        let data = (try? JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
