import Foundation

/// Writing a report or an export to a path the user gave. The text goes to a temporary
/// file beside the target and is renamed over it, so a reader never sees half a file;
/// a path that names something other than a regular file (a device such as /dev/full,
/// a directory, a pipe) is refused rather than replaced, and a symbolic link is written
/// through (the file it points at is replaced, the link stays).
public enum OutputFile {
    /// Why a path cannot be written.
    public struct Refused: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String
        public var description: String { "cannot write '\(path)': \(reason)" }
    }

    public static func write(_ text: String, to path: String) throws {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        var info = stat()
        if lstat(target, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            let kind: String
            switch info.st_mode & S_IFMT {
            case S_IFDIR: kind = "a directory"
            case S_IFCHR, S_IFBLK: kind = "a device"
            case S_IFIFO: kind = "a pipe"
            case S_IFSOCK: kind = "a socket"
            default: kind = "not a regular file"
            }
            throw Refused(path: path, reason: "it is \(kind), not a regular file; give the path of a new or existing file")
        }
        do {
            try text.write(toFile: target, atomically: true, encoding: .utf8)
        } catch {
            throw Refused(path: path, reason: error.localizedDescription)
        }
    }
}
