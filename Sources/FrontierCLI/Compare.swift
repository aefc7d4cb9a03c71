import ArgumentParser
import Foundation
import LuaBridge
import Scripting

/// `frontier compare A B`: two stored runs side by side (bench.compare, printed by stdlib/compare.lua).
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two stored runs: every summary figure with its change, and latency differences beyond noise.",
        discussion: """
            With --gpu (a preset, with --count) or --hourly (dollars per GPU-hour), cost figures \
            are compared too. A latency difference is "beyond noise" when the bootstrap interval \
            of the difference (per-request TTFT, TPOT, E2E; mean and median) excludes zero.
            """)

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("The first run's id (the baseline).", valueName: "run_a")) var a: Int
    @Argument(help: ArgumentHelp("The second run's id.", valueName: "run_b")) var b: Int
    @Option(help: ArgumentHelp("A GPU preset to cost both runs on (e.g. A800).", valueName: "name")) var gpu: String?
    @Option(help: ArgumentHelp("GPUs, with --gpu or --hourly.", valueName: "n")) var count = 1
    @Option(help: ArgumentHelp("Dollars per GPU-hour, instead of --gpu.", valueName: "dollars")) var hourly: Double?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        if gpu != nil, hourly != nil { throw ValidationError("give --gpu or --hourly, not both") }
        if let hourly, !(hourly >= 0 && hourly.isFinite) { throw ValidationError("--hourly must be a number ≥ 0") }
    }

    func run() throws {
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: nil, quiet: true)
        defer { host.close() }
        var hardware = "nil"
        if gpu != nil { hardware = "cost.gpu{ name = gpu, count = count }" }
        if hourly != nil { hardware = "cost.cloud{ hourly = hourly, count = count }" }
        try host.vm.setGlobal("gpu", gpu.map(LuaValue.string) ?? .nil)
        try host.vm.setGlobal("hourly", hourly.map(LuaValue.double) ?? .nil)
        try host.vm.setGlobal("count", .int(count))
        try Session.report {
            try host.runCode("""
                local a, b = bench.load(\(a)), bench.load(\(b))
                print(string.format("run %d (a) vs run %d (b)", a.run_id, b.run_id))
                print(require('compare').format(bench.compare(a, b, { hardware = \(hardware) }), "a", "b"))
                """, chunkName: "=compare")
        }
    }
}
