@preconcurrency import CEditline
import Foundation
import LuaBridge
import Scripting

enum ReadResult {
    case line(String)
    case interrupted
    case eof
}

protocol LineReader {
    func read(prompt: String) -> ReadResult
    /// Adds a complete input to the history.
    func remember(_ input: String)
}

/// Lines from a pipe or file: no editing, no prompt, no history.
///
/// Read a byte at a time with read(2), not stdio: Swift's `readLine` retries a read that
/// a signal interrupted, and with stdin's error flag then set it spins at full CPU
/// forever (seen with SIGTERM and Ctrl-C at a piped prompt). One byte at a time also
/// leaves whatever follows the line for a script's own `io.read`.
struct PlainLineReader: LineReader {
    func read(prompt: String) -> ReadResult {
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = Foundation.read(STDIN_FILENO, &byte, 1)
            if n == 1 {
                if byte == UInt8(ascii: "\n") { break }
                bytes.append(byte)
            } else if n == 0 {
                if bytes.isEmpty { return LuaVM.takeInterrupt() ? .interrupted : .eof }
                break
            } else if errno == EINTR {
                if LuaVM.takeInterrupt() { return .interrupted }
            } else {
                return .eof
            }
        }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return .line(String(decoding: bytes, as: UTF8.self))
    }
    func remember(_ input: String) {}
}

/// The host that Tab completion asks; libedit's callbacks are C functions
/// and cannot capture it.
nonisolated(unsafe) private var completionHost: ScriptHost?
nonisolated(unsafe) private var completionCandidates: [String] = []

/// libedit (BSD licensed) through its readline interface.
final class EditLineReader: LineReader {
    let historyPath: String

    init(historyPath: String, host: ScriptHost) {
        self.historyPath = historyPath
        completionHost = host
        rl_readline_name = UnsafePointer(strdup("frontier"))
        // Names with dots and colons are one word, so "db.qu" completes as a whole.
        rl_basic_word_break_characters = UnsafePointer(strdup(" \t\n\"\\'`@$><=;|&{(,+-*/%^#~[]"))
        rl_attempted_completion_function = complete
        rl_getc_function = getCharacter
        using_history()
        stifle_history(2000)
        _ = read_history(historyPath)
    }

    func read(prompt: String) -> ReadResult {
        _ = LuaVM.takeInterrupt()
        let p = readline(prompt)
        if LuaVM.takeInterrupt() {
            free(p)
            return .interrupted
        }
        guard let p else { return .eof }
        defer { free(p) }
        return .line(String(cString: p))
    }

    func remember(_ input: String) {
        add_history(input)
        _ = write_history(historyPath)
    }
}

/// Reads one byte; a Ctrl-C (read interrupted with our flag set) ends the
/// line as end-of-input, and `read(prompt:)` reports it as interrupted.
private let getCharacter: @convention(c) (UnsafeMutablePointer<FILE>?) -> Int32 = { _ in
    var byte: UInt8 = 0
    while true {
        let n = Foundation.read(STDIN_FILENO, &byte, 1)
        if n == 1 { return Int32(byte) }
        if n == 0 { return EOF }
        if errno == EINTR {
            if LuaVM.interruptPending { return EOF }
            continue
        }
        return EOF
    }
}

private let complete: @convention(c) (UnsafePointer<CChar>?, Int32, Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = { text, start, end in
    guard let text, let host = completionHost else { return nil }
    let line = rl_line_buffer.map { String(cString: $0) } ?? ""
    let upTo = String(line.utf8.prefix(Int(end))) ?? line
    completionCandidates = host.completions(for: upTo)
    rl_attempted_completion_over = 1  // never fall back to file names
    rl_completion_append_character = 0
    guard !completionCandidates.isEmpty else { return nil }
    return rl_completion_matches(text, nextCandidate)
}

private let nextCandidate: @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutablePointer<CChar>? = { _, state in
    let i = Int(state)
    guard i < completionCandidates.count else { return nil }
    return strdup(completionCandidates[i])
}
