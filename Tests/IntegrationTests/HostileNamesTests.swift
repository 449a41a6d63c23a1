import Foundation
import MatviewRuntime
import MatviewTestSupport
import XCTest

/// Applies the end-to-end case `generate-hostile-names` (its golden `expected-sql/up.sql`) with
/// psql: names full of quotes, `$$`, `$matview$`, `;`, `--`, `/*`, `*/`, backslashes, accents and
/// CJK must arrive in the catalog exactly as written, and nothing but the deployment may run
/// (the `users` table keeps its rows); then `down.sql` must leave the catalog as it found it.
final class HostileNamesTests: XCTestCase {
    static let caseFolder = DeploymentFixture.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Cases/generate-hostile-names")

    // The names in Cases/generate-hostile-names/specs/hostile.yaml, as PostgreSQL must store them.
    static let schema = "Schéma ';-- */ $$"
    static let view = "Rapport 'été' \"日本\" $$; -- /* */ \\ $matview$"
    static let columns = ["O'Brien \"id\" $$", "; DROP TABLE users; --", "/* é */ 日本\\x", "self", "*/"]
    static let index = "idx 'é' \"q\" $matview$ -- */"
    static let role = "Lecteur 'x' \"y\" $$ -- /*"
    static let description = """
    It's a "hostile" view; $$ dollar $$, $matview$ and -- dashes.
    */ DROP TABLE users; /*
    \\echo a psql meta-command at the start of a line
    -- the end

    """ // a YAML block scalar keeps its final line break

    var server: PostgresServer!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server)
        try dropPrerequisites()
        // What up.sql expects to exist: the view's schema, and the role it grants SELECT to.
        try server.execute("CREATE SCHEMA \(ViewDescriptor.quote(Self.schema)); CREATE ROLE \(ViewDescriptor.quote(Self.role)) NOLOGIN")
    }

    override func tearDownWithError() throws {
        if let server {
            try? server.apply(file: Self.caseFolder.appendingPathComponent("expected-sql/down.sql"))
            try? dropPrerequisites()
        }
    }

    private func dropPrerequisites() throws {
        try server.execute("DROP SCHEMA IF EXISTS \(ViewDescriptor.quote(Self.schema)) CASCADE")
        try server.execute("DROP ROLE IF EXISTS \(ViewDescriptor.quote(Self.role))")
    }

    /// A string literal (standard_conforming_strings is on).
    private func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    private var qualifiedView: String { ViewDescriptor(schema: Self.schema, name: Self.view, selectList: [], definingQuery: "").qualifiedName }

    func testUpSQLCreatesExactlyTheseNamesAndDownSQLRemovesThem() throws {
        let snapshot = DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/catalog-snapshot.sql")
        let before = try server.apply(file: snapshot).stdout
        let users = try server.value("SELECT count(*) FROM users")
        XCTAssertNotEqual(users, "0")

        let applied = try server.apply(file: Self.caseFolder.appendingPathComponent("expected-sql/up.sql"))
        XCTAssertFalse(applied.stdout.contains("meta-command"), "a line of the description ran as a psql command:\n\(applied.stdout)")
        try server.execute("UPDATE cron.job SET active = false")

        // Exactly the view and its index were created in the schema, under exactly these names.
        let created = try server.rows("""
            SELECT c.relkind::text || ' ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(literal(Self.schema))
            """)
        XCTAssertEqual(Set(created), ["m \(Self.view)", "i \(Self.index)"])
        let columns = try server.rows("""
            SELECT attname FROM pg_attribute WHERE attrelid = \(literal(qualifiedView))::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """)
        XCTAssertEqual(columns, Self.columns)
        let indexed = try server.rows("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = \(literal(qualifiedView))::regclass AND indisunique")
        XCTAssertEqual(indexed, ["\(ViewDescriptor.quote(Self.schema)).\(ViewDescriptor.quote(Self.index))"])

        // The text arrived as text: the comment with its line breaks, the grant to the hostile role.
        XCTAssertEqual(try server.text("SELECT obj_description(\(literal(qualifiedView))::regclass, 'pg_class')"), Self.description)
        XCTAssertEqual(try server.value("SELECT has_table_privilege(\(literal(Self.role)), \(literal(qualifiedView))::regclass, 'SELECT')"), "t")
        XCTAssertEqual(try server.value("SELECT count(*) FROM cron.job WHERE jobname = \(literal("matview:" + Self.view))"), "1")

        // Nothing else ran: the source tables are there with their rows, and the view reads them.
        XCTAssertEqual(try server.value("SELECT count(*) FROM users"), users)
        XCTAssertEqual(try server.value("SELECT count(*) FROM \(qualifiedView)"), users)
        XCTAssertEqual(try server.value("SELECT count(*) FROM \(qualifiedView) WHERE self <> '\\' || \(ViewDescriptor.quote("; DROP TABLE users; --"))"), "0")

        // The refresh functions and a second apply handle the names too.
        XCTAssertEqual(try server.value("SELECT matview.refresh(\(literal(Self.view)), 'test')"), "t")
        XCTAssertEqual(try server.value("SELECT status FROM matview.refresh_log WHERE view_name = \(literal(Self.view)) ORDER BY id DESC LIMIT 1"), "succeeded")
        let again = try server.apply(file: Self.caseFolder.appendingPathComponent("expected-sql/up.sql"))
        XCTAssertTrue(again.stderr.contains("is unchanged"), again.stderr)

        try server.apply(file: Self.caseFolder.appendingPathComponent("expected-sql/down.sql"))
        XCTAssertEqual(try server.apply(file: snapshot).stdout, before)
        XCTAssertEqual(try server.value("SELECT count(*) FROM users"), users)
    }
}
