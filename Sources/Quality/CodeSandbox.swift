import Foundation

/// Runs one program in a child process, so a completion under test can neither hang the
/// caller nor reach the network. Per attempt:
///
/// - a fresh temporary directory, the working directory and `$HOME` of the child,
///   removed afterwards;
/// - `RLIMIT_CPU` (`ulimit -t`) and `RLIMIT_AS` (`ulimit -v`) set by `/bin/sh` before it
///   `exec`s the interpreter, so they bind the interpreter and anything it starts;
/// - a wall-clock limit: past it the child is sent SIGKILL;
/// - no network when `unshare -rn` (a new user and network namespace, only a loopback
///   device that is down) is permitted; where it is not (a container without user
///   namespaces) the program runs with the host's network and the outcome says so
///   (`network_isolated = false`).
///
/// What it does not guarantee: the file system outside the temporary directory is
/// readable and writable as the user running frontier; a grandchild that detaches and
/// sleeps outlives the kill (its CPU limit still binds it). It is a guard against
/// accidents (infinite loops, memory hogs), not a security boundary for hostile code.
public struct CodeSandbox: Sendable {
    public var interpreter: String
    /// Wall-clock seconds before the child is killed.
    public var timeout: Double
    /// CPU seconds (`RLIMIT_CPU`).
    public var cpuSeconds: Int
    /// Address-space limit in MiB (`RLIMIT_AS`).
    public var memoryMB: Int
    /// Lines of output kept in an outcome.
    public var outputLines: Int = 20

    public init(interpreter: String = "python3", timeout: Double = 10, cpuSeconds: Int = 10, memoryMB: Int = 1024) throws {
        guard timeout.isFinite, timeout > 0 else { throw QualityError.invalid(name: "timeout", expected: "a number of seconds > 0", got: "\(timeout)") }
        guard cpuSeconds >= 1 else { throw QualityError.invalid(name: "cpu_s", expected: "≥ 1", got: "\(cpuSeconds)") }
        guard memoryMB >= 16 else { throw QualityError.invalid(name: "memory_mb", expected: "≥ 16", got: "\(memoryMB)") }
        self.interpreter = interpreter
        self.timeout = timeout
        self.cpuSeconds = cpuSeconds
        self.memoryMB = memoryMB
    }

    /// Whether `unshare -rn` works here; asked once per process.
    public static let networkIsolation: Bool = {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare") else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        p.arguments = ["-rn", "true"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }()

    /// Runs `program` (the file's text) and classifies the result. `stop` is polled while
    /// waiting (Ctrl-C): when it returns true the child is killed and `CodeOutcome.Kind.error`
    /// with "interrupted" is returned.
    public func run(_ program: String, stop: () -> Bool = { false }) -> CodeOutcome {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("frontier-sandbox-\(UUID().uuidString)")
        let isolated = Self.networkIsolation
        func outcome(_ kind: CodeOutcome.Kind, _ output: String, exit: Int32?, elapsed: Double) -> CodeOutcome {
            CodeOutcome(kind: kind, output: Self.firstLines(output, outputLines), exitStatus: exit, elapsed: elapsed,
                        networkIsolated: isolated)
        }
        do { try fm.createDirectory(at: dir, withIntermediateDirectories: false) } catch {
            return outcome(.error, "cannot create a temporary directory: \(error)", exit: nil, elapsed: 0)
        }
        defer { try? fm.removeItem(at: dir) }
        let source = dir.appendingPathComponent("program.py"), log = dir.appendingPathComponent("output.txt")
        do {
            try program.write(to: source, atomically: true, encoding: .utf8)
            _ = fm.createFile(atPath: log.path, contents: nil)
        } catch {
            return outcome(.error, "cannot write the program: \(error)", exit: nil, elapsed: 0)
        }
        // sh sets the limits on itself, then execs (unshare and) the interpreter, which inherits them.
        let exec = (isolated ? "exec /usr/bin/unshare -rn " : "exec ") + "\"$0\" -I program.py"
        let script = "ulimit -t \(cpuSeconds) && ulimit -v \(memoryMB * 1024) && \(exec)"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script, interpreter]
        p.currentDirectoryURL = dir
        p.environment = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": dir.path,
                         "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"]
        p.standardInput = FileHandle.nullDevice
        guard let out = try? FileHandle(forWritingTo: log) else {
            return outcome(.error, "cannot open the output file", exit: nil, elapsed: 0)
        }
        defer { try? out.close() }
        p.standardOutput = out
        p.standardError = out
        let start = Date()
        do { try p.run() } catch {
            return outcome(.error, "cannot start \(interpreter): \(error)", exit: nil, elapsed: 0)
        }
        var timedOut = false, interrupted = false
        while p.isRunning {
            if Date().timeIntervalSince(start) > timeout { timedOut = true; break }
            if stop() { interrupted = true; break }
            usleep(5_000)
        }
        if timedOut || interrupted {
            kill(p.processIdentifier, SIGKILL)
        }
        p.waitUntilExit()
        let elapsed = Date().timeIntervalSince(start)
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        if interrupted { return outcome(.error, "interrupted\n" + text, exit: nil, elapsed: elapsed) }
        if timedOut { return outcome(.timeout, "wall-clock limit of \(timeout) s reached\n" + text, exit: nil, elapsed: elapsed) }
        let status = p.terminationStatus
        if p.terminationReason == .uncaughtSignal {
            // SIGXCPU (soft limit) or SIGKILL (hard limit): the CPU limit.
            if status == SIGXCPU || status == SIGKILL {
                return outcome(.timeout, "CPU limit of \(cpuSeconds) s reached (signal \(status))\n" + text, exit: nil, elapsed: elapsed)
            }
            return outcome(.error, "killed by signal \(status)\n" + text, exit: nil, elapsed: elapsed)
        }
        if status == 0 { return outcome(.passed, text, exit: 0, elapsed: elapsed) }
        // The tests ran and one did not hold; anything else (a syntax error, an exception,
        // running out of memory) is an error of the program.
        let failed = text.contains("AssertionError")
        return outcome(failed ? .failed : .error, text, exit: status, elapsed: elapsed)
    }

    /// The output's first `n` lines.
    static func firstLines(_ text: String, _ n: Int) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.count > n ? Array(lines.prefix(n)) : lines
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What happened when a program ran in the sandbox.
public struct CodeOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Exited 0: every test held.
        case passed
        /// An `AssertionError`: the tests ran and one did not hold.
        case failed
        /// The wall-clock or CPU limit was reached.
        case timeout
        /// Anything else: a syntax error, an exception, the memory limit, no interpreter.
        case error
    }
    public let kind: Kind
    /// The output's first lines (stdout and stderr together).
    public let output: String
    public let exitStatus: Int32?
    /// Wall-clock seconds.
    public let elapsed: Double
    /// Whether the program ran without network (`unshare -rn`).
    public let networkIsolated: Bool

    /// 1 when passed, else 0.
    public var score: Double { kind == .passed ? 1 : 0 }
}
