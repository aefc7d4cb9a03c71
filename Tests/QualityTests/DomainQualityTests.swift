import Foundation
import XCTest
@testable import Quality

/// The letter a multiple-choice response chose, over outputs that trip naive extractors.
final class ChoiceAnswerTests: XCTestCase {
    func testTrickyOutputs() {
        let table: [(String, Character?)] = [
            ("B", "B"),
            ("(C) 42", "C"),
            ("A) 41", "A"),
            ("Answer: D", "D"),
            ("**Answer:** B", "B"),
            ("The answer is **B**.", "B"),
            ("I think the answer is (A)", "A"),
            ("I choose D.", "D"),                                            // "I" before a lower-case word is a pronoun
            ("A dog is not the answer. Answer: C", "C"),                     // an article, then the explicit answer
            ("Both A and C look plausible, but the answer is C.", "C"),      // "answer is" beats the first letter
            ("Let me think. A is wrong, B is wrong, so \\boxed{C}", "C"),    // a final boxed letter beats everything
            ("\\boxed{A} at first, but on reflection \\boxed{\\text{D}}", "D"),
            ("The answer: C, not \\boxed{B}", "B"),
            ("The correct option is B) 42", "B"),
            ("Apple", nil),                                                   // not a standalone letter
            ("the answer is a number, 42", nil),                              // lower-case "a" after "answer is" is a word
            ("", nil),
        ]
        for (response, want) in table {
            XCTAssertEqual(ChoiceAnswer.letter(in: response), want, "\(response)")
        }
        // Only the item's letters count: with four choices an "E" is no answer.
        XCTAssertNil(ChoiceAnswer.letter(in: "E", letters: Set("ABCD")))
        XCTAssertEqual(ChoiceAnswer.letter(in: "E then B", letters: Set("ABCD")), "B")
    }

    func testChoiceScorer() throws {
        XCTAssertEqual(try Scorer.choice.score(response: "The answer is B.", expected: "B"), 1)
        XCTAssertEqual(try Scorer.choice.score(response: "The answer is B.", expected: " c "), 0)
        XCTAssertEqual(try Scorer.choice.score(response: "no idea", expected: "A"), 0)
        XCTAssertEqual(try Scorer.choice.score(response: nil, expected: "A"), 0)
        XCTAssertEqual(Scorer.choice.name, "choice")
    }

