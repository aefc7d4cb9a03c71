import Store

/// Every SQL statement about `sim_profiles`: fitted simulator profiles kept by name.
public enum SimProfileRecords {
    /// Stores `profile` (JSON text) under `name`, replacing an earlier one.
    public static func save(name: String, profile: String, db: Database) throws {
        try db.transaction {
            _ = try db.execute("DELETE FROM sim_profiles WHERE name = ?", [.text(name)])
            _ = try db.execute("INSERT INTO sim_profiles (name, profile) VALUES (?, ?)", [.text(name), .text(profile)])
        }
    }

    /// The profile stored under `name` (JSON text); throws ``RunsError/profileNotFound(name:path:known:)``.
    public static func load(name: String, db: Database) throws -> String {
        let r = try db.query("SELECT profile FROM sim_profiles WHERE name = ?", [.text(name)])
        guard let json = r.rows.first?.first?.text else {
            throw RunsError.profileNotFound(name: name, path: db.path, known: try names(db: db))
        }
        return json
    }

    /// The names of the stored profiles, sorted.
    public static func names(db: Database) throws -> [String] {
        try db.query("SELECT name FROM sim_profiles ORDER BY name").rows.compactMap { $0.first?.text }
    }
}
