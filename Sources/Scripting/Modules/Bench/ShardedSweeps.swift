import Foundation
import LuaBridge
import TeamStore

/// `bench.sweep` and `sim.sweep` in a sharded run (docs/scale.md): which levels this
/// process measures, and the team store ledger around each. The shard, the team store
/// and the sweep id come from the environment (`frontier run --shard/--team/--sweep-id`
/// set it), so a script needs no change to be sharded.
enum ShardedSweeps {
    /// How many sharded sweeps of each id this process began: the n-th sweep call of a
    /// script gets id `ID#n` (n > 1), the same in every shard since they run one script.
    private static let begun = LockedCounts()

    /// The shard's ledger for a sweep call, or nil when the process is not sharded.
    static func open(tag: String?, kind: String, levels: [Double], dbPath: String) throws -> ShardedSweep? {
        let env = ProcessInfo.processInfo.environment
        guard let shard = try Shard.fromEnvironment(env) else { return nil }
        let base = env["FRONTIER_SWEEP_ID"].flatMap { $0.isEmpty ? nil : $0 } ?? tag
        guard let base else {
            throw TeamStoreError.badAddress("a sharded sweep needs a tag (tag = '…') or FRONTIER_SWEEP_ID, so its shards find each other")
        }
        let n = begun.next(base)
        let store = env["FRONTIER_TEAM_STORE"].flatMap { $0.isEmpty ? nil : $0 }
        return try ShardedSweep(shard: shard, sweepID: n == 1 ? base : "\(base)#\(n)", tag: tag, kind: kind, levels: levels,
                                localPath: dbPath, teamStore: store, stopWhen: { LuaVM.interruptPending },
                                say: { FileHandle.standardError.write(Data(($0 + "\n").utf8)) })
    }
}

private final class LockedCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func next(_ key: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        counts[key, default: 0] += 1
        return counts[key] ?? 1
    }
}

extension TeamStoreError: LuaCodedError {
    /// `bad_argument` for a malformed address or shard, `interrupted` for Ctrl-C, else `store`.
    public var luaCode: String {
        switch self {
        case .badAddress: return "bad_argument"
        case .interrupted: return "interrupted"
        default: return "store"
        }
    }
}
