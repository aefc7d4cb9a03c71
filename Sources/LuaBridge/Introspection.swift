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
        guard pushFieldTable(L) != nil else { return [] }
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
