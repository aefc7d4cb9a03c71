import Foundation
import Metrics

/// frontier's own requests export (JSON Lines, `RequestExport` columns) read back:
/// one `ImportedRun` per `run_id`, its records rebuilt and summarised again, so an
/// exported run imported back has the same figures.
public enum FrontierRequests {
    public static func importRuns(from data: Data) throws -> [ImportedRun] {
        guard let text = String(data: data, encoding: .utf8) else {
            throw InteropError.notJSON(format: "frontier", line: nil, detail: "not UTF-8 text")
        }
        var byRun: [Int: [RequestRecord]] = [:]
        var order: [Int] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            // JSONDecoder reads doubles exactly (JSONSerialization on Linux may not), so
            // an exported run comes back bit for bit.
            guard case .object(let object) = try JSONValue.parse(Data(trimmed.utf8), format: "frontier", line: n + 1) else {
                throw InteropError.notJSON(format: "frontier", line: n + 1, detail: "not a JSON object")
            }
            func field(_ key: String) -> String { "line \(n + 1).\(key)" }
            func number(_ key: String) throws -> Double? {
                switch object[key] {
                case nil, .null?: return nil
                case .int(let i)?: return Double(i)
                case .double(let d)?: return d
                case let other?: throw InteropError.invalidField(format: "frontier", path: field(key), expected: "a number", found: other.summary)
                }
            }
            func string(_ key: String) -> String? { if case .string(let s)? = object[key] { return s } else { return nil } }
            guard let run = try number("run_id").map(Int.init), let idx = try number("idx").map(Int.init),
                  let sent = try number("sent") else {
                throw InteropError.invalidField(format: "frontier", path: field("run_id/idx/sent"), expected: "numbers", found: "missing")
            }
            guard let status = string("status").flatMap(RequestStatus.init(rawValue:)) else {
                throw InteropError.invalidField(format: "frontier", path: field("status"), expected: "ok, error or truncated",
                                                found: string("status") ?? "nothing")
            }
            var chunks: [Double] = []
            if case .array(let items)? = object["chunk_times"] {
                chunks = items.compactMap { item -> Double? in
                    switch item {
                    case .int(let i): return Double(i)
                    case .double(let d): return d
                    default: return nil
                    }
                }
            }
            let record = RequestRecord(
                index: idx, intended: try number("intended"), sent: sent, firstToken: try number("first_token"),
                ended: try number("ended"), chunkTimes: chunks, inputTokens: try number("input_tokens").map(Int.init),
                outputTokens: try number("output_tokens").map(Int.init), tokensApproximate: object["tokens_approx"] == .bool(true),
                httpStatus: try number("http_status").map(Int.init), status: status,
                errorKind: string("error_kind").flatMap(ErrorKind.init(rawValue:)), error: string("error"),
                response: string("response"), maxTokens: try number("max_tokens").map(Int.init))
            if byRun[run] == nil { order.append(run) }
            byRun[run, default: []].append(record)
        }
        guard !order.isEmpty else {
            throw InteropError.invalidField(format: "frontier", path: "line 1", expected: "at least one request", found: "none")
        }
        return order.map { id in
            let records = (byRun[id] ?? []).sorted { $0.index < $1.index }
            return ImportedRun(tool: "frontier", settings: ["exported_run_id": String(id)],
                               summary: RunSummary(records: records), records: records,
                               notes: ["frontier's own export: figures recomputed from the requests"])
        }
    }
}
