import Foundation

/// Where the Lua modules shipped with the program are found, so `require`
/// works from any working directory, in a build tree and after installation.
public enum StdlibPath {
    /// The file every stdlib directory has; how a candidate is recognised.
    static let marker = "prelude.lua"

    /// The path of the running executable, symlinks resolved.
    public static var executablePath: String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "frontier").standardizedFileURL.path
    }

    /// The stdlib directory: `FRONTIER_PATH` entries that hold the stdlib first,
    /// then `<prefix>/share/frontier/stdlib` for an installed `<prefix>/bin/frontier`,
    /// then a `stdlib/` beside the `Package.swift` above a build-tree binary.
    public static func locate(executable: String = executablePath,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let fm = FileManager.default
        func holds(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/" + marker) }
        for dir in extraDirectories(environment: environment) where holds(dir) { return dir }
        var dir = URL(fileURLWithPath: executable).deletingLastPathComponent()
        let installed = dir.deletingLastPathComponent().appendingPathComponent("share/frontier/stdlib").path
        if holds(installed) { return installed }
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("stdlib").path
            if holds(candidate), fm.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    /// Directories named by `FRONTIER_PATH` (colon-separated).
    public static func extraDirectories(environment: [String: String]) -> [String] {
        (environment["FRONTIER_PATH"] ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
    }

    /// `package.path` entries for a directory.
    static func patterns(_ dir: String) -> String { "\(dir)/?.lua;\(dir)/?/init.lua" }
}
