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
