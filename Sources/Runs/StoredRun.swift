import Foundation
import Metrics
import Store

/// One row of `runs`, read back with its JSON columns decoded.
///
/// `summary` is nil only for a run that never finished (status `running`); a summary
/// that is stored but does not decode is an error (``RunsError/badColumn(run:column:reason:)``),
/// never a silently missing figure.
public struct StoredRun: Sendable {
    public var id: Int64
    public var tag: String?
    /// The sweep the run belongs to (``Sweeps``): the run id of the sweep's first run.
    public var sweep: Int64?
    /// `measured`, `simulated` or `imported`.
    public var source: String
    public var target: String?
    public var model: String?
    public var concurrency: Int?
    public var rate: Double?
    public var status: String
    public var startedAt: Double?
    public var endedAt: Double?
    /// The settings object, as stored (JSON text).
    public var settings: String?
    public var summary: RunSummary?
    /// Figures a writer added beside the summary's own (e.g. `client_cpu`), as JSON text.
    public var summaryExtras: [String: String]
    public var verdict: Verdict?

    /// The tool an imported run came from (its settings' `tool`).
    public var tool: String? {
        guard let settings, let object = try? JSONSerialization.jsonObject(with: Data(settings.utf8)) as? [String: Any] else {
            return nil
        }
        return object["tool"] as? String
    }
}

/// Every SQL statement about stored runs: find by id, list by tag and source.
public enum RunRecords {
    static let columns = "run_id, tag, source, target, model, concurrency, rate, settings, status, started_at, ended_at, summary, verdict, sweep"

    /// Deletes these runs with everything stored about them (requests, their scores, quality
    /// scores, server metrics: the foreign keys cascade), in one transaction; returns how
    /// many runs went. An id that is not there is ``RunsError/runNotFound(id:path:)`` and a
    /// run still `running` is refused (``RunsError/badOption(name:value:expected:)``): its
    /// process would go on writing requests for it. Nothing is deleted when either happens.
    @discardableResult
    public static func delete(ids: [Int64], db: Database) throws -> Int {
        try db.transaction {
            for id in ids {
                let r = try db.query("SELECT status FROM runs WHERE run_id = ?", [.integer(id)])
                guard let status = r.rows.first?.first?.text else { throw RunsError.runNotFound(id: id, path: db.path) }
                guard status != "running" else {
                    throw RunsError.badOption(name: "run", value: "\(id)",
                                              expected: "a finished run (run \(id) is still running; stop it first)")
                }
            }
            return try db.executeEach("DELETE FROM runs WHERE run_id = ?", ids.lazy.map { [.integer($0)] })
        }
    }

    /// The run with this id; throws ``RunsError/runNotFound(id:path:)`` when there is none.
    public static func load(id: Int64, db: Database) throws -> StoredRun {
        let r = try db.query("SELECT \(columns) FROM runs WHERE run_id = ?", [.integer(id)])
        guard let row = r.rows.first else { throw RunsError.runNotFound(id: id, path: db.path) }
        return try decode(row)
    }

    /// Runs with this tag and source (nil: any), in id order. With a tag, `sweep` picks which
    /// of its sweeps (``SweepChoice``; the latest by default); without one, every run unless
    /// a sweep id is given.
    public static func list(tag: String? = nil, source: String? = nil, sweep: SweepChoice = .latest,
                            db: Database) throws -> [StoredRun] {
        let chosen: SQLValue
        switch sweep {
        case .all: chosen = .null
        case .id(let id): chosen = .integer(id)
        case .latest:
            guard let tag else { chosen = .null; break }
            chosen = try db.query("SELECT max(sweep) FROM runs WHERE tag = ?", [.text(tag)]).rows.first?.first ?? .null
        }
        let r = try db.query("""
            SELECT \(columns) FROM runs WHERE (?1 IS NULL OR tag = ?1) AND (?2 IS NULL OR source = ?2)
            AND (?3 IS NULL OR sweep = ?3) ORDER BY run_id
            """, [tag.map(SQLValue.text) ?? .null, source.map(SQLValue.text) ?? .null, chosen])
        return try r.rows.map(decode)
    }

    static func decode(_ row: [SQLValue]) throws -> StoredRun {
        func text(_ i: Int) -> String? { row[i].text }
        func real(_ i: Int) -> Double? { row[i].double }
        guard case .integer(let id) = row[0] else {
            throw RunsError.badColumn(run: -1, column: "run_id", reason: "not an integer")
        }
        var run = StoredRun(id: id, tag: text(1), sweep: nil, source: text(2) ?? "measured", target: text(3), model: text(4),
                            concurrency: real(5).map { Int($0) }, rate: real(6), status: text(8) ?? "unknown",
                            startedAt: real(9), endedAt: real(10), settings: text(7), summary: nil,
                            summaryExtras: [:], verdict: nil)
        run.sweep = row[13].int.map(Int64.init)
        if let json = text(11) {
            do {
                run.summary = try RunSummary(json: json)
            } catch {
                throw RunsError.badColumn(run: id, column: "summary", reason: Self.reason(error))
            }
            run.summaryExtras = try extras(json, run: id)
        }
        if let json = text(12) {
            do {
                run.verdict = try JSONDecoder().decode(Verdict.self, from: Data(json.utf8))
            } catch {
                throw RunsError.badColumn(run: id, column: "verdict", reason: Self.reason(error))
            }
        }
        return run
    }

    /// Top-level members of the summary object that are not ``RunSummary/Field``s, as JSON text.
    static func extras(_ json: String, run: Int64) throws -> [String: String] {
        guard let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw RunsError.badColumn(run: run, column: "summary", reason: "not a JSON object")
        }
        var out: [String: String] = [:]
        for (key, value) in object where RunSummary.Field(rawValue: key) == nil {
            let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            out[key] = String(decoding: data, as: UTF8.self)
        }
        return out
    }

    /// A decoding error as one line: the missing key or the path of the wrong value.
    static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let c), DecodingError.valueNotFound(_, let c):
            return "'\(c.codingPath.map(\.stringValue).joined(separator: "."))': \(c.debugDescription)"
        case DecodingError.dataCorrupted(let c): return c.debugDescription
        default: return "\(error)"
        }
    }
}
