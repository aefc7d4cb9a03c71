import CLua
import CLuaShim

/// Many records across the bridge without building a `LuaValue` per field: the one fast
/// path every binding that reads or returns thousands of rows shares. Fields are read and
/// written with raw access (no metamethods, nothing that can raise), each key string is
/// pushed once and reused, and tables are created with their sizes known.
extension LuaCall {
    /// Fields read from every element of a list of tables, by column.
    public struct RecordColumns {
        /// How many elements the list has.
        public let count: Int
        /// `numbers[k][i]`: number path `k` of element `i`; nil when absent or not a number.
        public var numbers: [[Double?]]
        /// `strings[k][i]`: string field `k` of element `i`; nil when absent or not a string.
        public var strings: [[String?]]
        /// `integers[k][i]`: integer field `k` of element `i` (a float with an exact integer value counts).
        public var integers: [[Int?]]
    }

    /// Reads `numbers` (dotted paths such as `ttft.p50`), `strings` and `integers` (plain
    /// keys) from each element of the list at argument `i`. An element that is not a table is
    /// an argument error naming it as `what` (e.g. "point 3 must be a table, got number").
    public func records(_ i: Int, numbers: [String], strings: [String] = [], integers: [String] = [],
                        what: String = "item") throws -> RecordColumns {
        guard isTable(i) else { throw expected(i, "table") }
        let list = Int32(i)
        let n = Int(lua_rawlen(L, list))
        let paths = numbers.map { $0.split(separator: ".").map(String.init) }
        // Every distinct key once, on the stack above the arguments.
        var slot: [String: Int32] = [:]
        let keys = Set(paths.joined()).union(strings).union(integers).sorted()
        try stack.ensure(Int32(keys.count + 8))
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        for k in keys {
            stack.push(k)
            slot[k] = lua_gettop(L)
        }
        let pathSlots = paths.map { $0.map { slot[$0] ?? 0 } }
        let stringSlots = strings.map { slot[$0] ?? 0 }, integerSlots = integers.map { slot[$0] ?? 0 }
        var out = RecordColumns(count: n, numbers: paths.map { _ in [Double?](repeating: nil, count: n) },
                                strings: strings.map { _ in [String?](repeating: nil, count: n) },
                                integers: integers.map { _ in [Int?](repeating: nil, count: n) })
        for row in 0..<n {
            if row & 0xFFFF == 0xFFFF, frontier_interrupt_pending() != 0 {
                throw LuaScriptError("interrupted!", code: "interrupted")
            }
            lua_rawgeti(L, list, lua_Integer(row + 1))
            guard lua_type(L, -1) == LUA_TTABLE else {
                let got = stack.typeName(at: -1)
                stack.pop()
                throw argumentError(i, "\(what) \(row + 1) must be a table, got \(got)")
            }
            let element = lua_gettop(L)
            for (k, path) in pathSlots.enumerated() {
                lua_pushvalue(L, element)
                var ok = true
                for key in path {
                    guard lua_type(L, -1) == LUA_TTABLE else { ok = false; break }
                    lua_pushvalue(L, key)
                    lua_rawget(L, -2)
                    frontier_remove(L, -2)
                }
                if ok, lua_type(L, -1) == LUA_TNUMBER { out.numbers[k][row] = lua_tonumberx(L, -1, nil) }
                stack.pop()
            }
            for (k, key) in stringSlots.enumerated() {
                lua_pushvalue(L, key)
                lua_rawget(L, element)
                out.strings[k][row] = stack.string(at: -1)
                stack.pop()
            }
            for (k, key) in integerSlots.enumerated() {
                lua_pushvalue(L, key)
                lua_rawget(L, element)
                if lua_type(L, -1) == LUA_TNUMBER {
                    if frontier_isinteger(L, -1) != 0 {
                        out.integers[k][row] = Int(lua_tointegerx(L, -1, nil))
                    } else {
                        let d = lua_tonumberx(L, -1, nil)
                        if d.rounded() == d { out.integers[k][row] = Int(exactly: d) }
                    }
                }
                stack.pop()
            }
            stack.pop()  // the element
        }
        return out
    }

