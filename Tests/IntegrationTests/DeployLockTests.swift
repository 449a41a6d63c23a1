import Foundation
import MatviewTestSupport
import XCTest

/// An apply locks readers out of a view only for its final swap, never while later views are
/// built: up.sql builds every changed view under its temporary name first and swaps them all in
/// at the end. And a view that reads a rebuilt view is built from that view's new version.
final class DeployLockTests: XCTestCase {
    /// Reads the dashboard; its `%` operator and LIKE pattern pass through up.sql's format() intact.
    static let rollupSpec = """
    view: dashboard_rollup_mv
    from: dashboard_summary_mv d
    group_by: [initial]
    select:
      initial: left(d.name, 1)
      users: count(*)
      odd_users: count(*) filter (where d.user_id % 2 = 1)
      percent_names: count(*) filter (where d.name like '%1%')
      tasks: sum(d.total_tasks)
    indexes:
      - columns: [initial]
        unique: true
    refresh:
      concurrently: true
    """

    var server: PostgresServer!
    var fixture: DeploymentFixture!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 200)
        fixture = try DeploymentFixture(server: server, extraSpecs: ["dashboard_rollup.yaml": Self.rollupSpec])
        try fixture.generate()
        try fixture.apply()
        try server.execute("UPDATE cron.job SET active = false")
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    func waitFor(_ sql: String, _ expected: String, _ what: String) throws {
        try server.waitFor(sql, expected, what)
    }

    /// One read of one dashboard row in a new session that gives up on any lock after 100 ms.
    func readDashboardRow() throws -> String {
        try server.value("SET lock_timeout = '100ms'; SELECT name FROM dashboard_summary_mv WHERE user_id = 1")
    }

    func testReadersOfARebuiltViewDoNotWaitWhileALaterViewIsBuilt() throws {
        // Change the dashboard (built first) and user_stats_mv (built after it: it reads
        // transactions, which the dashboard does not).
        var dashboard = try fixture.readSpec("dashboard_summary.yaml")
        dashboard = dashboard.replacingOccurrences(of: "  total_tasks: count(distinct t.id)\n", with: "  total_tasks: count(distinct t.id)\n  open_tasks: count(distinct t.id) filter (where t.status = 'open')\n")
        try fixture.writeSpec("dashboard_summary.yaml", dashboard)
        var stats = try fixture.readSpec("user_stats.yaml")
        stats = stats.replacingOccurrences(of: "slow_query_ms: 30", with: "slow_query_ms: 30\ngrants: [pg_monitor]")
        try fixture.writeSpec("user_stats.yaml", stats)
        try fixture.generate()
        let name = try readDashboardRow()
        XCTAssertFalse(name.isEmpty)

        // Hold user_stats_mv's build back: this session locks transactions until told to commit.
        let locker = try PsqlSession(server, name: "locker")
        locker.send("BEGIN;\nLOCK TABLE transactions IN ACCESS EXCLUSIVE MODE;")
        try waitFor("SELECT count(*) FROM pg_locks WHERE relation = 'transactions'::regclass AND mode = 'AccessExclusiveLock' AND granted", "1",
                    "the test holds its lock on transactions")

        let apply = try PsqlSession(server, name: "apply", arguments: ["-f", fixture.upSQL.path])
        try waitFor("SELECT count(*) > 0 FROM pg_locks WHERE relation = 'transactions'::regclass AND NOT granted", "t",
                    "apply has built the dashboard and waits to build user_stats_mv")

        // Apply is stuck building a later view: the dashboard must stay readable all along.
        var failures: [String] = []
        for _ in 0..<20 {
            do {
                let read = try readDashboardRow()
                if read != name { failures.append("read \(read), expected \(name)") }
            } catch {
                failures.append("\(error)")
            }
        }
        XCTAssertEqual(failures, [], "reads of the dashboard waited for a lock while a later view was being built")
        XCTAssertEqual(try server.value("SELECT count(*) > 0 FROM pg_locks WHERE relation = 'transactions'::regclass AND NOT granted"), "t",
                       "apply was still waiting for the whole time the reads ran")

        // Let it go: apply swaps both views in and commits.
        locker.send("COMMIT;")
        let applied = apply.finish()
        locker.finish()
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE open_tasks >= 0"), "200")
        XCTAssertEqual(try server.value("SELECT has_table_privilege('pg_monitor', 'user_stats_mv', 'SELECT')"), "t")
        XCTAssertEqual(try readDashboardRow(), name)
    }

    func testAViewThatReadsARebuiltViewIsBuiltFromItsNewVersion() throws {
        // Every user's task count grows by 1000 in the new dashboard; the rollup sums them.
        var dashboard = try fixture.readSpec("dashboard_summary.yaml")
        dashboard = dashboard.replacingOccurrences(of: "  total_tasks: count(distinct t.id)\n", with: "  total_tasks: count(distinct t.id) + 1000\n")
        try fixture.writeSpec("dashboard_summary.yaml", dashboard)
        try fixture.generate()
        let result = try fixture.apply()
        XCTAssertTrue(result.stderr.contains("matview: built dashboard_rollup_mv"), result.stderr)

        // Right after apply, without a refresh: the rollup already counts the new tasks.
        let exact = try server.differencesFromDefiningQuery("dashboard_rollup_mv")
        XCTAssertTrue(exact == (0, 0), "\(exact)")
        XCTAssertEqual(try server.value("SELECT sum(tasks) >= 200 * 1000 AND sum(odd_users) = 100 AND sum(percent_names) > 0 FROM dashboard_rollup_mv"), "t")
        // It reads the dashboard under its real name (it was bound to the relation, which was renamed into place).
        XCTAssertTrue(try server.text("SELECT pg_get_viewdef('dashboard_rollup_mv'::regclass)").contains("FROM dashboard_summary_mv d"))
        XCTAssertEqual(try server.rows("SELECT relname FROM pg_class WHERE relname LIKE 'matview\\_%' ORDER BY 1"), [], "no temporary or retired relation is left")
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('test')"), "0")

        // Changing only the reader builds it from the deployed dashboard.
        let rollup = Self.rollupSpec.replacingOccurrences(of: "refresh:\n", with: "grants: [pg_monitor]\nrefresh:\n")
        try fixture.writeSpec("dashboard_rollup.yaml", rollup)
        try fixture.generate()
        let again = try fixture.apply()
        XCTAssertTrue(again.stderr.contains("matview: dashboard_summary_mv is unchanged"), again.stderr)
        XCTAssertTrue(again.stderr.contains("matview: built dashboard_rollup_mv"), again.stderr)
        XCTAssertEqual(try server.value("SELECT has_table_privilege('pg_monitor', 'dashboard_rollup_mv', 'SELECT')"), "t")
        let rebuilt = try server.differencesFromDefiningQuery("dashboard_rollup_mv")
        XCTAssertTrue(rebuilt == (0, 0), "\(rebuilt)")
    }
}
