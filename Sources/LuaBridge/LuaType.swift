import CLua
import CLuaShim

/// How a Swift class appears in Lua: a userdata with methods, and optional
/// `__tostring`, `__len` and field lookup (`__index` after the methods).
public struct LuaType<T: AnyObject> {
    /// The name users see (`type` errors, `help`): "db".
    public let name: String
    public let summary: String
    public var methods: [LuaBinding]
    public var tostring: ((T) -> String)?
    public var length: ((T) -> Int)?
    /// Field lookup for keys that are not methods: pushes results and returns
    /// their count, or returns nil for "no such field" (Lua gets nil).
    public var field: ((T, String, LuaCall) throws -> Int?)?
    /// Makes objects callable (`__call`): the object is argument 1, the
    /// caller's arguments follow; pushes results and returns their count.
    public var call: ((T, LuaCall) throws -> Int)?

    public init(_ name: String, summary: String, methods: [LuaBinding] = [],
                tostring: ((T) -> String)? = nil, length: ((T) -> Int)? = nil,
                field: ((T, String, LuaCall) throws -> Int?)? = nil,
                call: ((T, LuaCall) throws -> Int)? = nil) {
        self.name = name
        self.summary = summary
        self.methods = methods
        self.tostring = tostring
        self.length = length
        self.field = field
        self.call = call
    }
}

extension LuaVM {
    /// Registers a Swift class so its objects can be pushed and read back.
    public func register<T: AnyObject>(type t: LuaType<T>) throws {
        let L = try state()
        let stack = LuaStack(L: L)
        try stack.ensure(12)
        let tname = "frontier.\(t.name)"
        typeNames[ObjectIdentifier(T.self)] = tname
        luaTypeNames[tname] = t.name

        // Methods table, kept in the registry and documented as a module.
        frontier_newtable(L)
        document(valueAt: -1, LuaDoc(name: t.name, summary: t.summary, isModule: true), L: L)
        for m in t.methods {
            stack.push(m.name)
            pushFunction(m, qualifiedName: "\(t.name):\(m.name)", isMethod: true, L: L)
            lua_rawset(L, -3)
        }
        let methodsIndex = lua_gettop(L)

        frontier_new_metatable(L, tname)
        stack.push(t.name)
        lua_setfield(L, -2, "__name")

        if let field = t.field {
            // __index(self, key): a method if there is one, else the field getter.
            let index = LuaBinding("__index", args: "self, key", "field access") { call in
                let obj = try call.object(1, as: T.self)
                if call.vm.pushMethod(tname: tname, keyAt: 2, L: call.L) { return 1 }
                guard let key = try call.optString(2) else { return call.pushNil() }
                return try field(obj, key, call) ?? call.pushNil()
            }
            stack.push("__index")
            pushFunction(index, qualifiedName: "\(t.name).__index", isMethod: false, L: L)
            lua_rawset(L, -3)
        } else {
            stack.push("__index")
            lua_pushvalue(L, methodsIndex)
            lua_rawset(L, -3)
        }
        if let tostring = t.tostring {
            let b = LuaBinding("__tostring", args: "self", "text form") { call in
                try call.returning(.string(tostring(try call.object(1, as: T.self))))
            }
            stack.push("__tostring")
            pushFunction(b, qualifiedName: "\(t.name).__tostring", isMethod: false, L: L)
            lua_rawset(L, -3)
        }
        if let length = t.length {
            let b = LuaBinding("__len", args: "self", "length") { call in
                try call.returning(.int(length(try call.object(1, as: T.self))))
            }
            stack.push("__len")
            pushFunction(b, qualifiedName: "\(t.name).__len", isMethod: false, L: L)
            lua_rawset(L, -3)
        }
        if let callable = t.call {
            let b = LuaBinding("__call", args: "self, ...", "call") { call in
                try callable(try call.object(1, as: T.self), call)
            }
            stack.push("__call")
            pushFunction(b, qualifiedName: t.name, isMethod: false, isCall: true, L: L)
            lua_rawset(L, -3)
        }
        stack.pop() // metatable
        lua_pushvalue(L, methodsIndex)
        methodTables[tname] = luaL_ref(L, frontier_registryindex())
        stack.pop() // methods
    }

    /// Pushes the method named by the key at `keyAt`, if the type has one.
    func pushMethod(tname: String, keyAt: Int32, L: OpaquePointer) -> Bool {
        guard let ref = methodTables[tname], lua_type(L, keyAt) == LUA_TSTRING else { return false }
        guard lua_checkstack(L, 3) != 0 else { return false }
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(ref))
        guard lua_type(L, -1) == LUA_TTABLE else { frontier_pop(L, 1); return false }
        lua_pushvalue(L, keyAt)
        lua_rawget(L, -2)
        frontier_remove(L, -2)
        if lua_type(L, -1) == LUA_TNIL { frontier_pop(L, 1); return false }
        return true
    }

    func pushObject<T: AnyObject>(_ obj: T, on L: OpaquePointer) throws {
        // Objects made while the state closes (in a __gc) would never be finalized.
        guard mainState != nil else { throw LuaScriptError("the Lua VM is closing") }
        guard let tname = typeNames[ObjectIdentifier(T.self)] else {
            throw LuaScriptError("type \(T.self) is not registered with the Lua VM")
        }
        try LuaStack(L: L).ensure(2)
        frontier_push_object(L, Unmanaged.passRetained(obj as AnyObject).toOpaque(), tname)
    }
}

extension LuaCall {
    /// Pushes nil and returns 1.
    public func pushNil() -> Int {
        lua_pushnil(L)
        return 1
    }
}
