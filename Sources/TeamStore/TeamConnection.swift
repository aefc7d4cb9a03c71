import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Store

/// One connection to the team store, used from a plain thread (the CLI's, or the Lua
/// thread): every call blocks until the server has answered. Values go in and come back
/// as the local store's ``SQLValue`` so both stores speak the same rows.
public final class TeamConnection: @unchecked Sendable {
    public let address: TeamAddress
    private let connection: PostgresConnection
    private let logger: Logger
    /// Polled while waiting on the server: true stops the wait, closes the connection
    /// (the server rolls back an open transaction) and throws ``TeamStoreError/interrupted(_:)``.
    public var stopWhen: (@Sendable () -> Bool)?

    private static let ids = ManagedAtomicCounter()

    /// Connects and logs in; the schema is not touched (``TeamSchema/migrate(_:)`` does that).
    public init(_ address: TeamAddress, stopWhen: (@Sendable () -> Bool)? = nil) throws {
        self.address = address
        self.stopWhen = stopWhen
        var quiet = Logger(label: "frontier.team")
        quiet.logLevel = .critical  // errors are ours to word: the library's logs could show queries
        let logger = quiet
        self.logger = logger
        let configuration = try Self.configuration(address)
        let id = Self.ids.next()
        do {
            connection = try Self.wait(stopWhen: stopWhen, what: "connecting to \(address.display)") {
                try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
            }
        } catch let e as TeamStoreError {
            throw e
        } catch {
            throw TeamStoreError.unreachable(store: address.display, reason: Self.describe(error))
        }
    }

    deinit { try? connection.close().wait() }

    /// Closes the connection; a transaction still open is rolled back by the server.
    public func close() { try? connection.close().wait() }

