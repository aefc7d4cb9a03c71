import AsyncHTTPClient
import Foundation
import NIOSSL

/// Trust and identity for an https target. Verification stays on unless `insecure`
/// is chosen explicitly; a private CA is trusted by naming it (`caFile`) or through
/// `SSL_CERT_FILE` / `SSL_CERT_DIR`.
public struct TLSOptions: Sendable, Equatable {
    /// A PEM bundle of CA certificates trusted on top of the system's.
    public var caFile: String?
    /// A PEM certificate (chain) presented to servers that ask for one (mutual TLS).
    public var clientCertificate: String?
    /// The PEM private key of `clientCertificate`.
    public var clientKey: String?
    /// The name sent as SNI, checked against the server's certificate and sent as `Host`,
    /// while connecting to the URL's host (a gateway reached by IP or through a tunnel).
    public var serverName: String?
    /// No certificate verification at all: every run warns, and the choice is stored.
    public var insecure = false

    public init(caFile: String? = nil, clientCertificate: String? = nil, clientKey: String? = nil,
                serverName: String? = nil, insecure: Bool = false) {
        self.caFile = caFile
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.serverName = serverName
        self.insecure = insecure
    }

    /// Files exist and pair up; checked when the target is described, so a typo shows at once.
    func validate() throws {
        if (clientCertificate == nil) != (clientKey == nil) {
            throw MeasureError.invalidArgument("client_cert and client_key go together: give both (mutual TLS) or neither")
        }
        for (name, path) in [("ca_file", caFile), ("client_cert", clientCertificate), ("client_key", clientKey)] {
            guard let path else { continue }
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw MeasureError.invalidArgument("\(name) '\(path)' is not a readable file")
            }
        }
        if let n = serverName, n.isEmpty || n.contains(where: { $0 == "/" || $0 == ":" || $0 == " " }) {
            throw MeasureError.invalidArgument("server_name must be a host name, got '\(n)'")
        }
    }

    /// Paths and choices only: never a key's contents.
    var storedSettings: [String: String] {
        var s: [String: String] = [:]
        if let v = caFile { s["ca_file"] = v }
        if let v = clientCertificate { s["client_cert"] = v }
        if let v = serverName { s["server_name"] = v }
        if insecure { s["insecure"] = "true" }
        return s
    }
}

/// Which proxy a target's requests go through.
public enum ProxyChoice: Sendable, Equatable {
    /// `HTTPS_PROXY` (https targets) or `HTTP_PROXY` (http targets), unless `NO_PROXY` lists the host.
    case environment
    /// Straight to the target, whatever the environment says.
    case none
    /// This proxy (`http://[user:password@]host:port`).
    case url(String)

    func validate() throws {
        if case .url(let u) = self { _ = try ProxyServer.parse(u) }
    }
}

