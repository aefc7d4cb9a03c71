import XCTest
@testable import LuaBridge

struct Boom: Error, CustomStringConvertible { var description: String { "boom from Swift" } }

final class Counter {
    nonisolated(unsafe) static var live = 0
    var value: Int
    init(_ v: Int) { value = v; Counter.live += 1 }
    deinit { Counter.live -= 1 }
}

final class BindingTests: XCTestCase {
    func makeVM() throws -> LuaVM {
        let vm = try LuaVM()
        try vm.register(module: "m", summary: "test module", [
            LuaBinding("add", args: "a, b", "adds two numbers") { call in
                try call.returning(.double(try call.number(1) + call.number(2)))
            },
            LuaBinding("fail", "always throws") { _ in throw Boom() },
            LuaBinding("apply", args: "f, ...", "calls f from Swift with the rest") { call in
                let f = try call.function(1)
                let args = try (2...max(2, call.count)).map { try call.value($0) }
                return try call.returning(try f.call(call.count >= 2 ? args : []))
            },
            LuaBinding("counter", args: "n", "a new counter") { call in
                try call.push(object: Counter(try call.integer(1)))
                return 1
            },
            LuaBinding("opt", args: "[s]", "optional string") { call in
                try call.returning(.string(try call.optString(1, "default") ?? ""))
            },
        ])
        try vm.register(type: LuaType<Counter>(
            "counter", summary: "a test counter",
            methods: [
                LuaBinding("inc", args: "by", "adds") { call in
                    let c = try call.object(1, as: Counter.self)
                    c.value += try call.optInteger(2, 1) ?? 1
                    return try call.returning(.int(c.value))
                },
            ],
            tostring: { "counter(\($0.value))" },
            length: { $0.value },
            field: { c, key, call in key == "value" ? try call.returning(.int(c.value)) : nil },
            call: { c, call in try call.returning(.int(c.value * (try call.integer(2)))) }))  // user's #1 is Lua's 2
        return vm
    }

    func testCallsAndResults() throws {
        let vm = try makeVM()
        XCTAssertEqual(try vm.run("return m.add(2, 3.5)"), [5.5])
        XCTAssertEqual(try vm.run("return m.opt(), m.opt('x')"), ["default", "x"])
    }

    func testSwiftErrorIsCatchableByPcallWithPosition() throws {
        let vm = try makeVM()
        let r = try vm.run("local ok, e = pcall(function()\n  m.fail()\nend)\nreturn ok, tostring(e)", chunkName: "@s.lua")
        XCTAssertEqual(r, [false, "s.lua:2: boom from Swift"])
    }

    func testArgumentErrorsReadLikeLuas() throws {
        let vm = try makeVM()
        XCTAssertEqual(try vm.run("return tostring(select(2, pcall(m.add, 1, 'x')))").first,
                       "bad argument #2 to 'm.add' (number expected, got string)")
        XCTAssertEqual(try vm.run("return tostring(select(2, pcall(m.add)))").first,
                       "bad argument #1 to 'm.add' (number expected, got no value)")
        XCTAssertEqual(try vm.run("return tostring(select(2, pcall(m.counter, 1.5)))").first,
                       "bad argument #1 to 'm.counter' (number has no integer representation)")
        // A method called with ':' numbers arguments as the user wrote them.
        let r = try vm.run("local c = m.counter(1)\nreturn tostring(select(2, pcall(function() return c:inc('x') end)))",
                           chunkName: "@s.lua")
        XCTAssertEqual(r, ["s.lua:2: bad argument #1 to 'counter:inc' (number expected, got string)"])
        let wrongSelf = try vm.run("return tostring(select(2, pcall(function() local c = m.counter(1); return c.inc({}) end)))")
        XCTAssertEqual(wrongSelf.first?.string?.contains("bad argument #1 to 'counter.inc' (counter expected, got table)"), true)
    }

