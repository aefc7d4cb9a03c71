import Foundation

/// A foreign result format frontier can import.
public enum ImportFormat: String, Sendable, CaseIterable {
    /// vLLM's `bench serve` (`benchmarks/benchmark_serving.py`) result JSON.
    case vllm
    /// guidellm's benchmark report JSON (one or more benchmarks).
    case guidellm
    /// NVIDIA aiperf's per-request export, `profile_export.jsonl`.
    case aiperf
    /// frontier's own requests export (`frontier export --what requests --format jsonl`).
    case frontier

    /// A short description naming the file and its telltale keys, for error messages.
    public var label: String {
        switch self {
        case .vllm: return "vllm (bench serve result JSON: duration, completed, …)"
        case .guidellm: return "guidellm (benchmark report JSON: benchmarks[…])"
        case .aiperf: return "aiperf (profile_export.jsonl: one {metadata, metrics, error} per line)"
        case .frontier: return "frontier (its own requests export: one {run_id, idx, sent, …} per line)"
        }
    }

    /// Imports every run in `data`. Throws ``InteropError`` naming the first wrong
    /// field; nothing is returned unless the whole file parsed.
    public func importRuns(from data: Data) throws -> [ImportedRun] {
        let runs: [ImportedRun]
        switch self {
        case .vllm: runs = [try VLLMBenchResult.importRun(from: data)]
        case .guidellm: runs = try GuideLLMReport.importRuns(from: data)
        case .aiperf: runs = [try AIPerfExport.importRun(from: data)]
        case .frontier: runs = try FrontierRequests.importRuns(from: data)
        }
        for run in runs { try run.validate(format: rawValue) }
        return runs
    }
}
