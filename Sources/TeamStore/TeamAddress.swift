import Foundation

/// Where the team store is and how to log in: a `postgres://` URL completed the way
/// libpq completes one (the URL first, then the service file named by `service=` or
/// `PGSERVICE`, then `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGSSLMODE`,
/// `PGSSLROOTCERT`, then defaults), the password from the URL, `PGPASSWORD` or the
/// password file (`PGPASSFILE`, default `~/.pgpass`). The password is held only here and
/// never appears in ``display``, an error, or anything stored.
public struct TeamAddress: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    /// Never printed or stored; nil lets the server decide (trust, peer).
    var password: String?
    public var sslMode: SSLMode
    /// CA certificates to trust (PEM) for `verify-ca` / `verify-full`, and `require` when given.
    public var sslRootCert: String?
    public var connectTimeout: Double
    /// What the server shows in `pg_stat_activity.application_name` (default `frontier`).
    public var applicationName: String

    /// libpq's `sslmode` values.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// Whether `text` names a team store rather than a file path.
    public static func isTeamStore(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The store as it may be printed: `postgres://user@host:port/database`, no password.
    public var display: String {
        let h = host.hasPrefix("/") ? "[\(host)]" : host
        return "postgres://\(user)@\(h):\(port)/\(database)"
    }

    /// Reads `url` and completes it from `environment` and the files it names.
    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard Self.isTeamStore(url) else {
            throw TeamStoreError.badAddress("'\(Self.redact(url))' is not a team store address; expected postgres://user@host:port/database")
        }
        guard let c = URLComponents(string: url) else {
            throw TeamStoreError.badAddress("malformed team store address '\(Self.redact(url))'; expected postgres://user@host:port/database?sslmode=…")
        }
        var given: [String: String] = [:]
        if let h = c.percentEncodedHost, !h.isEmpty { given["host"] = h.removingPercentEncoding ?? h }
        if let p = c.port { given["port"] = String(p) }
        if let u = c.user, !u.isEmpty { given["user"] = u }
        if let pw = c.password { given["password"] = pw }
        let path = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        if !path.isEmpty { given["dbname"] = path }
        let known: Set<String> = ["host", "port", "user", "password", "dbname", "sslmode", "sslrootcert", "service",
                                  "connect_timeout", "application_name"]
        for item in c.queryItems ?? [] {
            guard known.contains(item.name) else {
                throw TeamStoreError.badAddress("team store address \(Self.redact(url)): unknown parameter '\(item.name)'; expected one of "
                                                + known.sorted().joined(separator: ", "))
            }
            given[item.name] = item.value ?? ""
        }
        if let service = given["service"] ?? environment["PGSERVICE"] {
            for (k, v) in try Self.service(service, environment: environment) where given[k] == nil { given[k] = v }
        }
        func value(_ key: String, _ env: String) -> String? { given[key] ?? environment[env] }
        host = value("host", "PGHOST") ?? "localhost"
        let portText = value("port", "PGPORT") ?? "5432"
        guard let p = Int(portText), (1...65535).contains(p) else {
            throw TeamStoreError.badAddress("team store address \(Self.redact(url)): port '\(portText)' is not a port number (1–65535)")
        }
        port = p
        user = value("user", "PGUSER") ?? ProcessInfo.processInfo.userName
        database = value("dbname", "PGDATABASE") ?? user
        let modeText = value("sslmode", "PGSSLMODE") ?? "prefer"
        guard let mode = SSLMode(rawValue: modeText) else {
            throw TeamStoreError.badAddress("team store address \(Self.redact(url)): sslmode '\(modeText)' is not one of "
                                            + SSLMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        sslMode = mode
        sslRootCert = value("sslrootcert", "PGSSLROOTCERT")
        let timeoutText = value("connect_timeout", "PGCONNECT_TIMEOUT") ?? "10"
        guard let t = Double(timeoutText), t > 0 else {
            throw TeamStoreError.badAddress("team store address \(Self.redact(url)): connect_timeout '\(timeoutText)' must be a number of seconds > 0")
        }
        connectTimeout = t
        applicationName = value("application_name", "PGAPPNAME") ?? "frontier"
        password = given["password"] ?? environment["PGPASSWORD"]
            ?? Self.passwordFile(host: host, port: port, database: database, user: user, environment: environment)
    }

    /// `url` with any password replaced by `***`, for messages about a URL that did not parse.
    public static func redact(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@") {
            let userinfo = text[scheme.upperBound..<at]
            if let colon = userinfo.firstIndex(of: ":") { text.replaceSubrange(colon..<at, with: ":***") }
        }
        if let r = text.range(of: #"password=[^&]*"#, options: .regularExpression) { text.replaceSubrange(r, with: "password=***") }
        return text
    }

    /// The keywords of one section of the connection service file (libpq's pg_service.conf).
    static func service(_ name: String, environment: [String: String]) throws -> [String: String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        var files = [environment["PGSERVICEFILE"] ?? home + "/.pg_service.conf"]
        if let dir = environment["PGSYSCONFDIR"] { files.append(dir + "/pg_service.conf") }
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            var section: String?
            var found: [String: String]?
            for raw in text.split(whereSeparator: \.isNewline) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                if line.hasPrefix("[") && line.hasSuffix("]") {
                    if found != nil { break }
                    section = String(line.dropFirst().dropLast())
                    if section == name { found = [:] }
                } else if section == name, let eq = line.firstIndex(of: "=") {
                    found?[line[..<eq].trimmingCharacters(in: .whitespaces)] = line[line.index(after: eq)...].trimmingCharacters(in: .whitespaces)
                }
            }
            if let found { return found }
        }
        throw TeamStoreError.badAddress("service '\(name)' not found in \(files.joined(separator: " or ")) (PGSERVICE / service=)")
    }

    /// The first matching line of the password file (`host:port:database:user:password`,
    /// `*` matching anything, `\:` and `\\` escaped), as libpq reads it. A file that group
    /// or others can read is ignored, as libpq ignores it.
    static func passwordFile(host: String, port: Int, database: String, user: String, environment: [String: String]) -> String? {
        let file = environment["PGPASSFILE"] ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = attributes[.posixPermissions] as? Int, mode & 0o077 == 0,
              let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        let hostKey = host.hasPrefix("/") ? "localhost" : host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = splitEscaped(String(line))
            guard fields.count == 5 else { continue }
            let wanted = [hostKey, String(port), database, user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    private static func splitEscaped(_ line: String) -> [String] {
        var fields: [String] = [], current = "", escaped = false
        for ch in line {
            if escaped { current.append(ch); escaped = false }
            else if ch == "\\" { escaped = true }
            else if ch == ":" && fields.count < 4 { fields.append(current); current = "" }
            else { current.append(ch) }
        }
        fields.append(current)
        return fields
    }
}
