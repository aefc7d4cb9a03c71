import Foundation
import Metrics
import Store

extension RunRecords {
    /// Stores a run that is already over (simulated or imported): the run row, its
    /// records and its summary, then reads it back as stored.
    public static func storeFinished(_ meta: RunMeta, records: [(RequestRecord, RunStore.RequestExtra)],
                                     summary: RunSummary, extras: [String: Any] = [:], path: String) throws -> StoredRun {
        let runStore = try RunStore(path: path)
        defer { runStore.close() }
        let id = try runStore.createRun(meta, startedAt: Date().timeIntervalSince1970)
        runStore.append(run: id, records)
        var summaryJSON = try summary.json()
        // Figures beside the summary's own (by_class): merged into the same JSON object.
        if !extras.isEmpty, var object = try JSONSerialization.jsonObject(with: Data(summaryJSON.utf8)) as? [String: Any] {
            for (k, v) in extras { object[k] = v }
            summaryJSON = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        try runStore.finishRun(id, status: "completed", endedAt: Date().timeIntervalSince1970,
                               summary: summaryJSON, verdict: nil)
        return try load(id: id, db: Database(path: path))
    }

    /// JSON text of a settings object (sorted keys, so the same settings give the same bytes).
    public static func settingsJSON(_ settings: [String: Any]) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: settings, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
