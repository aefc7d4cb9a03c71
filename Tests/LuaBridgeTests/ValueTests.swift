import XCTest
@testable import LuaBridge

final class ValueTests: XCTestCase {
    func testRoundTripOfEveryKind() throws {
        let vm = try LuaVM()
        let value: LuaValue = [
            "n": 42, "x": 2.5, "s": "héllo \"q\" 'q'", "t": true, "f": false,
            "list": [1, 2, "three", [4, 5]],
            "nested": ["a": ["b": ["c": 1]]],
        ]
        try vm.setGlobal("v", value)
        XCTAssertEqual(try vm.global("v"), value)
        // Lua sees the right types: integers stay integers.
        XCTAssertEqual(try vm.run("return math.type(v.n), math.type(v.x), #v.list, v.nested.a.b.c"),
                       ["integer", "float", 4, 1])
    }

    func testTablesFromLua() throws {
        let vm = try LuaVM()
        XCTAssertEqual(try vm.run("return {10, 20, 30}"), [[10, 20, 30]])
        XCTAssertEqual(try vm.run("return {a = 1, [2] = 'x'}"), [["a": 1, "2": "x"]])
        XCTAssertEqual(try vm.run("return {[1] = 'a', [3] = 'c'}"), [["1": "a", "3": "c"]])
        XCTAssertEqual(try vm.run("return nil, 1.0, 3"), [.nil, 1.0, 3])
        XCTAssertEqual(try vm.run("return 2^53"), [.double(9007199254740992)])
    }

    func testUnconvertibleValuesAreErrorsNotCrashes() throws {
        let vm = try LuaVM()
        XCTAssertThrowsError(try vm.run("return {f = print}")) { error in
            XCTAssertTrue("\(error)".contains("result.f is a function"), "\(error)")
        }
        XCTAssertThrowsError(try vm.run("local t = {} t.self = t return t")) { error in
            XCTAssertTrue("\(error)".contains("contains itself"), "\(error)")
        }
        XCTAssertThrowsError(try vm.run("return {[true] = 1}")) { error in
            XCTAssertTrue("\(error)".contains("key of type boolean"), "\(error)")
        }
    }

    func testSyntaxAndRuntimeErrors() throws {
        let vm = try LuaVM()
        XCTAssertThrowsError(try vm.run("return +", chunkName: "@t.lua")) { error in
            guard case LuaError.syntax(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.hasPrefix("t.lua:1:"), m)
        }
        XCTAssertThrowsError(try vm.run("local x = nil\nreturn x.y", chunkName: "@t.lua")) { error in
            guard case LuaError.runtime(let m, let tb) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.hasPrefix("t.lua:2:"), m)
            XCTAssertTrue(tb.hasPrefix("stack traceback:"), tb)
        }
        // The VM is still usable after errors; the stack did not leak.
        XCTAssertEqual(try vm.run("return 1 + 1"), [2])
    }

    func testCompileDetectsIncompleteInput() throws {
        let vm = try LuaVM()
        XCTAssertNil(vm.compile("x = 1"))
        guard case .syntax(let m)? = vm.compile("for i = 1, 3 do") else { return XCTFail() }
        XCTAssertTrue(m.hasSuffix("<eof>"), m)
    }
}
