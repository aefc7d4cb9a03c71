import NIOCore
import NIOHTTP1

/// Writes HTTP/1.1 responses as raw bytes.
///
/// The server frames responses itself instead of going through NIOHTTP1's encoder: a token's
/// whole chunk (size line, SSE event, CRLF) then lives in one buffer built once per stream, so a
/// streamed token costs one write of a shared buffer and no per-chunk allocation, and a batch of
/// tokens is one contiguous buffer.
enum HTTPWire {
    /// The bytes of a response head. `chunked` adds `Transfer-Encoding: chunked`; otherwise
    /// `contentLength` (if any) is sent. `keepAliveHeader` replaces `Connection: keep-alive` with
    /// llama-server's `Keep-Alive: timeout=5, max=5` (HTTP/1.1 keeps the connection by default).
    static func head(status: HTTPResponseStatus, contentType: String, contentLength: Int?,
                     chunked: Bool, keepAlive: Bool, keepAliveHeader: Bool = false, server: String? = nil,
                     allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 192)
        buffer.writeString("HTTP/1.1 \(status.code) \(status.reasonPhrase)\r\n")
        if let server { buffer.writeString("Server: \(server)\r\n") }
        buffer.writeString("Content-Type: \(contentType)\r\n")
        if chunked {
            buffer.writeString("Transfer-Encoding: chunked\r\nCache-Control: no-cache\r\n")
        } else if let contentLength {
            buffer.writeString("Content-Length: \(contentLength)\r\n")
        }
        if keepAlive && keepAliveHeader {
            buffer.writeStaticString("Keep-Alive: timeout=5, max=5\r\n\r\n")
        } else {
            buffer.writeString(keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n")
        }
        return buffer
    }

    /// A complete response with a fixed-length body.
    static func response(status: HTTPResponseStatus, contentType: String, body: String,
                         keepAlive: Bool, server: String? = nil, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = head(status: status, contentType: contentType, contentLength: body.utf8.count,
                          chunked: false, keepAlive: keepAlive, server: server, allocator: allocator)
        buffer.writeString(body)
        return buffer
    }

    /// Appends `payload` as one chunk of a chunked body, or raw when the body is not chunked
    /// (HTTP/1.0 clients, whose body ends when the connection closes).
    static func appendChunk(_ payload: String, chunked: Bool, to buffer: inout ByteBuffer) {
        let length = payload.utf8.count
        guard length > 0 else { return }  // an empty chunk would end the body
        if chunked { buffer.writeString(String(length, radix: 16) + "\r\n") }
        buffer.writeString(payload)
        if chunked { buffer.writeStaticString("\r\n") }
    }

    /// Appends the chunked body's terminator (nothing for an unchunked body).
    static func appendEnd(chunked: Bool, to buffer: inout ByteBuffer) {
        if chunked { buffer.writeStaticString("0\r\n\r\n") }
    }
}

/// JSON text helpers for the hand-built bodies.
enum JSONText {
    /// `value` as a JSON string literal, quotes included.
    static func quote(_ value: String) -> String {
        var out = "\""
        out.reserveCapacity(value.utf8.count + 2)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An OpenAI-style error body.
    static func error(_ message: String, type: String, code: Int) -> String {
        #"{"error":{"message":\#(quote(message)),"type":\#(quote(type)),"param":null,"code":\#(code)}}"#
    }
}
