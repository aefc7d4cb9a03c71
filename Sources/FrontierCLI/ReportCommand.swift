import ArgumentParser
import Foundation
import LuaBridge
import Runs
import Scripting

/// `frontier report`: the HTML report of stored runs, from the shell.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML report of stored runs (runs table, charts, SLA verdicts, costs, provenance).")

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only runs with this tag: its latest sweep, unless --sweep says otherwise (default: every run).", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Which sweep: latest, all, or a sweep id (bench.sweeps lists them).", valueName: "sweep")) var sweep: String?
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "path")) var out = "frontier-report.html"
    @Option(help: ArgumentHelp("A GPU preset to cost the runs on (e.g. A800).", valueName: "name")) var gpu: String?
    @Option(help: ArgumentHelp("GPUs, with --gpu or --hourly.", valueName: "n")) var gpus = 1
    @Option(help: .hidden) var count: Int?
    @Option(help: ArgumentHelp("Dollars per GPU-hour, instead of --gpu.", valueName: "dollars")) var hourly: Double?
    @Option(help: ArgumentHelp("SLA clauses to judge runs by, e.g. ttft_p50=1,tokens_per_s_mean=20.", valueName: "clauses")) var sla: String?
    @Option(help: ArgumentHelp("The report's title.", valueName: "text")) var title: String?
    @Flag(help: "Print each sweep's answer (the report's first section) instead of writing the HTML file.") var summary = false

    func validate() throws {
        if let sweep, SweepChoice(text: sweep) == nil { throw ValidationError("--sweep must be \(SweepChoice.expected), got '\(sweep)'") }
        guard gpus >= 1, (count ?? 1) >= 1 else { throw ValidationError("--gpus must be at least 1") }
        if gpu != nil, hourly != nil { throw ValidationError("give --gpu or --hourly, not both") }
        if let hourly, !(hourly >= 0 && hourly.isFinite) { throw ValidationError("--hourly must be a number ≥ 0") }
        if let sla {
            for clause in sla.split(separator: ",") {
                let kv = clause.split(separator: "=")
                guard kv.count == 2, Double(kv[1]) != nil else {
                    throw ValidationError("--sla: '\(clause)' is not NAME=NUMBER (e.g. ttft_p50=1)")
                }
            }
        }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.databasePath) else {
            throw ValidationError("no store at '\(store.databasePath)' (give --db)")
        }
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: nil, quiet: true)
        defer { host.close() }
        var clauses: [String: LuaValue] = [:]
        for clause in (sla ?? "").split(separator: ",") {
            let kv = clause.split(separator: "=")
            if kv.count == 2, let d = Double(kv[1]) { clauses[String(kv[0])] = .double(d) }
        }
        let options: [String: LuaValue] = [
            "tag": tag.map(LuaValue.string) ?? .nil, "sweep": sweep.map(LuaValue.string) ?? .nil, "out": .string(out), "gpu": gpu.map(LuaValue.string) ?? .nil,
            "hourly": hourly.map(LuaValue.double) ?? .nil, "gpus": .int(Session.gpus(gpus, deprecatedCount: count)),
            "sla": clauses.isEmpty ? .nil : .table(clauses), "title": title.map(LuaValue.string) ?? .nil,
            "summary": .bool(summary),
        ]
        try Session.report { try host.call(module: "cli", "report", options.filter { !$0.value.isNil }) }
    }
}
