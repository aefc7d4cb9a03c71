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
        /// Number path `k` (`numbers:` order) of every element.
        public var numbers: [NumberColumn]
        /// String field `k` (`strings:` order) of every element.
        public var strings: [StringColumn]
        /// Integer field `k` (`integers:` order) of every element (read with ``NumberColumn/integer(_:)``).
        public var integers: [NumberColumn]
        /// Per element, the first of the `name` keys that holds a string.
        public var names: StringColumn
        /// Number field `k` (`unnamed:` order), read only for elements with no name string.
        public var unnamed: [NumberColumn]
    }

    /// One number per element of a list, read in a single pass: no optional per element.
    public struct NumberColumn {
        /// The numbers, 0 where an element has none (see ``subscript(_:)``); empty for an
        /// `unnamed:` field, read only in places.
        public let values: [Double]
        let kinds: CBuffer<UInt8>
        /// An `unnamed:` field's numbers, written only where `kinds` says there is one.
        var sparse: CBuffer<Double>? = nil

        /// Element `i`'s number; nil when absent or not a number.
        public subscript(_ i: Int) -> Double? {
            guard kinds[i] == UInt8(FRONTIER_FIELD_INTEGER) || kinds[i] == UInt8(FRONTIER_FIELD_FLOAT) else { return nil }
            return sparse?[i] ?? values[i]
        }

        /// Element `i` as an integer (a float with an exact integer value counts); nil otherwise.
        public func integer(_ i: Int) -> Int? {
            guard let d = self[i], d.rounded() == d else { return nil }
            return Int(exactly: d)
        }

        /// The first element with no number (absent or another type); nil when every one has one.
        public var firstMissing: Int? {
            (0..<kinds.count).first { kinds[$0] != UInt8(FRONTIER_FIELD_INTEGER) && kinds[$0] != UInt8(FRONTIER_FIELD_FLOAT) }
        }
    }

    /// One string per element of a list, read in place: a Swift `String` is made only for
    /// the elements asked, so a million ids cost nothing until a result names a few.
    /// Valid only while the binding that read it runs (it points into the strings of its
    /// argument, which Lua keeps alive while the argument is on the stack).
    public struct StringColumn {
        /// How many elements were read.
        public let count: Int
        let pointers: CBuffer<UnsafePointer<CChar>?>
        let lengths: CBuffer<Int>
        /// Numbers in the list (a list of ids may hold numbers), by kind; nil for fields read by key.
        let numbers: [Double]?
        let kinds: CBuffer<UInt8>?

        /// Whether element `i` is a string.
        public func isString(_ i: Int) -> Bool { pointers[i] != nil }

        /// Element `i`: its string, or a number in the list written out (integers without a
        /// decimal point); nil otherwise.
        public subscript(_ i: Int) -> String? {
            if let p = pointers[i] {
                return String(decoding: UnsafeRawBufferPointer(start: p, count: lengths[i]), as: UTF8.self)
            }
            guard let kinds, let numbers else { return nil }
            switch Int32(kinds[i]) {
            case Int32(FRONTIER_FIELD_INTEGER): return Int(exactly: numbers[i]).map(String.init) ?? String(numbers[i])
            case Int32(FRONTIER_FIELD_FLOAT): return String(numbers[i])
            default: return nil
            }
        }

        /// For each of `targets`, the first of elements 0..<`upTo` whose string has the same
        /// bytes; nil when none has. Elements that are not strings are skipped. `rows[t]`,
        /// when given, is an element whose string `targets[t]` is: with every short target
        /// given so, strings are compared by Lua's interning, never reading a row's bytes.
        public func firstEqual(_ targets: [String], rows: [Int?], upTo: Int) -> [Int?] {
            guard !targets.isEmpty else { return [] }
            // The targets' bytes in one buffer, so C sees stable pointers to all of them.
            var bytes: [CChar] = []
            var offsets: [Int] = [], sizes: [Int] = []
            for t in targets {
                offsets.append(bytes.count)
                sizes.append(t.utf8.count)
                bytes.append(contentsOf: t.utf8.map { CChar(bitPattern: $0) })
            }
            bytes.append(0)
            let interned = targets.indices.allSatisfy { t in
                sizes[t] > 40 || rows[t].map { pointers[$0] != nil && lengths[$0] == sizes[t] } == true
            }
            var size = 1
            while size <= 2 * targets.count { size *= 2 }
            var table = [Int32](repeating: -1, count: size)
            // About 64 filter bits per target (few false hits), at most 2^22 bits.
            var bits = 64
            while bits < 64 * targets.count, bits < 1 << 22 { bits *= 2 }
            var filter = [UInt64](repeating: 0, count: bits / 64)
            var first = [Int32](repeating: -1, count: targets.count)
            bytes.withUnsafeBufferPointer { b in
                let starts: [UnsafePointer<CChar>?] = targets.indices.map { t in
                    if interned, sizes[t] <= 40, let row = rows[t] { return UnsafePointer(pointers[row]) }
                    return b.baseAddress.map { $0 + offsets[t] }
                }
                frontier_first_equal(pointers.base, lengths.base, Int32(Swift.min(upTo, count)), starts, sizes,
                                     Int32(targets.count), interned ? 1 : 0, &table, Int32(size), &filter, Int32(bits), &first)
            }
            return first.map { $0 < 0 ? nil : Int($0) }
        }
    }

    /// Memory the C side fills: allocated here, freed with the last column that reads it (a
    /// Swift array's storage cannot be handed to C beyond one closure). Trivial element
    /// types only (numbers, pointers): nothing is deinitialised.
    final class CBuffer<T> {
        let base: UnsafeMutablePointer<T>
        let count: Int

        init(_ count: Int, _ value: T) {
            base = .allocate(capacity: Swift.max(count, 1))
            base.initialize(repeating: value, count: count)
            self.count = count
        }

        /// Left for C to fill: every entry must be written before it is read (the readers
        /// in the shim write all of them). Only for trivial types (numbers, pointers).
        init(uninitialized count: Int) {
            base = .allocate(capacity: Swift.max(count, 1))
            self.count = count
        }

        deinit {
            // Trivial element types: nothing to deinitialise, only the memory to free.
            base.deallocate()
        }

        subscript(_ i: Int) -> T { base[i] }
    }

    /// Reads `numbers` (dotted paths such as `ttft.p50`), `strings` and `integers` (plain
    /// keys), the first of the `name` keys holding a string, and `unnamed` numbers where no
    /// name key holds one, from each element of the list at argument `i`, in one pass with
    /// raw access. An element that is not a table is
    /// an argument error naming it as `what` (e.g. "point 3 must be a table, got number").
    /// Strings are read in place (see ``StringColumn``).
    public func records(_ i: Int, numbers: [String], strings: [String] = [], integers: [String] = [],
                        name: [String] = [], unnamed: [String] = [], what: String = "item") throws -> RecordColumns {
        guard isTable(i) else { throw expected(i, "table") }
        let list = Int32(i)
        let n = Int(lua_rawlen(L, list))
        let paths = numbers.map { $0.split(separator: ".").map(String.init) }
        // Plain keys are read in one pass in C; dotted paths walk nested tables below.
        let numberKeys = Array(Set(paths.filter { $0.count == 1 }.joined()).union(integers)).sorted()
        let keys = Array(Set(numberKeys).union(strings).union(name).union(unnamed).union(paths.filter { $0.count > 1 }.joined())).sorted()
        try stack.ensure(Int32(2 * keys.count + 8))
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        var slot: [String: Int32] = [:]
        for k in keys {
            stack.push(k)
            slot[k] = lua_gettop(L)
        }
        // One buffer set per field: numbers for number keys, pointers for string keys; C
        // writes every entry, so none is cleared first.
        let numberFields = numberKeys.map { ($0, false) } + unnamed.map { ($0, true) }
        let kinds = (0..<(numberFields.count + strings.count)).map { _ in CBuffer<UInt8>(uninitialized: n) }
        let texts = strings.map { _ in CBuffer<UnsafePointer<CChar>?>(uninitialized: n) }
        let lengths = (0...strings.count).map { _ in CBuffer<Int>(uninitialized: n) }
        let names = CBuffer<UnsafePointer<CChar>?>(uninitialized: name.isEmpty ? 0 : n)
        var bad: Int32 = 0
        // Numbers go straight into the arrays the caller keeps (no copy): one array per
        // field, each made around the next, and C reads inside the innermost.
        let sparse = unnamed.map { _ in CBuffer<Double>(uninitialized: n) }
        func read(_ k: Int, _ numbers: [UnsafeMutablePointer<Double>?]) -> [[Double]] {
            guard k == numberKeys.count else {
                var rest: [[Double]] = []
                let mine = [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
                    rest = read(k + 1, numbers + [buffer.baseAddress])
                    initialized = bad == 0 ? n : 0 // C wrote every entry unless it stopped early
                }
                return [mine] + rest
            }
            let buffers = numbers + sparse.map { Optional($0.base) }
            var fields = numberFields.enumerated().map { k, field in
                frontier_field(key: slot[field.0] ?? 0, unless_named: field.1 ? 1 : 0, kinds: kinds[k].base,
                               numbers: buffers[k], strings: nil, lengths: nil)
            }
            for (k, key) in strings.enumerated() {
                fields.append(frontier_field(key: slot[key] ?? 0, unless_named: 0, kinds: kinds[numberFields.count + k].base,
                                             numbers: nil, strings: texts[k].base, lengths: lengths[k].base))
            }
            bad = frontier_read_records(L, list, Int32(n), fields, Int32(fields.count), name.map { slot[$0] ?? 0 },
                                        Int32(name.count), names.base, lengths[strings.count].base)
            return []
        }
        let values = read(0, [])
        if bad != 0 {
            lua_rawgeti(L, list, lua_Integer(bad))
            throw argumentError(i, "\(what) \(bad) must be a table, got \(stack.typeName(at: -1))")
        }
        if frontier_interrupt_pending() != 0 { throw LuaScriptError("interrupted!", code: "interrupted") }
        func numberColumn(_ key: String) -> NumberColumn {
            let k = numberKeys.firstIndex(of: key) ?? 0
            return NumberColumn(values: values[k], kinds: kinds[k])
        }
        var out = RecordColumns(count: n, numbers: [], strings: [], integers: [],
                                names: StringColumn(count: name.isEmpty ? 0 : n, pointers: names, lengths: lengths[strings.count],
                                                    numbers: nil, kinds: nil),
                                unnamed: unnamed.indices.map { k in
                                    NumberColumn(values: [], kinds: kinds[numberKeys.count + k], sparse: sparse[k])
                                })
        for path in paths {
            if path.count == 1 {
                out.numbers.append(numberColumn(path[0]))
            } else {
                out.numbers.append(try walk(list, path.map { slot[$0] ?? 0 }, n))
            }
        }
        out.strings = strings.indices.map { k in
            StringColumn(count: n, pointers: texts[k], lengths: lengths[k], numbers: nil, kinds: nil)
        }
        out.integers = integers.map(numberColumn)
        return out
    }

    /// A dotted path (`ttft.p50`) of every element of the list at `list`, walking nested
    /// tables by raw access; absent where a step is missing or the value is not a number.
    private func walk(_ list: Int32, _ path: [Int32], _ n: Int) throws -> NumberColumn {
        var values = [Double](repeating: 0, count: n)
        let kinds = CBuffer<UInt8>(n, 0)
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
            if ok, lua_type(L, -1) == LUA_TNUMBER {
                values[row] = lua_tonumberx(L, -1, nil)
                kinds.base[row] = UInt8(FRONTIER_FIELD_FLOAT)
            }
            stack.pop()
        }
        return NumberColumn(values: values, kinds: kinds)
    }

    /// The numbers of the list at field `key` of the table at argument `i` (a column of a
    /// columnar table such as `{ cost = {…}, quality = {…} }`); nil when the field is not a
    /// table. An element that is not a number is an argument error naming it.
    public func numberColumn(_ i: Int, field key: String) throws -> [Double]? {
        try column(i, key, "a number", strings: false) { n, kinds, numbers, _, _ in
            if let bad = (0..<n).first(where: { kinds[$0] != UInt8(FRONTIER_FIELD_INTEGER) && kinds[$0] != UInt8(FRONTIER_FIELD_FLOAT) }) {
                return .failure(bad)
            }
            return .success(numbers)
        }
    }

    /// The strings of the list at field `key` of the table at argument `i`, read in place
    /// (numbers are written out when asked); nil when the field is not a table. Anything
    /// else is an argument error naming the item.
    public func stringColumn(_ i: Int, field key: String) throws -> StringColumn? {
        try column(i, key, "a string", strings: true) { n, kinds, numbers, texts, lengths in
            if let bad = (0..<n).first(where: { kinds[$0] == UInt8(FRONTIER_FIELD_ABSENT) }) { return .failure(bad) }
            return .success(StringColumn(count: n, pointers: texts, lengths: lengths, numbers: numbers, kinds: kinds))
        }
    }

    /// The list at field `key` of argument `i` read in one C pass, then checked and kept by
    /// `make` (`.failure(row)`: element `row` is not `expected`, an argument error naming it).
    private func column<T>(_ i: Int, _ key: String, _ expected: String, strings: Bool,
                           _ make: (Int, CBuffer<UInt8>, [Double], CBuffer<UnsafePointer<CChar>?>, CBuffer<Int>) -> ColumnRead<T>) throws -> T? {
        guard isTable(i) else { throw self.expected(i, "table") }
        try stack.ensure(4)
        stack.push(key)
        lua_rawget(L, Int32(i))
        defer { stack.pop() }
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        let list = lua_gettop(L)
        let n = Int(lua_rawlen(L, list))
        let kinds = CBuffer<UInt8>(uninitialized: n)
        let texts = CBuffer<UnsafePointer<CChar>?>(uninitialized: strings ? n : 0), lengths = CBuffer<Int>(uninitialized: strings ? n : 0)
        // C writes every entry: the numbers go straight into the array kept.
        let numbers = [Double](unsafeUninitializedCapacity: n) { buffer, initialized in
            frontier_read_list(L, list, Int32(n), kinds.base, buffer.baseAddress, strings ? texts.base : nil, strings ? lengths.base : nil)
            initialized = n
        }
        switch make(n, kinds, numbers, texts, lengths) {
        case .success(let v): return v
        case .failure(let row):
            lua_rawgeti(L, list, lua_Integer(row + 1))
            defer { stack.pop() }
            throw argumentError(i, "field '\(key)' item \(row + 1) must be \(expected), got \(stack.typeName(at: -1))")
        }
    }

    private enum ColumnRead<T> {
        case success(T)
        case failure(Int)
    }

    /// Whether the table at argument `i` holds a list (element 1 is present).
    public func isList(_ i: Int) -> Bool {
        guard isTable(i) else { return false }
        lua_rawgeti(L, Int32(i), 1)
        defer { stack.pop() }
        return lua_type(L, -1) != LUA_TNIL
    }

    /// Where a record's fields go, field `k` of a known key list at a time: the Lua stack
    /// (``RecordWriter``) or a ``LuaValue`` table, so one list of a record's fields serves both.
    public protocol RecordFields {
        mutating func set(_ k: Int, _ v: Double?)
        mutating func set(_ k: Int, _ v: Int?)
        mutating func set(_ k: Int, _ v: Bool?)
        mutating func set(_ k: Int, _ v: String?)
        mutating func set(_ k: Int, _ v: LuaValue) throws
    }

    /// Collects a record's fields into a table (nil leaves a field out).
    public struct RecordTable: RecordFields {
        public let keys: [String]
        public private(set) var fields: [String: LuaValue] = [:]

        public init(keys: [String]) { self.keys = keys }

        public mutating func set(_ k: Int, _ v: Double?) { if let v { fields[keys[k]] = .double(v) } }
        public mutating func set(_ k: Int, _ v: Int?) { if let v { fields[keys[k]] = .int(v) } }
        public mutating func set(_ k: Int, _ v: Bool?) { if let v { fields[keys[k]] = .bool(v) } }
        public mutating func set(_ k: Int, _ v: String?) { if let v { fields[keys[k]] = .string(v) } }
        public mutating func set(_ k: Int, _ v: LuaValue) { if !v.isNil { fields[keys[k]] = v } }
    }

    /// Writes the fields of one record pushed by ``pushRecords(count:keys:metatable:fields:)``:
    /// each value is pushed as it is given (no `LuaValue` in between), nil leaves a field
    /// out, and the record's table is then made with room for exactly the fields set.
    public struct RecordWriter: RecordFields {
        let L: OpaquePointer
        /// Stack slot of `keys[0]`; the other keys follow.
        let keys: Int32
        var set: Int32 = 0

        private mutating func key(_ k: Int) {
            lua_pushvalue(L, keys + Int32(k))
            set += 1
        }

        /// Field `k` is the number `v` (left out when nil).
        public mutating func set(_ k: Int, _ v: Double?) {
            guard let v else { return }
            key(k)
            lua_pushnumber(L, v)
        }

        /// Field `k` is the integer `v` (left out when nil).
        public mutating func set(_ k: Int, _ v: Int?) {
            guard let v else { return }
            key(k)
            lua_pushinteger(L, lua_Integer(v))
        }

        /// Field `k` is the boolean `v` (left out when nil).
        public mutating func set(_ k: Int, _ v: Bool?) {
            guard let v else { return }
            key(k)
            lua_pushboolean(L, v ? 1 : 0)
        }

        /// Field `k` is the string `v` (left out when nil).
        public mutating func set(_ k: Int, _ v: String?) {
            guard let v else { return }
            key(k)
            LuaStack(L: L).push(v)
        }

        /// Field `k` is any value (left out when nil); tables are converted whole.
        public mutating func set(_ k: Int, _ v: LuaValue) throws {
            if v.isNil { return }
            key(k)
            try LuaStack(L: L).push(v)
        }
    }

    /// Pushes a list of `count` tables with fields `keys`, record `row` written by
    /// `fields(row, &writer)` with keys by their index in `keys`. `metatable`, when given,
    /// is set on the list (e.g. `["columns": …]` for the REPL's table printing). Keys are
    /// pushed once and reused; each table is created with its size known.
    public func pushRecords(count: Int, keys: [String], metatable: LuaValue? = nil,
                            fields: (_ row: Int, _ writer: inout RecordWriter) throws -> Void) throws {
        // Keys, the list, and one record's key/value pairs (plus room for a nested value).
        try stack.ensure(Int32(clamping: 3 * keys.count + 16))
        let base = lua_gettop(L)
        for k in keys { stack.push(k) }
        lua_createtable(L, Int32(clamping: count), 0)
        let list = lua_gettop(L)
        for row in 0..<count {
            if row & 0x3FFF == 0x3FFF, frontier_interrupt_pending() != 0 {
                lua_settop(L, base)
                throw LuaScriptError("interrupted!", code: "interrupted")
            }
            var writer = RecordWriter(L: L, keys: base + 1)
            do { try fields(row, &writer) } catch {
                lua_settop(L, base)
                throw error
            }
            // The pairs are on the stack: make the table below them, then set them.
            lua_createtable(L, 0, writer.set)
            lua_rotate(L, list + 1, 1)
            for _ in 0..<writer.set { lua_rawset(L, list + 1) }
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

    /// The same, with field `k` of record `row` given as a value (nil leaves it out).
    public func pushRecords(count: Int, keys: [String], metatable: LuaValue? = nil,
                            _ value: (_ row: Int, _ key: Int) -> LuaValue) throws {
        try pushRecords(count: count, keys: keys, metatable: metatable) { row, w in
            for k in keys.indices { try w.set(k, value(row, k)) }
        }
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
