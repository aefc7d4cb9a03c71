import XCTest
@testable import LuaBridge

/// Scripts that try to break the bridge: each must get an error or be
/// ignored, never crash the process or leak a jump over Swift frames.
final class HardeningTests: XCTestCase {
    func makeVM() throws -> LuaVM {
        let vm = try LuaVM()
        try vm.register(module: "m", summary: "test", [
            LuaBinding("counter", args: "n", "a counter") { call in
                try call.push(object: Counter(try call.integer(1)))
                return 1
            },
            LuaBinding("echo", args: "v", "returns its argument as data") { call in
                try call.returning(try call.value(1))
            },
        ])
        try vm.register(type: LuaType<Counter>("counter", summary: "c", methods: [
            LuaBinding("get", "value") { call in try call.returning(.int(try call.object(1, as: Counter.self).value)) },
        ]))
        return vm
    }

    func testFinalizerCannotBeTurnedOnForeignUserdata() throws {
        let vm = try makeVM()
        XCTAssertEqual(try vm.run("return getmetatable(m.counter(1))"), [false], "metatables are hidden")
        // The debug library still reaches it; handing it a FILE* must do nothing.
        try vm.run("debug.getmetatable(m.counter(1)).__gc(io.stdin) debug.getmetatable(m.counter(1)).__gc(42)")
        XCTAssertEqual(try vm.run("return io.stdin ~= nil"), [true])
    }

    func testRegistryWithMetatableDoesNotJumpOverSwift() throws {
        let vm = try makeVM()
        try vm.run("""
            local r = debug.getregistry()
            debug.setmetatable(r, { __index = function() error('boom') end, __newindex = function() error('boom') end })
            """)
        XCTAssertEqual(try vm.run("local c = m.counter(3) return c:get()"), [3])
        // Overwriting registry slots the bridge uses gives errors or nothing, not a crash.
        try vm.run("local r = debug.getregistry() for k, v in pairs(r) do if type(k) == 'number' and type(v) == 'table' then r[k] = 1 end end")
        _ = try? vm.run("return m.counter(1):get()")
        _ = vm.completions(for: "m.")
    }

    func testSharedSubtablesAndCyclesAreBounded() throws {
        let vm = try makeVM()
        let saved = LuaStack.Walk.maxValues
        LuaStack.Walk.maxValues = 100_000
        defer { LuaStack.Walk.maxValues = saved }
        let start = Date()
        XCTAssertThrowsError(try vm.run("local t = {1} for i = 1, 40 do t = {t, t} end return m.echo(t)")) { error in
            XCTAssertTrue("\(error)".contains("more than"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 60)
        XCTAssertThrowsError(try vm.run("local t = {} t[1] = {t} return m.echo(t)")) { error in
            XCTAssertTrue("\(error)".contains("contains itself"), "\(error)")
        }
        // A table shared (not cyclic) converts.
        XCTAssertEqual(try vm.run("local s = {1} return m.echo({s, s})"), [[[1], [1]]])
    }

    func testStackStaysBalancedAfterFailedSetGlobal() throws {
        let vm = try makeVM()
        var deep: LuaValue = 1
        for _ in 0..<100 { deep = .array([deep]) }
        XCTAssertThrowsError(try vm.setGlobal("deep", deep))
        XCTAssertThrowsError(try vm.setGlobal("deep", deep))
        XCTAssertEqual(try vm.run("return select('#', ...)", args: [1, 2]), [2])
    }

    func testFunctionOutlivingItsVM() throws {
        var vm: LuaVM? = try makeVM()
        try vm?.run("function f() return 1 end")
        let f = try XCTUnwrap(vm?.function(named: "f"))
        XCTAssertEqual(try f.call(), [1])
        vm?.close()
        vm = nil
        XCTAssertThrowsError(try f.call())
    }

    func testInterruptStateIsDroppedWhenItsVMCloses() throws {
        let a = try makeVM()
        a.installInterruptHandler()
        a.close()
        // Arming and raising with no live VM installed touches nothing freed.
        let b = try makeVM()
        XCTAssertEqual(try b.interruptible { try b.run("return 1") }, [1])
        b.installInterruptHandler()
        XCTAssertEqual(try b.run("return 2"), [2])
    }
}
