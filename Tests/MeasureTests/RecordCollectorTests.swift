import Foundation
import Metrics
import NIOConcurrencyHelpers
import XCTest
@testable import Measure

/// The collector hands each finished request to the store's sink. The run's end closes it,
/// then flushes the store once: a record still on its way to the sink after that would be
/// written after the run was closed, or on a full disk go to a second spill file.
final class RecordCollectorTests: XCTestCase {
    func testEveryKeptRecordHasReachedTheSinkWhenCloseReturns() {
        for round in 0..<20 {
            let sunk = NIOLockedValueBox(0)
            let collector = RecordCollector(sink: { records in
                // A slow sink widens the window the old code left between keeping a record and sinking it.
                usleep(50)
                sunk.withLockedValue { $0 += records.count }
            })
            let adders = DispatchGroup()
            for thread in 0..<4 {
                DispatchQueue.global().async(group: adders) {
                    for i in 0..<200 {
                        collector.add(RequestRecord(index: thread * 1000 + i, sent: 0, ended: 0.1, status: .ok))
                    }
                }
            }
            usleep(useconds_t(2000 + round * 300))
            collector.close()
            let kept = collector.all().count
            XCTAssertEqual(sunk.withLockedValue { $0 }, kept, "round \(round): records kept but not yet given to the sink at close")
            adders.wait()
            XCTAssertEqual(sunk.withLockedValue { $0 }, kept, "round \(round): records given to the sink after close")
        }
    }
}
