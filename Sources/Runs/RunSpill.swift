import Foundation
import Store

/// Finished requests that could not be written to their store (a full disk, an I/O
/// error, a store that refuses writes) are kept in a spill file instead of being lost:
/// one JSON array per line holding the request's `requests` row, in a folder for that
/// store under the temporary directory (`$TMPDIR`, else /tmp), which is usually on
/// another file system than the store. The next open of the store with room
/// (``RunRecovery``) writes them in and removes the file.
public enum RunSpill {
    /// The spill folder of the store at `storePath`: one per store, named by a hash of
    /// its absolute path, so any process opening that store finds it.
    public static func directory(for storePath: String) -> URL {
        let absolute = URL(fileURLWithPath: storePath).standardizedFileURL.path
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for byte in absolute.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        return URL(fileURLWithPath: base).appendingPathComponent("frontier-spill-" + String(hash, radix: 16))
    }

    /// Writes `rows` (each a `requests` row in ``RunStore``'s column order) to a new
    /// spill file of the store; returns its path.
    static func write(_ rows: [[SQLValue]], storePath: String) throws -> String {
        let dir = directory(for: storePath)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // The store it belongs to, for a person who finds the folder.
        try? Data((URL(fileURLWithPath: storePath).standardizedFileURL.path + "\n").utf8)
            .write(to: dir.appendingPathComponent("STORE"))
        let file = dir.appendingPathComponent("requests-\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6)).jsonl")
        var text = ""
        for row in rows {
            let json = try JSONSerialization.data(withJSONObject: row.map(encode), options: [])
            text += String(decoding: json, as: UTF8.self) + "\n"
        }
        try Data(text.utf8).write(to: file, options: .atomic)
        return file.path
    }

    /// Writes every spill file of the store into `db` (rows already there are kept as
    /// they are) and removes each file once its rows are in; returns the rows written.
    /// A file that cannot be read is left for a person to look at.
    static func restore(into db: Database, sql: String) throws -> (files: Int, rows: Int) {
        let dir = directory(for: db.path)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return (0, 0) }
        var files = 0, written = 0
        for name in names.sorted() where name.hasSuffix(".jsonl") {
            let file = dir.appendingPathComponent(name)
            guard let data = try? Data(contentsOf: file) else { continue }
            let rows = try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line -> [SQLValue] in
                guard let array = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any] else {
                    throw RunsError.badColumn(run: 0, column: "spill file \(file.path)", reason: "a line is not a JSON array")
                }
                return array.map(decode)
            }
            written += try db.transaction { try db.executeEach(sql, rows) }
            try FileManager.default.removeItem(at: file)
            files += 1
        }
        return (files, written)
    }

    static func encode(_ v: SQLValue) -> Any {
        switch v {
        case .null: return NSNull()
        case .integer(let i): return i
        case .real(let d): return d
        case .text(let s): return s
        case .blob(let b): return ["base64": Data(b).base64EncodedString()]
        }
    }

    static func decode(_ v: Any) -> SQLValue {
        switch v {
        case let s as String: return .text(s)
        case let d as [String: Any]:
            return (d["base64"] as? String).flatMap { Data(base64Encoded: $0) }.map { .blob([UInt8]($0)) } ?? .null
        case let n as NSNumber:
            // Integers stay integers; the column's type turns them into REAL where it must.
            let type = String(cString: n.objCType)
            return type == "d" || type == "f" ? .real(n.doubleValue) : .integer(n.int64Value)
        default: return .null
        }
    }
}
