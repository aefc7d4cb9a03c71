import CLua
import CLuaShim

extension LuaCall {
    /// The documented name of argument `i` (a binding or module), if any.
    public func documentedName(_ i: Int) -> String? {
        guard i <= count else { return nil }
        return vm.documentedName(ofValueAt: Int32(i), L: L)
    }

    /// Documents argument `i` (a function or table written in Lua).
    public func document(_ i: Int, _ doc: LuaDoc) throws {
        guard i <= count, lua_type(L, Int32(i)) == LUA_TFUNCTION || lua_type(L, Int32(i)) == LUA_TTABLE else {
            throw expected(i, "function or table")
        }
        vm.addDoc(doc, forValueAt: Int32(i), L: L)
    }

    /// Pushes argument `i` itself (any type) as a result.
    public func pushArgument(_ i: Int) throws {
        try stack.ensure(1)
        lua_pushvalue(L, Int32(i))
    }
}

extension LuaVM {
    /// Completions for the expression prefix at the end of `text`, as the
    /// REPL's Tab offers them: global names, or fields after `a.b.` / `a:`.
    /// Only raw lookups: completing never runs Lua code.
    public func completions(for text: String) -> [String] {
        guard let L = mainState else { return [] }
        // The trailing run of name characters, dots and colons.
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:")
        let word = String(text.reversed().prefix { allowed.contains($0) }.reversed())
        var parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var methodsOnly = false
        var last = parts.removeLast()
        if let colon = last.firstIndex(of: ":") {
            parts.append(String(last[..<colon]))
            last = String(last[last.index(after: colon)...])
            methodsOnly = true
        }
        let stack = LuaStack(L: L)
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        guard lua_checkstack(L, 8) != 0 else { return [] }
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        for p in parts {
            guard pushFieldTable(L) != nil else { return [] }
            stack.push(p)
            lua_rawget(L, -2)
            frontier_remove(L, -2)
        }
        // After a colon on a plain table with a class-style metatable (a run table:
        // `Run.__index` is a function, the methods are the metatable's own fields), the
        // metatable's functions are the methods to offer.
        var classMethods = false
        if methodsOnly, lua_type(L, -1) == LUA_TTABLE, lua_getmetatable(L, -1) != 0 {
            stack.push("__index")
            lua_rawget(L, -2)
            classMethods = lua_type(L, -1) == LUA_TFUNCTION
            stack.pop()
            if classMethods { frontier_remove(L, -2) } else { stack.pop() }
        }
        guard classMethods || pushFieldTable(L) != nil else { return [] }
        var names: [String] = []
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if lua_type(L, -2) == LUA_TSTRING, let k = stack.string(at: -2), k.hasPrefix(last),
               !k.hasPrefix("__") || last.hasPrefix("__") {
                if !methodsOnly || lua_type(L, -1) == LUA_TFUNCTION {
                    names.append(k)
                }
            }
            frontier_pop(L, 1)
        }
        let prefix = String(word.dropLast(last.count))
        return names.sorted().map { prefix + $0 }
    }

    /// Replaces the value on top with the table whose keys complete it: the
    /// table itself, or the `__index` table of its metatable (a registered
    /// type's methods when `__index` is a function). nil if there is none.
    private func pushFieldTable(_ L: OpaquePointer) -> Int32? {
        if lua_type(L, -1) == LUA_TTABLE { return lua_gettop(L) }
        guard lua_getmetatable(L, -1) != 0 else { return nil }
        let stack = LuaStack(L: L)
        stack.push("__index")
        lua_rawget(L, -2)
        if lua_type(L, -1) == LUA_TTABLE {
            frontier_remove(L, -2)  // metatable
            frontier_remove(L, -2)  // value
            return lua_gettop(L)
        }
        stack.pop()
        stack.push("__name")
        lua_rawget(L, -2)
        let name = stack.string(at: -1)
        stack.pop(3)  // name, metatable, value
        guard let name, let ref = methodTables["frontier.\(name)"] else { return nil }
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(ref))
        return lua_gettop(L)
    }
}

extension LuaCall {
    /// The table argument `i` as data, leaving out `skipping` keys (fields
    /// that hold functions or objects, read with `function(_:field:)` and
    /// `object(_:field:as:)`).
    public func fields(_ i: Int, skipping: Set<String>) throws -> [String: LuaValue] {
        guard isTable(i) else { throw expected(i, "table") }
        try stack.ensure(4)
        let idx = Int32(i)
        var out: [String: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, idx) != 0 {
            defer { frontier_pop(L, 1) }
            guard lua_type(L, -2) == LUA_TSTRING, let k = stack.string(at: -2) else {
                let kt = stack.typeName(at: -2)
                frontier_pop(L, 2)
                throw argumentError(i, "table of named options expected (found a \(kt) key)")
            }
            if skipping.contains(k) { continue }
            do { out[k] = try stack.value(at: -1, path: k) } catch {
                frontier_pop(L, 2)
                throw argumentError(i, "field \(error)")
            }
        }
        return out
    }

    /// Pushes field `key` of table argument `i` (raw), runs `body`, pops it.
    private func withField<T>(_ i: Int, _ key: String, _ body: () throws -> T) throws -> T {
        guard isTable(i) else { throw expected(i, "table") }
        try stack.ensure(2)
        stack.push(key)
        lua_rawget(L, Int32(i))
        defer { frontier_pop(L, 1) }
        return try body()
    }

    /// Field `key` of table argument `i` as a function (nil when absent).
    public func function(_ i: Int, field key: String) throws -> LuaFunction? {
        try withField(i, key) {
            switch lua_type(L, -1) {
            case LUA_TNIL: return nil
            case LUA_TFUNCTION: return LuaFunction(vm: vm, L: L, index: -1)
            default: throw argumentError(i, "field '\(key)' must be a function, got \(stack.typeName(at: -1))")
            }
        }
    }

    /// Field `key` of table argument `i` as an object of registered type `T`
    /// (nil when absent or of another type).
    public func object<T: AnyObject>(_ i: Int, field key: String, as type: T.Type) throws -> T? {
        try withField(i, key) {
            guard let tname = vm.typeNames[ObjectIdentifier(type)],
                  let raw = frontier_to_object(L, -1, tname) else { return nil }
            return Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as? T
        }
    }

    /// The Lua type name of field `key` of table argument `i`.
    public func typeName(_ i: Int, field key: String) throws -> String {
        try withField(i, key) { stack.typeName(at: -1) }
    }
}
