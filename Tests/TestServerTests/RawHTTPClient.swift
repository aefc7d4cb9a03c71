import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Seconds on a monotonic clock.
func monotonicNow() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// One server-sent event as the client saw it.
struct SSEEvent {
    /// The text after `data: `.
    var data: String
    /// Seconds from the request's send to the arrival of the bytes that completed this event.
    var time: Double

    /// The payload parsed as a JSON object, or nil.
    var json: [String: Any]? {
        guard let data = data.data(using: .utf8) else { return nil }
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }
}

/// How reading a response stopped.
enum ResponseEnding: Equatable {
    case complete, eof, reset, timeout
}

/// A response read off the wire by ``RawHTTPClient``.
struct RawResponse {
    var status = 0
    var headers: [String: String] = [:]
    var body: [UInt8] = []
    var events: [SSEEvent] = []
    var ending: ResponseEnding = .complete
    /// Seconds from send to the end of the head.
    var headTime: Double = 0

    var text: String { String(decoding: body, as: UTF8.self) }
    var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
}

enum RawClientError: Error {
    case socket(String)
}

/// A deliberately plain HTTP/1.1 client on a blocking POSIX socket: no NIO, no Foundation
/// networking, so the test measures the server and not a client library's behaviour.
final class RawHTTPClient {
    private let fd: Int32
    /// The socket, for poll(2).
    var descriptor: Int32 { fd }
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var lastFill: Double = 0
    private var sentAt: Double = 0
    private var closed = false

