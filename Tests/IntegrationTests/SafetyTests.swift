import Foundation
import MatviewTestSupport
import XCTest

/// Names and strings from specs reach PostgreSQL intact and harmless, and the support objects
/// are closed to roles that were not given them.
final class SafetyTests: XCTestCase {
    func testQuotedNamesAndHostileStringsApplyAsWritten() throws {
        let server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 20)
        try server.execute("DO $$ BEGIN CREATE ROLE \"Report Readers\"; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        let caseRoot = DeploymentFixture.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Cases/generate-quoting/expected-sql")
        try server.apply(file: caseRoot.appendingPathComponent("up.sql"))
        let view = "public.\"Project Report; DROP TABLE users\""
        XCTAssertEqual(try server.value("SELECT obj_description('\(view.replacingOccurrences(of: "'", with: "''"))'::regclass)"),
                       "It's \"quoted\"; $$ dollar $$ and $matview$ too -- not a comment")
        XCTAssertEqual(try server.value("SELECT col_description('\(view)'::regclass, 1)"), "O'Brien's column; $$")
        XCTAssertEqual(try server.value("SELECT \"select\" FROM \(view) ORDER BY \"Project ID\" LIMIT 1"), "a'bmember")
        XCTAssertEqual(try server.value("SELECT has_table_privilege('Report Readers', '\(view)', 'SELECT')"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM users"), "20", "the users table is still there")
        try server.apply(file: caseRoot.appendingPathComponent("down.sql"))
        try server.execute("DROP ROLE \"Report Readers\"")
    }

    func testSupportObjectsAreClosedToPublicAndFunctionsPinTheirSearchPath() throws {
        let server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 20)
        let fixture = try DeploymentFixture(server: server)
        defer { fixture.remove() }
        try fixture.generate()
        try fixture.apply()
        try server.execute("DO $$ BEGIN CREATE ROLE matview_outsider; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        defer { _ = try? server.execute("DROP ROLE IF EXISTS matview_outsider") }
        try server.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO matview_outsider")
        for object in ["matview.views", "matview.refresh_log", "matview.pending_changes", "matview.freshness"] {
            for privilege in ["SELECT", "INSERT", "UPDATE", "DELETE"] {
                XCTAssertEqual(try server.value("SELECT has_table_privilege('matview_outsider', '\(object)', '\(privilege)')"), "f", "\(privilege) on \(object)")
            }
        }
        XCTAssertEqual(try server.value("SELECT has_schema_privilege('matview_outsider', 'matview', 'USAGE')"), "f")
        XCTAssertEqual(try server.value("SELECT bool_or(has_function_privilege('matview_outsider', p.oid, 'EXECUTE')) FROM pg_proc p WHERE p.pronamespace = 'matview'::regnamespace"), "f")
        // A procedure that commits cannot have a SET clause, so run_drainer names everything
        // with its schema instead; so does lock_group_keys, on the write path of incremental
        // views, where a SET clause applied at every call cost more than the locks (it is called
        // only from trigger functions and refresh(), which pin search_path). Every other
        // function pins its search_path.
        XCTAssertEqual(try server.rows("SELECT proname FROM pg_proc WHERE pronamespace = 'matview'::regnamespace AND NOT coalesce(proconfig::text LIKE '%search_path=pg_catalog, pg_temp%', false) ORDER BY 1"),
                       ["lock_group_keys", "run_drainer"], "every function pins its search_path")
        XCTAssertEqual(try server.value("SELECT prokind FROM pg_proc WHERE oid = 'matview.run_drainer'::regproc"), "p")
        // A role that may write a source table still queues the views through the trigger.
        try server.execute("UPDATE cron.job SET active = false")
        try server.execute("DELETE FROM matview.pending_changes")
        try server.execute("SET ROLE matview_outsider; INSERT INTO users (id, name) VALUES (100000, 'outsider'); RESET ROLE;")
        XCTAssertEqual(try server.rows("SELECT view_name FROM matview.pending_changes ORDER BY 1"), ["dashboard_summary_mv", "user_stats_mv"])
        try fixture.rollback()
    }
}
