@testable import TestServer
import XCTest

/// The test server as a stand-in model that answers arithmetic questions.
final class AnswerTests: XCTestCase {
    func testFindsTheLastQuestionInAPrompt() throws {
        let q = try XCTUnwrap(ArithmeticAnswer.question(in: "Warm-up: 2 + 2. Question 7: what is 348 + 27?"))
        XCTAssertEqual(q.0, 348); XCTAssertEqual(q.1, "+"); XCTAssertEqual(q.2, 27)
        let times = try XCTUnwrap(ArithmeticAnswer.question(in: "12 × 11 ="))
        XCTAssertEqual(times.1, "*")
        XCTAssertNil(ArithmeticAnswer.question(in: "no numbers here, A3 + B4 are labels"))
        XCTAssertNil(ArithmeticAnswer.question(in: "version 12 only"))
    }

    func testAccuracyOneAlwaysRightZeroAlwaysWrongByAtMostNine() {
        for a in 1...200 {
            let prompt = "What is \(a) * 7? Answer with a number."
            XCTAssertEqual(ArithmeticAnswer.answer(to: [prompt], accuracy: 1), " \(a * 7)")
            let wrong = Int(ArithmeticAnswer.answer(to: [prompt], accuracy: 0)?.dropFirst() ?? "") ?? 0
            XCTAssertNotEqual(wrong, a * 7)
            XCTAssertLessThanOrEqual(abs(wrong - a * 7), 9)
        }
        XCTAssertNil(ArithmeticAnswer.answer(to: ["say three words"], accuracy: 1))
    }

    func testRightAboutAsOftenAsTheAccuracyAndTheSameEveryTime() {
        let prompts = (0..<2000).map { "Question \($0): what is \($0 % 97) + \($0 / 7)?" }
        func rightShare() -> Double {
            let right = prompts.filter { p in
                let q = ArithmeticAnswer.question(in: p)!
                return ArithmeticAnswer.answer(to: [p], accuracy: 0.7) == " \(q.0 + q.2)"
            }
            return Double(right.count) / Double(prompts.count)
        }
        let share = rightShare()
        // Binomial(2000, 0.7) has a standard deviation of 1 %: 5 of them either side.
        XCTAssertEqual(share, 0.7, accuracy: 0.05)
        XCTAssertEqual(rightShare(), share, "answers are drawn from the prompt, not from a clock")
    }

    func testStreamedAndBodyRepliesEndWithTheAnswer() throws {
        var config = fastConfig()
        config.accuracy = 1
        try withServer(config) { server in
            let client = try RawHTTPClient(port: server.port)
            let streamed = try client.post("/v1/completions", completionBody(maxTokens: 3, prompt: "what is 40 + 2?"))
            let texts = tokenEvents(streamed).compactMap { firstChoice($0.json)?["text"] as? String }
            XCTAssertEqual(texts, [" tok", " tok", " 42"])
            let body = try client.post("/v1/chat/completions", """
                {"messages":[{"role":"user","content":"what is 6 × 7?"}],"max_tokens":2,"stream":false}
                """)
            let message = firstChoice(body.json)?["message"] as? [String: Any]
            XCTAssertEqual(message?["content"] as? String, " tok 42")
            let plain = try client.post("/v1/completions", completionBody(maxTokens: 2, stream: false))
            XCTAssertEqual(firstChoice(plain.json)?["text"] as? String, " tok tok", "no question, no answer")
        }
    }

    func testAccuracyOutsideZeroToOneIsRefused() {
        var config = fastConfig()
        config.accuracy = 1.5
        XCTAssertThrowsError(try TestServer.start(config)) { error in
            XCTAssertTrue("\(error)".contains("accuracy must be in 0...1"), "\(error)")
        }
    }
}

/// The stand-in's other questions: a needle's code, a multiple-choice letter, a code solution.
final class StandInAnswerTests: XCTestCase {
    func testNeedleChoiceAndCode() {
        let needle = "Read the text. Rain falls. The secret code is 482913. More rain.\n\nWhat is the secret code?"
        XCTAssertEqual(StandInAnswer.answer(to: [needle], accuracy: 1, solutions: [:]), " 482913")
        let wrong = StandInAnswer.answer(to: [needle], accuracy: 0, solutions: [:]) ?? ""
        XCTAssertNotEqual(wrong, " 482913")
        XCTAssertEqual(wrong.count, 7, wrong)

        let mc = "Question 3: what is 12 + 30?\nA) 41\nB) 42\nC) 43\nD) 44\nAnswer with the letter of the correct choice."
        XCTAssertEqual(StandInAnswer.answer(to: [mc], accuracy: 1, solutions: [:]), " B")
        let other = StandInAnswer.answer(to: [mc], accuracy: 0, solutions: [:])
        XCTAssertTrue([" A", " C", " D"].contains(other ?? ""), "\(other ?? "nil")")
        // No choice equals the result: answered as plain arithmetic.
        XCTAssertEqual(StandInAnswer.answer(to: ["what is 1 + 1?\nA) 5\nB) 6"], accuracy: 1, solutions: [:]), " 2")

        let prompt = "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n"
        let solutions = [prompt: "    return a + b\n"]
        XCTAssertEqual(StandInAnswer.answer(to: [prompt], accuracy: 1, solutions: solutions),
                       "\n```python\n" + prompt + "    return a + b\n```\n")
        XCTAssertEqual(StandInAnswer.answer(to: ["Complete:\n```python\n" + prompt + "```"], accuracy: 0, solutions: solutions),
                       "\n```python\n" + prompt + "    return None\n```\n")
        XCTAssertEqual(StandInAnswer.answer(to: ["what is 2 * 3"], accuracy: 1, solutions: solutions), " 6")
    }
}
