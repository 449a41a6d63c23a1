import Foundation
import MatviewTestSupport
import XCTest

/// The write path of `on_change: queue`, with real concurrent sessions: capture never makes a
/// writer wait (another writer's open transaction, a drain in the middle of a long refresh: the
/// writer runs under lock_timeout, so a wait is an error), drains lose nothing (a change
/// committed during a refresh stays pending, a killed drainer's changes stay pending), one
/// drainer per view and per database, the manual drain waits for a busy drainer, and apply and
/// rollback stop a running drainer.
final class ChangeCaptureTests: XCTestCase {
    var server: PostgresServer!
    var fixture: DeploymentFixture!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 200)
        fixture = try DeploymentFixture(server: server)
        try fixture.generate()
        try fixture.apply()
        try server.execute("UPDATE cron.job SET active = false")
        try server.execute("DELETE FROM matview.pending_changes")
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    /// A write to every source table of the dashboard, in a session that fails instead of
    /// waiting more than 100 ms for any lock.
    func writeWithoutWaiting(_ tag: String) throws {
        try server.execute("""
            SET lock_timeout = '100ms';
            INSERT INTO users (name, role) VALUES (\("'\(tag)'"), 'member');
            UPDATE projects SET updated_at = now() WHERE id = (SELECT max(id) FROM projects);
            INSERT INTO tasks (project_id, status) SELECT max(id), 'open' FROM projects;
            """)
    }

    /// Holds a lock on the dashboard that its refresh (CONCURRENTLY: an EXCLUSIVE lock) waits
    /// for: an index being built, in a transaction the test rolls back. (A materialized view
    /// cannot be locked with LOCK TABLE.)
    static let holdTheView = "BEGIN;\nCREATE INDEX matview_test_blocker ON dashboard_summary_mv (user_id);"
    static let viewIsHeld = "SELECT count(*) FROM pg_locks WHERE relation = 'dashboard_summary_mv'::regclass AND mode = 'ShareLock' AND granted"

    func pending(_ view: String = "dashboard_summary_mv") throws -> Int {
        Int(try server.value("SELECT count(*) FROM matview.pending_changes WHERE view_name = '\(view)'")) ?? -1
    }

    func sessionIsWaiting(_ name: String) -> String {
        "SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(name)' AND wait_event_type = 'Lock'"
    }

    /// The dashboard equals its defining query, both ways.
    func assertDashboardIsExact(file: StaticString = #filePath, line: UInt = #line) throws {
        let difference = try server.differencesFromDefiningQuery("dashboard_summary_mv")
        XCTAssertEqual(difference.missing, 0, "rows of the query missing from the view", file: file, line: line)
        XCTAssertEqual(difference.extra, 0, "rows in the view the query does not return", file: file, line: line)
    }

    // MARK: - Writers never wait

    func testAWriterDoesNotWaitForAnotherWritersOpenTransaction() throws {
        // Under 1.0 this open transaction held the view's queue row, and every other writer of
        // any source table of the view waited for its COMMIT.
        let open = try PsqlSession(server, name: "open_writer")
        open.send("BEGIN;\nINSERT INTO tasks (project_id, status) SELECT min(id), 'open' FROM projects;\nUPDATE users SET name = name WHERE id = 1;")
        try server.waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'open_writer' AND state = 'idle in transaction'", "1",
                           "the first writer's transaction is open")
        try writeWithoutWaiting("second writer")
        try writeWithoutWaiting("third writer")
        XCTAssertEqual(try pending(), 6, "three statements from each of the two committed writers; the open one is not visible yet")
        open.send("COMMIT;")
        XCTAssertEqual(open.finish().status, 0)
        XCTAssertEqual(try pending(), 8)
        XCTAssertEqual(try server.value("SELECT matview.drain_queue()"), "2")
        try assertDashboardIsExact()
    }

    func testAWriterDoesNotWaitDuringALongRefreshAndItsChangeStaysPending() throws {
        try writeWithoutWaiting("before the drain")
        // Hold the drain in the middle of its refresh: the refresh needs a lock on the view
        // that this session holds, so the drain waits there with its transaction open, having
        // taken the pending changes.
        let blocker = try PsqlSession(server, name: "blocker")
        blocker.send(Self.holdTheView)
        try server.waitFor(Self.viewIsHeld, "1", "the blocker holds the view")
        let drainer = try PsqlSession(server, name: "drainer")
        drainer.send("SELECT matview.drain_view('dashboard_summary_mv', 'first');")
        try server.waitFor(sessionIsWaiting("drainer"), "1", "the drain is in the middle of its refresh")

        // Writers go on, and their changes are captured.
        try writeWithoutWaiting("during the drain")
        XCTAssertEqual(try pending(), 6, "the three the drain took (not committed yet, so still visible here) and the three new ones")
        // A second drainer skips the busy view at once; it does not wait, nor refresh it twice.
        XCTAssertEqual(try server.value("SET lock_timeout = '100ms'; SELECT matview.drain_view('dashboard_summary_mv', 'second')"), "f")

        blocker.send("ROLLBACK;")
        XCTAssertEqual(blocker.finish().status, 0)
        XCTAssertEqual(drainer.finish().stdout, "t\n")
        XCTAssertEqual(try pending(), 3, "a change committed during the refresh stays pending for the next round")
        XCTAssertEqual(try server.value("SELECT changes_applied FROM matview.refresh_log WHERE trigger_source = 'first'"), "3")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.refresh_log WHERE trigger_source = 'second'"), "0")
        XCTAssertEqual(try server.value("SELECT matview.drain_view('dashboard_summary_mv', 'next round')"), "t")
        XCTAssertEqual(try pending(), 0)
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE name = 'during the drain'"), "1")
        try assertDashboardIsExact()
    }

    func testAKilledDrainerLeavesItsChangesPendingForTheNextRound() throws {
        try writeWithoutWaiting("before the kill")
        let blocker = try PsqlSession(server, name: "blocker")
        blocker.send(Self.holdTheView)
        try server.waitFor(Self.viewIsHeld, "1", "the blocker holds the view")
        let drainer = try PsqlSession(server, name: "doomed_drainer")
        drainer.send("SELECT matview.drain_view('dashboard_summary_mv', 'doomed');")
        try server.waitFor(sessionIsWaiting("doomed_drainer"), "1", "the drain is in the middle of its refresh")
        XCTAssertEqual(try server.value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'doomed_drainer'"), "t")
        XCTAssertNotEqual(drainer.finish().status, 0, "psql reports the lost connection")
        blocker.send("ROLLBACK;")
        blocker.finish()

        XCTAssertEqual(try pending(), 3, "the killed drain's transaction rolled back: nothing it took is lost")
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE name = 'before the kill'"), "0")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.refresh_log WHERE trigger_source = 'doomed'"), "0")
        XCTAssertEqual(try server.value("SELECT matview.drain_view('dashboard_summary_mv', 'next round')"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE name = 'before the kill'"), "1")
        try assertDashboardIsExact()
    }

    // MARK: - The manual drain and min_interval

    func testDrainQueueWaitsForABusyDrainerThenAppliesWhatIsStillPending() throws {
        try writeWithoutWaiting("first")
        let blocker = try PsqlSession(server, name: "blocker")
        blocker.send(Self.holdTheView)
        try server.waitFor(Self.viewIsHeld, "1", "the blocker holds the view")
        let drainer = try PsqlSession(server, name: "drainer")
        drainer.send("SELECT matview.drain_view('dashboard_summary_mv', 'automatic');")
        try server.waitFor(sessionIsWaiting("drainer"), "1", "the automatic drain is in the middle of its refresh")
        try writeWithoutWaiting("second")

        let manual = try PsqlSession(server, name: "manual")
        manual.send("SELECT matview.drain_queue();")
        // It waits for the automatic drainer's round (the view's advisory lock), not for a table.
        try server.waitFor("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'manual' AND l.locktype = 'advisory' AND NOT l.granted",
                           "1", "the manual drain waits for the automatic one")
        blocker.send("ROLLBACK;")
        blocker.finish()
        XCTAssertEqual(drainer.finish().stdout, "t\n")
        let manualOutcome = manual.finish()
        XCTAssertEqual(manualOutcome.status, 0, manualOutcome.stderr)
        XCTAssertEqual(manualOutcome.stdout, "2\n", "the dashboard (the second write) and user_stats_mv")
        XCTAssertEqual(try server.rows("SELECT trigger_source || ' ' || changes_applied FROM matview.refresh_log WHERE view_name = 'dashboard_summary_mv' AND trigger_source <> 'apply' ORDER BY id"),
                       ["automatic 3", "drain_queue 3"])
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.pending_changes"), "0")
        try assertDashboardIsExact()
    }

    func testMinIntervalSpacesAutomaticRefreshesButNotTheManualDrain() throws {
        try server.execute("UPDATE matview.views SET min_interval = interval '1 hour'")
        try server.execute("SELECT matview.refresh_all('test')")
        try writeWithoutWaiting("soon")
        XCTAssertEqual(try server.rows("SELECT * FROM matview.due_views()"), [], "refreshed less than an hour ago")
        try server.execute("CALL matview.run_drainer('automatic', 0.5)")
        XCTAssertEqual(try pending(), 3)
        try server.execute("UPDATE matview.views SET min_interval = interval '0'")
        XCTAssertEqual(try server.rows("SELECT * FROM matview.due_views()"), ["dashboard_summary_mv", "user_stats_mv"])
        try server.execute("UPDATE matview.views SET min_interval = interval '1 hour'")
        XCTAssertEqual(try server.value("SELECT matview.drain_queue()"), "2", "the manual drain applies everything, whatever min_interval says")
        XCTAssertEqual(try pending(), 0)
    }

    // MARK: - The drainer's life

    func testOneDrainerAtATimeAndApplyAndRollbackStopIt() throws {
        try server.execute("UPDATE matview.views SET min_interval = interval '0'")
        let first = try PsqlSession(server, name: "first_drainer")
        first.send("CALL matview.run_drainer('first', 600);")
        try server.waitFor(PostgresServer.holdsDrainerLock("first_drainer"),
                           "1", "the first drainer runs")
        // It drains as changes come.
        try writeWithoutWaiting("drained by the loop")
        try server.waitFor("SELECT count(*) FROM dashboard_summary_mv WHERE name = 'drained by the loop'", "1", "the loop applied the write")

        // A second drainer returns at once.
        let second = try server.run(["-c", "CALL matview.run_drainer('second', 600)"])
        XCTAssertTrue(second.stderr.contains("another drainer is running"), second.stderr)

        // An apply waits for the running drainer, which stops; then the apply goes through.
        let applied = try fixture.apply()
        XCTAssertTrue(applied.stderr.contains("is unchanged"), applied.stderr)
        let outcome = first.finish()
        XCTAssertEqual(outcome.status, 0, outcome.stderr)

        // So does a rollback, with a drainer started by pg_cron's command.
        let again = try PsqlSession(server, name: "again_drainer")
        again.send("CALL matview.run_drainer('again', 600);")
        try server.waitFor(PostgresServer.holdsDrainerLock("again_drainer"),
                           "1", "the second loop runs")
        try fixture.rollback()
        let stopped = again.finish()
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertEqual(try server.value("SELECT to_regnamespace('matview') IS NULL"), "t")
    }

    func testPgCronStartsTheDrainerAndItAppliesChangesWithinItsInterval() throws {
        try server.execute("UPDATE matview.views SET min_interval = interval '0'")
        try server.execute("UPDATE cron.job SET active = true WHERE jobname = 'matview:drain_queue'")
        // pg_cron starts jobs on the minute: wait for the drainer's loop to be running.
        try server.waitFor("SELECT count(*) FROM pg_stat_activity WHERE query = 'CALL matview.run_drainer()' AND state = 'active'", "1",
                           "pg_cron started the drainer", timeout: 90)
        try writeWithoutWaiting("seen through pg_cron")
        try server.waitFor("SELECT count(*) FROM dashboard_summary_mv WHERE name = 'seen through pg_cron'", "1", "the drainer applied the write", timeout: 30)
        XCTAssertEqual(try server.value("SELECT count(*) > 0 FROM matview.refresh_log WHERE trigger_source = 'cron' AND view_name = 'dashboard_summary_mv'"), "t")
        // An apply stops it cleanly: the run is recorded as succeeded. (The job is switched off
        // only afterwards: pg_cron cancels a running job as soon as it sees it inactive.)
        try fixture.apply()
        try server.waitFor("SELECT count(*) > 0 FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'matview:drain_queue' AND d.status = 'succeeded'",
                           "t", "the cron run ended as succeeded")
        try server.execute("UPDATE cron.job SET active = false")
    }

    // MARK: - Visibility and re-apply

    func testAnOldPendingChangeMakesARecentlyRefreshedViewStale() throws {
        try server.execute("SELECT matview.refresh_all('test')")
        try server.execute("INSERT INTO matview.pending_changes (view_name, source_table, captured_at) VALUES ('dashboard_summary_mv', 'public.tasks', clock_timestamp() - interval '20 minutes')")
        XCTAssertEqual(try server.value("SELECT stale::text || ' ' || pending_changes || ' ' || (oldest_pending_seconds >= 1200)::text FROM matview.freshness WHERE view_name = 'dashboard_summary_mv'"),
                       "true 1 true", "refreshed a moment ago, but behind a change of 20 minutes ago (max_staleness 10m)")
        XCTAssertEqual(try server.value("SELECT stale FROM matview.freshness WHERE view_name = 'user_stats_mv'"), "f")
        let status = try MatviewCLI.run(["status", "--format", "json", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(status.status, 1)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let dashboard = try XCTUnwrap((report["views"] as? [[String: Any]])?.first { $0["view"] as? String == "dashboard_summary_mv" })
        XCTAssertEqual(dashboard["pendingChanges"] as? Int, 1)
        XCTAssertGreaterThanOrEqual(dashboard["oldestPendingSeconds"] as? Double ?? 0, 1200)
        XCTAssertEqual(dashboard["stale"] as? Bool, true)
        let text = try MatviewCLI.run(["status", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertTrue(text.stdout.contains("1 changes, oldest 20m"), text.stdout)
    }

    func testReapplyKeepsPendingChanges() throws {
        try writeWithoutWaiting("pending across apply")
        let before = try server.rows("SELECT view_name || ' ' || source_table || ' ' || captured_at FROM matview.pending_changes ORDER BY 1")
        XCTAssertEqual(before.count, 4)
        try fixture.apply()
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || source_table || ' ' || captured_at FROM matview.pending_changes ORDER BY 1"), before)
    }

    func testApplyUpgradesA10QueueWithoutLosingItsRows() throws {
        // What matview 1.0 deployed: one queue row per view, a trigger function that upserted it.
        try server.execute("""
            CREATE TABLE matview.refresh_queue (view_name text PRIMARY KEY, queued_at timestamptz NOT NULL, last_change_at timestamptz NOT NULL,
                                                changes bigint NOT NULL DEFAULT 1, trigger_source text NOT NULL);
            INSERT INTO matview.refresh_queue VALUES ('user_stats_mv', now() - interval '5 minutes', now(), 7, 'public.transactions');
            CREATE FUNCTION matview.enqueue_refresh() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
            CREATE TRIGGER matview_enqueue_refresh AFTER INSERT ON users FOR EACH STATEMENT EXECUTE FUNCTION matview.enqueue_refresh('user_stats_mv');
            """)
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT to_regclass('matview.refresh_queue') IS NULL AND to_regproc('matview.enqueue_refresh') IS NULL"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_trigger WHERE tgname = 'matview_enqueue_refresh'"), "0")
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || source_table FROM matview.pending_changes"), ["user_stats_mv public.transactions"])
    }
}
