import CLua
import CLuaShim

/// A Lua function held by Swift (a registry reference), callable later from
/// the Lua thread: how callbacks passed to bindings are kept and run.
public final class LuaFunction {
    unowned(unsafe) let vm: LuaVM
    let ref: Int32

    init(vm: LuaVM, L: OpaquePointer, index: Int32) {
        self.vm = vm
        lua_pushvalue(L, index)
        ref = luaL_ref(L, frontier_registryindex())
    }

    deinit {
        if let L = vm.mainState { luaL_unref(L, frontier_registryindex(), ref) }
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
        guard let L = vm.current else { throw LuaError.unavailable("the Lua VM is closed") }
        let stack = LuaStack(L: L)
        let base = stack.top
        try stack.ensure(Int32(clamping: args.count + 2))
        try push(on: L)
        do { for a in args { try stack.push(a) } } catch { stack.setTop(base); throw error }
        return try vm.protectedCall(L: L, base: base, nargs: Int32(args.count))
    }
}
