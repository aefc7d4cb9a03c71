import Foundation

/// The Azure LLM inference traces (github.com/Azure/AzurePublicDataset: AzureLLMInferenceTrace
/// 2023 and 2024): CSV with a header `TIMESTAMP,ContextTokens,GeneratedTokens`, one row
/// per request, lengths but no text.
public enum AzureTrace {
    /// One request of the trace.
    public struct Row: Sendable, Equatable {
        public var timestamp: Double
        public var contextTokens: Int
        public var generatedTokens: Int
    }

    static let required = ["TIMESTAMP", "ContextTokens", "GeneratedTokens"]

    /// Reads the file. Columns other than the three are an error unless named in
    /// `declared` (then ignored). A bad row is an error naming the file, line and column.
    public static func read(path: String, declared: Set<String> = []) throws -> [Row] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw MeasureError.cannotRead(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(String(decoding: data, as: UTF8.self), path: path, declared: declared)
    }

    /// Parses CSV text (`path` names it in errors).
    public static func parse(_ text: String, path: String, declared: Set<String> = []) throws -> [Row] {
        // "\r\n" is one Character in Swift: a line ends at either.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw MeasureError.workloadFile(path: path, line: 1, reason: "the file is empty") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        for (i, name) in names.enumerated() {
            guard let known = required.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) else {
                if declared.contains(name) { continue }
                throw MeasureError.workloadFile(path: path, line: 1, reason: "unknown column '\(name)' (an Azure LLM trace has "
                    + "\(required.joined(separator: ", ")); declare other columns with fields = {...})")
            }
            column[known] = i
        }
        for name in required where column[name] == nil {
            throw MeasureError.workloadFile(path: path, line: 1, reason: "no column '\(name)' (expected the header \(required.joined(separator: ",")))")
        }
        var rows: [Row] = []
        rows.reserveCapacity(lines.count - 1)
        for (n, line) in lines.enumerated().dropFirst() {
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            guard cells.count == names.count else {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "\(cells.count) columns, expected \(names.count)")
            }
            func cell(_ name: String) -> String { cells[column[name] ?? 0].trimmingCharacters(in: .whitespaces) }
            guard let t = TraceTimestamp.parse(cell("TIMESTAMP")) else {
                throw MeasureError.workloadFile(path: path, line: n + 1, reason: "TIMESTAMP '\(cell("TIMESTAMP"))' is not a time (YYYY-MM-DD HH:MM:SS.fraction or seconds)")
            }
            func count(_ name: String, min: Int) throws -> Int {
                guard let v = Int(cell(name)), v >= min, v <= 10_000_000 else {
                    throw MeasureError.workloadFile(path: path, line: n + 1, reason: "\(name) '\(cell(name))' must be a whole number from \(min) to 10000000")
                }
                return v
            }
            rows.append(Row(timestamp: t, contextTokens: try count("ContextTokens", min: 1), generatedTokens: try count("GeneratedTokens", min: 0)))
        }
        guard !rows.isEmpty else { throw MeasureError.workloadFile(path: path, line: 2, reason: "no requests in the file") }
        return rows
    }
}
