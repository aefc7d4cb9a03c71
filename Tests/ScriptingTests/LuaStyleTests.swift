import Foundation
import LuaBridge
import Metrics
@testable import Scripting
import XCTest

/// docs/lua-style.md, checked: every registered binding's documented names, and the
/// tables runs come back as, follow the rule; no retired name is in use.
final class LuaStyleTests: HostTestCase {
    static let styleDoc = URL(fileURLWithPath: HostTestCase.stdlib).deletingLastPathComponent()
        .appendingPathComponent("docs/lua-style.md")

    /// The glossary's retired names (third column), read from the doc itself.
    func retiredNames() throws -> Set<String> {
        let text = try String(contentsOf: Self.styleDoc, encoding: .utf8)
        guard let glossary = text.range(of: "## Glossary") else { XCTFail("no glossary"); return [] }
        var retired: Set<String> = []
        for line in text[glossary.upperBound...].split(separator: "\n") where line.hasPrefix("|") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 4, cells[1] != "concept", !cells[1].hasPrefix("---") else { continue }
            for name in cells[3].split(separator: ",") {
                retired.insert(name.trimmingCharacters(in: CharacterSet(charactersIn: " `")))
            }
        }
        retired.remove("")
        return retired
    }

    static func isSnakeCase(_ name: String) -> Bool {
        name.range(of: #"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"#, options: .regularExpression) != nil
    }

    /// Identifiers in a documented argument list, with quoted strings and Lua keywords left out.
    static func identifiers(_ args: String) -> [String] {
        let unquoted = args.replacingOccurrences(of: #"'[^']*'"#, with: "", options: .regularExpression)
        let keywords: Set<String> = ["function", "end", "return", "nil", "true", "false", "and", "or", "not"]
        var out: [String] = []
        var current = ""
        for c in unquoted + " " {
            if c.isLetter || c.isNumber || c == "_" {
                current.append(c)
            } else {
                if let first = current.first, first.isLetter || first == "_", !keywords.contains(current) { out.append(current) }
                current = ""
            }
        }
        return out
    }

    func testEveryDocumentedNameFollowsTheRule() throws {
        _ = try host.apiMarkdown()  // loads every stdlib module, so their docs are registered too
        let retired = try retiredNames()
        XCTAssertTrue(retired.contains("request_throughput") && retired.contains("tps"), "glossary read: \(retired)")
        let docs = host.vm.docs.values
        XCTAssertGreaterThan(docs.count, 80)
        for doc in docs {
            for part in doc.name.split(whereSeparator: { $0 == "." || $0 == ":" }) where !part.hasPrefix("__") {
                XCTAssertTrue(Self.isSnakeCase(String(part)), "\(doc.name): '\(part)' is not snake_case")
            }
            for name in Self.identifiers(doc.args) {
                XCTAssertTrue(Self.isSnakeCase(name), "\(doc.name)(\(doc.args)): '\(name)' is not snake_case")
                XCTAssertFalse(retired.contains(name), "\(doc.name)(\(doc.args)): '\(name)' is a retired name (docs/lua-style.md)")
            }
        }
    }

    /// Every key of a returned table, at every depth, with its path.
    func keys(_ v: LuaValue, _ path: String = "") -> [(path: String, key: String)] {
        switch v {
        case .table(let t): return t.flatMap { k, v in [(path, k)] + keys(v, path + "." + k) }
        case .array(let a): return a.enumerated().flatMap { i, v in keys(v, path + "[\(i + 1)]") }
        default: return []
        }
    }

    func testRunTablesUseOneNamePerFigure() throws {
        let retired = try retiredNames()
        try lua("""
            wl = workload.synthetic{ n = 24, seed = 1, input = 64, output = dist.fixed{ n = 8 } }
            sim_run = sim.run{ gpu = 'A100', gpus = 1, model = 'Llama-3.1-8B', workload = wl, concurrency = 4 }
            loaded = bench.load(sim_run.run_id)
            row = loaded:row()
            first = bench.request_page(sim_run.run_id, { limit = 1 })[1]
            """)
        for name in ["sim_run", "loaded", "row", "first"] {
            let value = try host.vm.global(name)
            for (path, key) in keys(value) {
                XCTAssertTrue(Self.isSnakeCase(key), "\(name)\(path): '\(key)' is not snake_case")
                // Inside a statistics table `count` is the sample count, as the glossary says.
                if key == "count", path.split(separator: ".").count == 1 { continue }
                XCTAssertFalse(retired.contains(key), "\(name)\(path).\(key) is a retired name")
            }
        }
        // The run table carries every stored figure under the stored name.
        guard case .table(let run) = try host.vm.global("loaded") else { return XCTFail("not a table") }
        for field in RunSummary.Field.allCases where ![.ttftFromIntended, .e2eFromIntended, .sendLag].contains(field) {
            XCTAssertNotNil(run[field.rawValue], "run table lacks '\(field.rawValue)'")
        }
        XCTAssertEqual(run["gpus"], .int(1))
    }

    func testRetiredNamesStillReadWithAWarning() throws {
        XCTAssertEqual(try lua("""
            local r = sim.run{ gpu = 'A100', count = 2, model = 'Llama-3.1-8B', concurrency = 2,
                               workload = workload.synthetic{ n = 4, seed = 1, input = 16, output = 4 } }
            return r.gpus, r.count == r.requests, r.tps.p50 == r.tokens_per_s.p50, cost.gpu{ name = 'A800', count = 2 }.gpus
            """), [.int(2), .bool(true), .bool(true), .int(2)])
        XCTAssertEqual(luaError("cost.gpu{ name = 'A800', count = 2, gpus = 2 }")?.contains("field 'count' is the old name of 'gpus'"), true)
    }
}
