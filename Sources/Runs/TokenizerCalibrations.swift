import Foundation
import Store

/// How a target counts the words of frontier's synthetic prompts: its tokens for a
/// prompt of `w` words are about `intercept + perWord · w` (the intercept holds the
/// request tag, special tokens and, through probe requests, a chat template).
public struct TokenizerCalibration: Sendable, Equatable {
    /// `tokenize` (the server's `/tokenize`) or `probe` (`usage.prompt_tokens` of probe requests).
    public var method: String
    public var intercept: Double
    public var perWord: Double
    /// Prompts measured for the fit.
    public var samples: Int

    public init(method: String, intercept: Double, perWord: Double, samples: Int) {
        self.method = method
        self.intercept = intercept
        self.perWord = perWord
        self.samples = samples
    }

    /// Words that make about `tokens` of the server's tokens (at least 1).
    public func words(forTokens tokens: Int) -> Int {
        guard perWord.isFinite, perWord > 0 else { return max(1, tokens) }
        return max(1, Int(((Double(tokens) - intercept) / perWord).rounded()))
    }

    /// The least-squares line through (words, tokens); a single length gives a line through the origin.
    public static func fit(method: String, points: [(words: Int, tokens: Int)]) -> TokenizerCalibration? {
        let usable = points.filter { $0.words > 0 && $0.tokens > 0 }
        guard !usable.isEmpty else { return nil }
        let n = Double(usable.count)
        let mx = usable.reduce(0.0) { $0 + Double($1.words) } / n
        let my = usable.reduce(0.0) { $0 + Double($1.tokens) } / n
        let sxx = usable.reduce(0.0) { $0 + (Double($1.words) - mx) * (Double($1.words) - mx) }
        let sxy = usable.reduce(0.0) { $0 + (Double($1.words) - mx) * (Double($1.tokens) - my) }
        if sxx > 0, sxy > 0 {
            let b = sxy / sxx
            return TokenizerCalibration(method: method, intercept: my - b * mx, perWord: b, samples: usable.count)
        }
        return TokenizerCalibration(method: method, intercept: 0, perWord: my / mx, samples: usable.count)
    }
}

/// Every SQL statement about `tokenizer_calibrations`: one calibration per target and model.
public enum TokenizerCalibrations {
    /// The cached calibration of `target` (a base URL) for `model`, if any.
    public static func load(target: String, model: String, db: Database) throws -> TokenizerCalibration? {
        let r = try db.query("""
            SELECT method, intercept, per_word, samples FROM tokenizer_calibrations WHERE target = ?1 AND model = ?2
            """, [.text(target), .text(model)])
        guard let row = r.rows.first, case .text(let method) = row[0],
              let a = row[1].double, let b = row[2].double, let n = row[3].int else { return nil }
        return TokenizerCalibration(method: method, intercept: a, perWord: b, samples: n)
    }

    /// Stores (or replaces) the calibration of `target` for `model`.
    public static func save(_ c: TokenizerCalibration, target: String, model: String, db: Database) throws {
        _ = try db.execute("""
            INSERT OR REPLACE INTO tokenizer_calibrations (target, model, method, intercept, per_word, samples)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            """, [.text(target), .text(model), .text(c.method), .real(c.intercept), .real(c.perWord), .integer(Int64(c.samples))])
    }
}
