/// Why a chart, report or plot could not be built.
///
/// The message names the chart or series and the offending value, so a script
/// author can fix the input; nothing half-drawn is ever returned instead.
public struct ReportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, in words.
    public let message: String

    /// An error with its message.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
