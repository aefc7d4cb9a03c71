import Foundation

extension RunSummary {
    /// The summary as a JSON object with sorted snake_case keys, for `runs.summary`.
    /// Statistics without samples are left out. Throws if a figure is not finite.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a summary written by ``json()``.
    public init(json: String) throws {
        self = try JSONDecoder().decode(RunSummary.self, from: Data(json.utf8))
    }
}
