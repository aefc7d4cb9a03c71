import AsyncHTTPClient
import Foundation
import Metrics
import NIOCore
import NIOPosix
import NIOSSL

/// What a server's certificate says, read without trusting it: enough to tell an
/// untrusted issuer from an expired certificate or one for another name, which
/// BoringSSL reports alike (`CERTIFICATE_VERIFY_FAILED`).
public struct PeerCertificate: Sendable, Equatable {
    public var subject: String?
    public var issuer: String?
    /// DNS names and IP addresses the certificate is valid for.
    public var names: [String]
    public var notBefore: Date
    public var notAfter: Date

    init(_ c: NIOSSLCertificate) {
        let der = (try? c.toDERBytes()) ?? []
        let dn = DER.names(der)
        subject = dn.subject
        issuer = dn.issuer
        names = c._subjectAlternativeNames().compactMap { n in
            switch n.nameType {
            case .dnsName: return String(decoding: n.contents, as: UTF8.self)
            case .ipAddress:
                let bytes = Array(n.contents)
                if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
                return stride(from: 0, to: bytes.count - 1, by: 2)
                    .map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
            default: return nil
            }
        }
        notBefore = Date(timeIntervalSince1970: Double(c.notValidBefore))
        notAfter = Date(timeIntervalSince1970: Double(c.notValidAfter))
    }

    /// Connects to `host:port` and reads the certificate it presents, trusting nothing and
    /// sending nothing more; nil when no TLS handshake got that far within `timeout`.
    public static func fetch(host: String, port: Int, serverName: String?, timeout: Double) -> PeerCertificate? {
        var config = TLSConfiguration.makeClientConfiguration()
        config.certificateVerification = .noHostnameVerification
        guard let context = try? NIOSSLContext(configuration: config) else { return nil }
        let group = MultiThreadedEventLoopGroup.singleton
        let seen = group.next().makePromise(of: [NIOSSLCertificate].self)
        let sni = serverName ?? (host.contains(":") || host.allSatisfy({ $0.isNumber || $0 == "." }) ? nil : host)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(Int64(timeout * 1e9)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // The callback replaces verification: it records the chain and accepts it, so the
                    // handshake goes on far enough to show it; nothing is ever sent on the connection.
                    let handler = try NIOSSLClientHandler(context: context, serverHostname: sni) { certs, result in
                        seen.succeed(certs)
                        result.succeed(.certificateVerified)
                    }
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let channel = bootstrap.connect(host: host, port: port)
        channel.whenFailure { seen.fail($0) }
        channel.whenSuccess { ch in ch.closeFuture.whenComplete { _ in seen.fail(ChannelError.alreadyClosed) } }
        let timer = group.next().scheduleTask(in: .nanoseconds(Int64(timeout * 1e9))) { seen.fail(ChannelError.connectTimeout(.seconds(0))) }
        let certs = try? seen.futureResult.wait()
        timer.cancel()
        if let ch = try? channel.wait() { try? ch.close().wait() }
        return certs?.first.map(PeerCertificate.init)
    }
}

/// What a failed request is explained with: where it went, through what, trusting what,
/// and (for https without a proxy) the certificate the server showed before the run.
public struct ConnectionContext: Sendable {
    public var host: String
    public var port: Int
    /// The name the certificate must carry (server_name, else the host).
    public var expectedName: String
    public var proxy: ProxyServer?
    public var proxySource: String?
    public var trust: String
    public var clientCertificate: String?
    public var peer: PeerCertificate?

