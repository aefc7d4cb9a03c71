import Foundation
import LuaBridge
import Store

/// The Lua side of `frontier`: one VM with the stdlib on `package.path` and
/// every module registered. Create and use it on one thread (the Lua thread).
public final class ScriptHost {
    public let vm: LuaVM
    /// The default store (`--db`), opened on first use so a script that never
    /// touches it creates no file.
    let store: StoreModule
    private var bench: BenchModule!
    private var sim: SimModule!
    private var importer: ImportModule!
    public let stdlibDirectory: String?

    /// The program's version, shown by `--version` and stored with runs.
    public static let version = "0.1.0"

    public struct Options {
        public var databasePath: String
        /// The script being run; its directory goes on `package.path`.
        public var scriptPath: String?
        public var environment: [String: String]
        public var executable: String
        /// No progress lines (`--quiet`).
        public var quiet: Bool

        public init(databasePath: String, scriptPath: String? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    executable: String = StdlibPath.executablePath, quiet: Bool = false) {
            self.databasePath = databasePath
            self.scriptPath = scriptPath
            self.environment = environment
            self.executable = executable
            self.quiet = quiet
        }
    }

    public init(_ options: Options) throws {
        vm = try LuaVM()
        stdlibDirectory = StdlibPath.locate(executable: options.executable, environment: options.environment)
        guard let stdlib = stdlibDirectory else {
            throw LuaScriptError("cannot find frontier's Lua stdlib (looked beside the executable "
                + "\(options.executable) and in FRONTIER_PATH); set FRONTIER_PATH to the stdlib directory")
        }
        store = StoreModule(defaultPath: options.databasePath)
        // The stdlib first, so a user's file of the same name cannot replace
        // the prelude the REPL and every script rely on.
        var dirs = [stdlib] + StdlibPath.extraDirectories(environment: options.environment).filter { $0 != stdlib }
        if let script = options.scriptPath {
            dirs.append(URL(fileURLWithPath: script).deletingLastPathComponent().path)
        }
        let path = dirs.map(StdlibPath.patterns).joined(separator: ";")
        try vm.run("package.path = ... .. ';' .. package.path", args: [.string(path)])

        try store.register(in: vm)
        bench = BenchModule(store: store, quiet: options.quiet)
        try bench.register(in: vm)
        try WorkloadModule.register(in: vm, store: store)
        try SLAModule.register(in: vm, store: store)
        try CostModule.register(in: vm, store: store)
        try QualityModule.register(in: vm, store: store)
        try FrontierModule.register(in: vm, store: store)
        try ReportModule.register(in: vm, store: store)
        sim = SimModule(bench: bench)
        try sim.register(in: vm)
        importer = ImportModule(bench: bench)
        try importer.register(in: vm)
        try JSONModule.register(in: vm)
        try SysModule.register(in: vm, version: Self.version)
        try HelpModule.register(in: vm)
        try vm.run("require 'prelude'", chunkName: "=prelude")
    }

    deinit { close() }

    /// Closes the VM (running finalizers) and the default store.
    public func close() {
        vm.close()
        store.close()
    }

    /// Sets the global `arg` as the standard `lua` does: arg[0] the script,
    /// arg[1...] its arguments, negative indices the interpreter and options.
    public func setArguments(script: String, arguments: [String], interpreter: [String]) throws {
        let all = interpreter.map { LuaValue.string($0) } + [.string(script)] + arguments.map { .string($0) }
        try vm.run("""
            local n, t, first = select('#', ...), {...}, ...
            arg = {}
            for i = 2, n do arg[i - first - 2] = t[i] end
            """, chunkName: "=arg", args: [.int(interpreter.count)] + all)
    }

    /// Runs a script file with interrupts armed; its arguments are also its `...`.
    @discardableResult
    public func runFile(_ path: String, arguments: [String] = []) throws -> [LuaValue] {
        try vm.interruptible { try vm.runFile(path, args: arguments.map { .string($0) }) }
    }

    /// Calls `name` of the stdlib module `module` with `options` as its one argument:
    /// how the CLI's subcommands run stdlib code without Lua source or globals.
    public func call(module: String, _ name: String, _ options: [String: LuaValue]) throws {
        let fn = try vm.function(evaluating: "require('\(module)').\(name)")
        try vm.interruptible { _ = try fn.call([.table(options)]) }
    }

    /// Runs a chunk of code (`-e`) with interrupts armed.
    @discardableResult
    public func runCode(_ code: String, chunkName: String = "=(command line)") throws -> [LuaValue] {
        try vm.interruptible { try vm.run(code, chunkName: chunkName) }
    }
}
