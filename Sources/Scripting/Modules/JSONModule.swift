import LuaBridge

/// The `json` module.
enum JSONModule {
    static func register(in vm: LuaVM) throws {
        try vm.register(module: "json", summary: "JSON text to and from Lua values.", [
            LuaBinding("encode", args: "value", "Encodes a value (tables, strings, numbers, booleans) as JSON text with sorted keys.") { call in
                guard call.count >= 1 else { throw call.argumentError(1, "value expected, got no value") }
                return try call.returning(.string(try JSON.encode(try call.value(1))))
            },
            LuaBinding("decode", args: "text", "Decodes JSON text into Lua values (null becomes nil).") { call in
                try call.returning(try JSON.decode(try call.string(1)))
            },
        ])
    }
}
