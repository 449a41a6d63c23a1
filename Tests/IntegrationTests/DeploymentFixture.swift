import Foundation
import MatviewDriver
import MatviewSema
import MatviewTestSupport
import XCTest

/// A project on disk for a test: the seed's three views as full materialized views (the
/// repository's specs before they became incremental: `Fixtures/full-views`, which the tests of
/// refreshes, capture and the drainer are about), or another folder of specs, plus any extra
/// specs, generated into its own generated/sql, and a database reset to the seed's tables with
/// deterministic data.
struct DeploymentFixture {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fullViews = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/full-views")
    /// The repository's own specs/.
    static let projectSpecs = repositoryRoot.appendingPathComponent("specs")

    let root: URL
    let server: PostgresServer

    init(server: PostgresServer, extraSpecs: [String: String] = [:], specs source: URL = fullViews) throws {
        self.server = server
        root = FileManager.default.temporaryDirectory.appendingPathComponent("matview-it-\(UUID().uuidString)")
        let specs = root.appendingPathComponent("specs")
        try FileManager.default.createDirectory(at: specs, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".yaml") {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: specs.appendingPathComponent(name))
        }
        try FileManager.default.copyItem(at: Self.repositoryRoot.appendingPathComponent("specs/schema.sql"), to: specs.appendingPathComponent("schema.sql"))
        for (name, text) in extraSpecs {
            try text.write(to: specs.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    func writeSpec(_ name: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent("specs/\(name)"), atomically: true, encoding: .utf8)
    }

    func readSpec(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent("specs/\(name)"), encoding: .utf8)
    }

    /// Runs the compiler and the SQL back end as `matview generate` does; fails on diagnostics.
    @discardableResult
    func generate(file: StaticString = #filePath, line: UInt = #line) throws -> CheckedProject {
        let project = Project.load(root: root)
        let compiled = Compiler().compile(project)
        XCTAssertFalse(compiled.hasErrors, DiagnosticRenderer.text(compiled.diagnostics), file: file, line: line)
        try Generation(project: project, compiled: compiled).write()
        return compiled.project
    }

    var upSQL: URL { root.appendingPathComponent("generated/sql/up.sql") }
    var downSQL: URL { root.appendingPathComponent("generated/sql/down.sql") }

    @discardableResult
    func apply() throws -> PostgresServer.Result { try server.apply(file: upSQL) }

    @discardableResult
    func rollback() throws -> PostgresServer.Result { try server.apply(file: downSQL) }

    /// The full views plus one more spec over tables of its own, deployed: the database reset for
    /// `users` users, `tables` (their CREATE TABLE statements, after dropping `dropping`) created,
    /// filled by `rows` and added to the project's schema.sql, pg_cron's jobs off. The caller
    /// removes the fixture and drops the tables.
    static func deployed(extraSpec name: String, _ spec: String, tables: String, dropping: [String], rows: String,
                         server: PostgresServer, users: Int = 20) throws -> DeploymentFixture {
        try resetDatabase(server, users: users)
        try server.execute("DROP TABLE IF EXISTS \(dropping.joined(separator: ", ")) CASCADE;\n" + tables + "\n" + rows)
        let fixture = try DeploymentFixture(server: server, extraSpecs: [name: spec])
        do {
            try fixture.writeSpec("schema.sql", try fixture.readSpec("schema.sql") + "\n" + tables + "\n")
            try fixture.generate()
            try fixture.apply()
            try server.switchCronJobsOff()
        } catch {
            fixture.remove()
            throw error
        }
        return fixture
    }

    /// Removes whatever an earlier test left (its own rollback, then the tables), creates the
    /// seed's tables and fills them for `users` users. pg_cron is installed first when asked (it
    /// can only be, in the database the server's cron.database_name names).
    static func resetDatabase(_ server: PostgresServer, users: Int = 300, pgCron: Bool = true) throws {
        if pgCron { try server.execute("CREATE EXTENSION IF NOT EXISTS pg_cron") }
        try server.execute("""
        DO $$
        DECLARE r record;
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
                DELETE FROM cron.job_run_details WHERE jobid IN (SELECT jobid FROM cron.job);
                PERFORM cron.unschedule(jobid) FROM cron.job;
            END IF;
            FOR r IN SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('m', 'r', 'p') AND n.nspname = 'public' AND NOT c.relispartition LOOP
                EXECUTE format('DROP %s IF EXISTS %I.%I CASCADE', CASE r.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.nspname, r.relname);
            END LOOP;
        END $$;
        DROP SCHEMA IF EXISTS matview CASCADE;
        DROP TABLE IF EXISTS user_sessions, transactions, tasks, projects, users CASCADE;
        """)
        try server.apply(file: repositoryRoot.appendingPathComponent("specs/schema.sql"))
        try server.run(["-v", "users=\(users)", "-f", repositoryRoot.appendingPathComponent("scripts/seed-data.sql").path])
    }
}
