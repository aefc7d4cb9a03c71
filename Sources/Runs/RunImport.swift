import Foundation
import Interop
import Metrics

/// Other tools' results into the store (`import.*`, `frontier import`).
public enum RunImport {
    /// What the user states about imported runs, overriding what a file says.
    public struct Overrides: Sendable {
        public var tag: String?
        public var model: String?
        public var target: String?
        public var concurrency: Int?
        public var rate: Double?
        public init(tag: String? = nil, model: String? = nil, target: String? = nil, concurrency: Int? = nil, rate: Double? = nil) {
            self.tag = tag
            self.model = model
            self.target = target
            self.concurrency = concurrency
            self.rate = rate
        }
    }

    /// Reads `path`, detects its format unless `format` is given, and stores every run
    /// in it (source `imported`); a file that does not match stores nothing.
    /// `program` is recorded in each run's settings.
    public static func file(_ path: String, format: ImportFormat?, overrides: Overrides, program: String,
                            storePath: String) throws -> [StoredRun] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ImportFailure(path: path, message: "cannot read '\(path)': \(FileProblem.describe(path, error))", unreadable: true)
        }
        let runs: [ImportedRun]
        do {
            let f = try format ?? FormatDetector.detect(data: data, filename: path)
            runs = try f.importRuns(from: data)
        } catch let e as InteropError {
            throw ImportFailure(path: path, message: "\(path): \(e)", unreadable: false)
        }
        return try runs.map { try store($0, file: path, overrides: overrides, program: program, storePath: storePath) }
    }

    static func store(_ imported: ImportedRun, file: String, overrides o: Overrides, program: String,
                      storePath: String) throws -> StoredRun {
        var run = imported
        if let m = o.model { run.model = m }
        if let t = o.target { run.target = t }
        if let c = o.concurrency { run.concurrency = c }
        if let r = o.rate { run.rate = r }
        var settings: [String: Any] = run.settings
        settings["tool"] = run.tool
        settings["file"] = file
        settings["program"] = program
        if !run.notes.isEmpty { settings["notes"] = run.notes }
        var reported: [String: Any] = [:]
        for (name, s) in run.reported where !s.isEmpty {
            var t: [String: Any] = [:]
            for (k, v) in [("mean", s.mean), ("stdev", s.stdev), ("min", s.min), ("p50", s.p50), ("p90", s.p90),
                           ("p95", s.p95), ("p99", s.p99), ("max", s.max)] { if let v { t[k] = v } }
            if let n = s.count { t["count"] = n }
            reported[name] = t
        }
        if !reported.isEmpty { settings["reported"] = reported }
        let meta = RunMeta(tag: o.tag, source: "imported", target: run.target, model: run.model,
                           concurrency: run.concurrency, rate: run.rate, settings: try RunRecords.settingsJSON(settings))
        return try RunRecords.storeFinished(meta, records: run.records.map { ($0, RunStore.RequestExtra(workloadIndex: nil, expected: nil)) },
                                            summary: run.summary, path: storePath)
    }
}

/// A file that could not be imported: unreadable, or not in a known format. Nothing was stored.
public struct ImportFailure: Error, CustomStringConvertible {
    public let path: String
    public let message: String
    /// True when the file could not be read at all; false when it is not in a known format.
    public let unreadable: Bool
    public var description: String { message }
}
