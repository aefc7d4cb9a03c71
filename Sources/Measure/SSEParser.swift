/// Incremental Server-Sent Events parser: feed it body bytes as they arrive,
/// get back the `data` payload of each complete event. Handles events split
/// across reads, several events in one read, `\n`, `\r\n` and `\r` line ends,
/// multi-line data, comments and other fields (ignored).
struct SSEParser {
    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false

    /// Bytes seen that were not inside any `data:` field (for error messages).
    private(set) var otherBytes = 0

    /// Feeds bytes; calls `event` with each complete event's data (valid only during the call:
    /// the buffer is reused, so an event costs no allocation).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var i = 0
        let n = bytes.count
        while i < n {
            // Copy the run up to the next line end in one go.
            var j = i
            while j < n, bytes[j] != 0x0A, bytes[j] != 0x0D { j += 1 }
            if j > i {
                line.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<j]))
                lastWasCR = false
            }
            guard j < n else { break }
            let b = bytes[j]
            i = j + 1
            if b == 0x0A && lastWasCR { lastWasCR = false; continue }  // the LF of a CRLF
            lastWasCR = (b == 0x0D)
            try endLine(event)
        }
    }

    /// At end of stream: an event not closed by a blank line still counts.
    mutating func finish(event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        if !line.isEmpty { try endLine(event) }
        if hasData { try dispatch(event) }
    }

    private mutating func endLine(_ event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            if hasData { try dispatch(event) }
            return
        }
        // "data:" or "data: " then the payload.
        if line.count >= 5, line[0] == 0x64, line[1] == 0x61, line[2] == 0x74, line[3] == 0x61, line[4] == 0x3A {
            var start = 5
            if start < line.count, line[start] == 0x20 { start += 1 }
            if hasData { data.append(0x0A) }
            data.append(contentsOf: line[start...])
            hasData = true
        } else {
            otherBytes += line.count
        }
    }

    private mutating func dispatch(_ event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        defer {
            data.removeAll(keepingCapacity: true)
            hasData = false
        }
        try data.withUnsafeBufferPointer { try event($0) }
    }
}
