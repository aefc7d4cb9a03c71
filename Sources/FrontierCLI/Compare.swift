import ArgumentParser
import Foundation
import LuaBridge
import Scripting

/// `frontier compare A B`: two stored runs side by side (bench.compare, printed by stdlib/compare.lua).
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two stored runs: every summary figure with its change, and latency differences beyond noise.",
        discussion: """
            With --gpu (a preset, with --gpus) or --hourly (dollars per GPU-hour), cost figures \
            are compared too. A latency difference is "beyond noise" when the bootstrap interval \
            of the difference (per-request TTFT, TPOT, E2E; mean and median) excludes zero.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The first run's id (the baseline).", valueName: "run_a")) var a: Int
    @Argument(help: ArgumentHelp("The second run's id.", valueName: "run_b")) var b: Int
    @Option(help: ArgumentHelp("A GPU preset to cost both runs on (e.g. A800).", valueName: "name")) var gpu: String?
    @Option(help: ArgumentHelp("GPUs, with --gpu or --hourly.", valueName: "n")) var gpus = 1
    @Option(help: .hidden) var count: Int?
    @Option(help: ArgumentHelp("Dollars per GPU-hour, instead of --gpu.", valueName: "dollars")) var hourly: Double?

    func validate() throws {
        guard gpus >= 1, (count ?? 1) >= 1 else { throw ValidationError("--gpus must be at least 1") }
        if gpu != nil, hourly != nil { throw ValidationError("give --gpu or --hourly, not both") }
        if let hourly, !(hourly >= 0 && hourly.isFinite) { throw ValidationError("--hourly must be a number ≥ 0") }
    }

    func run() throws {
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: nil, quiet: true)
        defer { host.close() }
        let options: [String: LuaValue] = [
            "a": .int(a), "b": .int(b), "gpu": gpu.map(LuaValue.string) ?? .nil, "hourly": hourly.map(LuaValue.double) ?? .nil,
            "gpus": .int(Session.gpus(gpus, deprecatedCount: count)),
        ]
        try Session.report { try host.call(module: "cli", "compare", options.filter { !$0.value.isNil }) }
    }
}
