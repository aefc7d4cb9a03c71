import Foundation

/// What can go wrong with the team store. Every message names the store by its
/// redacted address (``TeamAddress/display``), never with a password.
public enum TeamStoreError: Error, CustomStringConvertible, Equatable {
    /// The address is not a `postgres://` / `postgresql://` URL, or a part of it is malformed.
    case badAddress(String)
    /// The server could not be reached or refused the login.
    case unreachable(store: String, reason: String)
    /// The server's schema is newer than this build knows.
    case newerSchema(store: String, found: Int, known: Int)
    /// A statement failed on the server.
    case server(store: String, what: String, message: String)
    /// The local store could not be read or written.
    case local(String)
    /// The operation was interrupted (Ctrl-C); whatever was in flight was rolled back.
    case interrupted(String)

    public var description: String {
        switch self {
        case .badAddress(let m): return m
        case .unreachable(let s, let r): return "team store \(s) cannot be reached: \(r)"
        case .newerSchema(let s, let found, let known):
            return "team store \(s) has schema version \(found), newer than this build's \(known); upgrade frontier"
        case .server(let s, let what, let m): return "team store \(s): \(what) failed: \(m)"
        case .local(let m): return m
        case .interrupted(let m): return m
        }
    }
}
