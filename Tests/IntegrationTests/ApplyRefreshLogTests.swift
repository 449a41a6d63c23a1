import Foundation
import MatviewTestSupport
import XCTest

/// Apply's build of a view is a refresh, logged as one (source `apply`, real duration, rows), so a
/// fresh deploy is healthy at once rather than "never refreshed" until the first schedule.
final class ApplyRefreshLogTests: XCTestCase {
    var server: PostgresServer!
    var fixture: DeploymentFixture!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 150)
        fixture = try DeploymentFixture(server: server)
        try fixture.generate()
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    func applyLog() throws -> [String] {
        try server.rows("SELECT view_name || ' ' || status || ' ' || (duration_ms > 0) || ' ' || row_count || ' ' || (finished_at > started_at) FROM matview.refresh_log WHERE trigger_source = 'apply' ORDER BY id")
    }

    func testApplyLogsEachBuildAndStatusIsHealthyRightAway() throws {
        let apply = try MatviewCLI.run(["apply", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        try server.execute("UPDATE cron.job SET active = false")
        let rows = try server.value("SELECT count(*) FROM system_analytics_mv")
        XCTAssertEqual(try applyLog(), [
            "dashboard_summary_mv succeeded true 150 true",
            "system_analytics_mv succeeded true \(rows) true",
            "user_stats_mv succeeded true 150 true",
        ])
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || (last_refresh IS NOT NULL) || ' ' || coalesce(stale::text, 'no objective') || ' ' || last_status FROM matview.freshness ORDER BY 1"), [
            "dashboard_summary_mv true false succeeded", "system_analytics_mv true false succeeded", "user_stats_mv true false succeeded",
        ])
        let status = try MatviewCLI.run(["status", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        XCTAssertFalse(status.stdout.contains("never refreshed"), status.stdout)
    }

    func testOnlyRebuiltViewsGetANewLogRow() throws {
        try fixture.apply()
        try fixture.apply()
        XCTAssertEqual(try applyLog().count, 3, "an unchanged view is not rebuilt and not logged again")

        var spec = try fixture.readSpec("user_stats.yaml")
        spec = spec.replacingOccurrences(of: "slow_query_ms: 30", with: "slow_query_ms: 30\ngrants: [pg_monitor]")
        try fixture.writeSpec("user_stats.yaml", spec)
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try applyLog().count, 4)
        XCTAssertEqual(try applyLog().last, "user_stats_mv succeeded true 150 true")
    }
}
