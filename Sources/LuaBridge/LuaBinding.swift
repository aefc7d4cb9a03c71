/// A Swift function callable from Lua, with the doc `help()` shows.
public struct LuaBinding {
    /// The field name in its module or type ("query").
    public let name: String
    /// The arguments as a user writes them ("sql, ...").
    public let args: String
    /// One line: what it does and returns.
    public let summary: String
    /// Reads arguments from the call, pushes results, returns their count.
    public let body: (LuaCall) throws -> Int

    public init(_ name: String, args: String = "", _ summary: String,
                _ body: @escaping (LuaCall) throws -> Int) {
        self.name = name
        self.args = args
        self.summary = summary
        self.body = body
    }
}

/// A documented entry: what `help(x)` prints and docs/lua-api.md lists.
public struct LuaDoc: Equatable, Sendable {
    public var name: String
    public var args: String
    public var summary: String
    public var isModule: Bool

    public init(name: String, args: String = "", summary: String, isModule: Bool = false) {
        self.name = name
        self.args = args
        self.summary = summary
        self.isModule = isModule
    }

    /// "db.query(sql, ...)" for functions, the bare name for modules.
    public var signature: String { isModule ? name : "\(name)(\(args))" }
}
