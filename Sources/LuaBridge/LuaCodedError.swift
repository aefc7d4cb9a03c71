import CLua
import CLuaShim

/// An error that tells Lua what kind of failure it is. A binding that throws
/// one raises a structured error: a table `{code=, message=, field=}` whose
/// metatable (`frontier.error`) makes it read as its message (see docs/errors.md).
///
/// Errors that do not adopt it raise code `runtime`; `LuaArgumentError` is
/// `bad_argument`. Domain targets do not import LuaBridge: Scripting adds the
/// conformances (Sources/Scripting/ErrorCodes.swift).
public protocol LuaCodedError: Error {
    /// A short stable word: `bad_argument`, `not_found`, `store_busy`, … (docs/errors.md).
    var luaCode: String { get }
    /// The option or field at fault, when one is (`concurrency` in `{concurrency = 0}`).
    var luaField: String? { get }
}

extension LuaCodedError {
    public var luaField: String? { nil }
}

extension LuaArgumentError: LuaCodedError {
    public var luaCode: String { code }

    /// The name quoted after "field" in the detail (`field 'concurrency' must be…`,
    /// `unknown field 'x'`): the bindings all word field errors that way.
    public var luaField: String? {
        guard let r = detail.range(of: "field '") else { return nil }
        let rest = detail[r.upperBound...]
        guard let end = rest.firstIndex(of: "'"), end > rest.startIndex else { return nil }
        return String(rest[..<end])
    }
}

extension LuaScriptError: LuaCodedError {
    public var luaCode: String { code }
    public var luaField: String? { field }
}

extension LuaError: LuaCodedError {
    /// A syntax error is malformed input; the other cases are plain failures.
    /// (A `runtime` error from Lua code is re-raised as it was, never re-coded.)
    public var luaCode: String {
        if case .syntax = self { return "parse" }
        return "runtime"
    }
}

/// The shared metatable of structured errors, one per VM, kept in the registry
/// under this name. Written in Lua: it runs inside Lua (tostring, `..`, method
/// calls), where raising is fine.
enum ErrorTable {
    static let registryName = "frontier.error"

    /// Evaluates to the metatable. Library functions are captured now, so a script
    /// that replaces globals later cannot change how errors print.
    static let source = """
    local getmetatable, rawget, tostring, type, string = getmetatable, rawget, tostring, type, string
    local mt = { __name = "frontier.error" }
    local function text(v)
      if type(v) == "table" and getmetatable(v) == mt then return tostring(rawget(v, "message")) end
      return v
    end
    -- Printed, uncaught and traceback text is the message, exactly as before errors had codes.
    mt.__tostring = function(e) return tostring(rawget(e, "message")) end
    mt.__concat = function(a, b) return text(a) .. text(b) end
    -- Scripts that treated errors as strings: err:match(...), err:find(...), err:gsub(...).
    mt.__index = function(_, k)
      if type(k) ~= "string" or type(string[k]) ~= "function" then return nil end
      return function(self, ...) return string[k](text(self), ...) end
    end
    return mt
    """

    /// Creates the metatable and stores it in the registry (raw).
    static func install(on L: OpaquePointer) throws {
        let base = lua_gettop(L)
        defer { lua_settop(L, base) }
        var status = frontier_loadbuffer(L, source, source.utf8.count, "=frontier.error")
        if status == LUA_OK { status = frontier_pcall(L, 0, 1, 0) }
        guard status == LUA_OK, lua_type(L, -1) == LUA_TTABLE else {
            throw LuaError.unavailable("cannot create the error metatable: \(LuaStack(L: L).string(at: -1) ?? "not a table")")
        }
        LuaStack(L: L).push(registryName)
        lua_pushvalue(L, -2)
        lua_rawset(L, frontier_registryindex())
    }

    /// Pushes `{code=, message=, field=}` with the shared metatable. Raw access
    /// only, since this runs in a Swift frame. If the stack cannot grow, the bare
    /// message is pushed instead (one slot is always there: the call's arguments were popped).
    static func push(code: String, message: String, field: String?, on L: OpaquePointer) {
        let stack = LuaStack(L: L)
        guard lua_checkstack(L, 4) != 0 else { stack.push(message); return }
        lua_createtable(L, 0, 3)
        for (key, value) in [("code", code), ("message", message), ("field", field)] {
            guard let value else { continue }
            stack.push(key)
            stack.push(value)
            lua_rawset(L, -3)
        }
        stack.push(registryName)
        lua_rawget(L, frontier_registryindex())
        // A script with the debug library could have replaced the slot: only a table is a metatable.
        if lua_type(L, -1) == LUA_TTABLE { lua_setmetatable(L, -2) } else { stack.pop() }
    }
}