    /// From a resolved transport; with `probe`, reads the server's certificate (https, no proxy).
    public init(_ t: ClientTransport, probe: Bool) {
        let u = URL(string: t.endpoint.url)
        host = u?.host ?? "?"
        port = u?.port ?? (u?.scheme == "https" ? 443 : 80)
        expectedName = t.endpoint.tls.serverName ?? host
        proxy = t.proxy
        proxySource = t.proxySource
        trust = t.trust
        clientCertificate = t.endpoint.tls.clientCertificate
        if probe, u?.scheme == "https", t.proxy == nil, !t.endpoint.tls.insecure {
            peer = PeerCertificate.fetch(host: host, port: port, serverName: t.endpoint.tls.serverName,
                                         timeout: min(t.endpoint.connectTimeout, 5))
        }
    }

    /// A failure to connect or to agree on TLS as a kind and a sentence that names the cause
    /// and the fix; nil when it is neither a TLS nor a proxy problem.
    public func explain(_ error: Error) -> (ErrorKind, String)? {
        let text = String(describing: error)
        let target = "\(host):\(port)"
        if let e = error as? HTTPClientError, let proxy {
            let via = "the proxy \(proxy.address)" + (proxySource.map { " (from \($0 == "proxy" ? "the proxy option" : $0))" } ?? "")
            if e == .proxyAuthenticationRequired {
                return (.proxy, "\(via) asks for credentials (407): put them in the proxy URL, http://user:password@\(proxy.address)")
            }
            if e == .invalidProxyResponse {
                return (.proxy, "\(via) refused to open a tunnel to \(target) (its answer to CONNECT was not 2xx): ask for this host to be allowed, or bypass the proxy with NO_PROXY=\(host) or proxy = false")
            }
            if e == .httpProxyHandshakeTimeout {
                return (.proxy, "\(via) did not answer CONNECT to \(target) in time: check the proxy address")
            }
        }
        if let proxy, error is NIOConnectionError || text.contains("efused") || text.contains("errno: 111") {
            let from = proxySource.map { $0 == "proxy" ? "the proxy option" : $0 } ?? "the proxy option"
            return (.proxy, "could not connect to the proxy \(proxy.address) (from \(from)): is it running? Or bypass it with proxy = false")
        }
        // A TLS connection closed without close_notify is a closed connection, not a TLS problem.
        if text == "uncleanShutdown" { return nil }
        let isTLS = error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
            || text.contains("SSL") || text.contains("TLS") || text.contains("handshake")
        guard isTLS else { return nil }
        if text.contains("CERTIFICATE_REQUIRED") || (clientCertificate == nil && text.contains("HANDSHAKE_FAILURE") && peer != nil) {
            return (.tlsClientCertificate, "the server \(target) requires a client certificate (mutual TLS) and none was sent: give client_cert = '/path/client.pem' and client_key = '/path/client.key' on the target")
        }
        if let cert = clientCertificate, text.contains("UNKNOWN_CA") || text.contains("BAD_CERTIFICATE")
            || text.contains("CERTIFICATE_UNKNOWN") || text.contains("DECRYPT_ERROR") {
            return (.tlsClientCertificate, "the server \(target) refused the client certificate client_cert = '\(cert)': it is not issued by a CA the server trusts, or does not match client_key (\(Self.reason(text)))")
        }
        if text.contains("Couldn't find") || (error as? NIOSSLExtraError) == .failedToValidateHostname {
            let names = peer?.names ?? []
            let list = names.isEmpty ? "other names" : names.joined(separator: ", ")
            let fix = names.first.map { "use one of those names in the URL, or set server_name = '\($0)' on the target" }
                ?? "use the name the certificate carries in the URL, or set server_name = on the target"
            return (.tlsName, "the certificate of \(target) is for \(list), not \(expectedName): \(fix)")
        }
        if text.contains("CERTIFICATE_VERIFY_FAILED") || text.contains("certificate verify failed") {
            let f = ISO8601DateFormatter()
            if let p = peer, p.notAfter < Date() {
                return (.tlsExpired, "the certificate of \(target)\(Self.named(p)) expired on \(f.string(from: p.notAfter)): renew it on the server (insecure = true skips every check, at your own risk)")
            }
            if let p = peer, p.notBefore > Date() {
                return (.tlsExpired, "the certificate of \(target)\(Self.named(p)) is not valid before \(f.string(from: p.notBefore)): check this machine's clock and the server's certificate")
            }
            if let p = peer {
                let issuer = p.issuer.map { "'\($0)'" } ?? "a CA"
                return (.tlsUntrusted, "the certificate of \(target)\(Self.named(p)) is issued by \(issuer), which is not trusted here (trusted: \(trust)): pass that CA's certificate as ca_file = '/path/ca.pem' on the target, or set SSL_CERT_FILE")
            }
            return (.tlsUntrusted, "the certificate of \(target) could not be verified (not trusted here, expired, or not yet valid; trusted: \(trust)): if it comes from a private CA, pass that CA's certificate as ca_file = '/path/ca.pem' on the target, or set SSL_CERT_FILE")
        }
        return (.tls, "TLS with \(target) failed: \(Self.reason(text))")
    }

