import Foundation
import LuaBridge

/// The `sys` module: clocks, memory and the program's version.
enum SysModule {
    static func register(in vm: LuaVM, version: String) throws {
        try vm.register(module: "sys", summary: "The program and the machine: version, clocks, memory.", [
            LuaBinding("version", "The frontier version string.") { call in
                try call.returning(.string(version))
            },
            LuaBinding("clock", "Monotonic time in seconds (for measuring intervals).") { call in
                try call.returning(.double(Double(DispatchTime.now().uptimeNanoseconds) / 1e9))
            },
            LuaBinding("time", "Wall-clock time in seconds since the Unix epoch.") { call in
                try call.returning(.double(Date().timeIntervalSince1970))
            },
            LuaBinding("peak_memory", "The process's peak resident memory in bytes (VmHWM), or nil where unknown.") { call in
                try call.returning(peakMemory().map { .int($0) } ?? .nil)
            },
            LuaBinding("sleep", args: "seconds", "Sleeps; Ctrl-C cuts it short with an 'interrupted!' error.") { call in
                let seconds = try call.number(1)
                guard seconds.isFinite, seconds >= 0, seconds <= 1e7 else {
                    throw call.argumentError(1, "seconds must be a finite number from 0 to 1e7, got \(seconds)")
                }
                let end = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
                while true {
                    let now = DispatchTime.now().uptimeNanoseconds
                    guard now < end else { break }
                    if LuaVM.takeInterrupt() { throw LuaScriptError("interrupted!", code: "interrupted") }
                    usleep(useconds_t(min(20_000, (end - now) / 1000 + 1)))
                }
                return 0
            },
        ])
    }

    /// VmHWM from /proc/self/status, in bytes.
    static func peakMemory() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let kb = line.split(separator: " ").compactMap { Int($0) }.first
            return kb.map { $0 * 1024 }
        }
        return nil
    }
}