/// An HTTP proxy; AsyncHTTPClient reaches every target through it with `CONNECT` (http ones too).
public struct ProxyServer: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// Basic credentials from the proxy URL; never stored nor printed.
    var user: String?
    var password: String?

    /// `host:port`, the only part that is stored or printed.
    public var address: String { "\(host):\(port)" }

    /// Reads `http://[user:password@]host[:port]` (the scheme may be left out; port 80 by default).
    public static func parse(_ text: String) throws -> ProxyServer {
        let withScheme = text.contains("://") ? text : "http://" + text
        guard let c = URLComponents(string: withScheme), let host = c.host, !host.isEmpty else {
            throw MeasureError.invalidArgument("proxy must be a URL such as http://proxy.example:3128, got '\(redacted(text))'")
        }
        guard c.scheme?.lowercased() == "http" else {
            throw MeasureError.invalidArgument("proxy must be an http:// proxy (CONNECT is used for https targets), got scheme '\(c.scheme ?? "")'")
        }
        return ProxyServer(host: host, port: c.port ?? 80, user: c.user?.removingPercentEncoding,
                           password: c.password?.removingPercentEncoding)
    }

    /// A proxy URL without its credentials, for messages.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.range(of: "://").map(\.upperBound) ?? text.startIndex
        return String(text[..<start]) + "…@" + String(text[text.index(after: at)...])
    }

    /// The proxy the environment names for `url`, with the variable it came from; nil when none
    /// is set or `NO_PROXY` (`no_proxy`) lists the host (exact, a domain suffix, or `*`).
    public static func fromEnvironment(for url: URL, _ env: [String: String]) throws -> (ProxyServer, String)? {
        guard let host = url.host?.lowercased() else { return nil }
        let names = url.scheme == "https" ? ["HTTPS_PROXY", "https_proxy"] : ["HTTP_PROXY", "http_proxy"]
        guard let name = names.first(where: { !(env[$0] ?? "").isEmpty }), let value = env[name] else { return nil }
        let noProxy = env["NO_PROXY"] ?? env["no_proxy"] ?? ""
        if bypasses(host: host, port: url.port, noProxy: noProxy) { return nil }
        do { return (try parse(value), name) } catch { throw MeasureError.invalidArgument("\(name): \(error)") }
    }

    /// Whether a `NO_PROXY` list (comma- or space-separated) exempts this host.
    static func bypasses(host: String, port: Int?, noProxy: String) -> Bool {
        let entries = noProxy.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.lowercased() }
        for var e in entries {
            if e == "*" { return true }
            // An entry may carry a port: it then matches that port only.
            if let colon = e.lastIndex(of: ":"), !e.hasPrefix("["), let p = Int(e[e.index(after: colon)...]) {
                guard p == port else { continue }
                e = String(e[..<colon])
            }
            if e.hasPrefix("*.") { e.removeFirst() }
            if e.hasPrefix(".") { e.removeFirst() }
            if host == e || host.hasSuffix("." + e) { return true }
        }
        return false
    }

    var httpClientProxy: HTTPClient.Configuration.Proxy {
        guard let user else { return .server(host: host, port: port) }
        return .server(host: host, port: port, authorization: .basic(username: user, password: password ?? ""))
    }
}

/// How the client reaches one target during a run: trust roots, client identity, proxy,
/// the name checked on the certificate. Resolved once, before a run, from the target and
/// the environment, so a bad file or proxy fails the run with one clear message, not
/// every request.
public struct ClientTransport: Sendable {
    public let endpoint: Endpoint
    /// TLS for https targets (nil for http).
    let tls: TLSConfiguration?
    /// The proxy, with where it came from (`proxy` option or an environment variable).
    public let proxy: ProxyServer?
    public let proxySource: String?
    /// Where trusted CAs come from, in words (for messages and settings).
    public let trust: String
    /// The URL requests are posted to (its host is `server_name` when one is given).
    public let requestURL: String
    /// Things to tell the user on every run (insecure TLS).
    public let warnings: [String]

