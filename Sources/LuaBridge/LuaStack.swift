import CLua
import CLuaShim

/// Low-level stack operations on one `lua_State`. Everything here uses only
/// calls that cannot raise a Lua error (raw table access, no metamethods;
/// allocation failures abort in our allocator), so it is safe from Swift.
struct LuaStack {
    let L: OpaquePointer

    /// Deepest table nesting converted; deeper (or cyclic) tables are an error.
    static let maxDepth = 64

    var top: Int32 { lua_gettop(L) }
    func pop(_ n: Int32 = 1) { frontier_pop(L, n) }
    func setTop(_ n: Int32) { lua_settop(L, n) }
    func type(at i: Int32) -> Int32 { lua_type(L, i) }
    func typeName(at i: Int32) -> String {
        // luaL_typename, but __name of a metatable names frontier objects.
        if lua_type(L, i) == LUA_TUSERDATA, lua_getmetatable(L, i) != 0 {
            lua_pushstring(L, "__name")
            lua_rawget(L, -2)
            defer { pop(2) }
            if lua_type(L, -1) == LUA_TSTRING, let s = string(at: -1) { return s }
        }
        return String(cString: lua_typename(L, lua_type(L, i)))
    }

    func ensure(_ n: Int32) throws {
        if lua_checkstack(L, n) == 0 {
            throw LuaScriptError("Lua stack overflow (nesting too deep)")
        }
    }

    // MARK: push

    func push(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            _ = buf.withMemoryRebound(to: CChar.self) { lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    func push(_ v: LuaValue, depth: Int = 0) throws {
        try ensure(3)
        switch v {
        case .nil: lua_pushnil(L)
        case .bool(let b): lua_pushboolean(L, b ? 1 : 0)
        case .int(let i): lua_pushinteger(L, lua_Integer(i))
        case .double(let d): lua_pushnumber(L, d)
        case .string(let s): push(s)
        case .array(let a):
            guard depth < Self.maxDepth else { throw LuaScriptError("value nested deeper than \(Self.maxDepth) levels") }
            lua_createtable(L, Int32(clamping: a.count), 0)
            for (i, e) in a.enumerated() {
                try push(e, depth: depth + 1)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case .table(let t):
            guard depth < Self.maxDepth else { throw LuaScriptError("value nested deeper than \(Self.maxDepth) levels") }
            lua_createtable(L, 0, Int32(clamping: t.count))
            for (k, e) in t {
                push(k)
                try push(e, depth: depth + 1)
                lua_rawset(L, -3)
            }
        }
    }

    // MARK: read

    /// The string at `i` without converting numbers in place (which would
    /// confuse `lua_next` when `i` is a key).
    func string(at i: Int32) -> String? {
        guard lua_type(L, i) == LUA_TSTRING else { return nil }
        var len = 0
        guard let p = frontier_tostring(L, i, &len) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: p, count: len)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads the value at `i` as plain data. Functions, userdata and threads
    /// cannot be copied and are an error naming where they were found.
    func value(at i: Int32, path: String = "value") throws -> LuaValue {
        var walk = Walk()
        return try value(at: i, depth: 0, path: path, walk: &walk)
    }

    /// Bounds one conversion: tables on the current path (cycles), values
    /// converted so far (a table shared many times over can be exponential).
    struct Walk {
        var onPath: Set<UnsafeRawPointer> = []
        var values = 0
        /// Values one conversion may produce; settable so tests can reach it quickly.
        nonisolated(unsafe) static var maxValues = 10_000_000
    }

    private func value(at i: Int32, depth: Int, path: String, walk: inout Walk) throws -> LuaValue {
        let i = lua_absindex(L, i)
        walk.values += 1
        if walk.values > Walk.maxValues {
            throw LuaScriptError("\(path): more than \(Walk.maxValues) values to convert (a table shared many times?)")
        }
        if walk.values & 0xFFFF == 0, frontier_interrupt_pending() != 0 { throw LuaScriptError("interrupted!", code: "interrupted") }
        switch lua_type(L, i) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, i) != 0)
        case LUA_TNUMBER:
            if frontier_isinteger(L, i) != 0 { return .int(Int(lua_tointegerx(L, i, nil))) }
            return .double(lua_tonumberx(L, i, nil))
        case LUA_TSTRING: return .string(string(at: i) ?? "")
        case LUA_TTABLE: return try table(at: i, depth: depth, path: path, walk: &walk)
        default:
            throw LuaScriptError("\(path) is a \(typeName(at: i)), which cannot be converted to data")
        }
    }

    private func table(at i: Int32, depth: Int, path: String, walk: inout Walk) throws -> LuaValue {
        guard depth < Self.maxDepth else {
            throw LuaScriptError("\(path) is nested deeper than \(Self.maxDepth) levels")
        }
        guard let me = lua_topointer(L, i) else { return .table([:]) }
        guard walk.onPath.insert(me).inserted else {
            throw LuaScriptError("\(path) contains itself (a cycle); only trees of tables convert")
        }
        defer { walk.onPath.remove(me) }
        try ensure(4)
        let n = Int(lua_rawlen(L, i))
        var ints: [Int: LuaValue] = [:]
        var strings: [String: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, i) != 0 {
            // key at -2, value at -1
            if lua_type(L, -2) == LUA_TSTRING, let k = string(at: -2) {
                do { strings[k] = try value(at: -1, depth: depth + 1, path: "\(path).\(k)", walk: &walk) }
                catch { pop(2); throw error }
            } else if lua_type(L, -2) == LUA_TNUMBER, frontier_isinteger(L, -2) != 0 {
                let k = Int(lua_tointegerx(L, -2, nil))
                do { ints[k] = try value(at: -1, depth: depth + 1, path: "\(path)[\(k)]", walk: &walk) }
                catch { pop(2); throw error }
            } else {
                let kt = typeName(at: -2)
                pop(2)
                throw LuaScriptError("\(path) has a key of type \(kt); only string and integer keys convert")
            }
            pop(1)
        }
        if strings.isEmpty, !ints.isEmpty, ints.count == n, (1...n).allSatisfy({ ints[$0] != nil }) {
            return .array((1...n).map { ints[$0] ?? .nil })
        }
        for (k, v) in ints { strings[String(k)] = v }
        return .table(strings)
    }
}
