import Foundation
import Metrics
import NIOConcurrencyHelpers
import Store

/// What a run row starts with.
public struct RunMeta: Sendable {
    public var tag: String?
    public var source: String
    public var target: String?
    public var model: String?
    public var concurrency: Int?
    public var rate: Double?
    /// JSON text of an object.
    public var settings: String

    public init(tag: String?, source: String = "measured", target: String?, model: String?,
                concurrency: Int?, rate: Double?, settings: String) {
        self.tag = tag
        self.source = source
        self.target = target
        self.model = model
        self.concurrency = concurrency
        self.rate = rate
        self.settings = settings
    }
}

/// Writes one process's runs and requests to the store from its own
/// connection and thread: records are batched (one transaction per batch,
/// at least every 200 ms) so a run interrupted at any moment keeps every
/// request that finished before the last batch, and the load generator
/// never waits on the disk.
public final class RunStore: @unchecked Sendable {
    private let queue = DispatchQueue(label: "frontier.runstore")
    private let db: Database
    /// What the load generator's threads and the writer's queue share.
    private struct State {
        var pending: [(Int64, RequestRecord, RequestExtra)] = []
        var flushScheduled = false
        var writeError: Error?
        /// Runs this process created and has not finished: their heartbeat is kept.
        var active: Set<Int64> = []
        /// Since when the store has been locked by another connection (nil: not now).
        var busySince: Double?
        var busyNoticeAt: Double = 0
        /// Requests went to a spill file while the store was locked: write them in once it is free.
        var spilledWhileBusy = false
    }

    /// The most finished requests held in memory while another connection holds the lock;
    /// past it they go to a spill file (``RunSpill``) and are written in when the lock frees.
    public let maxHeld: Int

    private let state = NIOLockedValueBox(State())

    /// Per-request facts that are not part of the record.
    public struct RequestExtra: Sendable {
        public var workloadIndex: Int?
        public var expected: String?
        /// The request's class (`chat`, `rag`, …), for figures by class.
        public var requestClass: String?
        /// The workload's free-form meta, JSON text.
        public var meta: String?
        /// A session workload's session (0-based) and turn (1-based).
        public var session: Int?
        public var turn: Int?
        public init(workloadIndex: Int?, expected: String?, requestClass: String? = nil, meta: String? = nil,
                    session: Int? = nil, turn: Int? = nil) {
            self.workloadIndex = workloadIndex
            self.expected = expected
            self.requestClass = requestClass
            self.meta = meta
            self.session = session
            self.turn = turn
        }
    }

    private var heartbeat: DispatchSourceTimer?
    /// Seconds between heartbeats of this process's running runs (``RunRecovery``).
    static let heartbeatInterval = 5.0