    public init(_ endpoint: Endpoint, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        self.endpoint = endpoint
        let url = URL(string: endpoint.url)
        let https = url?.scheme == "https"
        let o = endpoint.tls
        var trust = "the system's trusted CAs"
        var warnings: [String] = []
        if https {
            var t = TLSConfiguration.makeClientConfiguration()
            // As OpenSSL does: SSL_CERT_FILE / SSL_CERT_DIR replace the default trust store.
            if let f = environment["SSL_CERT_FILE"], !f.isEmpty {
                guard FileManager.default.isReadableFile(atPath: f) else {
                    throw MeasureError.invalidArgument("SSL_CERT_FILE names '\(f)', which is not a readable file")
                }
                t.trustRoots = .file(f)
                trust = "SSL_CERT_FILE (\(f))"
                if let d = environment["SSL_CERT_DIR"], !d.isEmpty {
                    // NIOSSL takes one trust store; the directory's certificates are added one by one.
                    let certs = Self.certificates(inDirectory: d)
                    if !certs.isEmpty {
                        t.additionalTrustRoots.append(.certificates(certs))
                        trust += " and SSL_CERT_DIR (\(d))"
                    }
                }
            } else if let d = environment["SSL_CERT_DIR"], !d.isEmpty {
                t.trustRoots = .file(d)
                trust = "SSL_CERT_DIR (\(d))"
            }
            if let ca = o.caFile {
                let certs: [NIOSSLCertificate]
                do { certs = try NIOSSLCertificate.fromPEMFile(ca) } catch {
                    throw MeasureError.invalidArgument("ca_file '\(ca)' is not a PEM bundle of certificates (\(error))")
                }
                guard !certs.isEmpty else { throw MeasureError.invalidArgument("ca_file '\(ca)' holds no certificate") }
                t.additionalTrustRoots.append(.certificates(certs))
                trust += " and ca_file (\(ca))"
            }
            if let cert = o.clientCertificate, let key = o.clientKey {
                do {
                    let chain = try NIOSSLCertificate.fromPEMFile(cert)
                    guard !chain.isEmpty else { throw MeasureError.invalidArgument("no certificate in it") }
                    t.certificateChain = chain.map { .certificate($0) }
                } catch {
                    throw MeasureError.invalidArgument("client_cert '\(cert)' is not a PEM certificate (\(error))")
                }
                do { t.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)) } catch {
                    throw MeasureError.invalidArgument("client_key '\(key)' is not a PEM private key (an encrypted key is not supported) (\(error))")
                }
            }
            if o.insecure {
                t.certificateVerification = .none
                trust = "nothing (insecure = true)"
                warnings.append("TLS certificate verification is off for \(endpoint.baseURL) (insecure = true): any server can pose as it; the run's settings record this")
            }
            tls = t
        } else {
            tls = nil
        }
        switch endpoint.proxy {
        case .none:
            proxy = nil
            proxySource = nil
        case .url(let u):
            proxy = try ProxyServer.parse(u)
            proxySource = "proxy"
        case .environment:
            let found = try url.flatMap { try ProxyServer.fromEnvironment(for: $0, environment) }
            proxy = found?.0
            proxySource = found?.1
        }
        self.trust = trust
        self.warnings = warnings
        if let name = o.serverName, var c = url.flatMap({ URLComponents(url: $0, resolvingAgainstBaseURL: false) }) {
            c.host = name
            requestURL = c.string ?? endpoint.url
        } else {
            requestURL = endpoint.url
        }
    }

    /// The PEM certificates in a directory (`*.pem`, `*.crt`, and OpenSSL's hashed `*.0` names);
    /// files that are not certificates are skipped, as OpenSSL does.
    static func certificates(inDirectory dir: String) -> [NIOSSLCertificate] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return names.sorted().flatMap { name -> [NIOSSLCertificate] in
            let isHashed = name.split(separator: ".").last.map { $0.allSatisfy(\.isNumber) } ?? false
            guard name.hasSuffix(".pem") || name.hasSuffix(".crt") || isHashed else { return [] }
            return (try? NIOSSLCertificate.fromPEMFile(dir + "/" + name)) ?? []
        }
    }

    /// The URL for another path on the target (`/models`, `/metrics`), with `server_name` as its host.
    public func url(for other: String) -> String {
        guard let name = endpoint.tls.serverName, var c = URLComponents(string: other) else { return other }
        c.host = name
        return c.string ?? other
    }

    /// Sets TLS, the proxy and the `server_name` route on a client configuration.
    public func apply(to config: inout HTTPClient.Configuration) {
        if let tls { config.tlsConfiguration = tls }
        if let proxy { config.proxy = proxy.httpClientProxy }
        // Connect to the URL's real host while the request, SNI and certificate check use server_name.
        if let name = endpoint.tls.serverName, let host = URL(string: endpoint.url)?.host {
            config.dnsOverride[name] = host
        }
    }

    /// What is stored with the run: where trust came from and the proxy's address, no credentials.
    public var storedSettings: [String: String] {
        var s: [String: String] = [:]
        if tls != nil { s["tls_trust"] = trust }
        if let proxy {
            s["proxy"] = proxy.address
            if let src = proxySource { s["proxy_source"] = src }
        }
        return s
    }
}
