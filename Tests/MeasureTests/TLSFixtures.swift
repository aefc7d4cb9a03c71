import Foundation
import XCTest

/// A private CA and certificates made by `openssl` in a temporary folder: a server
/// certificate for localhost / 127.0.0.1, an expired one, one for another name, and a
/// client certificate, all issued by the CA.
struct TestPKI {
    let dir: URL
    var ca: String { dir.appendingPathComponent("ca.pem").path }
    var serverCert: String { dir.appendingPathComponent("server.pem").path }
    var serverKey: String { dir.appendingPathComponent("server.key").path }
    var expiredCert: String { dir.appendingPathComponent("expired.pem").path }
    var wrongNameCert: String { dir.appendingPathComponent("wrong.pem").path }
    var clientCert: String { dir.appendingPathComponent("client.pem").path }
    var clientKey: String { dir.appendingPathComponent("client.key").path }
    /// A directory holding the CA under OpenSSL's hashed name (what SSL_CERT_DIR expects).
    var caDirectory: String { dir.appendingPathComponent("certs").path }

    static func make() throws -> TestPKI {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("frontier-pki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        func openssl(_ args: [String]) throws { try run("/usr/bin/env", ["openssl"] + args, in: dir) }
        try openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=Frontier Test CA"])
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"])
        try openssl(["req"] + ec + ["-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=frontier-client"])
        try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(to: dir.appendingPathComponent("ok.ext"), atomically: true, encoding: .utf8)
        try "subjectAltName=DNS:gateway.internal.example\n".write(to: dir.appendingPathComponent("wrong.ext"), atomically: true, encoding: .utf8)
        try "extendedKeyUsage=clientAuth\n".write(to: dir.appendingPathComponent("client.ext"), atomically: true, encoding: .utf8)
        let sign = ["x509", "-req", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"]
        try openssl(sign + ["-in", "server.csr", "-out", "server.pem", "-days", "30", "-extfile", "ok.ext"])
        // Negative days: valid from now until a day ago, i.e. expired.
        try openssl(sign + ["-in", "server.csr", "-out", "expired.pem", "-days", "-1", "-extfile", "ok.ext"])
        try openssl(sign + ["-in", "server.csr", "-out", "wrong.pem", "-days", "30", "-extfile", "wrong.ext"])
        try openssl(sign + ["-in", "client.csr", "-out", "client.pem", "-days", "30", "-extfile", "client.ext"])
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("certs"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("ca.pem"), to: dir.appendingPathComponent("certs/ca.pem"))
        try openssl(["rehash", "certs"])
        return TestPKI(dir: dir)
    }

    func remove() { try? FileManager.default.removeItem(at: dir) }

    static func run(_ tool: String, _ args: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = dir
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let text = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw NSError(domain: "TestPKI", code: Int(p.terminationStatus),
                          userInfo: [NSLocalizedDescriptionKey: "\(args.joined(separator: " ")): \(String(decoding: text, as: UTF8.self))"])
        }
    }
}

/// A Python helper on 127.0.0.1 started by a test: it prints its port on its first
/// line, then serves until stopped; what it logs goes to a file the test can read.
final class PythonHelper {
    let process = Process()
    let port: Int
    let log: URL
    let scriptFile: URL

    init(script: String, arguments: [String]) throws {
        let dir = FileManager.default.temporaryDirectory
        let file = dir.appendingPathComponent("frontier-helper-\(UUID().uuidString).py")
        try script.write(to: file, atomically: true, encoding: .utf8)
        scriptFile = file
        log = dir.appendingPathComponent("frontier-helper-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", file.path, log.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        // The first line is the port; EOF first means the helper failed to start.
        var line = Data()
        while true {
            let byte = out.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        guard let p = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            process.terminate()
            try? FileManager.default.removeItem(at: file)
            throw NSError(domain: "PythonHelper", code: 1, userInfo: [NSLocalizedDescriptionKey: "helper did not start: '\(String(decoding: line, as: UTF8.self))'"])
        }
        port = p
    }

    /// What the helper logged (one line per request or tunnel).
    var logged: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: log)
        try? FileManager.default.removeItem(at: scriptFile)
    }

    /// An OpenAI-style streaming server over TLS: `cert key [client_ca] [expect_path expect_header]`.
    /// With client_ca it requires a client certificate issued by that CA. It logs each
    /// request as `METHOD path header-value`; with expectations it answers 404 or 401 when
    /// the path (with query) or the header (`name: value`) differs.
    static let tlsServer = #"""
import http.server, json, ssl, sys
log_path, cert, key = sys.argv[1], sys.argv[2], sys.argv[3]
client_ca = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] != "-" else None
expect_path = sys.argv[5] if len(sys.argv) > 5 else None
expect_header = sys.argv[6] if len(sys.argv) > 6 else None

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers()
    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        hname = expect_header.split(":")[0] if expect_header else "Authorization"
        with open(log_path, "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, self.headers.get(hname, "-")))
        if expect_path and self.path != expect_path:
            return self.fail(404, "no route " + self.path)
        if expect_header:
            name, value = expect_header.split(":", 1)
            if self.headers.get(name.strip()) != value.strip():
                return self.fail(401, "bad key header")
        # A length, not a close, ends the body: a TLS close without close_notify is an error to the client.
        body = ""
        for i in range(3):
            chunk = {"choices": [{"index": 0, "text": " tok", "delta": {"content": " tok"}, "finish_reason": None if i < 2 else "length"}]}
            body += "data: " + json.dumps(chunk) + "\n\n"
        usage = {"choices": [], "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}}
        body += "data: " + json.dumps(usage) + "\n\ndata: [DONE]\n\n"
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()
    def fail(self, code, text):
        body = text.encode()
        self.send_response(code); self.send_header("Content-Length", str(len(body))); self.end_headers()
        self.wfile.write(body)

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
if client_ca:
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.load_verify_locations(client_ca)
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    def handle_error(self, request, client_address): pass
srv = Server(("127.0.0.1", 0), Handler)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True, do_handshake_on_connect=False)
print(srv.server_address[1], flush=True)
srv.serve_forever()
"""#

    /// An HTTP CONNECT proxy: `[deny]`. Logs `CONNECT host:port` per tunnel; with `deny` it
    /// answers 403 to every CONNECT.
    static let connectProxy = #"""
import socket, socketserver, sys, threading
log_path = sys.argv[1]
deny = len(sys.argv) > 2 and sys.argv[2] == "deny"

def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data: break
            b.sendall(data)
    except OSError: pass
    finally:
        try: b.shutdown(socket.SHUT_WR)
        except OSError: pass

class Handler(socketserver.BaseRequestHandler):
    def handle(self):
        head = b""
        while b"\r\n\r\n" not in head:
            data = self.request.recv(4096)
            if not data: return
            head += data
        line = head.split(b"\r\n")[0].decode()
        method, target = line.split(" ")[0], line.split(" ")[1]
        with open(log_path, "a") as f: f.write("%s %s\n" % (method, target))
        if method != "CONNECT" or deny:
            self.request.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        host, port = target.rsplit(":", 1)
        up = socket.create_connection((host, int(port)))
        self.request.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        t = threading.Thread(target=pipe, args=(up, self.request), daemon=True)
        t.start()
        pipe(self.request, up)
        t.join()
        up.close()

class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
srv = Server(("127.0.0.1", 0), Handler)
print(srv.server_address[1], flush=True)
srv.serve_forever()
"""#
}
