import ArgumentParser
import Foundation
import LuaBridge
import Store
import TeamStore

/// `frontier push`: finished runs from the local file to the team store (docs/scale.md).
struct Push: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy finished runs to a team store on PostgreSQL (each run whole or not at all; pushing twice changes nothing).",
        discussion: """
            The password comes from the URL, PGPASSWORD, the service file (PGSERVICE) or ~/.pgpass, and is never
            printed or stored. TLS: ?sslmode=disable|prefer|require|verify-ca|verify-full, sslrootcert=FILE.
            Ctrl-C rolls back the run being pushed; runs pushed before it stay; push again to finish.
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The team store: postgres://user@host:port/database?sslmode=…", valueName: "url")) var to: String
    @Option(help: ArgumentHelp("Only runs with this tag.", valueName: "tag")) var tag: String?
    @Option(name: .customLong("run"), help: ArgumentHelp("Only this run (local id; may be repeated).", valueName: "id")) var runs: [Int64] = []

    func run() throws {
        let db = try TeamCLI.openLocal(store.databasePath)
        defer { db.close() }
        let c = try TeamCLI.connect(to)
        defer { c.close() }
        let started = Date()
        do {
            let o = try TeamPush.push(from: db, to: c, selection: .init(tag: tag, runs: runs)) { id, n in
                if !store.quiet { TeamCLI.say("pushed run \(id) (\(n) requests)") }
            }
            let seconds = Date().timeIntervalSince(started)
            print("pushed \(o.pushed.count) runs (\(o.requests) requests) to \(c.address.display) in "
                  + String(format: "%.2f s", seconds) + "; \(o.alreadyThere.count) already there")
            if !o.stillRunning.isEmpty {
                TeamCLI.say("not pushed: run \(o.stillRunning.map(String.init).joined(separator: ", ")) still running; push again when they end")
            }
        } catch let e as TeamStoreError {
            TeamCLI.say("frontier: \(e)")
            if case .interrupted = e {
                TeamCLI.say("the run being pushed was rolled back; runs pushed before stay; push again to finish")
                throw ExitCode(130)
            }
            throw ExitCode(1)
        }
    }
}

/// `frontier pull`: a tag's runs from the team store into the local file.
struct Pull: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a tag's runs from a team store on PostgreSQL into the local file (runs already here are skipped).")

    @OptionGroup var store: StoreOptions
    @Option(help: ArgumentHelp("The team store: postgres://user@host:port/database?sslmode=…", valueName: "url")) var from: String
    @Option(help: ArgumentHelp("The runs' tag.", valueName: "tag")) var tag: String
    @Option(help: ArgumentHelp("Only this team sweep (its id, as `frontier sweep status` shows).", valueName: "id")) var sweep: String?

    func run() throws {
        let db = try TeamCLI.openLocal(store.databasePath)
        defer { db.close() }
        let c = try TeamCLI.connect(from)
        defer { c.close() }
        do {
            let o = try TeamPull.pull(from: c, into: db, tag: tag, sweep: sweep)
            print("pulled \(o.pulled.count) runs (\(o.requests) requests) of tag '\(tag)' into \(db.path); \(o.alreadyHere.count) already here")
        } catch let e as TeamStoreError {
            TeamCLI.say("frontier: \(e)")
            throw ExitCode(e.isInterrupt ? 130 : 1)
        }
    }
}

/// `frontier sweep status TAG`: a sharded sweep's levels in the team store.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep", abstract: "Sharded sweeps in the team store (docs/scale.md).", subcommands: [Status.self])

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List each level of a tag's sharded sweeps: done, running (with its heartbeat) or missing.")

        @Argument(help: ArgumentHelp("The sweep's tag.", valueName: "tag")) var tag: String
        @Option(help: ArgumentHelp("The team store (default: FRONTIER_TEAM_STORE).", valueName: "url")) var store: String?
        @Option(help: ArgumentHelp("Only this sweep id.", valueName: "id")) var sweep: String?

        func run() throws {
            guard let url = store ?? ProcessInfo.processInfo.environment["FRONTIER_TEAM_STORE"], !url.isEmpty else {
                throw ValidationError("give the team store: --store postgres://… or FRONTIER_TEAM_STORE")
            }
            let c = try TeamCLI.connect(url)
            defer { c.close() }
            let levels: [SweepStatus.Level]
            do { levels = try SweepStatus.levels(tag: tag, sweep: sweep, in: c) } catch let e as TeamStoreError {
                TeamCLI.say("frontier: \(e)")
                throw ExitCode(1)
            }
            guard !levels.isEmpty else {
                print("no sharded sweep of tag '\(tag)' in \(c.address.display)")
                return
            }
            print("sweep\tkind\tlevel\tstate\tshard\towner\theartbeat_s\trun")
            for l in levels {
                let level = l.level == l.level.rounded() ? String(Int64(l.level)) : String(l.level)
                let age = l.heartbeatAge.map { String(format: "%.1f", $0) } ?? "-"
                print([l.sweep, l.kind, level, l.state, l.shard ?? "-", l.owner ?? "-", age, l.run ?? "-"].joined(separator: "\t"))
            }
            let counts = Dictionary(grouping: levels, by: \.state).mapValues(\.count)
            print("done \(counts["done"] ?? 0), running \(counts["running"] ?? 0), missing \(counts["missing"] ?? 0)")
        }
    }
}

/// What the team commands share: the local file, the connection, Ctrl-C.
enum TeamCLI {
    static func openLocal(_ path: String) throws -> Database {
        do { return try Database(path: path) } catch {
            say("frontier: \(error)")
            throw ExitCode(1)
        }
    }

    /// Connects, with Ctrl-C closing the connection (the server rolls back what was open).
    static func connect(_ url: String) throws -> TeamConnection {
        do {
            let address = try TeamAddress(url)
            return try TeamConnection(address, stopWhen: { Interruption.requested })
        } catch {
            say("frontier: \(error)")
            throw ExitCode(1)
        }
    }

    static func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}

extension TeamStoreError {
    var isInterrupt: Bool { if case .interrupted = self { return true } else { return false } }
}

/// Ctrl-C (or SIGTERM, SIGHUP) during a push or pull: the same C handler as scripts use
/// (LuaBridge's), installed through a VM that runs no Lua; the waiting thread polls it.
enum Interruption {
    private static let installed: Bool = {
        guard let vm = try? LuaVM() else { return false }
        vm.installInterruptHandler()
        _ = Unmanaged.passRetained(vm)  // the handler keeps its state for the process's life
        return true
    }()

    /// Whether a stopping signal arrived; the first call installs the handler.
    static var requested: Bool {
        _ = installed
        return LuaVM.interruptPending
    }
}
