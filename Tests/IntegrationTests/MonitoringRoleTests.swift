import Foundation
import MatviewTestSupport
import XCTest

/// `postgres.monitoring_role`: up.sql grants that role USAGE on the support schema and SELECT on
/// its tables and views, and nothing else to anyone; the role logs in and reads freshness, the
/// refresh log, the registry and the pending changes (and `matview status` works for it), while
/// every write, every function and the user's views and tables are denied. Re-applying with
/// another role, or none, takes the first role's rights away; rollback leaves none behind.
final class MonitoringRoleTests: XCTestCase {
    static let monitor = "matview_monitor_it"
    /// A second role, named as hostilely as PostgreSQL allows, to show the name is quoted everywhere.
    static let otherMonitor = "matview monitor \"B\" 'x' $$; --"

    var server: PostgresServer!
    var fixture: DeploymentFixture!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 50)
        try dropRoles()
        try server.execute("CREATE ROLE \(Self.monitor) LOGIN PASSWORD 'monitor'")
        try server.execute("CREATE ROLE \(Self.quoted(Self.otherMonitor)) LOGIN")
        fixture = try DeploymentFixture(server: server)
    }

    override func tearDownWithError() throws {
        if let fixture {
            try? fixture.rollback()
            fixture.remove()
        }
        if server != nil { try dropRoles() }
    }

    /// Drops both roles, with any right an interrupted test left them.
    private func dropRoles() throws {
        try server.execute("""
            DO $drop$
            DECLARE r record;
            BEGIN
                FOR r IN SELECT rolname FROM pg_roles WHERE rolname IN (\(literal(Self.monitor)), \(literal(Self.otherMonitor))) LOOP
                    EXECUTE format('DROP OWNED BY %I; DROP ROLE %I', r.rolname, r.rolname);
                END LOOP;
            END $drop$
            """)
    }

    static func quoted(_ role: String) -> String { "\"" + role.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Writes matview.yaml naming `role` (or no role), and generates the project.
    func generate(monitoringRole role: String?) throws {
        let config = role.map { "postgres:\n  monitoring_role: '\($0.replacingOccurrences(of: "'", with: "''"))'\n" } ?? "specs: specs\n"
        try config.write(to: fixture.root.appendingPathComponent("matview.yaml"), atomically: true, encoding: .utf8)
        try fixture.generate()
    }

    /// The test server's URL with the monitoring role logging in instead (with its password,
    /// though the test cluster trusts local connections).
    func monitorURL() throws -> String {
        var components = try XCTUnwrap(URLComponents(string: server.url))
        components.user = Self.monitor
        components.password = "monitor"
        return try XCTUnwrap(components.string)
    }

    /// Every right `role` holds, from the ACLs, as `object privilege`: on the support schema, on
    /// any relation, column or function of the database, and on any schema.
    func rights(of role: String) throws -> [String] {
        try server.rows("""
            WITH r AS (SELECT oid FROM pg_roles WHERE rolname = \(literal(role)))
            SELECT 'schema ' || n.nspname || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
            FROM pg_namespace n, aclexplode(n.nspacl) a, r WHERE a.grantee = r.oid
            UNION ALL
            SELECT k.oid::regclass::text || ' ' || a.privilege_type || CASE WHEN a.is_grantable THEN ' with grant option' ELSE '' END
            FROM pg_class k, aclexplode(k.relacl) a, r WHERE a.grantee = r.oid
            UNION ALL
            SELECT k.oid::regclass::text || '.' || t.attname || ' ' || a.privilege_type
            FROM pg_class k JOIN pg_attribute t ON t.attrelid = k.oid, aclexplode(t.attacl) a, r WHERE a.grantee = r.oid
            UNION ALL
            SELECT p.oid::regprocedure::text || ' ' || a.privilege_type
            FROM pg_proc p, aclexplode(p.proacl) a, r WHERE a.grantee = r.oid
            ORDER BY 1
            """)
    }

    /// Exactly USAGE on the schema and SELECT on each of its tables and views.
    func expectedRights() throws -> [String] {
        let relations = try server.rows("""
            SELECT k.oid::regclass::text || ' SELECT' FROM pg_class k
            WHERE k.relnamespace = 'matview'::regnamespace AND k.relkind IN ('r', 'v', 'm', 'p') ORDER BY 1
            """)
        return (["schema matview USAGE"] + relations).sorted()
    }

    func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    /// Runs `sql` as `session` and expects PostgreSQL to refuse it for want of a privilege.
    func assertDenied(_ sql: String, as session: PostgresServer, file: StaticString = #filePath, line: UInt = #line) {
        do {
            try session.run(["-v", "VERBOSITY=verbose", "-c", sql])
            XCTFail("\(sql): allowed", file: file, line: line)
        } catch {
            XCTAssertTrue("\(error)".contains("ERROR:  42501:"), "\(sql): \(error)", file: file, line: line)
        }
    }

    func testTheMonitoringRoleReadsTheSupportSchemaAndNothingElse() throws {
        try generate(monitoringRole: Self.monitor)
        try fixture.apply()
        XCTAssertEqual(try rights(of: Self.monitor), try expectedRights())
        XCTAssertTrue(try expectedRights().contains("matview.freshness SELECT"))
        XCTAssertTrue(try expectedRights().contains("matview.refresh_log SELECT"))

        let monitor = PostgresServer(url: try monitorURL())
        XCTAssertEqual(try monitor.value("SELECT current_user"), Self.monitor, "a real login as the role")
        // What the owner sees, the monitor sees: freshness (whose uncaptured_tables reads the
        // capture targets), the refresh log, the registry, the pending changes.
        try server.execute("INSERT INTO users (id, name) VALUES (100001, 'new user')")
        for query in [
            "SELECT view_name, last_status, last_row_count, stale, pending_changes, uncaptured_tables FROM matview.freshness ORDER BY 1",
            "SELECT view_name, status, row_count, trigger_source FROM matview.refresh_log ORDER BY id",
            "SELECT view_name, spec_hash, on_change FROM matview.views ORDER BY 1",
            "SELECT view_name, source_table FROM matview.pending_changes ORDER BY 1, 2",
            "SELECT view_name, rel FROM matview.capture_targets ORDER BY 1, 2",
        ] {
            let seen = try monitor.rows(query)
            XCTAssertFalse(seen.isEmpty, query)
            XCTAssertEqual(seen, try server.rows(query), query)
        }
        XCTAssertEqual(try monitor.value("SELECT last_row_count FROM matview.freshness WHERE view_name = 'dashboard_summary_mv'"), "50")
        XCTAssertEqual(try monitor.value("SELECT count(*) FROM matview.refresh_log WHERE trigger_source = 'apply'"), "3")

        for statement in [
            "SELECT matview.refresh('dashboard_summary_mv')",
            "SELECT matview.refresh_all()",
            "SELECT matview.drain_queue()",
            "CALL matview.run_drainer()",
            "INSERT INTO matview.refresh_log (view_name, started_at, finished_at, duration_ms, status, trigger_source) VALUES ('x', now(), now(), 0, 'succeeded', 'x')",
            "DELETE FROM matview.pending_changes",
            "UPDATE matview.views SET max_staleness = NULL",
            "TRUNCATE matview.refresh_log",
            "CREATE TABLE matview.intruder (id int)",
            "SELECT * FROM dashboard_summary_mv",
            "SELECT * FROM users",
            "INSERT INTO users (id, name) VALUES (100002, 'by the monitor')",
        ] {
            assertDenied(statement, as: monitor)
        }
    }

    func testStatusWorksForTheMonitoringRoleWithoutPgCronRights() throws {
        try generate(monitoringRole: Self.monitor)
        try fixture.apply()
        try server.execute("UPDATE cron.job SET active = false")
        let owner = try MatviewCLI.run(["status", "--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(owner.status, 0, owner.stdout + owner.stderr)
        XCTAssertTrue(owner.stdout.contains("matview:dashboard_summary_mv (paused)"), owner.stdout)

        // The role may not even look up cron.job (no USAGE on schema cron): status leaves the
        // job column empty rather than failing.
        let monitor = PostgresServer(url: try monitorURL())
        XCTAssertThrowsError(try monitor.execute("SELECT to_regclass('cron.job')"))
        let status = try MatviewCLI.run(["status", "--database-url", try monitorURL(), "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        XCTAssertEqual(status.stderr, "")
        for view in ["dashboard_summary_mv", "system_analytics_mv", "user_stats_mv"] {
            XCTAssertTrue(status.stdout.contains(view), status.stdout)
        }
        XCTAssertFalse(status.stdout.contains("matview:dashboard_summary_mv"), status.stdout)

        let json = try MatviewCLI.run(["status", "--format", "json", "--database-url", try monitorURL(), "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(json.status, 0, json.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let views = try XCTUnwrap(report["views"] as? [[String: Any]])
        XCTAssertEqual(views.first { $0["view"] as? String == "dashboard_summary_mv" }?["rows"] as? Int, 50)
    }

    func testReapplyingWithAnotherRoleOrNoneRevokesWhatTheFirstWasGranted() throws {
        try generate(monitoringRole: Self.monitor)
        try fixture.apply()
        // Rights granted by hand, beyond the config: they go too.
        try server.execute("""
            GRANT INSERT ON matview.refresh_log TO \(Self.monitor);
            GRANT SELECT ON matview.views TO \(Self.monitor) WITH GRANT OPTION;
            GRANT UPDATE (max_staleness) ON matview.views TO \(Self.quoted(Self.otherMonitor));
            GRANT CREATE ON SCHEMA matview TO \(Self.monitor);
            GRANT USAGE ON SEQUENCE matview.refresh_log_id_seq TO \(Self.monitor);
            """)
        let reconciled = try fixture.apply()
        XCTAssertEqual(try rights(of: Self.monitor), try expectedRights(), "exactly the configured rights again")
        XCTAssertTrue(reconciled.stderr.contains(
            "NOTICE:  matview: REVOKE INSERT ON TABLE matview.refresh_log FROM \(Self.monitor) CASCADE, since postgres.monitoring_role does not grant it"),
            reconciled.stderr)
        XCTAssertEqual(try rights(of: Self.otherMonitor), [])

        // Unchanged: an apply changes no ACL.
        let acls = "SELECT string_agg(relname || coalesce(relacl::text, ''), ' ' ORDER BY relname) FROM pg_class WHERE relnamespace = 'matview'::regnamespace"
        let before = try server.value(acls)
        let again = try fixture.apply()
        XCTAssertEqual(try server.value(acls), before)
        XCTAssertFalse(again.stderr.contains("WARNING"), again.stderr)

        // Another role: its grants change, no view is rebuilt (the role is no part of a view's hash).
        let relfilenodes = "SELECT string_agg(relname || '=' || relfilenode, ' ' ORDER BY relname) FROM pg_class WHERE relkind = 'm'"
        let views = try server.value(relfilenodes)
        try generate(monitoringRole: Self.otherMonitor)
        let switched = try fixture.apply()
        XCTAssertEqual(try server.value(relfilenodes), views)
        XCTAssertTrue(switched.stderr.contains("NOTICE:  matview: dashboard_summary_mv is unchanged"), switched.stderr)
        XCTAssertEqual(try rights(of: Self.monitor), [], "the role no longer named has nothing left")
        XCTAssertEqual(try rights(of: Self.otherMonitor), try expectedRights())
        XCTAssertThrowsError(try PostgresServer(url: try monitorURL()).execute("SELECT 1 FROM matview.freshness"))

        try generate(monitoringRole: nil)
        try fixture.apply()
        XCTAssertEqual(try rights(of: Self.otherMonitor), [])
        XCTAssertEqual(try server.value("""
            SELECT count(*) FROM pg_class k, aclexplode(k.relacl) a
            WHERE k.relnamespace = 'matview'::regnamespace AND a.grantee <> k.relowner
            """), "0", "no role but the owner holds anything in the support schema")
    }

    func testRollbackLeavesNoGrantBehind() throws {
        try generate(monitoringRole: Self.monitor)
        try fixture.apply()
        XCTAssertNotEqual(try rights(of: Self.monitor), [])
        try fixture.rollback()
        XCTAssertEqual(try rights(of: Self.monitor), [])
        XCTAssertEqual(try server.value("""
            SELECT count(*) FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid WHERE r.rolname = \(literal(Self.monitor))
            """), "0")
        // The role has nothing that stops it from being dropped.
        try server.execute("DROP ROLE \(Self.monitor)")
    }

    func testApplyFailsBeforeChangingAnythingWhenTheRoleDoesNotExist() throws {
        try generate(monitoringRole: "matview_monitor_missing")
        XCTAssertThrowsError(try fixture.apply()) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("matview: the monitoring role matview_monitor_missing (postgres.monitoring_role in matview.yaml) does not exist"), message)
            XCTAssertTrue(message.contains("CREATE ROLE matview_monitor_missing LOGIN"), message)
        }
        XCTAssertEqual(try server.value("SELECT to_regnamespace('matview') IS NULL AND to_regclass('dashboard_summary_mv') IS NULL"), "t")
    }

    func testTheApplyingRoleCannotBeTheMonitoringRole() throws {
        try generate(monitoringRole: "postgres")
        XCTAssertThrowsError(try fixture.apply()) { error in
            XCTAssertTrue("\(error)".contains("owns the support schema"), "\(error)")
        }
    }
}
