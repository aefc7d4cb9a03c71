import LuaBridge

/// Reading option tables (`bench.run{...}`) with messages that name the field.
struct Options {
    let table: [String: LuaValue]
    let call: LuaCall
    let position: Int

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

    init(table: [String: LuaValue], call: LuaCall, position: Int) {
        self.table = table
        self.call = call
        self.position = position
    }

    func has(_ key: String) -> Bool { !(table[key] ?? .nil).isNil }

    func error(_ key: String, _ expected: String) -> LuaArgumentError {
        call.argumentError(position, "field '\(key)' must be \(expected), got \((table[key] ?? .nil).typeName)")
    }

    func number(_ key: String) throws -> Double? {
        guard let v = table[key], !v.isNil else { return nil }
        guard let d = v.number else { throw error(key, "a number") }
        return d
    }

    func positive(_ key: String) throws -> Double? {
        guard let d = try number(key) else { return nil }
        guard d > 0, d.isFinite else { throw call.argumentError(position, "field '\(key)' must be a positive number, got \(d)") }
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
        guard let v = try read(key) else { throw call.argumentError(position, "field '\(key)' (\(what)) is required") }
        return v
    }

    func sub(_ key: String) throws -> Options? {
        guard let v = table[key], !v.isNil else { return nil }
        switch v {
        case .table(let t): return Options(table: t, call: call, position: position)
        case .array(let a) where a.isEmpty: return Options(table: [:], call: call, position: position)
        default: throw error(key, "a table")
        }
    }

    /// Rejects unknown fields, so a typo (`concurrencey=8`) is an error, not a silent default.
    func only(_ allowed: Set<String>) throws {
        for k in table.keys.sorted() where !allowed.contains(k) {
            throw call.argumentError(position, "unknown field '\(k)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
        }
    }
}