    /// Opens the store and recovers runs whose process is gone (``RunRecovery``), saying
    /// so on stderr, one line each.
    public init(path: String, maxHeld: Int = 100_000) throws {
        self.maxHeld = maxHeld
        db = try Database(path: path)
        for notice in RunRecovery.onOpen(db: db) { Self.say(notice) }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.heartbeatInterval, repeating: Self.heartbeatInterval)
        timer.setEventHandler { [weak self] in self?.beat() }
        timer.resume()
        heartbeat = timer
    }

    deinit { heartbeat?.cancel() }

    /// Marks this process's running runs as alive (on the writer's queue). A store busy
    /// with another writer just misses a beat.
    private func beat() {
        let runs = state.withLockedValue { $0.active }
        guard !runs.isEmpty else { return }
        let now = Date().timeIntervalSince1970
        for run in runs {
            _ = try? db.execute("UPDATE runs SET heartbeat_at = ? WHERE run_id = ? AND status = 'running'",
                                [.real(now), .integer(run)])
        }
    }

    public var path: String { db.path }

    /// Inserts a run with status 'running', owned by this process; returns its id. The run
    /// joins the sweep this process is writing for its tag, or starts one (``Sweeps``).
    public func createRun(_ m: RunMeta, startedAt: Double) throws -> Int64 {
        let joining = Sweeps.current(path: db.path, tag: m.tag)
        let id = try whileBusy { try queue.sync {
            try db.transaction {
                try db.execute("""
                    INSERT INTO runs (tag, source, target, model, concurrency, rate, settings, status, started_at, owner, heartbeat_at, sweep)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)
                    """, [m.tag.map(SQLValue.text) ?? .null, .text(m.source), m.target.map(SQLValue.text) ?? .null,
                          m.model.map(SQLValue.text) ?? .null, m.concurrency.map { .integer(Int64($0)) } ?? .null,
                          m.rate.map(SQLValue.real) ?? .null, .text(m.settings), .real(startedAt),
                          .text(RunRecovery.thisOwner), .real(Date().timeIntervalSince1970),
                          joining.map(SQLValue.integer) ?? .null])
                let id = db.lastInsertRowID
                if joining == nil { try db.execute("UPDATE runs SET sweep = run_id WHERE run_id = ?", [.integer(id)]) }
                return id
            }
        } }
        if joining == nil { Sweeps.record(path: db.path, tag: m.tag, sweep: id) }
        state.withLockedValue { _ = $0.active.insert(id) }
        return id
    }

    /// Queues records for writing.
    public func append(run: Int64, _ records: [(RequestRecord, RequestExtra)]) {
        let (schedule, big) = state.withLockedValue { s in
            s.pending.append(contentsOf: records.map { (run, $0.0, $0.1) })
            defer { s.flushScheduled = true }
            return (!s.flushScheduled, s.pending.count >= 1000)
        }
        if big {
            queue.async { self.writePending() }
        } else if schedule {
            queue.asyncAfter(deadline: .now() + 0.2) { self.writePending() }
        }
    }

    /// Writes everything queued, now; throws the first write error seen. While another
    /// connection holds the store's write lock this waits (retrying, with a notice on
    /// stderr every few seconds): finished requests are never dropped for contention.
    public func flush() throws {
        while true {
            queue.sync { writePending() }
            if let e = writeFailure { throw e }
            guard state.withLockedValue({ !$0.pending.isEmpty || $0.spilledWhileBusy }) else { return }
            Thread.sleep(forTimeInterval: Self.busyRetry)
        }
    }

    /// Seconds between attempts to write while the store is locked by another connection.
    static let busyRetry = 0.2

    /// A write failure, if one happened (polled during a run, to stop it early).
    public var writeFailure: Error? {
        state.withLockedValue { $0.writeError }
    }

    /// Sets the run's final status, summary and verdict (after flushing its
    /// requests). If requests could not all be written, the run is still
    /// closed — as 'failed' — and the write error is thrown after.
    public func finishRun(_ id: Int64, status: String, endedAt: Double, summary: String?, verdict: String?) throws {
        var flushError: Error?
        var spilled: String?
        do { try flush() } catch {
            flushError = error
            // On the queue: a write scheduled earlier must not take these rows while they
            // are spilled and put them back after (they would be spilled twice).
            spilled = queue.sync { spillPending(error) }
        }
        state.withLockedValue { _ = $0.active.remove(id) }
        var closeError: Error?
        do {
            try whileBusy {
                try queue.sync {
                    _ = try db.execute("UPDATE runs SET status = ?, ended_at = ?, summary = ?, verdict = ? WHERE run_id = ?",
                                       [.text(flushError == nil ? status : "failed"), .real(endedAt), summary.map(SQLValue.text) ?? .null,
                                        verdict.map(SQLValue.text) ?? .null, .integer(id)])
                }
            }
        } catch {
            // On a full disk the run's own row may not close either; the requests are what
            // matters (and where they went), so that stays the error reported.
            guard flushError != nil else { throw error }
            closeError = error
        }
        if let flushError {
            throw RunsError.requestsNotStored(run: id, reason: "\(flushError)" + (spilled.map {
                "; they are kept in \($0) and written into the store the next time it is opened with room"
            } ?? "") + (closeError.map { "; the run itself could not be closed (\($0)): the next open marks it incomplete" } ?? ""))
        }
    }

    /// The cached tokenizer calibration of `target` for `model`, if any.
    public func tokenizerCalibration(target: String, model: String) throws -> TokenizerCalibration? {
        try queue.sync { try TokenizerCalibrations.load(target: target, model: model, db: db) }
    }

    /// Caches a tokenizer calibration of `target` for `model` (replacing an older one).
    public func saveTokenizerCalibration(_ c: TokenizerCalibration, target: String, model: String) throws {
        try queue.sync { try TokenizerCalibrations.save(c, target: target, model: model, db: db) }
    }

    /// Stores the server series sampled during a run, in one transaction.
    public func appendServerMetrics(run: Int64, _ samples: [ServerMetricSample]) throws {
        guard !samples.isEmpty else { return }
        _ = try queue.sync {
            try db.transaction {
                try db.executeEach("INSERT INTO server_metrics (run_id, t, name, value) VALUES (?, ?, ?, ?)",
                                   samples.lazy.map { [.integer(run), .real($0.t), .text($0.name), .real($0.value)] })
            }
        }
    }

    /// Writes what is pending and closes the connection. A write that fails here has no
    /// caller left to throw to (finishRun reports its own), so it is said on stderr.
    public func close() {
        heartbeat?.cancel()
        do { try flush() } catch {
            // The error was reported where it happened; only requests still held need a word.
            let (held, spilled) = queue.sync { () -> (Int, String?) in
                let held = state.withLockedValue { $0.pending.count }
                return (held, held > 0 ? spillPending(error) : nil)
            }
            if held > 0, spilled == nil {
                Self.say("warning: \(path): \(held) finished requests could not be stored or spilled: \(error)")
            }
        }
        queue.sync { db.close() }
    }

    /// Moves the requests that could not be written (for `error`, not a lock) to a spill
    /// file (``RunSpill``), saying so on stderr; returns its path, nil when nothing was
    /// pending or the spill failed too (then they stay in memory and the caller warns).
    /// Runs on `queue`, like every write, so no write takes the rows meanwhile.
    private func spillPending(_ error: Error, writtenIn when: String = "the next time it is opened with room") -> String? {
        dispatchPrecondition(condition: .onQueue(queue))
        let rows = state.withLockedValue { s -> [[SQLValue]] in s.pending.map(Self.values) }
        guard !rows.isEmpty else { return nil }
        do {
            let file = try RunSpill.write(rows, storePath: path)
            state.withLockedValue { $0.pending.removeAll() }
            Self.say("notice: \(rows.count) finished request\(rows.count == 1 ? "" : "s") could not be written to \(path) (\(error)); "
                     + "kept in \(file), written into the store \(when)")
            return file
        } catch {
            return nil
        }
    }

    private func writePending() {
        let (batch, restore) = state.withLockedValue { s in
            defer {
                s.pending.removeAll(keepingCapacity: true)
                s.flushScheduled = false
            }
            return (s.pending, s.spilledWhileBusy)
        }
        guard !batch.isEmpty || restore else { return }
        do {
            if !batch.isEmpty {
                try db.transaction {
                    try db.executeEach(Self.insertRequest, batch.lazy.map(Self.values))
                }
            }
            if restore {
                _ = try RunSpill.restore(into: db, sql: Self.insertRequestKeepingExisting)
                state.withLockedValue { $0.spilledWhileBusy = false }
            }
            let waited = state.withLockedValue { s -> Double? in
                defer { s.busySince = nil }
                return s.busySince
            }
            if let since = waited {
                Self.say("notice: \(path): the store is free again after \(String(format: "%.1f", Date().timeIntervalSince1970 - since)) s; "
                         + "held requests written")
            }
        } catch {
            // Nothing is dropped: the batch goes back in front of what came since.
            let busy = Self.isBusy(error)
            let now = Date().timeIntervalSince1970
            let (notice, overflow) = state.withLockedValue { s -> (Int?, Bool) in
                s.pending.insert(contentsOf: batch, at: 0)
                guard busy else {
                    if s.writeError == nil { s.writeError = error }
                    return (nil, false)
                }
                if s.busySince == nil { s.busySince = now }
                if !s.flushScheduled {
                    s.flushScheduled = true
                    queue.asyncAfter(deadline: .now() + Self.busyRetry) { self.writePending() }
                }
                let overflow = s.pending.count > maxHeld
                guard now - s.busyNoticeAt >= 10 else { return (nil, overflow) }
                s.busyNoticeAt = now
                return (s.pending.count, overflow)
            }
            if overflow, spillPending(error, writtenIn: "when the lock frees") != nil {
                state.withLockedValue { $0.spilledWhileBusy = true }
            }
            if let held = notice {
                Self.say(lockedNotice("\(held) finished request\(held == 1 ? "" : "s") held in memory, retrying until it is free"))
            }
        }
    }

    /// Runs `body` until it does not fail for another connection's lock (each attempt
    /// already waits SQLite's busy timeout), with a notice on stderr while it waits.
    private func whileBusy<T>(_ body: () throws -> T) throws -> T {
        var noticed = false
        while true {
            do { return try body() } catch where Self.isBusy(error) {
                if !noticed {
                    noticed = true
                    Self.say(lockedNotice("waiting until it is free"))
                }
                Thread.sleep(forTimeInterval: Self.busyRetry)
            }
        }
    }

    private func lockedNotice(_ what: String) -> String {
        "notice: \(path) is locked by another connection (a transaction held open?); \(what)"
    }

    /// SQLITE_BUSY or SQLITE_LOCKED (any extended code): another connection holds the lock.
    static func isBusy(_ error: Error) -> Bool {
        guard case StoreError.sqlite(_, let code, _) = error else { return false }
        return code & 0xff == 5 || code & 0xff == 6
    }

    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    static let insertRequest = "INSERT INTO requests " + requestColumns
    /// For spilled rows written in later: a row that did reach the store stays as it is.
    static let insertRequestKeepingExisting = "INSERT OR IGNORE INTO requests " + requestColumns
    private static let requestColumns = """
        (run_id, idx, intended, sent, first_token, ended, ttft, e2e, input_tokens,
          output_tokens, tokens_approx, http_status, status, error_kind, error, chunk_times, response,
          max_tokens, workload_index, expected, class, meta, session, turn)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// One request's row, in `insertRequest`'s column order.
    private static func values(_ run: Int64, _ r: RequestRecord, _ x: RequestExtra) -> [SQLValue] {
        func real(_ d: Double?) -> SQLValue { d.map(SQLValue.real) ?? .null }
        func int(_ i: Int?) -> SQLValue { i.map { .integer(Int64($0)) } ?? .null }
        func text(_ s: String?) -> SQLValue { s.map(SQLValue.text) ?? .null }
        return [.integer(run), int(r.index), real(r.intended), .real(r.sent), real(r.firstToken), real(r.ended),
                real(r.ttft), real(r.e2e), int(r.inputTokens), int(r.outputTokens),
                .integer(r.tokensApproximate ? 1 : 0), int(r.httpStatus), .text(r.status.rawValue),
                text(r.errorKind?.rawValue), text(r.error), .blob(ChunkTimes.encode(r.chunkTimes)),
                text(r.response), int(r.maxTokens), int(x.workloadIndex), text(x.expected),
                text(x.requestClass), text(x.meta), int(x.session), int(x.turn)]
    }
}

/// `requests.chunk_times`: little-endian float64 offsets from `sent`.
public enum ChunkTimes {
    public static func encode(_ times: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(times.count * 8)
        for t in times { withUnsafeBytes(of: t.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    public static func decode(_ bytes: [UInt8]) -> [Double] {
        bytes.withUnsafeBytes(decode)
    }

    /// The same, straight from SQLite's buffer (no copy of the BLOB first).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> [Double] {
        stride(from: 0, to: bytes.count - bytes.count % 8, by: 8).map { i in
            Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
        }
    }
}