    init(port: Int, timeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawClientError.socket("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw RawClientError.socket("connect: errno \(code)")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        setTimeout(timeout)
    }

    deinit { close() }

    func setTimeout(_ seconds: Double) {
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - seconds.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    /// Sends raw bytes and starts the clock for the next response.
    func sendRaw(_ text: String) throws {
        sentAt = monotonicNow()
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeMutableBytes { raw in
                Glibc.send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawClientError.socket("send: errno \(errno)") }
            offset += sent
        }
    }

    static func requestText(_ method: String, _ path: String, body: String? = nil,
                            extraHeaders: [String] = []) -> String {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for header in extraHeaders { text += header + "\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        } else {
            text += "\r\n"
        }
        return text
    }

    /// Sends a request and reads its response.
    func request(_ method: String, _ path: String, body: String? = nil,
                 extraHeaders: [String] = []) throws -> RawResponse {
        try sendRaw(Self.requestText(method, path, body: body, extraHeaders: extraHeaders))
        return readResponse()
    }

    /// `POST path` with a JSON body.
    func post(_ path: String, _ json: String) throws -> RawResponse {
        try request("POST", path, body: json)
    }

    // MARK: - Reading

    private enum Fill { case data, eof, reset, timeout }

    private func fill() -> Fill {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
        lastFill = monotonicNow()
        if count > 0 {
            if readIndex > 1 << 20 {
                buffer.removeFirst(readIndex)
                readIndex = 0
            }
            buffer.append(contentsOf: chunk[0..<count])
            return .data
        }
        if count == 0 { return .eof }
        switch errno {
        case EAGAIN, EWOULDBLOCK: return .timeout
        case ECONNRESET: return .reset
        default: return .eof
        }
    }

    private func ending(_ fill: Fill) -> ResponseEnding {
        switch fill {
        case .data: return .complete
        case .eof: return .eof
        case .reset: return .reset
        case .timeout: return .timeout
        }
    }

    /// Reads through the next CRLF; nil (with the reason) if the stream ends first.
    private func readLine() -> (line: String?, stop: Fill?) {
        while true {
            if let end = findCRLF() {
                let line = String(decoding: buffer[readIndex..<end], as: UTF8.self)
                readIndex = end + 2
                return (line, nil)
            }
            let result = fill()
            if result != .data { return (nil, result) }
        }
    }

    private func findCRLF() -> Int? {
        var index = readIndex
        while index + 1 < buffer.count {
            if buffer[index] == 13 && buffer[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }

    private func readExactly(_ count: Int) -> (bytes: [UInt8], stop: Fill?) {
        while buffer.count - readIndex < count {
            let result = fill()
            if result != .data {
                let partial = Array(buffer[readIndex...])
                readIndex = buffer.count
                return (partial, result)
            }
        }
        let bytes = Array(buffer[readIndex..<(readIndex + count)])
        readIndex += count
        return (bytes, nil)
    }

    /// Reads one response: head, then a chunked, sized or until-close body. Never throws: a
    /// cut-off response comes back with its ``RawResponse/ending`` set.
    func readResponse() -> RawResponse {
        var response = RawResponse()
        let (statusLine, stop) = readLine()
        guard let statusLine else {
            response.ending = ending(stop ?? .eof)
            return response
        }
        response.status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? -1
        while true {
            let (line, stop) = readLine()
            guard let line else {
                response.ending = ending(stop ?? .eof)
                return response
            }
            if line.isEmpty { break }
            if let colon = line.firstIndex(of: ":") {
                let name = line[..<colon].lowercased()
                response.headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        response.headTime = lastFill - sentAt
        if (100..<200).contains(response.status) { return response }  // interim replies have no body
        if response.headers["transfer-encoding"]?.lowercased() == "chunked" {
            readChunkedBody(into: &response)
        } else if let length = response.headers["content-length"].flatMap({ Int($0) }) {
            let (bytes, stop) = readExactly(length)
            response.body = bytes
            response.ending = stop.map(ending) ?? .complete
        } else {
            while true {
                let result = fill()
                if result != .data {
                    response.ending = result == .eof ? .complete : ending(result)
                    break
                }
            }
            response.body = Array(buffer[readIndex...])
            readIndex = buffer.count
        }
        if response.headers["content-type"] == "text/event-stream" && response.events.isEmpty {
            collectEvents(into: &response, from: 0)
        }
        return response
    }

    private func readChunkedBody(into response: inout RawResponse) {
        var scanned = 0
        while true {
            let (sizeLine, stop) = readLine()
            guard let sizeLine, let size = Int(sizeLine, radix: 16) else {
                response.ending = ending(stop ?? .eof)
                return
            }
            if size == 0 {
                _ = readLine()  // the CRLF after the last chunk
                response.ending = .complete
                return
            }
            let (bytes, dataStop) = readExactly(size)
            response.body += bytes
            scanned = collectEvents(into: &response, from: scanned)
            if let dataStop {
                response.ending = ending(dataStop)
                return
            }
            _ = readLine()
        }
    }

    /// Splits complete `data: …\n\n` events out of the body from `start`; returns where the
    /// unfinished rest begins.
    @discardableResult
    private func collectEvents(into response: inout RawResponse, from start: Int) -> Int {
        var eventStart = start
        var index = start
        let body = response.body
        while index + 1 < body.count {
            if body[index] == 10 && body[index + 1] == 10 {
                var text = String(decoding: body[eventStart..<index], as: UTF8.self)
                if text.hasPrefix("data: ") { text.removeFirst(6) }
                response.events.append(SSEEvent(data: text, time: lastFill - sentAt))
                index += 2
                eventStart = index
            } else {
                index += 1
            }
        }
        return eventStart
    }

    /// Reads and discards until the connection closes or `seconds` pass without data; returns
    /// how it ended and how many `data: ` markers arrived (a fast path for load tests).
    func drainCountingEvents(until marker: String = "data: [DONE]") -> (events: Int, sawMarker: Bool, ending: ResponseEnding) {
        let needle = Array("data: ".utf8)
        let end = Array(marker.utf8)
        var events = 0
        var carry: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 {
                return (events, false, count == 0 ? .eof : (errno == ECONNRESET ? .reset : .timeout))
            }
            // Keep the tail of the previous read so a marker split across reads still counts.
            let window = carry + chunk[0..<count]
            events += Self.occurrences(of: needle, in: window)
            if Self.occurrences(of: end, in: window) > 0 { return (events, true, .complete) }
            carry = Array(window.suffix(max(needle.count, end.count) - 1))
            events -= Self.occurrences(of: needle, in: carry)  // counted again next round
        }
    }

    private static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard let head = needle.first, haystack.count >= needle.count else { return 0 }
        var count = 0
        haystack.withUnsafeBytes { hay in
            needle.withUnsafeBytes { pin in
                guard let base = hay.baseAddress, let pinBase = pin.baseAddress else { return }
                var offset = 0
                // memchr for the first byte, then memcmp: fast even in a debug build (glibc's
                // memmem is not visible to Swift without _GNU_SOURCE).
                while offset <= hay.count - pin.count,
                      let found = memchr(base + offset, Int32(head), hay.count - pin.count + 1 - offset) {
                    let position = base.distance(to: UnsafeRawPointer(found))
                    if memcmp(found, pinBase, pin.count) == 0 {
                        count += 1
                        offset = position + pin.count
                    } else {
                        offset = position + 1
                    }
                }
            }
        }
        return count
    }
}
