// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "frontier",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "frontier", targets: ["FrontierCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // System libraries, linked through pkg-config.
        .systemLibrary(name: "CLua", pkgConfig: "lua5.4",
                       providers: [.apt(["liblua5.4-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CEditline", pkgConfig: "libedit",
                       providers: [.apt(["libedit-dev"])]),

        // C: Lua's macros as functions, the error trampoline, __gc, allocator, SIGINT hook.
        .target(name: "CLuaShim", dependencies: ["CLua"]),
        // Swift <-> Lua: the only Swift target that touches the Lua C API.
        .target(name: "LuaBridge", dependencies: ["CLuaShim", "CLua"]),
        // The results store: SQLite file, schema, migrations.
        .target(name: "Store", dependencies: ["CSQLite"]),
        // Lua bindings of the domain targets, stdlib lookup, help registry.
        .target(name: "Scripting", dependencies: ["LuaBridge", "Store"]),
        // The `frontier` executable: CLI and REPL.
        .executableTarget(name: "FrontierCLI", dependencies: [
            "Scripting", "LuaBridge", "CEditline",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "LuaBridgeTests", dependencies: ["LuaBridge"]),
        .testTarget(name: "StoreTests", dependencies: ["Store"]),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting"]),
        .testTarget(name: "CLITests", dependencies: ["FrontierCLI"]),
    ],
    swiftLanguageModes: [.v6]
)
