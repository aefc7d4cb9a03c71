import XCTest
@testable import LuaBridge

/// Errors raised into Lua from bindings are tables `{code=, message=, field=}` that read as their message.
extension BindingTests {
    func testSwiftErrorIsATableThatReadsAsItsMessage() throws {
        let vm = try makeVM()
        let r = try vm.run("""
            local ok, e = pcall(m.fail)
            return type(e), e.code, e.message, tostring(e), e:match('boom %a+'), 'x: ' .. e, e .. '!',
                   e:upper(), e.field == nil, e:find('Swift', 1, true)
            """, chunkName: "@s.lua")
        XCTAssertEqual(r, ["table", "runtime", "boom from Swift", "boom from Swift", "boom from",
                           "x: boom from Swift", "boom from Swift!", "BOOM FROM SWIFT", true, 11, 15])
    }

    func testArgumentErrorIsBadArgumentAndKeepsThePosition() throws {
        let vm = try makeVM()
        let r = try vm.run("local ok, e = pcall(function()\n  m.add('x', 1)\nend)\nreturn e.code, e.message, tostring(e)",
                           chunkName: "@s.lua")
        let text = "s.lua:2: bad argument #1 to 'm.add' (number expected, got string)"
        XCTAssertEqual(r, ["bad_argument", .string(text), .string(text)])
    }

    func testUncaughtTableErrorGivesTheMessageAndATraceback() throws {
        let vm = try makeVM()
        XCTAssertThrowsError(try vm.run("local x = 1\nm.fail()", chunkName: "@u.lua")) { error in
            guard case LuaError.runtime(let m, let tb) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(m, "u.lua:2: boom from Swift")
            XCTAssertTrue(tb.hasPrefix("stack traceback:"), tb)
        }
    }

    func testCodedScriptErrorCarriesCodeAndField() throws {
        let vm = try LuaVM()
        try vm.register(module: "t", summary: "test", [
            LuaBinding("missing", "not found") { _ in throw LuaScriptError("no such thing", code: "not_found", field: "name") },
            LuaBinding("field", "a field error") { call in throw call.argumentError(1, "field 'concurrency' must be at least 1, got 0") },
        ])
        XCTAssertEqual(try vm.run("local _, e = pcall(t.missing) return e.code, e.field, e.message", chunkName: "=c"),
                       ["not_found", "name", "no such thing"])  // pcall is the caller: no position
        XCTAssertEqual(try vm.run("local _, e = pcall(t.field, {}) return e.code, e.field", chunkName: "=c"),
                       ["bad_argument", "concurrency"])
    }

    func testTableErrorFromACallbackPassesThroughUnchanged() throws {
        let vm = try makeVM()
        // The very table the callback raised reaches the outer pcall, through two Swift frames.
        let r = try vm.run("""
            local mine = setmetatable({code = 'mine'}, {__tostring = function() return 'my error' end})
            local ok, e = pcall(m.apply, function() return m.apply(function() error(mine) end) end)
            return ok, rawequal(e, mine), e.code
            """)
        XCTAssertEqual(r, [false, true, "mine"])
        // A structured error from an inner binding stays the same table too.
        let r2 = try vm.run("""
            local inner
            local ok, e = pcall(m.apply, function() local _, e = pcall(m.fail); inner = e; error(e) end)
            return rawequal(e, inner), e.code
            """)
        XCTAssertEqual(r2, [true, "runtime"])
        // A string error from a callback stays a string.
        let r3 = try vm.run("return select(2, pcall(m.apply, function() error('inner') end))", chunkName: "@cb.lua")
        XCTAssertEqual(r3.first?.string?.hasPrefix("cb.lua:1: inner"), true, "\(r3)")
    }

    func testMetatableIsSharedAndInTheRegistry() throws {
        let vm = try makeVM()
        XCTAssertEqual(try vm.run("""
            local _, a = pcall(m.fail); local _, b = pcall(m.add)
            return getmetatable(a) == getmetatable(b), debug.getregistry()['frontier.error'] == getmetatable(a),
                   getmetatable(a).__name
            """), [true, true, "frontier.error"])
    }
}
