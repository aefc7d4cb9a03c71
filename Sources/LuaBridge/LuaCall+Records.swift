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
        /// `names[i]`: the first of the `name` keys of element `i` that holds a string.
        public var names: [String?]
    }

    /// Reads `numbers` (dotted paths such as `ttft.p50`), `strings` and `integers` (plain
    /// keys), and the first of the `name` keys holding a string, from each element of the
    /// list at argument `i`. An element that is not a table is
    /// an argument error naming it as `what` (e.g. "point 3 must be a table, got number").
    public func records(_ i: Int, numbers: [String], strings: [String] = [], integers: [String] = [],
                        name: [String] = [], what: String = "item") throws -> RecordColumns {
        guard isTable(i) else { throw expected(i, "table") }
        let list = Int32(i)
        let n = Int(lua_rawlen(L, list))
        let paths = numbers.map { $0.split(separator: ".").map(String.init) }
        // Plain keys are read in one pass in C; dotted paths walk nested tables below.
        // The name keys first, in the caller's order: reading stops at the first string among them.
        let others = Set(paths.filter { $0.count == 1 }.joined()).union(strings).union(integers).subtracting(name).sorted()
        let flat = name + others
        let nested = paths.filter { $0.count > 1 }
        let keys = Array(Set(flat).union(nested.joined())).sorted()
        let firstString = flat.map { name.contains($0) ? UInt8(1) : 0 }
        try stack.ensure(Int32(keys.count + 8))
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var slot: [String: Int32] = [:]
        for k in keys {
            stack.push(k)
            slot[k] = lua_gettop(L)
        }
        var kindBuffer = [UInt8](repeating: 0, count: flat.count * n)
        var valueBuffer = [Double](repeating: 0, count: flat.count * n)
        var textBuffer = [UnsafePointer<CChar>?](repeating: nil, count: flat.count * n)
        var lengthBuffer = [Int](repeating: 0, count: flat.count * n)
        let bad = flat.map { slot[$0] ?? 0 }.withUnsafeBufferPointer { keySlots in
            frontier_read_fields(L, list, keySlots.baseAddress, firstString, Int32(flat.count), Int32(n),
                                 &kindBuffer, &valueBuffer, &textBuffer, &lengthBuffer)
        }
        if bad != 0 {
            lua_rawgeti(L, list, lua_Integer(bad))
            throw argumentError(i, "\(what) \(bad) must be a table, got \(stack.typeName(at: -1))")
        }
        if frontier_interrupt_pending() != 0 { throw LuaScriptError("interrupted!", code: "interrupted") }
        // Immutable from here: the loops below read them without exclusivity checks.
        let kinds = kindBuffer, values = valueBuffer, texts = textBuffer, lengths = lengthBuffer
        let column = Dictionary(uniqueKeysWithValues: flat.enumerated().map { ($1, $0 * n) })
        let stringKind = UInt8(FRONTIER_FIELD_STRING), integerKind = UInt8(FRONTIER_FIELD_INTEGER),
            floatKind = UInt8(FRONTIER_FIELD_FLOAT)
        func text(_ at: Int) -> String? {
            guard kinds[at] == stringKind, let p = texts[at] else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: p, count: lengths[at]), as: UTF8.self)
        }
        func stringsAt(_ base: Int) -> [String?] { (0..<n).map { text(base + $0) } }
        func numbersAt(_ base: Int) -> [Double?] {
            var out = [Double?](repeating: nil, count: n)
            for r in 0..<n where kinds[base + r] == integerKind || kinds[base + r] == floatKind { out[r] = values[base + r] }
            return out
        }
        var out = RecordColumns(count: n, numbers: [], strings: [], integers: [], names: [])
        for path in paths {
            if path.count == 1, let base = column[path[0]] {
                out.numbers.append(numbersAt(base))
            } else {
                out.numbers.append(try walk(list, path.map { slot[$0] ?? 0 }, n))
            }
        }
        out.strings = strings.map { stringsAt(column[$0] ?? 0) }
        out.integers = integers.map { key in
            numbersAt(column[key] ?? 0).map { d -> Int? in
                guard let d, d.rounded() == d else { return nil }
                return Int(exactly: d)
            }
        }
        if !name.isEmpty {
            // The first key holding a string, per row: strings are made only for that one.
            let bases = name.map { column[$0] ?? 0 }
            out.names = (0..<n).map { r in bases.first { kinds[$0 + r] == stringKind }.flatMap { text($0 + r) } }
        }
        return out
    }

    /// A dotted path (`ttft.p50`) of every element of the list at `list`, walking nested
    /// tables by raw access; nil where a step is missing or the value is not a number.
    private func walk(_ list: Int32, _ path: [Int32], _ n: Int) throws -> [Double?] {
        var out = [Double?](repeating: nil, count: n)
        for row in 0..<n {
            if row & 0xFFFF == 0xFFFF, frontier_interrupt_pending() != 0 {
                throw LuaScriptError("interrupted!", code: "interrupted")
            }
            lua_rawgeti(L, list, lua_Integer(row + 1))
            var ok = true
            for key in path {
                guard lua_type(L, -1) == LUA_TTABLE else { ok = false; break }
                lua_pushvalue(L, key)
                lua_rawget(L, -2)
                frontier_remove(L, -2)
            }
            if ok, lua_type(L, -1) == LUA_TNUMBER { out[row] = lua_tonumberx(L, -1, nil) }
            stack.pop()
        }
        return out
    }

    /// The numbers of the list at field `key` of the table at argument `i` (a column of a
    /// columnar table such as `{ cost = {…}, quality = {…} }`); nil when the field is not a
    /// table. An element that is not a number is an argument error naming it.
    public func numberColumn(_ i: Int, field key: String) throws -> [Double]? {
        try column(i, key, "a number") { lua_type(L, -1) == LUA_TNUMBER ? lua_tonumberx(L, -1, nil) : nil }
    }

    /// The strings of the list at field `key` of the table at argument `i` (numbers are
    /// written out); nil when the field is not a table. Anything else is an argument error.
    public func stringColumn(_ i: Int, field key: String) throws -> [String]? {
        try column(i, key, "a string") {
            if let s = stack.string(at: -1) { return s }
            guard lua_type(L, -1) == LUA_TNUMBER else { return nil }
            return frontier_isinteger(L, -1) != 0 ? String(lua_tointegerx(L, -1, nil)) : String(lua_tonumberx(L, -1, nil))
        }
    }

    /// Each element of the list at field `key` of argument `i`, read by `element` from the
    /// stack top (nil: not what is `expected`, an argument error naming the item).
    private func column<T>(_ i: Int, _ key: String, _ expected: String, _ element: () -> T?) throws -> [T]? {
        guard isTable(i) else { throw self.expected(i, "table") }
        try stack.ensure(4)
        stack.push(key)
        lua_rawget(L, Int32(i))
        defer { stack.pop() }
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        let list = lua_gettop(L)
        let n = Int(lua_rawlen(L, list))
        var out: [T] = []
        out.reserveCapacity(n)
        for row in 0..<n {
            lua_rawgeti(L, list, lua_Integer(row + 1))
            defer { stack.pop() }
            guard let v = element() else {
                throw argumentError(i, "field '\(key)' item \(row + 1) must be \(expected), got \(stack.typeName(at: -1))")
            }
            out.append(v)
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
