import Foundation
@testable import MatviewLive
@testable import MatviewServer
import XCTest

/// What /metrics exports, from status rows and refresh-log rows (the real parser check is
/// IntegrationTests.ServeTests; here the bookkeeping).
final class MonitoringMetricsTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_795_000_000)

    func record(_ id: Int64, _ view: String, seconds: Double, ms: Double, ok: Bool = true) -> RefreshRecord {
        let finished = start.addingTimeInterval(seconds)
        return RefreshRecord(id: id, view: view, startedAt: finished.addingTimeInterval(-ms / 1000), finishedAt: finished,
                             durationMs: ms, rows: 1, succeeded: ok, error: ok ? nil : "boom", source: "test")
    }

    func lines(_ metrics: MonitoringMetrics) -> Set<String> {
        Set(metrics.exposition().split(separator: "\n").map(String.init))
    }

    func testGaugesFollowTheStatusAndCountersCountEachLogRowOnce() {
        let metrics = MonitoringMetrics(now: start)
        let status = StatusReport(views: [StatusFixtures.view("v", age: 42, rows: 7, pending: 3), StatusFixtures.view("w", health: "never refreshed")])
        metrics.record(status: status, newRefreshes: [record(1, "v", seconds: 1, ms: 20), record(2, "v", seconds: 2, ms: 30, ok: false)])
        // The next scrape reads back over the same rows (the overlap) plus a new one.
        metrics.record(status: status, newRefreshes: [record(1, "v", seconds: 1, ms: 20), record(2, "v", seconds: 2, ms: 30, ok: false),
                                                      record(3, "v", seconds: 3, ms: 40)])
        let out = lines(metrics)
        XCTAssertTrue(out.contains("matview_up 1.0"), "\(out)")
        XCTAssertTrue(out.contains("matview_view_seconds_stale{view=\"v\"} 42.0"))
        XCTAssertTrue(out.contains("matview_view_seconds_stale{view=\"w\"} inf"), "never refreshed: infinitely stale")
        XCTAssertTrue(out.contains("matview_view_stale{view=\"w\"} 1.0"))
        XCTAssertTrue(out.contains("matview_view_rows{view=\"v\"} 7.0"))
        XCTAssertTrue(out.contains("matview_pending_changes{view=\"v\"} 3.0"))
        XCTAssertTrue(out.contains("matview_refresh_duration_seconds_count{view=\"v\"} 3"), "\(out.sorted())")
        XCTAssertTrue(out.contains("matview_refresh_failures_total{view=\"v\"} 1"))
        XCTAssertTrue(out.contains("matview_refresh_failures_total{view=\"w\"} 0"))
    }

    func testTheReadStartTrailsTheNewestCountedRowByTheOverlap() {
        let metrics = MonitoringMetrics(now: start)
        XCTAssertEqual(metrics.refreshLogReadStart(), start.addingTimeInterval(-MonitoringMetrics.overlap))
        metrics.record(status: StatusReport(views: [StatusFixtures.view("v")]), newRefreshes: [record(9, "v", seconds: 3600, ms: 5)])
        XCTAssertEqual(metrics.refreshLogReadStart(), start.addingTimeInterval(3600 - MonitoringMetrics.overlap))
    }

    func testADatabaseOutageOnlyDropsUp() {
        let metrics = MonitoringMetrics(now: start)
        metrics.record(status: StatusReport(views: [StatusFixtures.view("v", rows: 7)]), newRefreshes: [])
        metrics.recordDatabaseDown()
        let out = lines(metrics)
        XCTAssertTrue(out.contains("matview_up 0.0"))
        XCTAssertTrue(out.contains("matview_view_rows{view=\"v\"} 7.0"), "the last known values stay")
    }

    func testAViewThatIsGoneStopsBeingExported() {
        let metrics = MonitoringMetrics(now: start)
        metrics.record(status: StatusReport(views: [StatusFixtures.view("v"), StatusFixtures.view("gone")]), newRefreshes: [])
        metrics.record(status: StatusReport(views: [StatusFixtures.view("v")]), newRefreshes: [])
        XCTAssertFalse(metrics.exposition().contains("view=\"gone\""))
    }

    func testLabelValuesAreEscaped() {
        let metrics = MonitoringMetrics(now: start)
        metrics.record(status: StatusReport(views: [StatusFixtures.view("we\"ird\\v")]), newRefreshes: [])
        XCTAssertTrue(metrics.exposition().contains("matview_view_rows{view=\"we\\\"ird\\\\v\"}"), metrics.exposition())
    }
}
