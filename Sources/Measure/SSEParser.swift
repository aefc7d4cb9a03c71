/// Incremental Server-Sent Events parser: feed it body bytes as they arrive,
/// get back the `data` payload of each complete event. Handles events split
/// across reads, several events in one read, `\n`, `\r\n` and `\r` line ends,
/// multi-line data, comments and other fields (ignored).
///
/// Lines complete inside one read are read in place. An event whose data is a
/// single line inside the read (nearly every streamed chunk) is handed out in
/// place too; only lines split across reads and multi-line data are copied.
struct SSEParser {
    /// The start of a line cut off at the end of the last read.
    private var line: [UInt8] = []
    /// The event's data so far, when it is not in place (multi-line, or begun in an earlier read).
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false

    /// Bytes seen that were not inside any `data:` field (for error messages).
    private(set) var otherBytes = 0

    /// Feeds bytes; calls `event` with each complete event's data (valid only during the call:
    /// it points into `bytes` or into a reused buffer, so an event costs no allocation).
    mutating func feed(_ bytes: UnsafeRawBufferPointer, event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let buf = bytes.assumingMemoryBound(to: UInt8.self)
        let n = buf.count
        guard n > 0 else { return }
        var i = 0
        if lastWasCR {
            lastWasCR = false
            if buf[0] == 0x0A { i = 1 }  // the LF of a CRLF split between reads
        }
        // The current event's data when it is one line of this read: handed out in place.
        var inPlace: UnsafeBufferPointer<UInt8>?
        if !line.isEmpty {
            // Finish the line the last read cut off (copied: its start is gone with that read).
            let j = Self.lineEnd(buf, from: i)
            line.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<j]))
            guard j < n else { return }
            try endCarriedLine(&inPlace, event)
            i = afterLineEnd(buf, j)
        }
        while i < n {
            let j = Self.lineEnd(buf, from: i)
            guard j < n else {
                line.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<n]))
                break
            }
            try endLine(UnsafeBufferPointer(rebasing: buf[i..<j]), inRead: true, inPlace: &inPlace, event)
            i = afterLineEnd(buf, j)
        }
        // An event still open at the end of the read keeps its data past the read: copy it.
        if let p = inPlace { data.append(contentsOf: p) }
    }

    /// At end of stream: an event not closed by a blank line still counts.
    mutating func finish(event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var inPlace: UnsafeBufferPointer<UInt8>?
        if !line.isEmpty { try endCarriedLine(&inPlace, event) }
        if hasData { try dispatch(nil, event) }
    }

    /// Ends the line carried over from earlier reads, and empties it (its buffer kept).
    private mutating func endCarriedLine(_ inPlace: inout UnsafeBufferPointer<UInt8>?,
                                         _ event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        var carried: [UInt8] = []
        swap(&carried, &line)  // read it without overlapping access to `self`
        try carried.withUnsafeBufferPointer { try endLine($0, inRead: false, inPlace: &inPlace, event) }
        carried.removeAll(keepingCapacity: true)
        swap(&carried, &line)
    }

    /// The index of the first CR or LF at or after `i`, or `buf.count`.
    @inline(__always)
    private static func lineEnd(_ buf: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        ByteScan.first(0x0A, 0x0D, in: buf, from: i)
    }

    /// Past the line end at `j`; a CR that ends the read may be the first half of a CRLF.
    @inline(__always)
    private mutating func afterLineEnd(_ buf: UnsafeBufferPointer<UInt8>, _ j: Int) -> Int {
        guard buf[j] == 0x0D else { return j + 1 }
        if j + 1 < buf.count { return buf[j + 1] == 0x0A ? j + 2 : j + 1 }
        lastWasCR = true
        return j + 1
    }

    /// One line without its end. `inRead`: the line lies in the current read, so a data payload
    /// may be kept in place (`inPlace`) until the event ends.
    @inline(__always)
    private mutating func endLine(_ line: UnsafeBufferPointer<UInt8>, inRead: Bool, inPlace: inout UnsafeBufferPointer<UInt8>?,
                                  _ event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        let count = line.count
        if count == 0 {
            if hasData { try dispatch(inPlace, event) }
            inPlace = nil
            return
        }
        // "data:" or "data: " then the payload.
        if count >= 5, line[0] == 0x64, line[1] == 0x61, line[2] == 0x74, line[3] == 0x61, line[4] == 0x3A {
            var start = 5
            if start < count, line[start] == 0x20 { start += 1 }
            let payload = UnsafeBufferPointer(rebasing: line[start..<count])
            if !hasData && inRead {
                inPlace = payload
            } else {
                // A second data line (or one not in this read): the event's data goes to `data`.
                if let p = inPlace { data.append(contentsOf: p); inPlace = nil }
                if hasData { data.append(0x0A) }
                data.append(contentsOf: payload)
            }
            hasData = true
        } else {
            otherBytes += count
        }
    }

    private mutating func dispatch(_ inPlace: UnsafeBufferPointer<UInt8>?,
                                   _ event: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        hasData = false
        if let p = inPlace { return try event(p) }
        defer { data.removeAll(keepingCapacity: true) }
        try data.withUnsafeBufferPointer { try event($0) }
    }
}
