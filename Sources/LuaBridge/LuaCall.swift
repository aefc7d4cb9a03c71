import Foundation

import CLua
import CLuaShim

/// One call of a binding: its arguments, and where its results go.
///
/// Argument readers throw `LuaArgumentError`, which the bridge turns into
/// Lua's `bad argument #n to 'module.fn' (number expected, got string)`.
public struct LuaCall {
    let L: OpaquePointer
    public let vm: LuaVM
    let box: FunctionBox
    /// Stack top on entry: the number of arguments.
    let base: Int32
    var stack: LuaStack { LuaStack(L: L) }

    init(L: OpaquePointer, vm: LuaVM, box: FunctionBox) {
        self.L = L
        self.vm = vm
        self.box = box
        self.base = lua_gettop(L)
    }

    /// Number of arguments passed.
    public var count: Int { Int(base) }
    /// The binding's qualified name ("db.query").
    public var functionName: String { box.qualifiedName }

    /// Lua type name of argument `i` (1-based): "nil", "number", a userdata's type name…
    public func typeName(_ i: Int) -> String {
        i > count ? "no value" : stack.typeName(at: Int32(i))
    }

    public func isNil(_ i: Int) -> Bool { i > count || lua_type(L, Int32(i)) <= LUA_TNIL }
    public func isFunction(_ i: Int) -> Bool { i <= count && lua_type(L, Int32(i)) == LUA_TFUNCTION }
    public func isTable(_ i: Int) -> Bool { i <= count && lua_type(L, Int32(i)) == LUA_TTABLE }

    /// An argument error for argument `i`, numbered as the user wrote the call;
    /// `code` is the structured error's (`bad_argument`, or e.g. `not_found`).
    public func argumentError(_ i: Int, _ detail: String, code: String = "bad_argument") -> LuaArgumentError {
        // Called as obj:m(), the user did not write self: number from the first visible one.
        var position = i
        var name = box.qualifiedName
        if box.isCall {
            position -= 1
        } else if box.isMethod, frontier_called_as_method(L) != 0 {
            position -= 1
        } else if box.isMethod {
            name = name.replacingOccurrences(of: ":", with: ".")
        }
        return LuaArgumentError(position: position, function: name, detail: detail, code: code)
    }

    func expected(_ i: Int, _ what: String) -> LuaArgumentError {
        argumentError(i, "\(what) expected, got \(typeName(i))")
    }

    // MARK: required arguments

    public func string(_ i: Int) throws -> String {
        guard i <= count, lua_type(L, Int32(i)) == LUA_TSTRING, let s = stack.string(at: Int32(i)) else {
            throw expected(i, "string")
        }
        return s
    }

    public func number(_ i: Int) throws -> Double {
        guard i <= count, lua_type(L, Int32(i)) == LUA_TNUMBER else { throw expected(i, "number") }
        return lua_tonumberx(L, Int32(i), nil)
    }

    public func integer(_ i: Int) throws -> Int {
        guard i <= count, lua_type(L, Int32(i)) == LUA_TNUMBER else { throw expected(i, "number") }
        if frontier_isinteger(L, Int32(i)) != 0 { return Int(lua_tointegerx(L, Int32(i), nil)) }
        let d = lua_tonumberx(L, Int32(i), nil)
        guard d.rounded() == d, let n = Int(exactly: d) else {
            throw argumentError(i, "number has no integer representation")
        }
        return n
    }

    public func boolean(_ i: Int) throws -> Bool {
        guard i <= count, lua_type(L, Int32(i)) == LUA_TBOOLEAN else { throw expected(i, "boolean") }
        return lua_toboolean(L, Int32(i)) != 0
    }

    /// Any argument as plain data (tables copied deeply).
    public func value(_ i: Int) throws -> LuaValue {
        guard i <= count else { return .nil }
        do { return try stack.value(at: Int32(i), path: "argument") }
        catch { throw argumentError(i, String(describing: error)) }
    }

    /// A table argument as data: `.table` or `.array`.
    public func table(_ i: Int) throws -> LuaValue {
        guard isTable(i) else { throw expected(i, "table") }
        return try value(i)
    }

    /// A function argument, kept alive for later calls from Swift.
    public func function(_ i: Int) throws -> LuaFunction {
        guard isFunction(i) else { throw expected(i, "function") }
        return LuaFunction(vm: vm, L: L, index: Int32(i))
    }

    /// The Swift object in a userdata argument of registered type `T`.
    public func object<T: AnyObject>(_ i: Int, as type: T.Type) throws -> T {
        guard let tname = vm.typeNames[ObjectIdentifier(type)] else {
            throw argumentError(i, "type \(T.self) is not registered with the VM")
        }
        guard i <= count, let raw = frontier_to_object(L, Int32(i), tname),
              let obj = Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as? T
        else { throw expected(i, vm.luaTypeNames[tname] ?? tname) }
        return obj
    }

    // MARK: optional arguments (nil or absent gives the default)

    public func optString(_ i: Int, _ def: String? = nil) throws -> String? { isNil(i) ? def : try string(i) }
    public func optNumber(_ i: Int, _ def: Double? = nil) throws -> Double? { isNil(i) ? def : try number(i) }
    public func optInteger(_ i: Int, _ def: Int? = nil) throws -> Int? { isNil(i) ? def : try integer(i) }
    public func optBoolean(_ i: Int, _ def: Bool? = nil) throws -> Bool? { isNil(i) ? def : try boolean(i) }
    public func optFunction(_ i: Int) throws -> LuaFunction? { isNil(i) ? nil : try function(i) }

    // MARK: results

    /// Pushes values and returns how many, for `return call.returning(...)`.
    public func returning(_ values: LuaValue...) throws -> Int { try returning(values) }

    public func returning(_ values: [LuaValue]) throws -> Int {
        try stack.ensure(Int32(clamping: values.count + 1))
        for v in values { try stack.push(v) }
        return values.count
    }

    /// Pushes one value (for building results by hand with the other `push`es).
    public func push(_ v: LuaValue) throws { try stack.push(v) }

    /// Pushes a Swift object as userdata of its registered type.
    public func push<T: AnyObject>(object: T) throws { try vm.pushObject(object, on: L) }

    /// Pushes a Lua function held in Swift.
    public func push(function f: LuaFunction) throws { try f.push(on: L) }

    /// Pushes an array of tables whose metatable carries `columns`, so the REPL
    /// prints them as a table in that column order (through ``pushRecords(count:keys:metatable:_:)``).
    public func push(records: [[String: LuaValue]], columns: [String]) throws {
        let keys = columns + Set(records.flatMap(\.keys)).subtracting(columns).sorted()
        try pushRecords(count: records.count, keys: keys, metatable: ["columns": .array(columns.map { .string($0) })]) { r, k in
            records[r][keys[k]] ?? .nil
        }
    }

    /// The message for an error thrown by the body (position is added by the bridge).
    func describe(_ error: Error) -> String {
        String(describing: error)
    }
}
