import Foundation
import MatviewDriver
import MatviewLowering
import MatviewSyntax
import MatviewTestSupport
import XCTest

/// Incremental views against the real server: the write path (who waits for whom, asserted with
/// lock_timeout), isolation levels, TRUNCATE, full rebuilds, deadlocks, index use, strategy
/// switches and rollback. The specs are the `incremental-views` end-to-end case: the seed's
/// dashboard (immediate), a LEFT JOIN with count(distinct) and FILTER (queue), a nested query
/// grouped by key (immediate), a view on a view (immediate) and nullable group keys (queue).
final class IncrementalMaintenanceTests: XCTestCase {
    static let specs = DeploymentFixture.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Cases/incremental-views/specs")
    static let views = ["dashboard_summary_mv", "project_task_stats", "user_spend", "role_activity", "completion_days"]

    private func deployed(users: Int = 300) throws -> (PostgresServer, DeploymentFixture) {
        let server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: users)
        let fixture = try DeploymentFixture(server: server, specs: Self.specs)
        try fixture.generate()
        try fixture.apply()
        try server.switchCronJobsOff()
        return (server, fixture)
    }

    private func assertExact(_ server: PostgresServer, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try server.value("SELECT matview.drain_queue() >= 0"), "t", file: file, line: line)
        for view in Self.views {
            let difference = try server.differencesFromDefiningQuery(view)
            XCTAssertEqual(difference.missing, 0, "\(view): rows missing", file: file, line: line)
            XCTAssertEqual(difference.extra, 0, "\(view): rows extra", file: file, line: line)
        }
    }

    /// Runs psql; a failing statement is an outcome here, not an error.
    private func attempt(_ server: PostgresServer, _ arguments: [String]) -> (succeeded: Bool, output: String) {
        do {
            let result = try server.run(arguments)
            return (true, result.stdout + result.stderr)
        } catch {
            return (false, "\(error)")
        }
    }

    /// A session whose open transaction has written a task of `project` (so it holds that group's
    /// lock) and sleeps; `release` cancels it.
    private func holdGroup(of project: String, _ server: PostgresServer, name: String) throws -> (session: PsqlSession, release: () -> Void) {
        let holder = try PsqlSession(server, name: name)
        holder.send("BEGIN; INSERT INTO tasks (project_id, status) VALUES (\(project), 'open');")
        holder.send("SELECT pg_sleep(600);")
        try server.waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = '\(name)' AND query LIKE 'SELECT pg_sleep%'",
                           "1", "\(name) has written a task of project \(project)")
        return (holder, {
            holder.send("")
            _ = try? server.execute("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = '\(name)'")
            holder.finish()
        })
    }

    /// Runs `statements` under a 100 ms lock_timeout: whether they went through without waiting.
    private func withoutWaiting(_ server: PostgresServer, _ statements: [String]) -> (succeeded: Bool, output: String) {
        attempt(server, ["-c", "SET lock_timeout = '100ms'"] + statements.flatMap { ["-c", $0] })
    }

    /// A project of a user who has one, and the user.
    private func project(of user: Int, _ server: PostgresServer) throws -> String {
        try server.value("SELECT min(id) FROM projects WHERE user_id = \(user)")
    }

    func testTheTablesAreBuiltWithAUniqueGrainIndexAndTriggersOnEverySource() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        XCTAssertEqual(try server.rows("SELECT relname || ' ' || relkind::text FROM pg_class WHERE relname = ANY (ARRAY['dashboard_summary_mv', 'completion_days']) ORDER BY 1"),
                       ["completion_days r", "dashboard_summary_mv r"])
        // NULL is one group of completion_days, so its grain index treats NULLs as equal.
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_indexes WHERE tablename = 'completion_days' AND indexdef LIKE '%UNIQUE%NULLS NOT DISTINCT%'"), "1")
        XCTAssertEqual(try server.value("SELECT count(*) FROM completion_days WHERE day IS NULL"), "1")
        XCTAssertEqual(try server.rows("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'matview_dashboard_summary_mv_%' ORDER BY 1"),
                       ["projects", "tasks", "users"])
        // role_activity follows the rows of dashboard_summary_mv's table, and users.
        XCTAssertEqual(try server.rows("SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'matview_role_activity_%' ORDER BY 1"),
                       ["dashboard_summary_mv", "users"])
        try assertExact(server)
        // Re-applying an unchanged project leaves the tables and triggers alone.
        let before = try server.rows("SELECT relfilenode::text FROM pg_class WHERE relname = ANY (ARRAY['dashboard_summary_mv', 'completion_days']) ORDER BY relname")
        let triggers = try server.rows("SELECT oid::text FROM pg_trigger WHERE tgname LIKE 'matview_%' ORDER BY 1")
        try fixture.apply()
        XCTAssertEqual(try server.rows("SELECT relfilenode::text FROM pg_class WHERE relname = ANY (ARRAY['dashboard_summary_mv', 'completion_days']) ORDER BY relname"), before)
        XCTAssertEqual(try server.rows("SELECT oid::text FROM pg_trigger WHERE tgname LIKE 'matview_%' ORDER BY 1"), triggers)
        // verify and bench read the tables as they read views; bench times the full rebuild.
        let verify = try MatviewCLI.run(["verify", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        let bench = try MatviewCLI.run(["bench", "--view", "dashboard_summary_mv", "--runs", "2", "--format", "json", "--database-url", server.url,
                                        "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(bench.status, 0, bench.stderr)
        let views = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bench.stdout.utf8)) as? [[String: Any]])
        let measures = try XCTUnwrap(views.first?["measurements"] as? [[String: Any]])
        XCTAssertEqual(measures.map { $0["name"] as? String }, ["read all rows", "lookup by (user_id)", "full rebuild"])
        // introspect lists the tables the specs read, not the incremental views' tables.
        let introspect = try MatviewCLI.run(["introspect", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(introspect.status, 0, introspect.stderr)
        XCTAssertTrue(introspect.stdout.contains("CREATE TABLE public.tasks ("), introspect.stdout)
        XCTAssertFalse(introspect.stdout.contains("dashboard_summary_mv"), introspect.stdout)
    }

    func testImmediateWritersOfDifferentGroupsDoNotWaitWritersOfOneGroupDo() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        // Users 3 and 8 are admins, user 4 a bot (scripts/seed-data.sql): role_activity has one
        // row per role, so its groups are few, and its writers of one role wait for each other.
        let p1 = try project(of: 3, server), p2 = try project(of: 4, server), sameRole = try project(of: 8, server)
        let holder = try holdGroup(of: p1, server, name: "incremental_holder")
        // Another group: no wait at all.
        let other = withoutWaiting(server, ["INSERT INTO tasks (project_id, status) VALUES (\(p2), 'completed')",
                                            "UPDATE tasks SET status = 'completed' WHERE project_id = \(p2)",
                                            "UPDATE users SET name = name || '!' WHERE id = 4"])
        XCTAssertTrue(other.succeeded, other.output)
        // The same group: the writer waits for the holder (and gives up after lock_timeout).
        let same = withoutWaiting(server, ["INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open')"])
        XCTAssertFalse(same.succeeded)
        XCTAssertTrue(same.output.contains("lock timeout"), same.output)
        // Another user, but the same role: role_activity's group (check notes it; see README).
        let role = withoutWaiting(server, ["INSERT INTO tasks (project_id, status) VALUES (\(sameRole), 'open')"])
        XCTAssertFalse(role.succeeded)
        XCTAssertTrue(role.output.contains("lock timeout"), role.output)
        holder.release()
        try assertExact(server)
    }

    /// A statement of a few rows hands its keys over once per row (an update's old and new rows
    /// of one group give one key twice); one of more rows takes them distinct. Either way a group
    /// has one lock: the holder's single-row insert and these statements meet on it, and other
    /// groups go through.
    func testStatementsOfOneFewAndManyRowsLockTheSameGroups() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        let held = try project(of: 3, server)
        // Users of another role than user 3 (role_activity has one group per role).
        let others = try server.rows("""
            SELECT min(p.id)::text FROM projects p JOIN users u ON u.id = p.user_id
            WHERE u.role <> (SELECT role FROM users WHERE id = 3) GROUP BY u.id ORDER BY u.id LIMIT 12
            """)
        XCTAssertEqual(others.count, 12)
        let holder = try holdGroup(of: held, server, name: "incremental_holder")
        func insert(_ projects: [String]) -> String {
            "INSERT INTO tasks (project_id, status) SELECT p, 'completed' FROM unnest(ARRAY[\(projects.joined(separator: ", "))]::bigint[]) AS p"
        }
        let moved = try server.value("SELECT min(id) FROM tasks WHERE project_id = \(others[0])")
        let apart = withoutWaiting(server, [insert(others),                                   // 12 groups: distinct keys
                                            insert([others[1], others[1], others[2]]),        // a key twice
                                            "UPDATE tasks SET status = 'open' WHERE id = \(moved)",  // old and new: one group
                                            "UPDATE tasks SET project_id = \(others[3]) WHERE id = \(moved)"])  // two groups
        XCTAssertTrue(apart.succeeded, apart.output)
        for statement in [insert(others + [held]), insert([others[4], others[4], held]),
                          "UPDATE tasks SET project_id = \(held) WHERE id = \(moved)"] {
            let meets = withoutWaiting(server, [statement])
            XCTAssertFalse(meets.succeeded, statement)
            // On the group's lock, before it recomputes (not on the holder's row of the view).
            XCTAssertTrue(meets.output.contains("lock timeout") && meets.output.contains("lock_group_keys"), meets.output)
        }
        holder.release()
        try assertExact(server)
    }

    func testRepeatableReadAndSerializableWritersOfImmediateViewsGetAClearError() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        let p1 = try project(of: 1, server)
        for level in ["REPEATABLE READ", "SERIALIZABLE"] {
            let result = attempt(server, ["-c", "BEGIN ISOLATION LEVEL \(level); INSERT INTO tasks (project_id) VALUES (\(p1)); COMMIT;"])
            XCTAssertFalse(result.succeeded)
            XCTAssertTrue(result.output.contains("dashboard_summary_mv is kept current by each writing statement, which needs READ COMMITTED; this transaction is \(level)"), result.output)
            XCTAssertTrue(result.output.contains("HINT:  write to tasks under READ COMMITTED, or give dashboard_summary_mv on_change: queue"), result.output)
        }
        // Nothing of the refused statements remains.
        try assertExact(server)
    }

    func testAnApplicationRoleWithRightsOnItsTablesOnlyWrites() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        try server.execute("""
            DROP ROLE IF EXISTS matview_test_writer;
            CREATE ROLE matview_test_writer LOGIN;
            GRANT SELECT, INSERT, UPDATE, DELETE ON users, projects, tasks, transactions TO matview_test_writer;
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO matview_test_writer;
            """)
        defer { _ = try? server.execute("DROP OWNED BY matview_test_writer; DROP ROLE matview_test_writer") }
        let p1 = try project(of: 3, server)
        let write = attempt(server, ["-c", "SET ROLE matview_test_writer",
                                     "-c", "INSERT INTO tasks (project_id, status) VALUES (\(p1), 'completed')",
                                     "-c", "INSERT INTO transactions (user_id, amount, category) VALUES (3, 12.5, 'app')",
                                     "-c", "DELETE FROM tasks WHERE id = (SELECT min(id) FROM tasks)"])
        XCTAssertTrue(write.succeeded, write.output)
        // It cannot call the maintenance functions itself.
        let call = attempt(server, ["-c", "SET ROLE matview_test_writer", "-c", "SELECT matview.lock_group_keys(1, ARRAY[1], true)"])
        XCTAssertFalse(call.succeeded)
        XCTAssertTrue(call.output.contains("permission denied"), call.output)
        try assertExact(server)
    }

    func testTruncateRecomputesEveryGroup() throws {
        // More users with tasks than IncrementalMaintenance.plannedPerCallAbove: the recompute
        // of the groups the TRUNCATE changed is planned for its call.
        let (server, fixture) = try deployed(users: 1000)
        defer { fixture.remove() }
        XCTAssertGreaterThan(Int(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE total_tasks > 0")) ?? 0, 500)
        try server.execute("TRUNCATE tasks")
        XCTAssertEqual(try server.value("SELECT sum(total_tasks) FROM dashboard_summary_mv"), "0")
        try assertExact(server)
        XCTAssertEqual(try server.value("SELECT count(*) FROM completion_days"), "0")
    }

    func testAnUpdateOfColumnsNoViewReadsLocksNothingAndQueuesNothing() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        // User 3's groups are held by a writer in flight.
        let holder = try holdGroup(of: try project(of: 3, server), server, name: "incremental_unread_holder")
        let pending = try server.value("SELECT count(*) FROM matview.pending_changes")
        // No view reads last_login, and an unchanged name is no change: nothing to recompute or
        // lock, so neither waits; not even under REPEATABLE READ, which immediate views refuse.
        let unread = withoutWaiting(server, ["UPDATE users SET last_login = now() WHERE id = 3",
                                             "UPDATE users SET name = name WHERE id = 3",
                                             "BEGIN ISOLATION LEVEL REPEATABLE READ",
                                             "UPDATE users SET last_login = now() WHERE id IN (3, 4)",
                                             "COMMIT"])
        XCTAssertTrue(unread.succeeded, unread.output)
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.pending_changes"), pending, "nothing queued")
        // A column a view reads is still maintained: the same user's name waits for the holder.
        let read = withoutWaiting(server, ["UPDATE users SET name = name || '!' WHERE id = 3"])
        XCTAssertFalse(read.succeeded)
        XCTAssertTrue(read.output.contains("lock timeout"), read.output)
        holder.release()
        try server.execute("UPDATE users SET name = name || '?' WHERE id IN (3, 4)")
        try assertExact(server)
    }

    func testADrainTakesTheOldestBatchAndDrainQueueWorksOffTheBacklog() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        let project = try project(of: 3, server)
        // 2,500 writing statements (each statement inside the DO block fires its own triggers):
        // 2,500 queued changes for each queued view reading tasks.
        try server.execute("DO $$ BEGIN FOR i IN 1..2500 LOOP INSERT INTO tasks (project_id, status) VALUES (\(project), 'completed'); END LOOP; END $$")
        let pending = "SELECT count(*) FROM matview.pending_changes WHERE view_name = 'project_task_stats'"
        XCTAssertEqual(try server.value(pending), "2500")
        let oldest = try server.value("SELECT min(captured_at)::text FROM matview.pending_changes WHERE view_name = 'project_task_stats'")
        // One drain takes the oldest 1,000.
        XCTAssertEqual(try server.value("SELECT matview.refresh('project_task_stats', 'batch-test', false)"), "t")
        XCTAssertEqual(try server.value("SELECT changes_applied FROM matview.refresh_log WHERE trigger_source = 'batch-test'"), "1000")
        XCTAssertEqual(try server.value(pending), "1500")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.pending_changes WHERE view_name = 'project_task_stats' AND captured_at <= '\(oldest)'"), "0")
        // A full refresh takes everything (a rebuild covers it all); drain_queue() drains until
        // nothing queued before it is left.
        XCTAssertEqual(try server.value("SELECT matview.refresh('completion_days', 'batch-test-full')"), "t")
        XCTAssertEqual(try server.value("SELECT changes_applied FROM matview.refresh_log WHERE trigger_source = 'batch-test-full'"), "2500")
        XCTAssertEqual(try server.value("SELECT matview.drain_queue()"), "1")
        XCTAssertEqual(try server.value("SELECT count(*) FROM matview.pending_changes"), "0")
        XCTAssertEqual(try server.value("SELECT string_agg(changes_applied::text, ',' ORDER BY id) FROM matview.refresh_log WHERE trigger_source = 'drain_queue'"), "1000,500")
        try assertExact(server)
    }

    /// A drain logs the view's row count as the last one logged plus the rows it added less those
    /// it deleted, without reading the whole table (a count of it after every drain grows with
    /// the view); a drain that rebuilds (a queued TRUNCATE) and a full refresh are exact too.
    func testADrainLogsTheRowCountWithoutReadingTheWholeView() throws {
        let (server, fixture) = try deployed(users: 2000)
        defer { fixture.remove() }
        try server.execute("ANALYZE")
        XCTAssertEqual(try server.value("SELECT matview.drain_queue() >= 0"), "t")
        let view = "project_task_stats"
        // Each step's writes, then one drain in one transaction: the sequential scans of the view's
        // table in it, the logged row count against the table's. A rebuild reads the whole view.
        let twoOfUser4 = "SELECT id FROM projects WHERE user_id = 4 ORDER BY id LIMIT 2"
        let steps: [(label: String, writes: [String], rebuilds: Bool)] = [
            ("groups added", ["INSERT INTO projects (user_id, name) SELECT 3, 'new ' || i FROM generate_series(1, 3) AS i",
                              "INSERT INTO tasks (project_id, status) SELECT max(id), 'open' FROM projects"], false),
            ("groups removed and one changed", ["DELETE FROM tasks WHERE project_id IN (\(twoOfUser4))",
                                                "DELETE FROM projects WHERE id IN (\(twoOfUser4))",
                                                "UPDATE tasks SET status = 'completed' WHERE id = (SELECT min(id) FROM tasks)"], false),
            // One group (the recompute of one group has its own statements).
            ("one group removed", ["DELETE FROM tasks WHERE project_id = (SELECT max(id) FROM projects)",
                                   "DELETE FROM projects WHERE id = (SELECT max(id) FROM projects)"], false),
            ("one group added", ["INSERT INTO projects (user_id, name) VALUES (6, 'one more')"], false),
            // A TRUNCATE queues a rebuild.
            ("rebuilt", ["TRUNCATE tasks", "INSERT INTO projects (user_id, name) VALUES (5, 'after the truncate')"], true),
        ]
        var counted = ""
        for step in steps {
            for write in step.writes { try server.execute(write) }
            let output = try server.run(["-c", "BEGIN",
                                         "-c", "SELECT matview.refresh('\(view)', '\(step.label)', false)",
                                         "-c", "SELECT seq_scan FROM pg_stat_xact_user_tables WHERE relid = 'public.\(view)'::regclass",
                                         "-c", "COMMIT"]).stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(output.first, "t", step.label)
            if !step.rebuilds { XCTAssertEqual(output.last, "0", "\(step.label): the drain read the whole view") }
            counted = try server.value("SELECT count(*) FROM \(view)")
            XCTAssertEqual(try server.value("SELECT row_count FROM matview.refresh_log WHERE trigger_source = '\(step.label)'"), counted, step.label)
        }
        XCTAssertEqual(try server.value("SELECT matview.refresh('\(view)', 'full')"), "t")
        XCTAssertEqual(try server.value("SELECT row_count FROM matview.refresh_log WHERE trigger_source = 'full'"), counted)
        try assertExact(server)
    }

    /// Runs `statements` (one message each) in one transaction with function statistics on, and
    /// returns how often dashboard_summary_mv's recompute ran in it (0 when the write moved the
    /// stored row by its difference). By default every group is worth a difference; `minRows`
    /// sets matview.difference_min_rows.
    private func recomputes(_ server: PostgresServer, _ statements: [String], minRows: Int? = 0) throws -> Int {
        try server.recomputes(of: "dashboard_summary_mv", statements, settings: minRows.map { ["SET LOCAL matview.difference_min_rows = \($0)"] } ?? [])
    }

    func testTaskWritesMoveTheDashboardByTheirDifferenceAndRecomputeOnlyWhatItCannotGive() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        let p1 = try project(of: 3, server), p2 = try project(of: 4, server)
        // An open task: one more task, no completion, a newer activity. No recompute.
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open')"]), 0)
        // Its status toggled: the completed count moves; its activity, the latest, is lost and
        // gained again, so the maximum stands.
        XCTAssertEqual(try recomputes(server, ["UPDATE tasks SET status = 'completed' WHERE id = (SELECT max(id) FROM tasks)"]), 0)
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status, completed_at) VALUES (\(p1), 'completed', now())"]), 0)
        // A task made the latest activity, then deleted: the maximum may be gone, so that column
        // is recomputed over the user's rows in the same UPDATE (not the whole group).
        XCTAssertEqual(try recomputes(server, ["UPDATE tasks SET updated_at = now() + interval '1 day' WHERE id = (SELECT min(id) FROM tasks WHERE project_id = \(p2))"]), 0)
        XCTAssertEqual(try recomputes(server, ["DELETE FROM tasks WHERE id = (SELECT min(id) FROM tasks WHERE project_id = \(p2))"]), 0)
        try assertExact(server)
        // A task deleted whose activity is no later than its user's: the user's own updated_at,
        // which the project's other rows (or its padding row) still carry, stays the latest. No
        // recompute; without the rule (a lost value equal to the stored one) there would be one.
        // (A least group size of 1 sends the write to the statement that joins the rows to
        // their groups, whose recompute is the whole group's: the rows-alone one recomputes a
        // column in place, which this count does not see.)
        try server.execute("INSERT INTO tasks (project_id, status) VALUES (\(p2), 'open')")
        try server.execute("UPDATE users SET updated_at = now() + interval '2 days' WHERE id = 4")
        XCTAssertEqual(try recomputes(server, ["DELETE FROM tasks WHERE id = (SELECT max(id) FROM tasks WHERE project_id = \(p2))"], minRows: 1), 0)
        try assertExact(server)
        // By default a statement of at most 10 rows takes the difference, whatever the size of
        // the groups; one of more is recomputed.
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open')"], minRows: nil), 0)
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status) SELECT \(p1), 'open' FROM generate_series(1, 11)"], minRows: nil), 1)
        // With matview.difference_min_rows set, only a write whose rows join that many of the
        // table's rows takes it: a task of a project with a few tasks is recomputed, one of a
        // project with 100 is not.
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status) VALUES (\(p2), 'open')"], minRows: 100), 1)
        try server.execute("INSERT INTO tasks (project_id, status) SELECT \(p1), 'open' FROM generate_series(1, 100)")
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open')"], minRows: 100), 0)
        // A mistyped setting counts as its default; the write goes through.
        XCTAssertEqual(try recomputes(server, ["SET LOCAL matview.difference_max_rows = 'ten'",
                                               "INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open')"], minRows: nil), 0)
        XCTAssertEqual(try recomputes(server, ["SET LOCAL matview.difference_min_rows = 'many'",
                                               "INSERT INTO tasks (project_id, status) VALUES (\(p2), 'open')"], minRows: nil), 0)
        try assertExact(server)
        // A new project's first task (its padding row vanishes), then its only task deleted (the
        // padding row is back): both by difference, checked after each.
        let p3 = try server.value("INSERT INTO projects (user_id, name) VALUES (5, 'fresh') RETURNING id")
        XCTAssertEqual(try recomputes(server, ["INSERT INTO tasks (project_id, status, completed_at) VALUES (\(p3), 'open', NULL)"]), 0)
        try assertExact(server)
        _ = try recomputes(server, ["DELETE FROM tasks WHERE project_id = \(p3)"])
        try assertExact(server)
        // Tasks moved between users; a project emptied (its padding row appears) and refilled.
        try server.execute("UPDATE tasks SET project_id = \(p2) WHERE id IN (SELECT id FROM tasks WHERE project_id = \(p1) ORDER BY id LIMIT 2)")
        try server.execute("DELETE FROM tasks WHERE project_id = \(p1)")
        try assertExact(server)
        try server.execute("INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open'), (\(p1), 'blocked')")
        try server.execute("UPDATE tasks SET project_id = \(p2) WHERE project_id = \(p1)")
        try assertExact(server)
    }

    func testADifferenceIsNotAppliedTwiceWhenANestedWriteRecomputedTheGroupFirst() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        // The usual "touch the parent" trigger: a new task updates its project, whose statement
        // trigger recomputes the user's group, new task included, before the task's own
        // statement trigger runs.
        try server.execute("""
        CREATE OR REPLACE FUNCTION touch_project() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE projects SET updated_at = now() WHERE id = NEW.project_id;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE TRIGGER touch_project AFTER INSERT ON tasks FOR EACH ROW EXECUTE FUNCTION touch_project();
        """)
        defer { _ = try? server.execute("DROP TRIGGER IF EXISTS touch_project ON tasks; DROP FUNCTION IF EXISTS touch_project()") }
        let p1 = try project(of: 3, server)
        let differences = ["-c", "SET matview.difference_min_rows = 0"]
        try server.run(differences + ["-c", "INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open'), (\(p1), 'completed')"])
        // Two data-modifying CTEs on tasks in one statement.
        try server.run(differences + ["-c", "WITH a AS (INSERT INTO tasks (project_id, status) VALUES (\(p1), 'open') RETURNING 1) INSERT INTO tasks (project_id, status) SELECT \(p1), 'open' FROM a"])
        try assertExact(server)
    }

    func testARebuildRecomputesOnlyDriftedGroupsAndWaitsForNoWriterOfOthers() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        // Drift that no trigger saw: rows changed behind matview's back, one deleted.
        // (Users 4 and 9 are bots, 6 a member, 3 an admin: no role_activity group in common.)
        try server.execute("UPDATE dashboard_summary_mv SET total_tasks = total_tasks + 100 WHERE user_id IN (4, 9); DELETE FROM dashboard_summary_mv WHERE user_id = 6")
        let untouched = try server.value("SELECT xmin::text FROM dashboard_summary_mv WHERE user_id = 7")
        // A writer of user 3's group holds its lock meanwhile; the rebuild does not need it.
        let p1 = try project(of: 3, server)
        let holder = try holdGroup(of: p1, server, name: "incremental_rebuild_holder")
        let rebuild = withoutWaiting(server, ["SELECT matview.refresh('dashboard_summary_mv')"])
        XCTAssertTrue(rebuild.succeeded, rebuild.output)
        XCTAssertEqual(rebuild.output.trimmingCharacters(in: .whitespacesAndNewlines), "t")
        XCTAssertEqual(try server.value("SELECT status FROM matview.refresh_log WHERE view_name = 'dashboard_summary_mv' ORDER BY id DESC LIMIT 1"), "succeeded")
        XCTAssertEqual(try server.value("SELECT xmin::text FROM dashboard_summary_mv WHERE user_id = 7"), untouched, "an equal row is not rewritten")
        holder.release()
        try assertExact(server)
    }

    func testADeadlockAbortsOneWriterAndLeavesTheViewsExact() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        let p1 = try project(of: 3, server), p2 = try project(of: 4, server) // an admin's and a bot's
        let a = try PsqlSession(server, name: "incremental_deadlock_a")
        let b = try PsqlSession(server, name: "incremental_deadlock_b")
        a.send("BEGIN; INSERT INTO tasks (project_id, status) VALUES (\(p1), 'a');")
        b.send("BEGIN; INSERT INTO tasks (project_id, status) VALUES (\(p2), 'b');")
        try server.waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'incremental_deadlock_%' AND state = 'idle in transaction'",
                           "2", "both wrote their first group")
        a.send("INSERT INTO tasks (project_id, status) VALUES (\(p2), 'a'); COMMIT;")
        try server.waitFor("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'incremental_deadlock_a' AND wait_event_type = 'Lock'",
                           "1", "a waits for b's group")
        b.send("INSERT INTO tasks (project_id, status) VALUES (\(p1), 'b'); COMMIT;")
        let outcomes = [a.finish(), b.finish()]
        XCTAssertEqual(outcomes.filter { $0.status != 0 }.count, 1, outcomes.map(\.stderr).joined())
        XCTAssertTrue(outcomes.contains { $0.stderr.contains("deadlock detected") }, outcomes.map(\.stderr).joined())
        // The survivor's two tasks are in, the victim's none.
        XCTAssertEqual(try server.value("SELECT count(DISTINCT status) FROM tasks WHERE status IN ('a', 'b')"), "1")
        try assertExact(server)
    }

    /// The project deployed over 2,000 users and analyzed, with the lowered incremental form of
    /// the dashboard and `user_spend` (a nested aggregate), for the tests that read plans.
    private func analyzedForPlans() throws -> (PostgresServer, DeploymentFixture, [(name: String, incremental: LoweredIncremental)]) {
        let (server, fixture) = try deployed(users: 2000)
        try server.execute("ANALYZE")
        let lowered = LoweredProject(Compiler().compile(Project.load(root: fixture.root)).project, supportSchema: "matview")
        let views = try ["dashboard_summary_mv", "user_spend"].map { name in
            guard let incremental = lowered.views.first(where: { $0.name == name })?.incremental else {
                throw PostgresServer.Failure(description: "\(name) is not incremental")
            }
            return (name: name, incremental: incremental)
        }
        return (server, fixture, views)
    }

    func testTheRestrictedRecomputeUsesTheSourcesIndexes() throws {
        let (server, fixture, views) = try analyzedForPlans()
        defer { fixture.remove() }
        for (name, incremental) in views {
            let keyType = "matview.\(incremental.names.keyType)"
            let query = incremental.restrictedQuery
                .replacingOccurrences(of: "unnest(matview_keys)", with: "unnest(ARRAY['(7)', '(8)']::\(keyType)[])")
                .replacingOccurrences(of: "matview_key_values", with: "ARRAY[7, 8]::bigint[]")
            let plan = try server.text("EXPLAIN (COSTS OFF) " + query)
            XCTAssertFalse(plan.contains("Seq Scan on users"), "\(name):\n\(plan)")
            XCTAssertFalse(plan.contains("Seq Scan on transactions"), "\(name):\n\(plan)")
            XCTAssertFalse(plan.contains("Seq Scan on projects"), "\(name):\n\(plan)")
            XCTAssertTrue(plan.contains("Index"), "\(name):\n\(plan)")
        }
    }

    /// The recompute of one group (a single-row write's) runs on a plan made once per session:
    /// with the key as one value, that plan joins by nested loops on the indexes and neither
    /// hashes nor sorts by the key. With `= ANY` of the key array it hashed `user_spend`'s nested
    /// aggregate and joined it by a hash.
    func testTheOneGroupRecomputePlannedOnceJoinsByIndexWithoutHashing() throws {
        let (server, fixture, views) = try analyzedForPlans()
        defer { fixture.remove() }
        for (name, incremental) in views {
            let keyType = "matview.\(incremental.names.keyType)"
            let query = incremental.oneGroupQuery.replacingOccurrences(of: "\(LoweredIncremental.keysVariable)[1]", with: "$1[1]")
            XCTAssertFalse(query.contains(LoweredIncremental.keysVariable), query)
            let plan = try server.text("""
                SET plan_cache_mode = force_generic_plan;
                PREPARE one_group(\(keyType)[]) AS \(query);
                EXPLAIN (COSTS OFF) EXECUTE one_group(ARRAY['(7)']::\(keyType)[]);
                """)
            XCTAssertTrue(plan.contains("$1"), "a plan for every key:\n\(plan)")
            XCTAssertFalse(plan.contains("Hash"), "\(name):\n\(plan)")
            XCTAssertFalse(plan.contains("Seq Scan"), "\(name):\n\(plan)")
            XCTAssertTrue(plan.contains("Index Cond: (id = ($1)[1].user_id)"), "\(name):\n\(plan)")
        }
    }

    /// A trigger's statements are planned once per session, for the transition table of its
    /// first call. A session whose first write is many rows must not leave its later writes of
    /// one or a few rows a plan for many: the key lookups through projects keep to the index
    /// (one per row for a single row, by distinct project for 20 rows of 20 users).
    func testASessionsFirstBigWriteLeavesItsLaterLookupsOnTheIndex() throws {
        let (server, fixture) = try deployed(users: 2000)
        defer { fixture.remove() }
        try server.execute("ANALYZE")
        let project = try project(of: 3, server)
        // auto_explain sends the plan of every statement the triggers run to the client.
        let session = try server.run(["-c", """
            BEGIN;
            INSERT INTO tasks (project_id, status) SELECT p.id, 'open' FROM projects p, generate_series(1, 3);
            ROLLBACK;
            LOAD 'auto_explain';
            SET auto_explain.log_min_duration = 0;
            SET auto_explain.log_nested_statements = on;
            SET auto_explain.log_level = notice;
            BEGIN;
            INSERT INTO tasks (project_id, status) VALUES (\(project), 'open');
            INSERT INTO tasks (project_id, status) SELECT min(id), 'open' FROM projects WHERE user_id <= 20 GROUP BY user_id;
            ROLLBACK;
            """])
        let plans = session.stderr.components(separatedBy: "NOTICE:").filter { $0.contains("Query Text: matview_found := ARRAY(") }
        XCTAssertFalse(plans.isEmpty, session.stderr)
        XCTAssertTrue(plans.contains { $0.contains("SELECT DISTINCT") }, "the lookup of many keys ran: \(session.stderr)")
        for plan in plans where plan.contains("projects") {
            XCTAssertFalse(plan.contains("Seq Scan on projects"), plan)
            XCTAssertTrue(plan.contains("Index Scan using projects_pkey"), plan)
        }
        try assertExact(server)
    }

    func testANullableGrainIsMatchedThroughTheGrainIndex() throws {
        let (server, fixture) = try deployed()
        defer { fixture.remove() }
        let project = Project.load(root: fixture.root)
        let lowered = LoweredProject(Compiler().compile(project).project, supportSchema: "matview")
        guard let incremental = lowered.views.first(where: { $0.name == "completion_days" })?.incremental else { return XCTFail("completion_days is not incremental") }
        XCTAssertTrue(incremental.plan.grain[0].nullable)
        let day = Expr.column("matview_v", "day", at: SourceLocation(file: "test", line: 1, column: 1))
        // The predicate the recompute puts on the view's table, for a day and the NULL group.
        let predicate = LoweredIncremental.keyPredicate([day], grain: incremental.plan.grain, values: "ARRAY[current_date, NULL]::date[]")
        let plan = try server.text("SET enable_seqscan = off; EXPLAIN (COSTS OFF) SELECT * FROM completion_days AS matview_v WHERE \(predicate)")
        XCTAssertFalse(plan.contains("Seq Scan"), plan)
        XCTAssertTrue(plan.contains("Index"), plan)
        // And it finds both groups.
        try server.execute("UPDATE tasks SET completed_at = now() WHERE id = (SELECT min(id) FROM tasks WHERE completed_at IS NULL)")
        XCTAssertEqual(try server.value("SELECT matview.drain_queue() >= 0"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM completion_days AS matview_v WHERE \(predicate)"), "2")
        try assertExact(server)
    }

    func testSwitchingStrategyRebuildsAndRollbackLeavesNothing() throws {
        let server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server)
        let snapshot = DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/catalog-snapshot.sql")
        let before = try server.apply(file: snapshot).stdout
        let fixture = try DeploymentFixture(server: server, specs: Self.specs)
        defer { fixture.remove() }
        try fixture.generate()
        try fixture.apply()
        // role_activity becomes a full view; user_spend stops being maintained at all.
        let spec = try fixture.readSpec("role_activity.yaml")
        try fixture.writeSpec("role_activity.yaml", spec.replacingOccurrences(of: "  strategy: incremental\n  on_change: immediate\n", with: "  on_change: queue\n"))
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT relkind::text FROM pg_class WHERE relname = 'role_activity'"), "m")
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'matview_role_activity_%'"), "0")
        XCTAssertEqual(try server.value("SELECT strategy FROM matview.views WHERE view_name = 'role_activity'"), "full")
        try server.execute("UPDATE users SET role = 'admin' WHERE id = 1")
        try assertExact(server)
        // And back.
        try fixture.writeSpec("role_activity.yaml", spec)
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT relkind::text FROM pg_class WHERE relname = 'role_activity'"), "r")
        try server.execute("UPDATE users SET role = 'member' WHERE id = 1")
        try assertExact(server)
        try fixture.rollback()
        XCTAssertEqual(try server.apply(file: snapshot).stdout, before)
    }
}
