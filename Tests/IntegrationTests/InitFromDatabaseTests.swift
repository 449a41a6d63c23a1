import Foundation
import MatviewTestSupport
import XCTest

/// `matview init --database-url` against a database of its own: the schema is what `introspect`
/// prints, the example spec reads one of its tables, and the project checks, generates, applies
/// and verifies at once. An empty database gets the example commented out, and DATABASE_URL
/// alone is never read.
final class InitFromDatabaseTests: XCTestCase {
    static let databaseName = "matview_init"
    var server: PostgresServer!
    var database: PostgresServer!
    var folder: URL!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try server.execute("DROP DATABASE IF EXISTS \(Self.databaseName)")
        try server.execute("CREATE DATABASE \(Self.databaseName)")
        database = server.database(Self.databaseName)
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("matview-init-\(UUID().uuidString)")
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
        _ = try? server?.execute("DROP DATABASE IF EXISTS \(Self.databaseName)")
    }

    @discardableResult
    func matview(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try MatviewCLI.run(arguments + ["--root", folder.path], in: FileManager.default.temporaryDirectory)
    }

    func text(_ path: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
    }

    func testTheSchemaComesFromTheDatabaseAndTheExampleReadsOneOfItsTables() throws {
        try database.execute("""
            CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);
            CREATE TABLE orders (
                id bigint PRIMARY KEY,
                customer_id bigint NOT NULL REFERENCES customers (id),
                amount numeric(12,2) NOT NULL
            );
            CREATE TABLE "Audit Log" (id serial PRIMARY KEY, note text);
            INSERT INTO customers VALUES (1, 'a'), (2, 'b');
            INSERT INTO orders VALUES (1, 1, 10), (2, 1, 5), (3, 2, 7);
            """)
        let created = try matview(["init", "--database-url", database.url])
        XCTAssertEqual(created.status, 0, created.stderr)
        // "Audit Log" needs quoting and customers has no foreign key: orders, per customer.
        XCTAssertTrue(created.stdout.contains("created specs/orders_per_customer_id.yaml (an example over orders)\n"), created.stdout)

        let introspected = try MatviewCLI.run(["introspect", "--database-url", database.url], in: folder)
        XCTAssertEqual(introspected.status, 0, introspected.stderr)
        XCTAssertEqual(try text("specs/schema.sql"), introspected.stdout, "the schema is exactly what introspect prints")
        XCTAssertTrue(try text("specs/orders_per_customer_id.yaml").contains("from: orders t"))

        let check = try matview(["check", "--strict"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stderr, "checked 1 view: no problems\n")
        XCTAssertEqual(try matview(["generate"]).status, 0)
        let apply = try matview(["apply", "--database-url", database.url])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(apply.stdout, "orders_per_customer_id_mv: created\n")
        XCTAssertEqual(try database.rows("SELECT customer_id || ':' || row_count FROM orders_per_customer_id_mv ORDER BY 1"), ["1:2", "2:1"])
        let verify = try matview(["verify", "--database-url", database.url])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
    }

    func testWithoutAForeignKeyTheExampleCountsTheFirstTablesRows() throws {
        try database.execute("""
            CREATE TABLE events (id bigint PRIMARY KEY, at timestamptz NOT NULL);
            -- Sorted first, but its name needs quoting, so the example passes it over.
            CREATE TABLE "Carts" (id bigint PRIMARY KEY);
            INSERT INTO events SELECT g, now() FROM generate_series(1, 3) g;
            """)
        let created = try matview(["init", "--database-url", database.url])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("created specs/events_summary.yaml (an example over events)\n"), created.stdout)
        let check = try matview(["check", "--strict"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(try matview(["generate", "--check"]).status, 1, "nothing generated yet")
        XCTAssertEqual(try matview(["generate"]).status, 0)
        let apply = try matview(["apply", "--database-url", database.url])
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertEqual(try database.value("SELECT row_count FROM events_summary_mv"), "3")
    }

    func testAnEmptyDatabaseGetsTheExampleCommentedOutAndStillChecks() throws {
        let created = try matview(["init", "--database-url", database.url])
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertTrue(created.stdout.contains("created specs/example_view.yaml.example (no table with plain names"), created.stdout)
        XCTAssertFalse(try text("specs/schema.sql").contains("CREATE TABLE"))
        let check = try matview(["check", "--strict"])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.stderr, "checked 0 views: no problems\n")
    }

    func testDatabaseURLAloneIsNotRead() throws {
        try database.execute("CREATE TABLE invoices (id bigint PRIMARY KEY)")
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = database.url
        let created = try MatviewCLI.run(["init", "--root", folder.path], in: FileManager.default.temporaryDirectory, environment: environment)
        XCTAssertEqual(created.status, 0, created.stderr)
        XCTAssertFalse(try text("specs/schema.sql").contains("invoices"))
        XCTAssertTrue(try text("specs/schema.sql").contains("CREATE TABLE orders ("), "the built-in example schema")
    }

    func testAnUnreachableDatabaseWritesNothing() throws {
        let created = try matview(["init", "--database-url", "postgres://nobody@127.0.0.1:1/none?sslmode=disable"])
        XCTAssertEqual(created.status, 1)
        XCTAssertTrue(created.stderr.hasPrefix("matview: "), created.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.path), "not even the folder")
    }
}