    func testItemsFromJSONLines() throws {
        let text = """
            {"question": "What is 2 + 2?", "choices": ["3", "4", "5", "6"], "answer": "B", "subject": "arithmetic"}
            {"question": "Capital of France?", "choices": ["Paris", "Rome"], "answer": 0}
            """
        let items = try ChoiceItem.parse(Data(text.utf8), source: "mc.jsonl")
        XCTAssertEqual(items.map(\.answer), ["B", "A"])
        XCTAssertEqual(items[0].prompt, "What is 2 + 2?\nA) 3\nB) 4\nC) 5\nD) 6\nAnswer with the letter of the correct choice.")
        XCTAssertThrowsError(try ChoiceItem.parse(Data(#"{"question": "q", "choices": ["a", "b"], "answer": "C"}"#.utf8), source: "mc.jsonl")) {
            XCTAssertEqual("\($0)", "mc.jsonl line 1 field 'answer' must be a letter A to B, got 'C'")
        }
        XCTAssertThrowsError(try ChoiceItem.parse(Data(#"{"question": "q", "choices": "a b", "answer": "A"}"#.utf8), source: "mc.jsonl")) {
            XCTAssertEqual("\($0)", "mc.jsonl line 1 field 'choices' must be a list of strings, got something else")
        }
    }
}

/// pass@k's unbiased estimator against values worked by hand (docs/quality.md).
final class PassAtKTests: XCTestCase {
    func testWorkedExample() throws {
        // n = 5 samples, c = 2 passed: pass@1 = 1 − C(3,1)/C(5,1) = 1 − 3/5 = 0.4;
        // pass@2 = 1 − C(3,2)/C(5,2) = 1 − 3/10 = 0.7; pass@3 = 1 − 1/10 = 0.9; pass@4 = 1 (3 < 4).
        XCTAssertEqual(try PassAtK.estimate(n: 5, c: 2, k: 1), 0.4, accuracy: 1e-12)
        XCTAssertEqual(try PassAtK.estimate(n: 5, c: 2, k: 2), 0.7, accuracy: 1e-12)
        XCTAssertEqual(try PassAtK.estimate(n: 5, c: 2, k: 3), 0.9, accuracy: 1e-12)
        XCTAssertEqual(try PassAtK.estimate(n: 5, c: 2, k: 4), 1)
        XCTAssertEqual(try PassAtK.estimate(n: 5, c: 0, k: 5), 0)
        // Three problems (c = 2, 0, 5 of 5): pass@2 = (0.7 + 0 + 1) / 3 = 0.5667, stderr
        // = stdev(0.7, 0, 1) / √3 = 0.2963.
        let s = try PassAtK.score(problems: [(5, 2), (5, 0), (5, 5)], k: 2, name: "pass@2:code")
        XCTAssertEqual(s.value, 0.566_666_666_7, accuracy: 1e-9)
        XCTAssertEqual(s.stderr ?? 0, 0.296_273_147_2, accuracy: 1e-9)
        XCTAssertEqual(s.count, 3)
        XCTAssertThrowsError(try PassAtK.estimate(n: 2, c: 1, k: 3)) {
            XCTAssertEqual("\($0)", "k must be 1 to the samples per problem (2), got 3")
        }
        XCTAssertThrowsError(try PassAtK.estimate(n: 2, c: 3, k: 1))
        // Large n does not overflow: C(200, 100) is far beyond Double's integers.
        XCTAssertEqual(try PassAtK.estimate(n: 200, c: 100, k: 1), 0.5, accuracy: 1e-12)
    }
}

/// The sandbox runs real python3 programs: passing, failing, looping, hogging memory, not parsing.
final class CodeSandboxTests: XCTestCase {
    let problem = CodeProblem(taskID: "t/0", prompt: "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n",
                              canonicalSolution: "    return a + b\n",
                              test: "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n",
                              entryPoint: "add")

    func outcome(_ completion: String, timeout: Double = 10, memoryMB: Int = 512) throws -> CodeOutcome {
        let scorer = CodeScorer(sandbox: try CodeSandbox(timeout: timeout, cpuSeconds: 10, memoryMB: memoryMB))
        return scorer.score(response: completion, expected: CodeScorer.expected(for: problem))
    }

    func testPassingFailingAndBrokenSolutions() throws {
        let pass = try outcome("    return a + b\n")
        XCTAssertEqual(pass.kind, .passed, pass.output)
        XCTAssertEqual(pass.score, 1)
        // A chat model's whole function in a fence redefines the prompt's.
        XCTAssertEqual(try outcome("Sure:\n```python\ndef add(a, b):\n    return b + a\n```\nDone.").kind, .passed)
        let fail = try outcome("    return a - b\n")
        XCTAssertEqual(fail.kind, .failed)
        XCTAssertTrue(fail.output.contains("AssertionError"), fail.output)
        XCTAssertEqual(fail.exitStatus, 1)
        let syntax = try outcome("    return a +\n")
        XCTAssertEqual(syntax.kind, .error)
        XCTAssertTrue(syntax.output.contains("SyntaxError"), syntax.output)
        XCTAssertEqual(try outcome("    return undefined_name\n").kind, .error)
    }

    func testAnInfiniteLoopHitsTheWallClockLimit() throws {
        let start = Date()
        let loop = try outcome("    while True:\n        pass\n", timeout: 1.5)
        XCTAssertEqual(loop.kind, .timeout)
        XCTAssertTrue(loop.output.hasPrefix("wall-clock limit of 1.5 s reached"), loop.output)
        XCTAssertLessThan(Date().timeIntervalSince(start), 6)
    }

    func testAMemoryHogHitsTheAddressSpaceLimit() throws {
        let hog = try outcome("    x = bytearray(4 * 1024 ** 3)\n    return a + b\n", memoryMB: 256)
        XCTAssertEqual(hog.kind, .error)
        XCTAssertTrue(hog.output.contains("MemoryError"), hog.output)
    }

    func testNetworkIsolationIsRecorded() throws {
        let sandbox = try CodeSandbox(timeout: 10)
        let o = sandbox.run("import socket\nnames = [n for _, n in socket.if_nameindex()]\nprint(names)\nassert names == ['lo'], names\n")
        XCTAssertEqual(o.networkIsolated, CodeSandbox.networkIsolation)
        // Isolated: a new network namespace has only its loopback device.
        if o.networkIsolated { XCTAssertEqual(o.kind, .passed, o.output) }
    }

    func testStopKillsTheChild() throws {
        let sandbox = try CodeSandbox(timeout: 30)
        let start = Date()
        let o = sandbox.run("import time\ntime.sleep(20)\n", stop: { Date().timeIntervalSince(start) > 0.5 })
        XCTAssertEqual(o.kind, .error)
        XCTAssertTrue(o.output.hasPrefix("interrupted"), o.output)
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
    }

    func testLimitsAreChecked() {
        XCTAssertThrowsError(try CodeSandbox(timeout: 0)) { XCTAssertEqual("\($0)", "timeout must be a number of seconds > 0, got 0.0") }
        XCTAssertThrowsError(try CodeSandbox(memoryMB: 1))
    }
}

/// HumanEval files: plain or gzipped, and what a malformed line says.
final class CodeProblemTests: XCTestCase {
    func testReadsPlainAndGzippedFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("he-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let line = #"{"task_id": "x/1", "prompt": "def f():\n", "canonical_solution": "    return 1\n", "test": "def check(c):\n    assert c() == 1\n", "entry_point": "f"}"#
        let plain = dir.appendingPathComponent("p.jsonl")
        try (line + "\n\n" + line.replacingOccurrences(of: "x/1", with: "x/2") + "\n").write(to: plain, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CodeProblem.read(path: plain.path).map(\.taskID), ["x/1", "x/2"])
        let gz = Process()
        gz.executableURL = URL(fileURLWithPath: "/bin/sh")
        gz.arguments = ["-c", "gzip -k \"$0\"", plain.path]
        try gz.run()
        gz.waitUntilExit()
        let problems = try CodeProblem.read(path: plain.path + ".gz")
        XCTAssertEqual(problems.count, 2)
        XCTAssertEqual(problems[0].program(completion: problems[0].canonicalSolution),
                       "def f():\n    return 1\n\n\ndef check(c):\n    assert c() == 1\n\n\ncheck(f)\n")
    }

    func testMalformedLinesNameTheLineAndField() {
        XCTAssertThrowsError(try CodeProblem.parse(Data("not json\n".utf8), source: "he.jsonl")) {
            XCTAssertEqual("\($0)", "he.jsonl line 1 must be a JSON object, got text that is not JSON")
        }
        XCTAssertThrowsError(try CodeProblem.parse(Data("\n{\"task_id\": \"a\", \"prompt\": \"p\", \"entry_point\": \"f\"}".utf8), source: "he.jsonl")) {
            XCTAssertEqual("\($0)", "he.jsonl line 2 field 'test' must be a string, got nothing")
        }
        XCTAssertThrowsError(try CodeProblem.parse(Data(#"{"task_id": 3, "prompt": "p", "test": "t", "entry_point": "f"}"#.utf8), source: "he.jsonl"))
        XCTAssertThrowsError(try CodeProblem.parse(Data(#"{"task_id": "a", "prompt": "p", "test": "t", "entry_point": "f()"}"#.utf8), source: "he.jsonl")) {
            XCTAssertEqual("\($0)", "he.jsonl line 1 field 'entry_point' must be a Python function name, got 'f()'")
        }
    }

    func testCodeExtraction() {
        XCTAssertEqual(CodeProblem.code(in: "    return 1\n"), "    return 1\n")
        XCTAssertEqual(CodeProblem.code(in: "Here:\n```python\ndef f():\n    return 1\n```\nok"), "def f():\n    return 1\n")
        XCTAssertEqual(CodeProblem.code(in: "```\nx = 1\n```"), "x = 1\n")
    }
}

/// The needle workload's prompts: length, position of the needle, determinism.
final class NeedleHaystackTests: XCTestCase {
    func testConstruction() throws {
        let h = try NeedleHaystack(words: 500, depth: 0.5, seed: 7)
        XCTAssertEqual(h.words, 500)
        XCTAssertEqual(h.prompt.split(whereSeparator: { $0 == " " || $0 == "\n" }).count, 500)
        XCTAssertEqual(h.code.count, 6)
        XCTAssertTrue(h.prompt.hasPrefix(NeedleHaystack.instruction))
        XCTAssertTrue(h.prompt.hasSuffix(NeedleHaystack.question))
        let needle = try XCTUnwrap(h.prompt.range(of: "The secret code is \(h.code)."))
        let before = h.prompt[..<needle.lowerBound].split(separator: " ").count
        XCTAssertEqual(Double(before) / 500, 0.5, accuracy: 0.1, "the needle sits near the middle")
        XCTAssertEqual(h.prompt.components(separatedBy: "secret code is").count, 2, "one needle")
        XCTAssertEqual(try NeedleHaystack(words: 500, depth: 0.5, seed: 7), h, "the same for the same seed")
        XCTAssertNotEqual(try NeedleHaystack(words: 500, depth: 0.5, seed: 8).code, h.code)
        let start = try NeedleHaystack(words: 200, depth: 0, seed: 1)
        XCTAssertTrue(start.prompt.hasPrefix(NeedleHaystack.instruction + "\n\nThe secret code is "), start.prompt)
        let end = try NeedleHaystack(words: 200, depth: 1, seed: 1)
        XCTAssertTrue(end.prompt.hasSuffix("The secret code is \(end.code).\n\n" + NeedleHaystack.question))
        XCTAssertEqual(NeedleHaystack.depths(3), [0, 0.5, 1])
        XCTAssertEqual(NeedleHaystack.depths(1), [0.5])
        XCTAssertThrowsError(try NeedleHaystack(words: 10, depth: 0.5, seed: 1))
    }
}
