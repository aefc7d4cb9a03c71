import ArgumentParser
import Foundation

/// `frontier FILE ARGS...` means `frontier run FILE ARGS...`, so scripts can
/// start with `#!/usr/bin/env frontier`. Options before FILE stay where they are.
func normalizedArguments(_ argv: [String]) -> [String] {
    let subcommands = Set(Frontier.configuration.subcommands.map { $0._commandName } + ["help"])
    let optionsWithValue: Set<String> = ["--db", "-e"]
    var i = 0
    while i < argv.count {
        let a = argv[i]
        if a == "--" { return argv }
        if optionsWithValue.contains(a) { i += 2; continue }
        if a.hasPrefix("-") { i += 1; continue }
        if subcommands.contains(a) { return argv }
        return Array(argv[..<i]) + ["run"] + Array(argv[i...])
    }
    return argv
}

let argv = normalizedArguments(Array(CommandLine.arguments.dropFirst()))
var command: ParsableCommand
do {
    command = try Frontier.parseAsRoot(argv)
} catch {
    if Frontier.exitCode(for: error) == .success { Frontier.exit(withError: error) }  // --help, --version
    Session.printError(Frontier.fullMessage(for: error))
    Session.printError("Run 'frontier --help' for usage.")
    exit(2)
}
do {
    try command.run()
    fflush(nil)
    exit(0)
} catch let code as ExitCode {
    fflush(nil)
    exit(code.rawValue)
} catch {
    fflush(nil)
    switch Frontier.exitCode(for: error) {
    case .success:
        Frontier.exit(withError: error)  // --help, --version print and exit 0
    case .validationFailure:
        Session.printError("frontier: " + Frontier.message(for: error))
        Session.printError("Run 'frontier --help' for usage.")
        exit(2)
    default:
        Session.printError("frontier: \(error)")
        exit(1)
    }
}