    private static func named(_ p: PeerCertificate) -> String { p.subject.map { " ('\($0)')" } ?? "" }

    /// BoringSSL's reason code (`TLSV1_ALERT_UNKNOWN_CA`) out of its long error text, or the text.
    static func reason(_ text: String) -> String {
        guard let r = text.range(of: "OPENSSL_internal:") else { return text }
        let rest = text[r.upperBound...]
        return String(rest.prefix { $0 != " " && $0 != "]" && $0 != ")" })
    }
}

/// Just enough DER to read a certificate's subject and issuer common names.
enum DER {
    /// One tag-length-value at the start of `b`: tag, contents, what follows.
    static func tlv(_ b: ArraySlice<UInt8>) -> (tag: UInt8, body: ArraySlice<UInt8>, rest: ArraySlice<UInt8>)? {
        var i = b.startIndex
        guard b.endIndex - i >= 2 else { return nil }
        let tag = b[i]
        var length = Int(b[i + 1])
        i += 2
        if length & 0x80 != 0 {
            let n = length & 0x7F
            guard n > 0, n <= 4, b.endIndex - i >= n else { return nil }
            length = 0
            for _ in 0..<n { length = length << 8 | Int(b[i]); i += 1 }
        }
        guard length >= 0, b.endIndex - i >= length else { return nil }
        return (tag, b[i..<(i + length)], b[(i + length)...])
    }

    /// The elements of a constructed value.
    static func children(_ b: ArraySlice<UInt8>) -> [(tag: UInt8, body: ArraySlice<UInt8>)] {
        var out: [(UInt8, ArraySlice<UInt8>)] = []
        var rest = b
        while !rest.isEmpty, let t = tlv(rest) {
            out.append((t.tag, t.body))
            rest = t.rest
        }
        return out
    }

    /// Subject and issuer as their common names (or organisations when they have none).
    static func names(_ der: [UInt8]) -> (subject: String?, issuer: String?) {
        guard let cert = tlv(der[...]), let tbs = children(cert.body).first else { return (nil, nil) }
        var fields = children(tbs.body)
        if fields.first?.tag == 0xA0 { fields.removeFirst() }  // explicit version
        // serial, signature algorithm, issuer, validity, subject
        guard fields.count >= 5 else { return (nil, nil) }
        return (name(fields[4].body), name(fields[2].body))
    }

    /// CN of a Name (else O), as text.
    static func name(_ b: ArraySlice<UInt8>) -> String? {
        var cn: String?, org: String?
        for set in children(b) {
            for attribute in children(set.body) {
                let parts = children(attribute.body)
                guard parts.count == 2, parts[0].tag == 0x06 else { continue }
                let oid = Array(parts[0].body), value = String(decoding: parts[1].body, as: UTF8.self)
                if oid == [0x55, 0x04, 0x03] { cn = value }
                if oid == [0x55, 0x04, 0x0A] { org = value }
            }
        }
        return cn ?? org
    }
}
