import Foundation

/// Why a file the user named could not be read, in words: Foundation's own text for
/// a directory reads "The operation could not be completed. (NSCocoaErrorDomain error
/// 256.)", which says nothing.
public enum FileProblem {
    public static func describe(_ path: String, _ error: Error) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a directory, not a file" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return error.localizedDescription
    }
}
