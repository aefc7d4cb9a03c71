import Foundation

/// Tells which foreign format a file is in, from its content (and its name for
/// JSON Lines), so `frontier import FILE` needs no `--format`.
public enum FormatDetector {
    /// The format of `data`, or ``InteropError/unknownFormat(filename:known:detail:)``
    /// listing the known formats.
    ///
    /// - a JSON object with `benchmarks` → guidellm;
    /// - a JSON object with `duration` and `completed` → vllm;
    /// - a JSON object with `metadata` and `metrics` or `error` (the whole file, or the
    ///   first non-empty line of a JSON Lines file) → aiperf;
    /// - `run_id`, `idx` and `sent` (frontier's own requests export) → frontier.
    public static func detect(data: Data, filename: String? = nil) throws -> ImportFormat {
        if let value = try? JSONValue.parse(data, format: "detect"), case let .object(members) = value {
            if let format = classify(members) { return format }
            throw unknown(filename, "a JSON object with none of the telltale keys (top-level keys: "
                          + members.keys.sorted().prefix(8).joined(separator: ", ") + ")")
        }
        // JSON Lines: judge by the first non-empty line.
        let text = String(decoding: data, as: UTF8.self)
        let firstLine = text.split(separator: "\n").first {
            !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        if let firstLine, let value = try? JSONValue.parse(Data(firstLine.utf8), format: "detect"),
           case let .object(members) = value, let format = classify(members), format == .aiperf || format == .frontier {
            return format
        }
        let isJSONLines = filename.map { $0.hasSuffix(".jsonl") } ?? false
        throw unknown(filename, isJSONLines ? "the first line is not an aiperf record"
                                            : "not a JSON object nor JSON Lines")
    }

    private static func classify(_ members: [String: JSONValue]) -> ImportFormat? {
        if members["benchmarks"] != nil { return .guidellm }
        if members["duration"] != nil, members["completed"] != nil { return .vllm }
        if members["metadata"] != nil, members["metrics"] != nil || members["error"] != nil {
            return .aiperf
        }
        if members["run_id"] != nil, members["idx"] != nil, members["sent"] != nil { return .frontier }
        return nil
    }

    private static func unknown(_ filename: String?, _ detail: String) -> InteropError {
        .unknownFormat(filename: filename, known: ImportFormat.allCases.map(\.label), detail: detail)
    }
}