    /// The numbers of the list at field `key` of the table at argument `i` (a column of a
    /// columnar table such as `{ cost = {…}, quality = {…} }`); nil when the field is not a
    /// table. An element that is not a number is an argument error naming it.
    public func numberColumn(_ i: Int, field key: String) throws -> [Double]? {
        guard isTable(i) else { throw expected(i, "table") }
        try stack.ensure(4)
        stack.push(key)
        lua_rawget(L, Int32(i))
        defer { stack.pop() }
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        let column = lua_gettop(L)
        let n = Int(lua_rawlen(L, column))
        var out = [Double](repeating: 0, count: n)
        for row in 0..<n {
            lua_rawgeti(L, column, lua_Integer(row + 1))
            guard lua_type(L, -1) == LUA_TNUMBER else {
                let got = stack.typeName(at: -1)
                stack.pop()
                throw argumentError(i, "field '\(key)' item \(row + 1) must be a number, got \(got)")
            }
            out[row] = lua_tonumberx(L, -1, nil)
            stack.pop()
        }
        return out
    }

    /// The strings of the list at field `key` of the table at argument `i`; nil when the
    /// field is not a table. An element that is not a string is an argument error.
    public func stringColumn(_ i: Int, field key: String) throws -> [String]? {
        guard isTable(i) else { throw expected(i, "table") }
        try stack.ensure(4)
        stack.push(key)
        lua_rawget(L, Int32(i))
        defer { stack.pop() }
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        let column = lua_gettop(L)
        let n = Int(lua_rawlen(L, column))
        var out: [String] = []
        out.reserveCapacity(n)
        for row in 0..<n {
            lua_rawgeti(L, column, lua_Integer(row + 1))
            defer { stack.pop() }
            if let s = stack.string(at: -1) {
                out.append(s)
            } else if lua_type(L, -1) == LUA_TNUMBER {
                out.append(frontier_isinteger(L, -1) != 0 ? String(lua_tointegerx(L, -1, nil)) : String(lua_tonumberx(L, -1, nil)))
            } else {
                throw argumentError(i, "field '\(key)' item \(row + 1) must be a string, got \(stack.typeName(at: -1))")
            }
        }
        return out
    }

    /// Whether the table at argument `i` holds a list (element 1 is present).
    public func isList(_ i: Int) -> Bool {
        guard isTable(i) else { return false }
        lua_rawgeti(L, Int32(i), 1)
        defer { stack.pop() }
        return lua_type(L, -1) != LUA_TNIL
    }

    /// Pushes a list of `count` tables with fields `keys`: field `k` of record `row` is
    /// `value(row, k)` (nil leaves it out). `metatable`, when given, is set on the list
    /// (e.g. `["columns": …]` for the REPL's table printing).
    public func pushRecords(count: Int, keys: [String], metatable: LuaValue? = nil,
                            _ value: (_ row: Int, _ key: Int) -> LuaValue) throws {
        try stack.ensure(Int32(keys.count + 8))
        let base = lua_gettop(L)
        for k in keys { stack.push(k) }
        lua_createtable(L, Int32(clamping: count), 0)
        let list = lua_gettop(L)
        for row in 0..<count {
            lua_createtable(L, 0, Int32(clamping: keys.count))
            for k in keys.indices {
                let v = value(row, k)
                if v.isNil { continue }
                lua_pushvalue(L, base + 1 + Int32(k))
                try stack.push(v)
                lua_rawset(L, -3)
            }
            lua_rawseti(L, list, lua_Integer(row + 1))
        }
        if let metatable {
            try stack.push(metatable)
            lua_setmetatable(L, list)
        }
        // The list replaces the keys.
        lua_copy(L, list, base + 1)
        lua_settop(L, base + 1)
    }

    /// Pushes a table of columns: `{ [keys[k]] = { value(0, k), value(1, k), … } }`, each
    /// column `count` long (a nil value leaves a hole).
    public func pushColumns(count: Int, keys: [String], _ value: (_ row: Int, _ key: Int) -> LuaValue) throws {
        try stack.ensure(8)
        lua_createtable(L, 0, Int32(clamping: keys.count))
        for (k, key) in keys.enumerated() {
            stack.push(key)
            lua_createtable(L, Int32(clamping: count), 0)
            for row in 0..<count {
                let v = value(row, k)
                if v.isNil { continue }
                try stack.push(v)
                lua_rawseti(L, -2, lua_Integer(row + 1))
            }
            lua_rawset(L, -3)
        }
    }
}
