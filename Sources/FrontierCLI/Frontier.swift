import ArgumentParser
import Foundation
import Scripting

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
            128 + the signal when stopped by one (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP); a run
            stopped that way keeps its finished requests and summary (docs/reliability.md).
            """,
        version: ScriptHost.version,
        subcommands: [Run.self, Serve.self, Compare.self, ReportCommand.self, ImportCommand.self, ExportCommand.self, Doc.self, CoreBench.self])

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

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("Arguments for the script.", valueName: "args"))
    var arguments: [String] = []

    func run() throws {
        guard FileManager.default.isReadableFile(atPath: script) else {
            throw ValidationError("cannot read script '\(script)' (no such file, or not readable)")
        }
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: script, quiet: store.quiet)
        defer { host.close() }
        try host.setArguments(script: script, arguments: arguments, interpreter: ["frontier"])
        try Session.report { try host.runFile(script, arguments: arguments) }
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
