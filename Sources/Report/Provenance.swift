import Foundation

/// Where a report's numbers came from, so that a reader can reproduce them.
/// Passed in as data: the report computes nothing here but the duration.
public struct Provenance: Sendable, Equatable {
    /// The program's version ("0.6.0").
    public var programVersion: String
    /// The script that produced the report, as given on the command line.
    public var scriptPath: String?
    /// SHA-256 of the script's bytes, hex (``SHA256/hex(fileAt:)``).
    public var scriptSHA256: String?
    /// The results database.
    public var databasePath: String?
    /// When the measured work started.
    public var started: Date?
    /// When it ended.
    public var ended: Date?
    /// The endpoint or simulator measured.
    public var target: String?
    /// The random seed, when one was used.
    public var seed: Int64?

    /// Provenance; every field but the version is optional.
    public init(programVersion: String, scriptPath: String? = nil, scriptSHA256: String? = nil,
                databasePath: String? = nil, started: Date? = nil, ended: Date? = nil,
                target: String? = nil, seed: Int64? = nil) {
        self.programVersion = programVersion
        self.scriptPath = scriptPath
        self.scriptSHA256 = scriptSHA256
        self.databasePath = databasePath
        self.started = started
        self.ended = ended
        self.target = target
        self.seed = seed
    }

    /// Label–value rows as the report shows them; unknown values read "—". Times are
    /// ISO 8601 in UTC, so a report reads the same in every time zone.
    public var rows: [(String, String)] {
        let missing = "—"
        var duration = missing
        if let started, let ended {
            duration = NumberFormat.fixed(ended.timeIntervalSince(started), decimals: 1) + " s"
        }
        return [
            ("program", "frontier " + programVersion),
            ("script", scriptPath ?? missing),
            ("script SHA-256", scriptSHA256 ?? missing),
            ("database", databasePath ?? missing),
            ("started", started.map(Self.timestamp) ?? missing),
            ("ended", ended.map(Self.timestamp) ?? missing),
            ("duration", duration),
            ("target", target ?? missing),
            ("seed", seed.map(String.init) ?? missing),
        ]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
