import ArgumentParser
import Foundation
import Scripting
import TeamStore

/// Options every command shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The results store (SQLite file).", valueName: "path"))
    var db: String?

    @Flag(name: .long, help: "No progress lines while runs go.")
    var quiet = false

    /// `--db`, else FRONTIER_DB, else ./frontier.db.
    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["FRONTIER_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "frontier.db"
    }
}

struct Frontier: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "frontier",
        abstract: "Measure LLM inference servers, cost what you measured, find the quality-vs-cost frontier.",
        discussion: """
            With no arguments, starts the REPL on the store. `frontier FILE [ARGS...]` runs a
            Lua script (so `#!/usr/bin/env frontier` works); the script sees ARGS in `arg`.
            Exit status: 0 on success, 1 when the script raised an error, 2 on a usage error,
            75 when a sharded sweep's runs stayed local because the team store was out of reach
            (docs/scale.md), 128 + the signal when stopped by one (130 Ctrl-C, 143 SIGTERM, 129
            SIGHUP); a run stopped that way keeps its finished requests and summary
            (docs/reliability.md).
            """,
        version: ScriptHost.version,
        subcommands: [Run.self, Serve.self, Compare.self, ReportCommand.self, ImportCommand.self, ExportCommand.self, Push.self, Pull.self, SweepCommand.self, Doc.self, CoreBench.self])

    @OptionGroup var store: StoreOptions

    @Option(name: .customShort("e"), help: ArgumentHelp("Run CODE (may be repeated; runs before the REPL or exits).", valueName: "code"))
    var execute: [String] = []

    @Flag(name: .customShort("i"), help: "Enter the REPL after running -e code.")
    var interactive = false

    func run() throws {
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: nil, quiet: store.quiet)
        defer { host.close() }
        try host.setArguments(script: "", arguments: [], interpreter: ["frontier"])
        for code in execute {
            try Session.report { try host.runCode(code) }
        }
        if execute.isEmpty || interactive {
            let status = REPL(host: host).run()
            if status != 0 { throw ExitCode(status) }
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua script; ARGS are in the global `arg` and in `...`.")

    @OptionGroup var store: StoreOptions

    @Argument(help: ArgumentHelp("The Lua script.", valueName: "file"))
    var script: String

    @Option(help: ArgumentHelp("Run only shard I of N (0-based) of each bench.sweep / sim.sweep (docs/scale.md); also FRONTIER_SHARD, Slurm's and Kubernetes' index variables.", valueName: "I/N"))
    var shard: String?

    @Option(help: ArgumentHelp("The team store a sharded sweep reports to (FRONTIER_TEAM_STORE).", valueName: "url"))
    var team: String?

    @Option(name: .customLong("sweep-id"), help: ArgumentHelp("The id the shards of a sweep share (FRONTIER_SWEEP_ID; default: the tag).", valueName: "id"))
    var sweepID: String?

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script (--shard, --team and --sweep-id after the script are frontier's).", valueName: "args"))
    var arguments: [String] = []

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: script) else {
            throw ValidationError("cannot read script '\(script)' (no such file, or not readable)")
        }
        // The sharding options reach bench.sweep / sim.sweep through the environment, as a
        // scheduler's variables do. After the script they are still frontier's.
        var arguments = self.arguments
        var given: [String: String?] = ["FRONTIER_SHARD": shard, "FRONTIER_TEAM_STORE": team, "FRONTIER_SWEEP_ID": sweepID]
        for (flag, name) in [("--shard", "FRONTIER_SHARD"), ("--team", "FRONTIER_TEAM_STORE"), ("--sweep-id", "FRONTIER_SWEEP_ID")] {
            if let i = arguments.firstIndex(of: flag) {
                guard i + 1 < arguments.count else { throw ValidationError("\(flag) needs a value") }
                given[name] = arguments[i + 1]
                arguments.removeSubrange(i...(i + 1))
            }
        }
        if let s = given["FRONTIER_SHARD"] ?? nil {
            do { _ = try Shard(parsing: s) } catch { throw ValidationError("\(error)") }
        }
        for (name, value) in given { if let value { setenv(name, value, 1) } }
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: script, quiet: store.quiet)
        defer { host.close() }
        try host.setArguments(script: script, arguments: arguments, interpreter: ["frontier"])
        try Session.report { try host.runFile(script, arguments: arguments) }
        // --team was put in the environment above, so this reads it either way.
        try Self.failIfUnpushed(team: ProcessInfo.processInfo.environment["FRONTIER_TEAM_STORE"])
    }

    /// Exit status of a sharded run whose runs stayed local because the team store was out of
    /// reach: EX_TEMPFAIL (sysexits.h), "try again later", so a scheduler retries the shard
    /// rather than count it done and discard its scratch file (docs/scale.md).
    static let unpushedStatus: Int32 = 75

    private static func failIfUnpushed(team: String?) throws {
        let left = UnpushedRuns.shared.all
        guard !left.isEmpty else { return }
        let store = team.flatMap { try? TeamAddress($0).display } ?? "the team store"
        for (path, runs) in Dictionary(grouping: left, by: \.path).sorted(by: { $0.key < $1.key }) {
            Session.printError("frontier: \(runs.count) run\(runs.count == 1 ? "" : "s") of a sharded sweep (run \(runs.map { String($0.runID) }.joined(separator: ", "))) "
                               + "stayed only in \(path): the team store was out of reach; push with: frontier push --db \(path) --to \(store)")
        }
        Session.printError("frontier: exit status \(unpushedStatus): runs not in the team store yet, so a scheduler retries this shard")
        throw ExitCode(unpushedStatus)
    }
}

struct Doc: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Lua API reference (docs/lua-api.md) from the bindings' own help.")

    func run() throws {
        let host = try Session.makeHost(databasePath: ":memory:", scriptPath: nil, quiet: true)
        defer { host.close() }
        print(try host.apiMarkdown(), terminator: "")
    }
}
