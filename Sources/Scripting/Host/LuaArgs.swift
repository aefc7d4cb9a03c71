import LuaBridge

/// Reading option tables (`bench.run{...}`) with messages that name the field.
///
/// Nested tables are read with `sub(_:only:)`, which checks their keys at once, or
/// `entries(_:)` when their keys are data (headers); there is no unchecked way in,
/// so a typo at any depth is an error that names its dotted path.
struct Options {
    let table: [String: LuaValue]
    let call: LuaCall
    let position: Int
    /// Where this table sits in the argument, as a prefix for field names: "" at the
    /// top, "efficiency." for `{efficiency = {...}}`.
    var path: String = ""

    /// The table argument at `position` (an empty one when absent and `optional`).
    init(_ call: LuaCall, _ position: Int, optional: Bool = false) throws {
        self.call = call
        self.position = position
        if optional && call.isNil(position) {
            table = [:]
            return
        }
        switch try call.table(position) {
        case .table(let t): table = try Deprecations.apply(t, call: call, position: position)
        case .array(let a) where a.isEmpty: table = [:]
        default: throw call.argumentError(position, "table of named options expected, got a list")
        }
    }

    init(table: [String: LuaValue], call: LuaCall, position: Int, path: String = "") {
        self.table = table
        self.call = call
        self.position = position
        self.path = path
    }

    func has(_ key: String) -> Bool { !(table[key] ?? .nil).isNil }

    func error(_ key: String, _ expected: String) -> LuaArgumentError {
        call.argumentError(position, "field '\(path)\(key)' must be \(expected), got \((table[key] ?? .nil).typeName)")
    }

    func number(_ key: String) throws -> Double? {
        guard let v = table[key], !v.isNil else { return nil }
        guard let d = v.number else { throw error(key, "a number") }
        return d
    }

    func positive(_ key: String) throws -> Double? {
        guard let d = try number(key) else { return nil }
        guard d > 0, d.isFinite else { throw call.argumentError(position, "field '\(path)\(key)' must be a positive number, got \(d)") }
        return d
    }

    func int(_ key: String) throws -> Int? {
        guard let v = table[key], !v.isNil else { return nil }
        guard let i = v.integer else { throw error(key, "an integer") }
        return i
    }

    func string(_ key: String) throws -> String? {
        guard let v = table[key], !v.isNil else { return nil }
        guard let s = v.string else { throw error(key, "a string") }
        return s
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = table[key], !v.isNil else { return nil }
        guard let b = v.bool else { throw error(key, "a boolean") }
        return b
    }

    func required<T>(_ key: String, _ read: (String) throws -> T?, _ what: String) throws -> T {
        guard let v = try read(key) else { throw call.argumentError(position, "field '\(path)\(key)' (\(what)) is required") }
        return v
    }

    /// The table in field `key` (nil when absent), its keys checked against `allowed`.
    func sub(_ key: String, only allowed: Set<String>) throws -> Options? {
        guard let o = try nested(key) else { return nil }
        try o.only(allowed)
        return o
    }

    /// The table in field `key` whose keys are data, not options (`headers`, `ranges`):
    /// the caller checks each key itself.
    func entries(_ key: String) throws -> Options? {
        try nested(key)
    }

    private func nested(_ key: String) throws -> Options? {
        guard let v = table[key], !v.isNil else { return nil }
        switch v {
        case .table(let t): return Options(table: t, call: call, position: position, path: path + key + ".")
        case .array(let a) where a.isEmpty: return Options(table: [:], call: call, position: position, path: path + key + ".")
        default: throw error(key, "a table")
        }
    }

    /// Rejects unknown fields, so a typo (`concurrencey=8`) is an error, not a silent default.
    /// `allowed` is every valid name, including any the caller read apart (`target`), since
    /// the message lists them all.
    func only(_ allowed: Set<String>) throws {
        for k in table.keys.sorted() where !allowed.contains(k) {
            throw call.argumentError(position, "unknown field '\(path)\(k)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
