import Foundation

/// This process's share of a sharded sweep: shard `index` of `count` (0-based) measures
/// the levels whose position k in the sweep's list has k % count == index. Read from
/// `--shard I/N` (the CLI puts it in `FRONTIER_SHARD`), `FRONTIER_SHARD=I/N`, a Slurm job
/// array (`SLURM_ARRAY_TASK_ID` of `FRONTIER_SHARD_COUNT`, so a task re-run alone keeps its
/// shard) or a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX` of `FRONTIER_SHARD_COUNT`).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1, (0..<count).contains(index) else {
            throw TeamStoreError.badAddress("shard \(index)/\(count) is not a shard: expected I/N with N ≥ 1 and 0 ≤ I < N (0-based)")
        }
        self.index = index
        self.count = count
    }

    /// Reads `I/N`.
    public init(parsing text: String, from source: String = "--shard") throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else {
            throw TeamStoreError.badAddress("\(source) '\(text)' is not a shard: expected I/N, e.g. 0/4 (0-based index of N shards)")
        }
        do { try self.init(index: i, count: n) } catch {
            throw TeamStoreError.badAddress("\(source) '\(text)': expected I/N with N ≥ 1 and 0 ≤ I < N (0-based)")
        }
    }

    /// This process's shard from the environment, or nil when the sweep is not sharded.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Shard? {
        if let s = env["FRONTIER_SHARD"], !s.isEmpty { return try Shard(parsing: s, from: "FRONTIER_SHARD") }
        // A Slurm array task's own variables describe only the array submitted: `sbatch --array=3`
        // re-running one task sees TASK_MIN 3 and TASK_COUNT 1, so they cannot say how many shards
        // the sweep has. The count is the job script's, as for Kubernetes; the index is the task id.
        if let id = env["SLURM_ARRAY_TASK_ID"] {
            guard let countText = env["FRONTIER_SHARD_COUNT"], !countText.isEmpty else {
                throw TeamStoreError.badAddress("SLURM_ARRAY_TASK_ID is set but FRONTIER_SHARD_COUNT is not: export it in the job script "
                                                + "as the number of shards N of an array --array=0-(N-1), or set FRONTIER_SHARD=I/N (0/1: this task measures every level)")
            }
            guard let task = Int(id), let count = Int(countText) else {
                throw TeamStoreError.badAddress("SLURM_ARRAY_TASK_ID '\(id)' / FRONTIER_SHARD_COUNT '\(countText)' are not whole numbers")
            }
            do { return try Shard(index: task, count: count) } catch {
                throw TeamStoreError.badAddress("Slurm array task \(task) is not a shard of \(count): number the array from 0, e.g. --array=0-\(max(0, count - 1))")
            }
        }
        if let id = env["JOB_COMPLETION_INDEX"] {
            guard let countText = env["FRONTIER_SHARD_COUNT"] else {
                throw TeamStoreError.badAddress("JOB_COMPLETION_INDEX is set but FRONTIER_SHARD_COUNT is not: set it to the Job's completions")
            }
            guard let i = Int(id), let n = Int(countText) else {
                throw TeamStoreError.badAddress("JOB_COMPLETION_INDEX '\(id)' / FRONTIER_SHARD_COUNT '\(countText)' are not whole numbers")
            }
            return try Shard(index: i, count: n)
        }
        return nil
    }

    /// Whether the level at position `k` of the sweep's list is this shard's.
    public func owns(_ k: Int) -> Bool { k % count == index }

    public var description: String { "\(index)/\(count)" }
}
