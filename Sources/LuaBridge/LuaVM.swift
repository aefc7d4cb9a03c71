import CLua
import CLuaShim

/// One Lua 5.4 virtual machine with the standard libraries.
///
/// Not thread-safe: create it on the thread that will own it (the Lua
/// thread) and use it only there. Every entry from Swift into Lua is a
/// protected call; every entry from Lua into Swift goes through the C
/// trampoline, so a Lua error never unwinds over a Swift frame.
public final class LuaVM {
    /// The main state, nil once closed.
    private(set) var mainState: OpaquePointer?
    /// The state (main or coroutine) running Swift code right now.
    var current: OpaquePointer?
    /// Registered userdata types: Swift type → metatable name, and metatable name → Lua-visible name.
    var typeNames: [ObjectIdentifier: String] = [:]
    var luaTypeNames: [String: String] = [:]
    /// Method tables of registered types, by metatable name (registry refs).
    var methodTables: [String: Int32] = [:]
    /// Every documented binding and module, by qualified name.
    public private(set) var docs: [String: LuaDoc] = [:]
    /// How deeply `interruptible` calls are nested.
    var interruptDepth = 0
    /// Registry ref of the table mapping documented values (functions, module tables) to their doc.
    private var docTableRef: Int32 = 0
    /// The last non-string error object a protected call caught (registry ref) and
    /// its message: a binding that lets that `LuaError.runtime` through re-raises
    /// the object itself, so a table error reaches the script's pcall as a table.
    private var caughtErrorRef: Int32 = LUA_NOREF
    private var caughtErrorMessage: String?

    public init() throws {
        _ = Trampoline.installed
        guard let L = frontier_newstate() else { throw LuaError.unavailable("cannot create a Lua state") }
        mainState = L
        current = L
        if frontier_openlibs(L) != LUA_OK {
            let msg = LuaStack(L: L).string(at: -1) ?? "unknown error"
            lua_close(L)
            mainState = nil
            throw LuaError.unavailable("cannot open the Lua standard libraries: \(msg)")
        }
        // A weak-keyed table: documenting a value must not keep it alive.
        frontier_newtable(L)
        frontier_newtable(L)
        LuaStack(L: L).push("k")
        lua_setfield(L, -2, "__mode")
        lua_setmetatable(L, -2)
        docTableRef = luaL_ref(L, frontier_registryindex())
        do { try ErrorTable.install(on: L) } catch {
            lua_close(L)
            mainState = nil
            throw error
        }
    }

    deinit { close() }

    /// Closes the state, running every pending `__gc` (and releasing the Swift objects they hold).
    public func close() {
        guard let L = mainState else { return }
        mainState = nil
        current = L
        frontier_interrupt_uninstall(L)
        lua_close(L)
        current = nil
    }

    public var isClosed: Bool { mainState == nil }

    func state() throws -> OpaquePointer {
        guard let L = current ?? mainState else { throw LuaError.unavailable("the Lua VM is closed") }
        return L
    }

    // MARK: running code

    /// Compiles and runs a chunk; returns its results.
    @discardableResult
    public func run(_ code: String, chunkName: String = "=(load)", args: [LuaValue] = []) throws -> [LuaValue] {
        let L = try state()
        let base = lua_gettop(L)
        try load(code, chunkName: chunkName, on: L)
        return try callLoaded(L: L, base: base, args: args)
    }

    /// Runs a Lua file (chunk name "@path", so errors read `path:line:`).
    @discardableResult
    public func runFile(_ path: String, args: [LuaValue] = []) throws -> [LuaValue] {
        let L = try state()
        let base = lua_gettop(L)
        if frontier_loadfile(L, path) != LUA_OK {
            let msg = LuaStack(L: L).string(at: -1) ?? "cannot load \(path)"
            lua_settop(L, base)
            throw LuaError.syntax(message: msg)
        }
        return try callLoaded(L: L, base: base, args: args)
    }

