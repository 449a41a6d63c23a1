import Foundation
import MatviewTestSupport
import XCTest

/// up.sql in a database without pg_cron (it lives in another database of the cluster):
/// everything but the schedules is deployed, with a NOTICE that says how to schedule by hand.
final class WithoutPgCronTests: XCTestCase {
    func testApplySkipsSchedulesWithANoticeAndRollbackStillWorks() throws {
        let main = try PostgresServer.fromEnvironment()
        try main.execute("DROP DATABASE IF EXISTS matview_nocron")
        try main.execute("CREATE DATABASE matview_nocron")
        defer { _ = try? main.execute("DROP DATABASE IF EXISTS matview_nocron") }
        let server = main.database("matview_nocron")
        try DeploymentFixture.resetDatabase(server, users: 50, pgCron: false)
        let fixture = try DeploymentFixture(server: server)
        defer { fixture.remove() }
        try fixture.generate()

        let result = try fixture.apply()
        XCTAssertTrue(result.stderr.contains("pg_cron is not installed in this database, so no schedules were created"), result.stderr)
        XCTAssertTrue(result.stderr.contains("*/5 * * * *  SELECT matview.refresh('dashboard_summary_mv', 'schedule')"), result.stderr)
        XCTAssertTrue(result.stderr.contains("* * * * *  CALL matview.run_drainer()"), result.stderr)
        XCTAssertTrue(result.stderr.contains("matview worker"), result.stderr)
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'"), "0")
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('manual')"), "0")
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv"), "50")

        try fixture.apply() // again: still fine
        try fixture.rollback()
        XCTAssertEqual(try server.value("SELECT to_regnamespace('matview') IS NULL AND to_regclass('public.dashboard_summary_mv') IS NULL"), "t")
    }
}
