import CLua
import CLuaShim

/// A Lua function held by Swift (a registry reference), callable later from
/// the Lua thread: how callbacks passed to bindings are kept and run.
public final class LuaFunction {
    /// Weak: a function held past its VM's life must not touch freed memory.
    weak var vm: LuaVM?
    let ref: Int32

    init(vm: LuaVM, L: OpaquePointer, index: Int32) {
        self.vm = vm
        lua_pushvalue(L, index)
        ref = luaL_ref(L, frontier_registryindex())
    }

    deinit {
        if let L = vm?.mainState { luaL_unref(L, frontier_registryindex(), ref) }
    }

    func push(on L: OpaquePointer) throws {
        try LuaStack(L: L).ensure(1)
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(ref))
    }

    /// Calls the function in a protected call. A Lua error becomes
    /// `LuaError.runtime` with its traceback; re-entry (Lua → Swift → Lua) is fine.
    @discardableResult
    public func call(_ args: LuaValue...) throws -> [LuaValue] { try call(args) }

    @discardableResult
    public func call(_ args: [LuaValue]) throws -> [LuaValue] {
        guard let vm, vm.mainState != nil, let L = vm.current else { throw LuaError.unavailable("the Lua VM is closed") }
        let stack = LuaStack(L: L)
        let base = stack.top
        try stack.ensure(Int32(clamping: args.count + 2))
        try push(on: L)
        do { for a in args { try stack.push(a) } } catch { stack.setTop(base); throw error }
        return try vm.protectedCall(L: L, base: base, nargs: Int32(args.count))
    }

    /// Calls the function and leaves its results on the calling binding's
    /// stack, unconverted (any Lua values); returns how many. For bindings
    /// that hand a callback's results back to Lua as they are.
    public func callReturningResults(in call: LuaCall, _ args: [LuaValue] = []) throws -> Int {
        guard let vm, vm.mainState != nil else { throw LuaError.unavailable("the Lua VM is closed") }
        let L = call.L
        let stack = LuaStack(L: L)
        let base = stack.top
        try stack.ensure(Int32(clamping: args.count + 2))
        try push(on: L)
        do { for a in args { try stack.push(a) } } catch { stack.setTop(base); throw error }
        let status = frontier_pcall(L, Int32(args.count), LUA_MULTRET, 1)
        if status != LUA_OK {
            let error = vm.caughtError(L: L)
            stack.setTop(base)
            throw error
        }
        return Int(stack.top - base)
    }
}

extension LuaVM {
    /// Evaluates `code` (an expression such as `require('run').wrap`) and
    /// holds the function it yields, for bindings that call stdlib Lua code.
    public func function(evaluating code: String) throws -> LuaFunction {
        let L = try state()
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        let source = "return " + code
        var status = frontier_loadbuffer(L, source, source.utf8.count, "=function")
        if status == LUA_OK { status = frontier_pcall(L, 0, 1, 1) }
        guard status == LUA_OK, lua_type(L, -1) == LUA_TFUNCTION else {
            let why = status == LUA_OK ? "not a function" : (LuaStack(L: L).string(at: -1) ?? "error")
            throw LuaError.runtime(message: "\(code): \(why)", traceback: "")
        }
        return LuaFunction(vm: self, L: L, index: -1)
    }
}

extension LuaCall {
    /// Pushes an array whose elements `element(i)` (0-based) each push exactly one value.
    public func pushArray(count: Int, _ element: (Int) throws -> Void) throws {
        try stack.ensure(3)
        lua_createtable(L, Int32(clamping: count), 0)
        for i in 0..<count {
            let before = lua_gettop(L)
            try element(i)
            guard lua_gettop(L) == before + 1 else {
                lua_settop(L, before)
                throw LuaScriptError("internal: an array element pushed \(lua_gettop(L) - before) values")
            }
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
    }
}

extension LuaFunction {
    /// Calls the function with `prefix` values then a Swift object (as its
    /// registered userdata type), from inside a binding; results as data.
    public func callWithObject<T: AnyObject>(_ object: T, prefix: [LuaValue], in call: LuaCall) throws -> [LuaValue] {
        guard let vm, vm.mainState != nil else { throw LuaError.unavailable("the Lua VM is closed") }
        let L = call.L
        let stack = LuaStack(L: L)
        let base = stack.top
        try stack.ensure(Int32(clamping: prefix.count + 3))
        do {
            try push(on: L)
            for a in prefix { try stack.push(a) }
            try vm.pushObject(object, on: L)
        } catch { stack.setTop(base); throw error }
        return try vm.protectedCall(L: L, base: base, nargs: Int32(prefix.count + 1))
    }
}
