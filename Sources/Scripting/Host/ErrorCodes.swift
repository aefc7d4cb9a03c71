import Cost
import Foundation
import FrontierMath
import Interop
import LuaBridge
import Measure
import Metrics
import Quality
import Report
import Runs
import Sim
import Store
import TestServer

// The codes of structured errors (docs/errors.md) for the domain targets' errors.
// Here rather than in those targets: they do not import LuaBridge.

extension StoreError: LuaCodedError {
    /// `store_busy` when another connection holds the lock past the busy timeout;
    /// `bad_argument` for parameters that do not fit the statement; else `store`.
    public var luaCode: String {
        switch self {
        case .sqlite(_, let code, _):
            // Extended result codes: the primary code is the low byte. SQLITE_BUSY is 5
            // and SQLITE_LOCKED 6 (Scripting does not link the C API to name them).
            let primary = code & 0xFF
            return primary == 5 || primary == 6 ? "store_busy" : "store"
        case .parameterCount, .parameterNames, .multipleStatements: return "bad_argument"
        default: return "store"
        }
    }
}

extension MeasureError: LuaCodedError {
    public var luaCode: String {
        switch self {
        case .invalidArgument: return "bad_argument"
        case .workloadFile: return "parse"
        case .cannotRead(let path, _): return FileManager.default.fileExists(atPath: path) ? "runtime" : "not_found"
        case .store: return "store"
        }
    }
}

extension CostError: LuaCodedError {
    public var luaCode: String {
        if case .unknownPreset = self { return "not_found" }
        return "bad_argument"
    }
}

extension SimError: LuaCodedError {
    /// Bad inputs are `bad_argument` and unknown GPUs or models `not_found`; the
    /// rest (a model that does not fit, a stalled schedule) are outcomes: `runtime`.
    public var luaCode: String {
        switch self {
        case .invalid: return "bad_argument"
        case .unknownProfile: return "not_found"
        default: return "runtime"
        }
    }
}

extension FrontierError: LuaCodedError {
    public var luaCode: String { "bad_argument" }
}

extension QualityError: LuaCodedError {
    public var luaCode: String { "parse" }
}

extension SLAError: LuaCodedError {
    public var luaCode: String { "bad_argument" }
}

extension InteropError: LuaCodedError {
    public var luaCode: String { "parse" }
}

extension JSON.Error: LuaCodedError {
    /// Malformed text is `parse`; a value JSON cannot hold (NaN) is the caller's: `bad_argument`.
    public var luaCode: String { malformedInput ? "parse" : "bad_argument" }
}

extension FaultParseError: LuaCodedError {
    public var luaCode: String { "parse" }
}

extension TestServerError: LuaCodedError {
    public var luaCode: String {
        if case .invalidConfig = self { return "bad_argument" }
        return "http"
    }
}

extension LuaCall {
    /// An argument error whose text is `error`'s, with `error`'s code when it has a
    /// more telling one than `runtime` (an unknown preset stays `not_found`).
    func argumentError(_ i: Int, wrapping error: Error, prefix: String = "") -> LuaArgumentError {
        let code = (error as? LuaCodedError)?.luaCode ?? "runtime"
        return argumentError(i, prefix + "\(error)", code: code == "runtime" ? "bad_argument" : code)
    }

    /// `cannot read 'path': why` for argument `i`, `not_found` when there is no such file.
    func unreadableFile(_ i: Int, path: String, _ error: Error) -> LuaArgumentError {
        argumentError(i, "cannot read '\(path)': \(FileProblem.describe(path, error))",
                      code: FileManager.default.fileExists(atPath: path) ? "bad_argument" : "not_found")
    }
}

extension RunsError: LuaCodedError {
    /// A missing run is `not_found`; a stored column that does not read, or requests
    /// that could not be written, are `store`; a bad option is `bad_argument`.
    public var luaCode: String {
        switch self {
        case .runNotFound, .profileNotFound: return "not_found"
        case .badColumn, .requestsNotStored, .serverMetricsNotStored: return "store"
        case .badOption: return "bad_argument"
        }
    }
}

extension ImportFailure: LuaCodedError {
    /// A file that cannot be read is `not_found` when it is missing; one in no known format is `parse`.
    public var luaCode: String {
        guard unreadable else { return "parse" }
        return FileManager.default.fileExists(atPath: path) ? "runtime" : "not_found"
    }
}
