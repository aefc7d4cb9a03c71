import CLua
import CLuaShim

/// The Swift side of a Lua closure made from a binding.
final class FunctionBox {
    let binding: LuaBinding
    /// Qualified name for messages: "db.query" or "db:query".
    let qualifiedName: String
    let isMethod: Bool
    /// A `__call`: argument 1 is the called object, which the user did not write.
    let isCall: Bool
    unowned(unsafe) let vm: LuaVM

    init(binding: LuaBinding, qualifiedName: String, isMethod: Bool, isCall: Bool = false, vm: LuaVM) {
        self.binding = binding
        self.qualifiedName = qualifiedName
        self.isMethod = isMethod
        self.isCall = isCall
        self.vm = vm
    }
}

/// Installs the two C-callable entry points once per process.
enum Trampoline {
    static let installed: Bool = {
        frontier_set_callbacks(dispatch, release)
        return true
    }()

    /// Runs a binding. Never raises: an error is pushed and -1 returned, and
    /// the C trampoline raises it once this frame has returned.
    static let dispatch: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { L, raw in
        guard let L, let raw else { return 0 }
        let box = Unmanaged<FunctionBox>.fromOpaque(raw).takeUnretainedValue()
        let vm = box.vm
        let saved = vm.current
        vm.current = L
        defer { vm.current = saved }
        let call = LuaCall(L: L, vm: vm, box: box)
        do {
            let n = try box.binding.body(call)
            return Int32(clamping: max(0, n))
        } catch {
            let stack = LuaStack(L: L)
            lua_settop(L, call.base)
            if case LuaError.runtime(let message, _) = error {
                // From Lua code (a callback): raised again as it was, already
                // positioned; a table error is the same table.
                if !vm.pushCaughtError(message: message, on: L) { stack.push(message) }
            } else {
                frontier_where(L, 1)
                let whereText = stack.string(at: -1) ?? ""
                stack.pop()
                let coded = error as? LuaCodedError
                ErrorTable.push(code: coded?.luaCode ?? "runtime", message: whereText + call.describe(error),
                                field: coded?.luaField, on: L)
            }
            return -1
        }
    }

    static let release: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
        guard let raw else { return }
        Unmanaged<AnyObject>.fromOpaque(raw).release()
    }
}
