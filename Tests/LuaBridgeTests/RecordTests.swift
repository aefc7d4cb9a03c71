import XCTest
@testable import LuaBridge

/// The record fast path: many tables read by column and written with shared keys.
final class RecordTests: XCTestCase {
    func makeVM() throws -> LuaVM {
        let vm = try LuaVM()
        try vm.register(module: "r", summary: "records", [
            // Reads cost, ttft.p50, name and run_id of every element; returns them as strings.
            LuaBinding("read", args: "list", "reads fields") { call in
                let r = try call.records(1, numbers: ["cost", "ttft.p50"], strings: ["name"], integers: ["run_id"], what: "point")
                return try call.returning(.int(r.count), .array((0..<r.count).map { i in
                    .string("\(r.numbers[0][i].map { "\($0)" } ?? "-") \(r.numbers[1][i].map { "\($0)" } ?? "-") \(r.strings[0][i] ?? "-") \(r.integers[0].integer(i).map { "\($0)" } ?? "-")")
                }))
            },
            // The first name string of each element, else its run_id (read only where no name is).
            LuaBinding("named", args: "list", "names") { call in
                let r = try call.records(1, numbers: [], name: ["id", "name"], unnamed: ["run_id"])
                return try call.returning(.array((0..<r.count).map { i in
                    .string(r.names[i] ?? r.unnamed[0].integer(i).map { "run \($0)" } ?? "-")
                }))
            },
            LuaBinding("column", args: "t, key", "a number column") { call in
                guard let c = try call.numberColumn(1, field: try call.string(2)) else { return call.pushNil() }
                return try call.returning(.array(c.map(LuaValue.double)))
            },
            LuaBinding("make", args: "n", "n records {i, sq, odd (only odd rows)} with a metatable") { call in
                let n = try call.integer(1)
                try call.pushRecords(count: n, keys: ["i", "sq", "odd"], metatable: ["columns": ["i", "sq"]]) { row, k in
                    switch k {
                    case 0: return .int(row + 1)
                    case 1: return .double(Double((row + 1) * (row + 1)))
                    default: return row % 2 == 0 ? .bool(true) : .nil
                    }
                }
                return 1
            },
            LuaBinding("cols", args: "n", "columns {i = {...}, s = {...}}") { call in
                try call.pushColumns(count: try call.integer(1), keys: ["i", "s"]) { row, k in
                    k == 0 ? .int(row + 1) : (row == 1 ? .nil : .string("s\(row + 1)"))
                }
                return 1
            },
        ])
        return vm
    }

    func testRecordsReadByColumnWithRawAccess() throws {
        let vm = try makeVM()
        let out = try vm.run("""
            local withIndex = setmetatable({}, { __index = function() error('metamethods must not run') end })
            return r.read({ { cost = 1.5, ttft = { p50 = 0.25 }, name = 'a', run_id = 7 },
                            { cost = 'x', ttft = 3, run_id = 2.0 },
                            withIndex })
            """)
        XCTAssertEqual(out, [3, ["1.5 0.25 a 7", "- - - 2", "- - - -"]])
        XCTAssertThrowsError(try vm.run("return r.read({ {}, 5 })")) { e in
            XCTAssertTrue("\(e)".contains("bad argument #1 to 'r.read' (point 2 must be a table, got number)"), "\(e)")
        }
        XCTAssertEqual(try vm.run("return r.named({ { id = 'a', run_id = 1 }, { id = 2, name = 'b' }, { run_id = 3 }, { run_id = 'x' } })"),
                       [["a", "b", "run 3", "-"]])
        XCTAssertThrowsError(try vm.run("return r.named({ { id = 'a' }, 'b' })")) { e in
            XCTAssertTrue("\(e)".contains("bad argument #1 to 'r.named' (item 2 must be a table, got string)"), "\(e)")
        }
        XCTAssertEqual(try vm.run("return r.column({ c = { 1, 2.5 } }, 'c')"), [[1.0, 2.5]])
        XCTAssertEqual(try vm.run("return r.column({ c = 3 }, 'c')"), [.nil])
        XCTAssertThrowsError(try vm.run("return r.column({ c = { 1, 'two' } }, 'c')")) { e in
            XCTAssertTrue("\(e)".contains("field 'c' item 2 must be a number, got string"), "\(e)")
        }
    }

    func testPushedRecordsAndColumns() throws {
        let vm = try makeVM()
        XCTAssertEqual(try vm.run("""
            local t = r.make(3)
            return #t, t[3].i, t[3].sq, t[1].odd, t[2].odd, getmetatable(t).columns[2], select('#', r.make(0)), #r.make(0)
            """), [3, 3, 9.0, true, .nil, "sq", 1, 0])
        XCTAssertEqual(try vm.run("local c = r.cols(3) return #c.i, c.i[3], c.s[1], c.s[2], c.s[3]"), [3, 3, "s1", .nil, "s3"])
        // The stack is left as it was: many calls in a loop do not grow it.
        XCTAssertEqual(try vm.run("for _ = 1, 10000 do r.make(2) r.cols(2) end return 1"), [1])
    }
}
