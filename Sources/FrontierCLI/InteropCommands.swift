import ArgumentParser
import Foundation
import LuaBridge
import Scripting

/// `frontier import FILE...`: other tools' results into the store.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import vLLM bench serve, guidellm or aiperf results (or frontier's own requests export) as runs.",
        discussion: "The format is detected from each file's content unless --format names it. A file that does not match imports nothing; the error names the first wrong field.")

    @OptionGroup var store: StoreOptions
    @Argument(help: ArgumentHelp("Result files.", valueName: "file")) var files: [String]
    @Option(help: ArgumentHelp("vllm, guidellm, aiperf or frontier.", valueName: "format")) var format: String?
    @Option(help: ArgumentHelp("Tag for the imported runs.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("The model, when the file does not say.", valueName: "name")) var model: String?
    @Option(help: ArgumentHelp("The target (server URL), when the file does not say.", valueName: "url")) var target: String?
    @Option(help: ArgumentHelp("The concurrency, when the file does not say.", valueName: "n")) var concurrency: Int?

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file to import") }
        if let format, !["vllm", "guidellm", "aiperf", "frontier"].contains(format) {
            throw ValidationError("--format must be vllm, guidellm, aiperf or frontier, got '\(format)'")
        }
    }

    func run() throws {
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: nil, quiet: true)
        defer { host.close() }
        let options: [String: LuaValue] = ["format": format.map(LuaValue.string) ?? .nil, "tag": tag.map(LuaValue.string) ?? .nil,
                                           "model": model.map(LuaValue.string) ?? .nil, "target": target.map(LuaValue.string) ?? .nil,
                                           "concurrency": concurrency.map(LuaValue.int) ?? .nil]
        try host.vm.setGlobal("import_options", .table(options.filter { !$0.value.isNil }))
        try host.vm.setGlobal("import_files", .array(files.map(LuaValue.string)))
        try Session.report {
            try host.runCode("""
                for _, path in ipairs(import_files) do
                  local runs = import.file(path, import_options)
                  for _, r in ipairs(runs) do
                    print(string.format("%s: run %d (%s, %d requests)", path, r.run_id, r.settings.tool, r.count or 0))
                  end
                end
                """, chunkName: "=import")
        }
    }
}

/// `frontier export`: runs or requests as CSV or JSON Lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export runs (summary figures) or requests as CSV or JSON Lines, with stable column names (docs/interop.md).")

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only runs with this tag.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("runs or requests.", valueName: "what")) var what = "runs"
    @Option(help: ArgumentHelp("csv or jsonl.", valueName: "format")) var format = "csv"
    @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "path")) var out: String?

    func validate() throws {
        guard ["runs", "requests"].contains(what) else { throw ValidationError("--what must be runs or requests, got '\(what)'") }
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl, got '\(format)'") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.databasePath) else {
            throw ValidationError("no store at '\(store.databasePath)' (give --db)")
        }
        let host = try Session.makeHost(databasePath: store.databasePath, scriptPath: nil, quiet: true)
        defer { host.close() }
        let options: [String: LuaValue] = ["tag": tag.map(LuaValue.string) ?? .nil, "what": .string(what),
                                           "format": .string(format), "out": out.map(LuaValue.string) ?? .nil]
        try host.vm.setGlobal("export_options", .table(options.filter { !$0.value.isNil }))
        try Session.report {
            try host.runCode("""
                local text = bench.export(export_options)
                if not export_options.out then io.write(text) end
                """, chunkName: "=export")
        }
    }
}
