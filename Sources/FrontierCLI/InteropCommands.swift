import ArgumentParser
import Foundation
import Interop
import Runs
import Scripting
import Store

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
        let overrides = RunImport.Overrides(tag: tag, model: model, target: target, concurrency: concurrency)
        for path in files {
            do {
                let runs = try RunImport.file(path, format: format.flatMap(ImportFormat.init(rawValue:)), overrides: overrides,
                                              program: "frontier \(ScriptHost.version)", storePath: store.databasePath)
                for r in runs {
                    print("\(path): run \(r.id) (\(r.tool ?? "?"), \(r.summary?.requests ?? 0) requests)")
                }
            } catch {
                Session.printError("frontier: \(error)")
                throw ExitCode(1)
            }
        }
    }
}

/// `frontier export`: runs or requests as CSV or JSON Lines.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export runs (summary figures) or requests as CSV or JSON Lines, with stable column names (docs/interop.md).")

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("Only runs with this tag: its latest sweep, unless --sweep says otherwise.", valueName: "tag")) var tag: String?
    @Option(help: ArgumentHelp("Which sweep: latest, all, or a sweep id.", valueName: "sweep")) var sweep = "latest"
    @Option(help: ArgumentHelp("runs or requests.", valueName: "what")) var what = "runs"
    @Option(help: ArgumentHelp("csv or jsonl.", valueName: "format")) var format = "csv"
    @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "path")) var out: String?

    func validate() throws {
        guard SweepChoice(text: sweep) != nil else { throw ValidationError("--sweep must be \(SweepChoice.expected), got '\(sweep)'") }
        guard ["runs", "requests"].contains(what) else { throw ValidationError("--what must be runs or requests, got '\(what)'") }
        guard ["csv", "jsonl"].contains(format) else { throw ValidationError("--format must be csv or jsonl, got '\(format)'") }
    }

    func run() throws {
        guard FileManager.default.fileExists(atPath: store.databasePath) else {
            throw ValidationError("no store at '\(store.databasePath)' (give --db)")
        }
        do {
            let text = try RunExport.text(db: Database(path: store.databasePath), tag: tag, sweep: SweepChoice(text: sweep) ?? .latest, runIDs: nil,
                                          what: RunExport.What(rawValue: what) ?? .runs, format: RunExport.Format(rawValue: format) ?? .csv)
            if let out {
                try OutputFile.write(text, to: out)
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        } catch {
            Session.printError("frontier: \(error)")
            throw ExitCode(1)
        }
    }
}