    func testLuaErrorInCallbackReachesSwiftAndBack() throws {
        let vm = try makeVM()
        // Lua -> Swift -> Lua re-entry, results flow back.
        XCTAssertEqual(try vm.run("return m.apply(function(a, b) return a * b end, 6, 7)"), [42])
        // Nested twice.
        XCTAssertEqual(try vm.run("return m.apply(function() return m.apply(function() return 'deep' end) end)"), ["deep"])
        // An error inside the callback becomes a Swift error in the binding, then a Lua error again.
        let r = try vm.run("return pcall(m.apply, function() error('inner') end)", chunkName: "@cb.lua")
        XCTAssertEqual(r.first, false)
        XCTAssertEqual(r.last?.string?.hasPrefix("cb.lua:1: inner"), true, "\(r)")
        // Calling a held function from Swift directly gives a traceback.
        let f = try XCTUnwrap(vm.run("function bad() error('oops') end").isEmpty ? vm.function(named: "bad") : nil)
        XCTAssertThrowsError(try f.call()) { error in
            guard case LuaError.runtime(let m, let tb) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.hasSuffix("oops"), m)
            XCTAssertTrue(tb.contains("in function 'bad'") || tb.contains("bad"), tb)
        }
    }

    func testUserdataMethodsMetamethodsAndGC() throws {
        let before = Counter.live
        do {
            let vm = try makeVM()
            XCTAssertEqual(try vm.run("local c = m.counter(5); c:inc(); c:inc(10); return c.value, #c, tostring(c)"),
                           [16, 16, "counter(16)"])
            XCTAssertEqual(try vm.run("return m.counter(1).nope"), [.nil])
            try vm.run("for i = 1, 1000 do m.counter(i) end collectgarbage() collectgarbage()")
            XCTAssertEqual(Counter.live, before, "__gc released every counter")
            try vm.run("keep = m.counter(3)")
            XCTAssertEqual(Counter.live, before + 1)
            vm.close()
        }
        XCTAssertEqual(Counter.live, before, "closing the VM released what Lua held")
    }

    func testCallableUserdata() throws {
        let vm = try makeVM()
        XCTAssertEqual(try vm.run("local c = m.counter(7); return c(6)"), [42])
        let r = try vm.run("local c = m.counter(7); return tostring(select(2, pcall(c, 'x')))")
        XCTAssertEqual(r.first?.string?.contains("bad argument #1 to 'counter' (number expected, got string)"), true, "\(r)")
    }

    func testBindingsInCoroutines() throws {
        let vm = try makeVM()
        let r = try vm.run("""
            local co = coroutine.wrap(function()
              coroutine.yield(m.apply(function(x) return x + 1 end, 1))
              return m.add(1, 1)
            end)
            return co(), co()
            """)
        XCTAssertEqual(r, [2, 2.0])
    }

    func testDocsAndCompletion() throws {
        let vm = try makeVM()
        XCTAssertEqual(vm.docs["m.add"], LuaDoc(name: "m.add", args: "a, b", summary: "adds two numbers"))
        XCTAssertEqual(vm.docs["counter:inc"]?.summary, "adds")
        XCTAssertEqual(vm.completions(for: "x = m.a"), ["m.add", "m.apply"])
        XCTAssertEqual(vm.completions(for: "str"), ["string"])
        XCTAssertTrue(vm.completions(for: "string.fo").contains("string.format"))
        try vm.run("c = m.counter(1)")
        XCTAssertEqual(vm.completions(for: "c:i"), ["c:inc"])
        XCTAssertEqual(vm.completions(for: "nothing.here."), [])
    }

    func testInterruptHookStopsRunningLua() throws {
        let vm = try makeVM()
        vm.installInterruptHandler()
        try vm.run("n = 0")
        let t = Thread { usleep(200_000); LuaVM.interrupt() }
        t.start()
        XCTAssertThrowsError(try vm.runInterruptible("while true do n = n + 1 end")) { error in
            XCTAssertTrue("\(error)".contains("interrupted"), "\(error)")
        }
        // State intact, and the VM keeps working.
        XCTAssertEqual(try vm.run("return n > 0").first, true)
    }

    func testInterruptReachesACoroutineThatCallsBindings() throws {
        let vm = try makeVM()
        vm.installInterruptHandler()
        let t = Thread { usleep(200_000); LuaVM.interrupt() }
        t.start()
        XCTAssertThrowsError(try vm.runInterruptible("""
            local co = coroutine.wrap(function() while true do m.add(1, 2) end end)
            co()
            """)) { error in
            XCTAssertTrue("\(error)".contains("interrupted"), "\(error)")
        }
    }
}
