import Quality

/// The reference solutions the test server is given to stand in for a model on code
/// problems (`bench.test_server{ solutions = }`, `frontier serve --solutions`).
public enum StandInSolutions {
    /// prompt → canonical solution of every problem in a HumanEval-format file (JSONL,
    /// optionally gzipped); throws a message naming the file, line and field.
    public static func load(path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for p in try CodeProblem.read(path: path) { out[p.prompt] = p.canonicalSolution }
        return out
    }
}
