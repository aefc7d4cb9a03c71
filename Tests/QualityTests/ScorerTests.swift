import Quality
import XCTest

final class ScorerTests: XCTestCase {
    func testExact() throws {
        XCTAssertEqual(try Scorer.exact(normalize: true).score(response: "  Paris \n", expected: "paris"), 1)
        XCTAssertEqual(try Scorer.exact(normalize: true).score(response: "New  York", expected: "new york"), 1)
        XCTAssertEqual(try Scorer.exact(normalize: false).score(response: "Paris ", expected: "Paris"), 0)
        XCTAssertEqual(try Scorer.exact(normalize: true).score(response: nil, expected: "x"), 0)
        XCTAssertEqual(try Scorer.exact(normalize: true).score(response: "x", expected: nil), 0)
    }

    func testContains() throws {
        XCTAssertEqual(try Scorer.contains(caseSensitive: false).score(response: "The answer is PARIS.", expected: "paris"), 1)
        XCTAssertEqual(try Scorer.contains(caseSensitive: true).score(response: "The answer is PARIS.", expected: "paris"), 0)
        XCTAssertEqual(try Scorer.contains(caseSensitive: false).score(response: "anything", expected: ""), 0)
    }

    func testRegexWithAndWithoutGroup() throws {
        let group = Scorer.regex(pattern: #"answer:\s*([A-D])"#)
        XCTAssertEqual(try group.score(response: "reasoning… answer: C", expected: "C"), 1)
        XCTAssertEqual(try group.score(response: "answer: B", expected: "C"), 0)
        XCTAssertEqual(try group.score(response: "no verdict", expected: "C"), 0)
        let plain = Scorer.regex(pattern: #"^\d+$"#)
        XCTAssertEqual(try plain.score(response: "42", expected: nil), 1)
        XCTAssertEqual(try plain.score(response: "42 apples", expected: nil), 0)
        XCTAssertThrowsError(try Scorer.regex(pattern: "(").validate()) { error in
            XCTAssertTrue("\(error)".hasPrefix("regex pattern must be a valid regular expression, got ("), "\(error)")
        }
    }

    func testNumericTakesTheLastNumberWithinTolerance() throws {
        let abs = Scorer.numeric(tolerance: 0.01, relative: false)
        XCTAssertEqual(try abs.score(response: "3 apples and 4 pears make 7.004", expected: "7"), 1)   // |7.004 − 7| ≤ 0.01
        XCTAssertEqual(try abs.score(response: "about 7.02", expected: "7"), 0)
        XCTAssertEqual(try abs.score(response: "total: 1,234.5", expected: "1234.5"), 1)
        XCTAssertEqual(try abs.score(response: "it fell to -3", expected: "-3"), 1)
        XCTAssertEqual(try abs.score(response: "no number", expected: "1"), 0)
        let rel = Scorer.numeric(tolerance: 0.05, relative: true)
        XCTAssertEqual(try rel.score(response: "104", expected: "100"), 1)                           // 4 ≤ 5
        XCTAssertEqual(try rel.score(response: "106", expected: "100"), 0)
        XCTAssertThrowsError(try Scorer.numeric(tolerance: -1, relative: false).validate())
        XCTAssertEqual(Scorer.numbers(in: "v2.5 -1 and 3."), [2.5, -1, 3])
    }

    func testMeanAndStandardError() throws {
        // [1, 0, 1, 1]: mean 0.75; sample variance (3·0.0625 + 0.5625)/3 = 0.25; se = √(0.25/4) = 0.25
        let s = try QualityScore.mean(of: [1, 0, 1, 1], name: "exact")
        XCTAssertEqual(s.value, 0.75)
        XCTAssertEqual(s.count, 4)
        XCTAssertEqual(try XCTUnwrap(s.stderr), 0.25, accuracy: 1e-12)
        XCTAssertNil(try QualityScore.mean(of: [1], name: "x").stderr)
        XCTAssertThrowsError(try QualityScore.mean(of: [], name: "x"))
        XCTAssertThrowsError(try QualityScore(name: "x", value: .nan))
    }
}