    /// Runs one statement with `$1, $2, …` parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ params: [SQLValue] = [], what: String? = nil) throws -> QueryResult {
        var binds = PostgresBindings(capacity: params.count)
        for p in params { Self.bind(p, into: &binds) }
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        let connection = self.connection, logger = self.logger
        do {
            return try Self.wait(stopWhen: stopWhen, what: what ?? "a query", onStop: { let closing: EventLoopFuture<Void> = connection.close(); _ = closing }) {
                let rows = try await connection.query(query, logger: logger)
                var columns: [String] = []
                var out: [[SQLValue]] = []
                for try await row in rows {
                    if columns.isEmpty { columns = row.map(\.columnName) }
                    out.append(try row.map(Self.value))
                }
                return QueryResult(columns: columns, rows: out)
            }
        } catch let e as TeamStoreError {
            if case .interrupted = e { close() }
            throw e
        } catch {
            throw TeamStoreError.server(store: address.display, what: what ?? "a query", message: Self.describe(error))
        }
    }

    /// Streams rows into `table` with `COPY … FROM STDIN` (text format): far faster than
    /// INSERTs for a run's requests. `types` are the columns' PostgreSQL types, which say
    /// how each value is written.
    public func copy(into table: String, columns: [String], types: [String], rows: [[SQLValue]], what: String) throws {
        let connection = self.connection, logger = self.logger
        let chunks = CopyText.chunks(rows, types: types)
        do {
            try Self.wait(stopWhen: stopWhen, what: what, onStop: { let closing: EventLoopFuture<Void> = connection.close(); _ = closing }) {
                try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
                    for chunk in chunks { try await writer.write(chunk) }
                }
            }
        } catch let e as TeamStoreError {
            if case .interrupted = e { close() }
            throw e
        } catch {
            throw TeamStoreError.server(store: address.display, what: what, message: Self.describe(error))
        }
    }

    /// Runs `body` in a transaction: COMMIT when it returns, ROLLBACK when it throws. A
    /// connection dropped midway leaves nothing behind: the server rolls back what it had.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN", what: "BEGIN")
        do {
            let value = try body()
            try query("COMMIT", what: "COMMIT")
            return value
        } catch {
            _ = try? query("ROLLBACK", what: "ROLLBACK")
            throw error
        }
    }

    // MARK: - Plumbing

    static func configuration(_ a: TeamAddress) throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch a.sslMode {
        case .disable: tls = .disable
        case .allow, .prefer, .require, .verifyCA, .verifyFull:
            var t = TLSConfiguration.makeClientConfiguration()
            switch a.sslMode {
            case .verifyFull: t.certificateVerification = .fullVerification
            case .verifyCA: t.certificateVerification = .noHostnameVerification
            // libpq: `require` with a root certificate given verifies it as verify-ca does.
            case .require where a.sslRootCert != nil: t.certificateVerification = .noHostnameVerification
            default: t.certificateVerification = .none
            }
            if let ca = a.sslRootCert { t.trustRoots = .file(ca) }
            let context: NIOSSLContext
            do { context = try NIOSSLContext(configuration: t) } catch {
                throw TeamStoreError.badAddress("team store \(a.display): sslrootcert '\(a.sslRootCert ?? "")' cannot be used: \(error)")
            }
            tls = a.sslMode == .allow || a.sslMode == .prefer ? .prefer(context) : .require(context)
        }
        var c: PostgresConnection.Configuration
        if a.host.hasPrefix("/") {
            c = .init(unixSocketPath: "\(a.host)/.s.PGSQL.\(a.port)", username: a.user, password: a.password, database: a.database)
        } else {
            c = .init(host: a.host, port: a.port, username: a.user, password: a.password, database: a.database, tls: tls)
            if !a.host.allSatisfy({ $0.isNumber || $0 == "." || $0 == ":" }) { c.options.tlsServerName = a.host }
        }
        c.options.connectTimeout = .milliseconds(Int64(a.connectTimeout * 1000))
        c.options.additionalStartupParameters = [("application_name", a.applicationName)]
        return c
    }

    private static func bind(_ v: SQLValue, into b: inout PostgresBindings) {
        switch v {
        case .null: b.appendNull()
        case .integer(let n): b.append(n)
        case .real(let d): b.append(d)
        case .text(let s): b.append(s)
        case .blob(let bytes): b.append(ByteBuffer(bytes: bytes))
        }
    }

    /// A cell as the local store would hold it. Types without a counterpart come back as
    /// text when the server sent them as text; otherwise the error asks for a cast.
    private static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .void: return .null
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .numeric: return .real(NSDecimalNumber(decimal: try cell.decode(Decimal.self)).doubleValue)
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea: return .blob(Array((try cell.decode(ByteBuffer.self)).readableBytesView))
        case .timestamptz, .timestamp:
            return .real(try cell.decode(Date.self).timeIntervalSince1970)
        case .text, .varchar, .bpchar, .name, .json, .jsonb, .uuid: return .text(try cell.decode(String.self))
        default:
            if cell.format == .text { return .text(try cell.decode(String.self)) }
            throw TeamStoreError.local("column '\(cell.columnName)' has a type frontier does not read (\(cell.dataType)); cast it, e.g. \(cell.columnName)::text")
        }
    }

    /// The server's own words for an error (its message, detail and SQLSTATE), or the
    /// connection problem; never the query's parameters.
    static func describe(_ error: Error) -> String {
        if let t = error as? PostgresTransactionError {
            return describe(t.closureError ?? t.commitError ?? t.beginError ?? t.rollbackError ?? error)
        }
        guard let p = error as? PSQLError else { return "\(error)" }
        if let info = p.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
            return text
        }
        if let underlying = p.underlying { return "\(p.code): \(underlying)" }
        return "\(p.code)"
    }

    /// Runs async work from a plain thread and waits for it, polling `stopWhen`.
    /// `onStop` ends what the task waits on (closing the connection ends a query at once).
    static func wait<T: Sendable>(stopWhen: (@Sendable () -> Bool)?, what: String, onStop: (() -> Void)? = nil,
                                  _ work: @escaping @Sendable () async throws -> T) throws -> T {
        // Checked before each statement too: most end within one polling interval.
        if stopWhen?() == true {
            onStop?()
            throw TeamStoreError.interrupted("interrupted before \(what); nothing of it was kept")
        }
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        let task = Task {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        while done.wait(timeout: .now() + .milliseconds(50)) == .timedOut {
            if stopWhen?() == true {
                task.cancel()
                onStop?()
                done.wait()
                throw TeamStoreError.interrupted("interrupted while \(what); nothing of it was kept")
            }
        }
        guard let result = box.result else { throw TeamStoreError.local("\(what): no result") }
        return try result.get()
    }
}

/// The result of async work, handed back to the waiting thread (the semaphore orders the accesses).
private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

/// Connection ids for the library's logs.
private final class ManagedAtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func next() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
