import Foundation
import MatviewTestSupport
import XCTest

/// The live commands, run as the `matview` binary against the test server: apply (with its plan
/// and --dry-run), rollback, verify, bench, status and introspect, and how connection failures
/// are reported.
final class LiveCommandsTests: XCTestCase {
    var server: PostgresServer!
    var fixture: DeploymentFixture!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 200)
        fixture = try DeploymentFixture(server: server)
        try fixture.generate()
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    /// `matview <arguments> --database-url <test server> --root <project>`.
    @discardableResult
    func matview(_ arguments: [String], url: String? = nil) throws -> (status: Int32, stdout: String, stderr: String) {
        try MatviewCLI.run(arguments + ["--database-url", url ?? server.url, "--root", fixture.root.path], in: fixture.root)
    }

    func relfilenodes() throws -> [String] {
        try server.rows("SELECT relname || '=' || relfilenode FROM pg_class WHERE relkind = 'm' ORDER BY relname")
    }

    func testApplyReportsEachViewAndIsANoOpTheSecondTime() throws {
        let first = try matview(["apply"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(first.stdout, "dashboard_summary_mv: created\nsystem_analytics_mv: created\nuser_stats_mv: created\n")
        try server.execute("UPDATE cron.job SET active = false")
        let views = try relfilenodes()

        let second = try matview(["apply"])
        XCTAssertEqual(second.stdout, "dashboard_summary_mv: unchanged\nsystem_analytics_mv: unchanged\nuser_stats_mv: unchanged\n")
        XCTAssertEqual(try relfilenodes(), views)

        var spec = try fixture.readSpec("user_stats.yaml")
        spec = spec.replacingOccurrences(of: "slow_query_ms: 30", with: "slow_query_ms: 30\ngrants: [pg_monitor]")
        try fixture.writeSpec("user_stats.yaml", spec)
        let dry = try matview(["apply", "--dry-run"])
        XCTAssertEqual(dry.stdout, "dashboard_summary_mv: would be unchanged\nsystem_analytics_mv: would be unchanged\nuser_stats_mv: would be rebuilt\n")
        XCTAssertEqual(try relfilenodes(), views, "--dry-run changes nothing")

        let third = try matview(["apply"])
        XCTAssertTrue(third.stdout.contains("user_stats_mv: rebuilt"), third.stdout)
        XCTAssertNotEqual(try relfilenodes(), views)
        XCTAssertEqual(try server.value("SELECT has_table_privilege('pg_monitor', 'user_stats_mv', 'SELECT')"), "t")
    }

    func testRollbackRemovesEverythingAndASecondRollbackIsHarmless() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        XCTAssertEqual(try matview(["rollback"]).status, 0)
        XCTAssertEqual(try server.value("SELECT to_regnamespace('matview') IS NULL AND to_regclass('dashboard_summary_mv') IS NULL"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM cron.job"), "0")
        let again = try matview(["rollback"])
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testVerifyReportsEqualViewsAndDifferencesWithSamples() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        try server.execute("UPDATE cron.job SET active = false")
        let clean = try matview(["verify"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        XCTAssertEqual(clean.stdout, "dashboard_summary_mv: equal\nsystem_analytics_mv: equal\nuser_stats_mv: equal\n")

        // Writes the views have not seen yet: they differ until refreshed.
        try server.execute("INSERT INTO users (id, name) VALUES (100001, 'new user'); DELETE FROM matview.pending_changes")
        let stale = try matview(["verify", "--view", "dashboard_summary_mv"])
        XCTAssertEqual(stale.status, 1)
        XCTAssertTrue(stale.stdout.hasPrefix("dashboard_summary_mv: 1 missing, 0 extra\n  missing: {\"user_id\":100001,\"name\":\"new user\""), stale.stdout)

        let json = try matview(["verify", "--format", "json"])
        XCTAssertEqual(json.status, 1)
        let results = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(results.map { $0["view"] as? String }, ["dashboard_summary_mv", "system_analytics_mv", "user_stats_mv"])
        // Today's row of system_analytics counts the new sign-up too.
        XCTAssertEqual(results.map { $0["missing"] as? Int }, [1, 1, 1])

        try server.execute("SELECT matview.refresh_all('test')")
        XCTAssertEqual(try matview(["verify"]).status, 0)
        XCTAssertEqual(try matview(["verify", "--view", "nope"]).stderr, "matview: no deployed view named nope\n")
    }

    func testBenchMeasuresViewsQueriesLookupsAndRefreshes() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        try server.execute("UPDATE cron.job SET active = false")
        let result = try matview(["bench", "--runs", "2", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let views = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(views.count, 3)
        let dashboard = try XCTUnwrap(views.first { $0["view"] as? String == "dashboard_summary_mv" })
        XCTAssertEqual(dashboard["rows"] as? Int, 200)
        let measures = try XCTUnwrap(dashboard["measurements"] as? [[String: Any]])
        XCTAssertEqual(measures.map { $0["name"] as? String }, ["read all rows", "lookup by (user_id)", "full refresh", "concurrent refresh"])
        for measure in measures { XCTAssertGreaterThan(((measure["client"] as? [String: Any])?["view"] as? [String: Any])?["medianMs"] as? Double ?? 0, 0) }
        XCTAssertNotNil(measures[0]["speedup"] as? Double)
        let text = try matview(["bench", "--view", "system_analytics_mv", "--runs", "1"])
        XCTAssertTrue(text.stdout.contains("system_analytics_mv  lookup by (date)"), text.stdout)
        XCTAssertTrue(text.stdout.hasPrefix("view                 measure"), text.stdout)
    }

    func testStatusIsAHealthCheck() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        try server.execute("UPDATE cron.job SET active = false")
        // Apply logs its builds as refreshes, so a fresh deploy is healthy; without them, a view
        // is not known to be fresh.
        XCTAssertEqual(try matview(["status"]).status, 0)
        try server.execute("DELETE FROM matview.refresh_log")
        let never = try matview(["status"])
        XCTAssertEqual(never.status, 1, "never refreshed: not known to be fresh")
        XCTAssertTrue(never.stdout.contains("never refreshed"), never.stdout)

        try server.execute("SELECT matview.refresh_all('test')")
        let healthy = try matview(["status"])
        XCTAssertEqual(healthy.status, 0, healthy.stdout)
        XCTAssertTrue(healthy.stdout.contains("dashboard_summary_mv"), healthy.stdout)
        XCTAssertTrue(healthy.stdout.contains("matview:dashboard_summary_mv (paused)"), healthy.stdout)
        XCTAssertFalse(healthy.stdout.contains("\u{1B}["), "no colour when not on a terminal")

        try server.execute("UPDATE matview.views SET max_staleness = interval '1 millisecond' WHERE view_name = 'user_stats_mv'")
        let json = try matview(["status", "--format", "json"])
        XCTAssertEqual(json.status, 1)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let views = try XCTUnwrap(report["views"] as? [[String: Any]])
        XCTAssertEqual(views.first { $0["view"] as? String == "user_stats_mv" }?["stale"] as? Bool, true)
        XCTAssertEqual(views.first { $0["view"] as? String == "dashboard_summary_mv" }?["stale"] as? Bool, false)
        XCTAssertEqual(views.first { $0["view"] as? String == "dashboard_summary_mv" }?["rows"] as? Int, 200)
    }

    func testIntrospectWritesDDLThatCheckAcceptsUnchanged() throws {
        let result = try matview(["introspect"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("CREATE TABLE public.users (\n    id bigint NOT NULL,"), result.stdout)
        XCTAssertTrue(result.stdout.contains("ALTER TABLE ONLY public.projects ADD CONSTRAINT projects_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id);"), result.stdout)
        XCTAssertTrue(result.stdout.contains("CREATE INDEX projects_user_id_idx ON public.projects USING btree (user_id);"), result.stdout)
        // The seed specs check clean against the introspected catalog instead of specs/schema.sql.
        try result.stdout.write(to: fixture.root.appendingPathComponent("specs/schema.sql"), atomically: true, encoding: .utf8)
        let check = try MatviewCLI.run(["check", "--strict", "--root", fixture.root.path], in: fixture.root)
        XCTAssertEqual(check.status, 0, check.stderr)
    }

    func testConnectionFailuresAreOneClearLine() throws {
        let bad = try matview(["status"], url: "mysql://localhost/x")
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stderr, "matview: invalid database URL: unsupported URL scheme 'mysql': use postgres://user:password@host:port/database\n")

        let garbage = try matview(["status"], url: "not a url at all")
        XCTAssertEqual(garbage.status, 1)
        XCTAssertTrue(garbage.stderr.hasPrefix("matview: invalid database URL:"), garbage.stderr)

        let down = try matview(["status"], url: "postgres://postgres@127.0.0.1:1/matview_test?sslmode=disable")
        XCTAssertEqual(down.status, 1)
        XCTAssertEqual(down.stderr, "matview: cannot connect to 127.0.0.1:1: connection refused (is the server running?)\n")

        let base = server.url.components(separatedBy: "/").dropLast().joined(separator: "/")
        let missing = try matview(["status"], url: base + "/no_such_database?sslmode=disable")
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.hasPrefix("matview: database \"no_such_database\" does not exist"), missing.stderr)

        try server.execute("DROP ROLE IF EXISTS matview_password_user; CREATE ROLE matview_password_user LOGIN PASSWORD 'right'")
        let host = base.replacingOccurrences(of: "postgres://postgres@", with: "")
        let denied = try matview(["status"], url: "postgres://matview_password_user:wrong@\(host)/matview_test?sslmode=disable")
        XCTAssertEqual(denied.status, 1)
        XCTAssertTrue(denied.stderr.hasPrefix("matview: authentication failed for user \"matview_password_user\""), denied.stderr)
        XCTAssertEqual(denied.stderr.filter { $0 == "\n" }.count, 1, "one line")

        let none = try MatviewCLI.run(["status", "--root", fixture.root.path], in: fixture.root, environment: ["PATH": "/usr/bin:/bin"])
        XCTAssertEqual(none.status, 2)
        XCTAssertEqual(none.stderr, "matview: no database: pass --database-url or set DATABASE_URL\n")
    }
}