    /// Whether `code` compiles; the syntax error otherwise. Does not run it.
    public func compile(_ code: String, chunkName: String = "=stdin") -> LuaError? {
        guard let L = mainState else { return .unavailable("the Lua VM is closed") }
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        do { try load(code, chunkName: chunkName, on: L) } catch let e as LuaError { return e } catch { return nil }
        return nil
    }

    private func load(_ code: String, chunkName: String, on L: OpaquePointer) throws {
        let base = lua_gettop(L)
        var code = code
        let status = code.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) {
                frontier_loadbuffer(L, $0.baseAddress, $0.count, chunkName)
            }
        }
        if status != LUA_OK {
            let msg = LuaStack(L: L).string(at: -1) ?? "syntax error"
            lua_settop(L, base)
            throw LuaError.syntax(message: msg)
        }
    }

    private func callLoaded(L: OpaquePointer, base: Int32, args: [LuaValue]) throws -> [LuaValue] {
        let stack = LuaStack(L: L)
        do {
            try stack.ensure(Int32(clamping: args.count + 2))
            for a in args { try stack.push(a) }
        } catch { lua_settop(L, base); throw error }
        return try protectedCall(L: L, base: base, nargs: Int32(args.count))
    }

    /// Calls the function at `base + 1` with `nargs` arguments above it, with a
    /// traceback handler; converts results to data (non-data results become their
    /// `tostring`-free description) and restores the stack to `base`.
    func protectedCall(L: OpaquePointer, base: Int32, nargs: Int32) throws -> [LuaValue] {
        let status = frontier_pcall(L, nargs, LUA_MULTRET, 1)
        let stack = LuaStack(L: L)
        defer { lua_settop(L, base) }
        if status != LUA_OK { throw caughtError(L: L) }
        let top = lua_gettop(L)
        guard top > base else { return [] }
        return try (base + 1...top).map { i in try stack.value(at: i, path: "result") }
    }

    /// The error a failed `frontier_pcall` (with traceback) left: the object at -2,
    /// its text at -1. Remembers a non-string object for `pushCaughtError`.
    func caughtError(L: OpaquePointer) -> LuaError {
        let error = LuaError.runtime(handled: LuaStack(L: L).string(at: -1) ?? "(error object is not a string)")
        if lua_type(L, -2) != LUA_TSTRING, lua_type(L, -2) != LUA_TNIL, let main = mainState, lua_checkstack(L, 1) != 0 {
            forgetCaughtError(main)
            lua_pushvalue(L, -2)
            caughtErrorRef = luaL_ref(L, frontier_registryindex())
            caughtErrorMessage = error.message
        }
        return error
    }

    /// Pushes the remembered error object if `message` is its message (the same
    /// error on its way back out); false, pushing nothing, otherwise.
    func pushCaughtError(message: String, on L: OpaquePointer) -> Bool {
        guard let main = mainState, caughtErrorMessage == message, caughtErrorRef != LUA_NOREF,
              lua_checkstack(L, 1) != 0 else { return false }
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(caughtErrorRef))
        forgetCaughtError(main)
        return true
    }

    private func forgetCaughtError(_ L: OpaquePointer) {
        if caughtErrorRef != LUA_NOREF { luaL_unref(L, frontier_registryindex(), caughtErrorRef) }
        caughtErrorRef = LUA_NOREF
        caughtErrorMessage = nil
    }

    // MARK: globals

    /// Sets a global to plain data.
    public func setGlobal(_ name: String, _ value: LuaValue) throws {
        let L = try state()
        let stack = LuaStack(L: L)
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        try stack.ensure(4)
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        stack.push(name)
        try stack.push(value)
        lua_rawset(L, -3)
    }

    /// Reads a global as plain data (raw access; no metamethods run).
    public func global(_ name: String) throws -> LuaValue {
        try withGlobal(name) { L in try LuaStack(L: L).value(at: -1, path: name) }
    }

    /// A global function, held for calls from Swift.
    public func function(named name: String) throws -> LuaFunction? {
        try withGlobal(name) { L in lua_type(L, -1) == LUA_TFUNCTION ? LuaFunction(vm: self, L: L, index: -1) : nil }
    }

    /// Pushes global `name` (raw), runs `body` with it on top, restores the stack.
    private func withGlobal<T>(_ name: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        let L = try state()
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        try LuaStack(L: L).ensure(4)
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        LuaStack(L: L).push(name)
        lua_rawget(L, -2)
        return try body(L)
    }

    // MARK: registering bindings

    /// Registers `bindings` as fields of the global table `module` (created if
    /// missing; existing fields are kept), and documents the module.
    public func register(module: String, summary: String, _ bindings: [LuaBinding]) throws {
        let L = try state()
        let stack = LuaStack(L: L)
        try stack.ensure(10)
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        stack.push(module)
        lua_rawget(L, -2)
        if lua_type(L, -1) != LUA_TTABLE {
            stack.pop()
            frontier_newtable(L)
            stack.push(module)
            lua_pushvalue(L, -2)
            lua_rawset(L, -4)
        }
        document(valueAt: -1, LuaDoc(name: module, summary: summary, isModule: true), L: L)
        for b in bindings {
            stack.push(b.name)
            pushFunction(b, qualifiedName: "\(module).\(b.name)", isMethod: false, L: L)
            lua_rawset(L, -3)
        }
        stack.pop(2)
    }

    /// Registers one global function.
    public func register(global b: LuaBinding) throws {
        let L = try state()
        let stack = LuaStack(L: L)
        try stack.ensure(10)
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        stack.push(b.name)
        pushFunction(b, qualifiedName: b.name, isMethod: false, L: L)
        lua_rawset(L, -3)
        stack.pop()
    }

    /// Pushes a binding as a Lua function, documented under `qualifiedName`.
    func pushFunction(_ b: LuaBinding, qualifiedName: String, isMethod: Bool, isCall: Bool = false, L: OpaquePointer) {
        let box = FunctionBox(binding: b, qualifiedName: qualifiedName, isMethod: isMethod, isCall: isCall, vm: self)
        frontier_push_swift_function(L, Unmanaged.passRetained(box).toOpaque())
        // A __call shares its type's name, whose doc is the type's own.
        if isCall { return }
        document(valueAt: -1, LuaDoc(name: qualifiedName, args: b.args, summary: b.summary), L: L)
    }

    // MARK: docs

    /// Records `doc` for the value at `index` (a function or table) and by name.
    func document(valueAt index: Int32, _ doc: LuaDoc, L: OpaquePointer) {
        let index = lua_absindex(L, index)
        docs[doc.name] = doc
        guard lua_checkstack(L, 4) != 0 else { return }
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(docTableRef))
        defer { frontier_pop(L, 1) }
        // A script with the debug library can overwrite registry slots: never rawset on a non-table.
        guard lua_type(L, -1) == LUA_TTABLE else { return }
        lua_pushvalue(L, index)
        LuaStack(L: L).push(doc.name)
        lua_rawset(L, -3)
    }

    /// Adds or replaces a doc written in Lua (stdlib functions and modules).
    func addDoc(_ doc: LuaDoc, forValueAt index: Int32, L: OpaquePointer) {
        document(valueAt: index, doc, L: L)
    }

    /// The documented name of the value at `index` in `L`, if any.
    func documentedName(ofValueAt index: Int32, L: OpaquePointer) -> String? {
        let index = lua_absindex(L, index)
        guard lua_checkstack(L, 3) != 0 else { return nil }
        lua_rawgeti(L, frontier_registryindex(), lua_Integer(docTableRef))
        guard lua_type(L, -1) == LUA_TTABLE else { frontier_pop(L, 1); return nil }
        lua_pushvalue(L, index)
        lua_rawget(L, -2)
        defer { frontier_pop(L, 2) }
        return LuaStack(L: L).string(at: -1)
    }
}
