import Foundation
import MatviewTestSupport
import XCTest

/// apply and verify compare the tables and columns the views read with the live database: a
/// missing table or column, a different type, a NOT NULL column that became nullable. apply
/// refuses (changing nothing) unless --allow-drift; verify reports them and exits 1.
final class CatalogDriftTests: XCTestCase {
    var server: PostgresServer!
    var fixture: DeploymentFixture!

    static let nullableName = "public.users.name: NOT NULL in specs/schema.sql, nullable in the database"
    static let allKinds = [
        "public.tasks.completed_at: in specs/schema.sql, missing from the database",
        "public.transactions.category: text in specs/schema.sql, integer in the database",
        "public.user_sessions: in specs/schema.sql, missing from the database",
        nullableName,
    ]

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 50)
        fixture = try DeploymentFixture(server: server)
        try fixture.generate()
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    @discardableResult
    func matview(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try MatviewCLI.run(arguments + ["--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
    }

    /// One drift of each kind, in tables several views read.
    func driftEveryWay() throws {
        try server.execute("""
            ALTER TABLE tasks DROP COLUMN completed_at;
            ALTER TABLE transactions ALTER COLUMN category TYPE integer USING length(category);
            DROP TABLE user_sessions;
            ALTER TABLE users ALTER COLUMN name DROP NOT NULL;
            """)
    }

    func testApplyRefusesEveryKindOfDriftAndChangesNothing() throws {
        try driftEveryWay()
        for arguments in [["apply"], ["apply", "--dry-run"]] {
            let refused = try matview(arguments)
            XCTAssertEqual(refused.status, 1, arguments.joined(separator: " "))
            XCTAssertEqual(refused.stdout, "")
            XCTAssertEqual(refused.stderr, Self.allKinds.map { $0 + "\n" }.joined()
                + "matview: the database's tables differ from the schema files; nothing was applied (fix one or the other, or pass --allow-drift)\n")
        }
        XCTAssertEqual(try server.value("SELECT to_regnamespace('matview') IS NULL"), "t", "no support schema")
        XCTAssertEqual(try server.value("SELECT count(*) FROM pg_matviews"), "0", "no view")
    }

    func testApplyRefusesDriftAgainstADeployedProjectAndLeavesItAsItWas() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        try server.execute("UPDATE cron.job SET active = false")
        let deployed = try server.rows("SELECT view_name || ' ' || spec_hash || ' ' || deployed_at FROM matview.views ORDER BY 1")
        var spec = try fixture.readSpec("user_stats.yaml")
        spec = spec.replacingOccurrences(of: "slow_query_ms: 30", with: "slow_query_ms: 30\ngrants: [pg_monitor]")
        try fixture.writeSpec("user_stats.yaml", spec)
        try server.execute("ALTER TABLE users ALTER COLUMN name DROP NOT NULL")
        let refused = try matview(["apply"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.hasPrefix(Self.nullableName + "\n"), refused.stderr)
        XCTAssertEqual(try server.rows("SELECT view_name || ' ' || spec_hash || ' ' || deployed_at FROM matview.views ORDER BY 1"), deployed)
        XCTAssertEqual(try server.value("SELECT has_table_privilege('pg_monitor', 'user_stats_mv', 'SELECT')"), "f", "user_stats_mv was not rebuilt")
    }

    func testAllowDriftAppliesAndWarns() throws {
        try server.execute("ALTER TABLE users ALTER COLUMN name DROP NOT NULL; UPDATE users SET name = NULL WHERE id = 1")
        let applied = try matview(["apply", "--allow-drift"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertTrue(applied.stderr.hasPrefix("warning: \(Self.nullableName)\n"), applied.stderr)
        XCTAssertEqual(applied.stdout, "dashboard_summary_mv: created\nsystem_analytics_mv: created\nuser_stats_mv: created\n")
        XCTAssertEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv WHERE name IS NULL"), "1")
    }

    func testVerifyReportsDriftEvenWhenEveryViewEqualsItsQuery() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        try server.execute("UPDATE cron.job SET active = false")
        // The incident: the column became nullable, a NULL arrived, and a refresh took it in.
        try server.execute("ALTER TABLE users ALTER COLUMN name DROP NOT NULL; UPDATE users SET name = NULL WHERE id = 1")
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('test')"), "0")
        let verify = try matview(["verify"])
        XCTAssertEqual(verify.status, 1, verify.stdout + verify.stderr)
        XCTAssertEqual(verify.stdout, Self.nullableName + "\ndashboard_summary_mv: equal\nsystem_analytics_mv: equal\nuser_stats_mv: equal\n")

        let json = try matview(["verify", "--format", "json"])
        XCTAssertEqual(json.status, 1)
        XCTAssertEqual(json.stderr, Self.nullableName + "\n")
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]], "stdout stays the results array")
    }

    func testVerifyReportsEveryKindOfDrift() throws {
        XCTAssertEqual(try matview(["apply"]).status, 0)
        try server.execute("UPDATE cron.job SET active = false")
        // The views over the changed tables must go first (PostgreSQL refuses otherwise).
        try server.execute("DROP MATERIALIZED VIEW dashboard_summary_mv, system_analytics_mv, user_stats_mv")
        try driftEveryWay()
        let verify = try matview(["verify"])
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stdout.hasPrefix(Self.allKinds.map { $0 + "\n" }.joined()), verify.stdout)
    }

    func testDifferencesThatCannotBreakAViewAreNotDrift() throws {
        try server.execute("""
            ALTER TABLE users ALTER COLUMN role TYPE varchar(40);
            ALTER TABLE projects ALTER COLUMN name DROP NOT NULL;
            UPDATE tasks SET completed_at = created_at WHERE completed_at IS NULL;
            ALTER TABLE tasks ALTER COLUMN completed_at SET NOT NULL;
            """)
        // varchar is text to the checker; projects.name is read by no view; a nullable column
        // that became NOT NULL only narrows what the view can hold.
        let applied = try matview(["apply"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertFalse(applied.stderr.contains("warning"), applied.stderr)
        XCTAssertEqual(try matview(["verify"]).status, 0)
    }

    func testADomainIsComparedAsItsBaseTypeAndItsNotNull() throws {
        // The schema files say users.name is text NOT NULL through a domain; the database has its
        // own domain over varchar, NOT NULL on the domain rather than on the column.
        let schema = fixture.root.appendingPathComponent("specs/schema.sql")
        var ddl = try String(contentsOf: schema, encoding: .utf8)
        ddl = "CREATE DOMAIN person_name AS text NOT NULL;\n" + ddl.replacingOccurrences(of: "    name        text NOT NULL,\n    role", with: "    name        person_name,\n    role")
        try ddl.write(to: schema, atomically: true, encoding: .utf8)
        try server.execute("""
            DROP DOMAIN IF EXISTS live_name;
            CREATE DOMAIN live_name AS varchar(80) NOT NULL;
            ALTER TABLE users ALTER COLUMN name TYPE live_name, ALTER COLUMN name DROP NOT NULL;
            """)
        let applied = try matview(["apply"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        XCTAssertFalse(applied.stderr.contains("warning"), applied.stderr)

        try server.execute("ALTER DOMAIN live_name DROP NOT NULL")
        let verify = try matview(["verify"])
        XCTAssertEqual(verify.status, 1)
        XCTAssertTrue(verify.stdout.hasPrefix(Self.nullableName + "\n"), verify.stdout)
        try server.execute("DROP MATERIALIZED VIEW dashboard_summary_mv; DROP TABLE users CASCADE; DROP DOMAIN live_name")
    }
}
