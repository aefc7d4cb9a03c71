import Foundation
import XCTest

/// A test with a fresh SQLite file path in the temp directory, removed (with its WAL
/// and shared-memory files) afterwards.
class StoreFileTestCase: XCTestCase {
    var path = ""

    override func setUp() {
        path = NSTemporaryDirectory() + "runs-\(UUID().uuidString).db"
    }

    override func tearDown() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
