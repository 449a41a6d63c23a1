import Foundation
import MatviewSema
import MatviewTestSupport
import XCTest

/// Applies the generated SQL to the real PostgreSQL 15 with pg_cron and checks what it does:
/// rows, the refresh log, failure isolation, the queue and its triggers, cron jobs, re-apply,
/// swapping in a changed view, and rollback.
final class DeploymentTests: XCTestCase {
    static let rollupSpec = """
    view: dashboard_rollup_mv
    description: Users and tasks per first letter of the name, from the dashboard view.
    from: dashboard_summary_mv d
    group_by: [initial]
    select:
      initial: left(d.name, 1)
      users: count(*)
      tasks: sum(d.total_tasks)
    indexes:
      - columns: [initial]
        unique: true
    refresh:
      concurrently: true
      on_change: queue
    """

    static let fragileSpec = """
    view: fragile_mv
    description: Fails to refresh once some role has exactly one user (division by zero).
    from: users u
    group_by: [u.role]
    select:
      role: u.role
      ratio: 100 / (count(*) - 1)
    """

    var server: PostgresServer!
    var fixture: DeploymentFixture!
    var project: CheckedProject!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server)
        fixture = try DeploymentFixture(server: server, extraSpecs: ["dashboard_rollup.yaml": Self.rollupSpec, "fragile.yaml": Self.fragileSpec])
        project = try fixture.generate()
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    /// Keeps pg_cron from draining or refreshing behind the test's back.
    func pauseCron() throws {
        try server.execute("UPDATE cron.job SET active = false")
    }

    func relfilenodes() throws -> [String] {
        try server.rows("SELECT relname || '=' || relfilenode FROM pg_class WHERE relkind = 'm' ORDER BY relname")
    }

    // MARK: - Contents

    func testEveryViewEqualsItsDefiningQueryInBothDirections() throws {
        try fixture.apply()
        try pauseCron()
        // Change the data after the build, then refresh, so the comparison is about refresh too.
        try server.execute("INSERT INTO tasks (project_id, status) SELECT id, 'completed' FROM projects WHERE id % 7 = 0")
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('test')"), "0")
        for view in project.views {
            let difference = try server.differencesFromDefiningQuery(view.name)
            XCTAssertEqual(difference.missing, 0, "\(view.name): rows of the defining query missing from the view")
            XCTAssertEqual(difference.extra, 0, "\(view.name): rows in the view that the defining query does not return")
            XCTAssertGreaterThan(Int(try server.value("SELECT count(*) FROM public.\(view.name)")) ?? 0, 0, view.name)
        }
    }

    // MARK: - Refresh and its log

    func testRefreshLogsDurationRowsAndSource() throws {
        try fixture.apply()
        try pauseCron()
        XCTAssertEqual(try server.value("SELECT matview.refresh('dashboard_summary_mv', 'test')"), "t")
        let row = try server.value("""
            SELECT status, duration_ms > 0, row_count, trigger_source, finished_at > started_at
            FROM matview.refresh_log WHERE view_name = 'dashboard_summary_mv' ORDER BY id DESC LIMIT 1
            """)
        XCTAssertEqual(row, "succeeded|t|300|test|t")
        let freshness = try server.value("SELECT last_status, stale, failures_24h, last_row_count FROM matview.freshness WHERE view_name = 'dashboard_summary_mv'")
        XCTAssertEqual(freshness, "succeeded|f|0|300")
    }

    func testTheRefreshLogKeepsThirtyDaysAndAlwaysTheLastSuccess() throws {
        try fixture.apply()
        try pauseCron()
        try server.execute("""
            INSERT INTO matview.refresh_log (view_name, started_at, finished_at, duration_ms, status, trigger_source)
            VALUES ('user_stats_mv', now() - interval '40 days', now() - interval '40 days', 1, 'succeeded', 'old'),
                   ('user_stats_mv', now() - interval '20 days', now() - interval '20 days', 1, 'succeeded', 'recent'),
                   ('fragile_mv', now() - interval '40 days', now() - interval '40 days', 1, 'succeeded', 'old');
            """)
        XCTAssertEqual(try server.value("SELECT matview.refresh('user_stats_mv', 'test')"), "t")
        XCTAssertEqual(try server.rows("SELECT trigger_source FROM matview.refresh_log WHERE view_name = 'user_stats_mv' ORDER BY started_at"),
                       ["recent", "apply", "test"], "the 40-day-old row went with the new success")
        XCTAssertEqual(try server.rows("SELECT trigger_source FROM matview.refresh_log WHERE view_name = 'fragile_mv' AND trigger_source = 'old'"),
                       ["old"], "another view's rows stay until it refreshes")
    }

    func testAFailingViewIsLoggedAndTheOthersStillRefresh() throws {
        try fixture.apply()
        try pauseCron()
        try server.execute("INSERT INTO users (name, role) VALUES ('only one', 'solo')")
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('test')"), "1")
        let outcomes = try server.rows("""
            SELECT view_name || ':' || status || ':' || (error IS NOT NULL)
            FROM matview.refresh_log WHERE trigger_source = 'test' ORDER BY view_name
            """)
        XCTAssertEqual(outcomes, [
            "dashboard_rollup_mv:succeeded:false", "dashboard_summary_mv:succeeded:false", "fragile_mv:failed:true",
            "system_analytics_mv:succeeded:false", "user_stats_mv:succeeded:false",
        ])
        XCTAssertTrue(try server.value("SELECT error FROM matview.refresh_log WHERE view_name = 'fragile_mv' AND status = 'failed'").contains("division by zero"))
        XCTAssertEqual(try server.value("SELECT failures_24h FROM matview.freshness WHERE view_name = 'fragile_mv'"), "1")
        // The new user reached the views that did refresh.
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE name = 'only one'"), "1")
    }

    // MARK: - Queue

    func testWritesToEachSourceTableQueueExactlyTheViewsThatReadIt() throws {
        try fixture.apply()
        try pauseCron()
        let queued = project.views.filter { $0.refresh.onChange == .queue }
        for table in ["users", "projects", "tasks", "transactions", "user_sessions"] {
            try server.execute("DELETE FROM matview.pending_changes")
            try server.execute("UPDATE \(table) SET id = id WHERE id = (SELECT min(id) FROM \(table))")
            let expected = queued.filter { $0.sourceTables.contains(TableName(schema: "public", name: table)) }.map(\.name).sorted()
            XCTAssertEqual(try server.rows("SELECT view_name FROM matview.pending_changes ORDER BY view_name"), expected, table)
            XCTAssertEqual(try server.rows("SELECT DISTINCT source_table FROM matview.pending_changes"), expected.isEmpty ? [] : ["public.\(table)"])
        }
        // TRUNCATE is a write too; user_sessions feeds no queued view.
        try server.execute("DELETE FROM matview.pending_changes")
        try server.execute("TRUNCATE user_sessions")
        XCTAssertEqual(try server.rows("SELECT view_name FROM matview.pending_changes"), [])
        try server.execute("TRUNCATE transactions")
        XCTAssertEqual(try server.rows("SELECT view_name FROM matview.pending_changes"), ["user_stats_mv"])
    }

    func testDrainRefreshesQueuedViewsInDependencyOrder() throws {
        try fixture.apply()
        try pauseCron()
        try server.execute("DELETE FROM matview.pending_changes")
        try server.execute("INSERT INTO users (name, role) VALUES ('zed', 'member')")
        XCTAssertEqual(try server.rows("SELECT view_name FROM matview.pending_changes ORDER BY view_name"),
                       ["dashboard_rollup_mv", "dashboard_summary_mv", "user_stats_mv"])
        XCTAssertEqual(try server.value("SELECT matview.drain_queue()"), "3")
        let order = try server.rows("SELECT view_name FROM matview.refresh_log WHERE trigger_source = 'drain_queue' ORDER BY id")
        XCTAssertEqual(order.count, 3)
        let summary = try XCTUnwrap(order.firstIndex(of: "dashboard_summary_mv"))
        let rollup = try XCTUnwrap(order.firstIndex(of: "dashboard_rollup_mv"))
        XCTAssertLessThan(summary, rollup, "the rollup reads the summary, so it must refresh after it")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.pending_changes"), "0")
        XCTAssertEqual(try server.value("SELECT users FROM dashboard_rollup_mv WHERE initial = 'z'"), "1")
        XCTAssertEqual(try server.value("SELECT matview.drain_queue()"), "0", "nothing is pending any more")
    }

    func testARefreshOfAViewMarksTheQueuedViewsThatReadIt() throws {
        try fixture.apply()
        try pauseCron()
        try server.execute("DELETE FROM matview.pending_changes")
        // A scheduled refresh of the summary reaches the rollup that reads it.
        XCTAssertEqual(try server.value("SELECT matview.refresh('dashboard_summary_mv', 'schedule')"), "t")
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || source_table FROM matview.pending_changes"),
                       ["dashboard_rollup_mv public.dashboard_summary_mv"])
        // The rollup waits for the summary's own pending changes before it is due.
        try server.execute("UPDATE matview.views SET min_interval = interval '0'")
        try server.execute("INSERT INTO matview.pending_changes (view_name, source_table) VALUES ('dashboard_summary_mv', 'test')")
        XCTAssertEqual(try server.rows("SELECT * FROM matview.due_views()"), ["dashboard_summary_mv"])
        try server.execute("CALL matview.run_drainer('test', 1)")
        XCTAssertEqual(try server.rows("SELECT view_name FROM matview.refresh_log WHERE trigger_source = 'test' ORDER BY id"),
                       ["dashboard_summary_mv", "dashboard_rollup_mv"], "the drainer refreshes the summary, then the rollup it marked")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.pending_changes"), "0")
    }

    // MARK: - Schedules

    func testCronJobsCarryTheSpecsSchedules() throws {
        try fixture.apply()
        let jobs = try server.rows("SELECT jobname || ' ' || schedule || ' ' || command || ' ' || database FROM cron.job ORDER BY jobname")
        XCTAssertEqual(jobs, [
            "matview:dashboard_summary_mv */5 * * * * SELECT matview.refresh('dashboard_summary_mv', 'schedule') matview_test",
            "matview:drain_queue * * * * * CALL matview.run_drainer() matview_test",
            "matview:system_analytics_mv 0 * * * * SELECT matview.refresh('system_analytics_mv', 'schedule') matview_test",
            "matview:user_stats_mv */5 * * * * SELECT matview.refresh('user_stats_mv', 'schedule') matview_test",
        ])
    }

    // MARK: - Re-apply and change

    func testReapplyingUnchangedSpecsChangesNothing() throws {
        try fixture.apply()
        let views = try relfilenodes()
        let triggers = try server.rows("SELECT oid || ' ' || tgrelid::regclass FROM pg_trigger WHERE tgname = 'matview_capture_changes' ORDER BY 1")
        let jobs = try server.rows("SELECT jobid || ' ' || jobname FROM cron.job ORDER BY 1")
        let deployed = try server.rows("SELECT view_name || ' ' || deployed_at FROM matview.views ORDER BY 1")
        let result = try fixture.apply()
        XCTAssertEqual(try relfilenodes(), views, "no view may be rebuilt")
        XCTAssertEqual(try server.rows("SELECT oid || ' ' || tgrelid::regclass FROM pg_trigger WHERE tgname = 'matview_capture_changes' ORDER BY 1"), triggers)
        XCTAssertEqual(try server.rows("SELECT jobid || ' ' || jobname FROM cron.job ORDER BY 1"), jobs)
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || deployed_at FROM matview.views ORDER BY 1"), deployed)
        XCTAssertEqual(triggers.count, 4, "users, projects, tasks and transactions feed queued views")
        for view in project.views {
            XCTAssertTrue(result.stderr.contains("matview: \(view.name) is unchanged"), result.stderr)
        }
    }

    func testAChangedSpecIsRebuiltBesideTheOldOneAndSwappedIn() throws {
        try fixture.apply()
        try pauseCron()
        let before = Dictionary(uniqueKeysWithValues: try relfilenodes().map { line -> (String, String) in
            let parts = line.split(separator: "="); return (String(parts[0]), String(parts[1]))
        })
        // Add a column to the dashboard: it and the rollup that reads it are rebuilt, nothing else.
        var spec = try fixture.readSpec("dashboard_summary.yaml")
        spec = spec.replacingOccurrences(of: "  total_tasks: count(distinct t.id)\n", with: "  total_tasks: count(distinct t.id)\n  open_tasks: count(distinct t.id) filter (where t.status = 'open')\n")
        try fixture.writeSpec("dashboard_summary.yaml", spec)
        try fixture.generate()

        // A reader polls the view the whole time the new version is built and swapped in.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/bash")
        reader.arguments = ["-c", "for i in $(seq 1 150); do psql -X -q -At -v ON_ERROR_STOP=1 -d \"$0\" -c 'SELECT count(*) FROM dashboard_summary_mv' >/dev/null || exit 1; done", server.url]
        try reader.run()
        let result = try fixture.apply()
        reader.waitUntilExit()
        XCTAssertEqual(reader.terminationStatus, 0, "a reader failed while the view was swapped")

        let after = Dictionary(uniqueKeysWithValues: try relfilenodes().map { line -> (String, String) in
            let parts = line.split(separator: "="); return (String(parts[0]), String(parts[1]))
        })
        XCTAssertEqual(Set(after.keys), Set(before.keys), "no temporary or retired view may be left")
        XCTAssertNotEqual(after["dashboard_summary_mv"], before["dashboard_summary_mv"])
        XCTAssertNotEqual(after["dashboard_rollup_mv"], before["dashboard_rollup_mv"])
        for name in ["user_stats_mv", "system_analytics_mv", "fragile_mv"] {
            XCTAssertEqual(after[name], before[name], "\(name) did not change and must not be rebuilt")
        }
        XCTAssertTrue(result.stderr.contains("matview: built dashboard_summary_mv"), result.stderr)
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE open_tasks >= 0"), "300")
        XCTAssertEqual(try server.rows("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'dashboard_summary_mv'::regclass ORDER BY 1"),
                       ["dashboard_summary_mv_last_activity_idx", "dashboard_summary_mv_user_id_key"])
        XCTAssertEqual(try server.value("SELECT matview.refresh('dashboard_summary_mv', 'test')"), "t", "the new version refreshes concurrently")
    }

    func testARemovedSpecDropsItsView() throws {
        try fixture.apply()
        try FileManager.default.removeItem(at: fixture.root.appendingPathComponent("specs/fragile.yaml"))
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT to_regclass('public.fragile_mv') IS NULL"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.views WHERE view_name = 'fragile_mv'"), "0")
    }

    // MARK: - Rollback

    func testRollbackReturnsTheCatalogToItsStateBeforeTheFirstApply() throws {
        let snapshot = DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/catalog-snapshot.sql")
        let before = try server.apply(file: snapshot).stdout
        try fixture.apply()
        try pauseCron()
        try server.execute("SELECT matview.refresh_all('test')")
        try server.execute("INSERT INTO users (name) VALUES ('queued')")
        XCTAssertNotEqual(try server.apply(file: snapshot).stdout, before)
        try fixture.rollback()
        XCTAssertEqual(try server.apply(file: snapshot).stdout, before)
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'"), "1", "pg_cron was there before and stays")
        // A second rollback is harmless, and writes to the tables work without the triggers.
        let again = try fixture.rollback()
        XCTAssertTrue(again.stderr.contains("nothing to roll back"), again.stderr)
        try server.execute("INSERT INTO users (name) VALUES ('after rollback')")
        XCTAssertEqual(try server.apply(file: snapshot).stdout, before)
    }
}
