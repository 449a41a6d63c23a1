import Foundation
import MatviewTestSupport
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `matview dev` as a user runs it, in a project folder of its own (the repository's specs and
/// schema, no generated/): it starts its own PostgreSQL (whatever DATABASE_URL says), loads the
/// schema and a psql data script, generates, applies, prints the URL alone on standard output;
/// then the other commands and the dashboard work against it, and SIGINT (Ctrl-C) stops the
/// server, removes its folder and exits 0. A schema statement PostgreSQL rejects ends it with
/// exit 1, a message naming the file and line, and nothing left behind.
///
/// A server that kept a descriptor of ours (see ChildProgram.runLeavingNothingInherited) made
/// `dev` wait forever for pg_ctl: the first test then times out waiting for the URL.
final class DevCommandTests: XCTestCase {
    /// Rows for every table the views read; `\set` shows the script runs through psql.
    static let dataScript = """
    \\set users 12
    INSERT INTO users (id, name, role)
    SELECT i, 'user ' || i, CASE WHEN i % 4 = 0 THEN 'bot' ELSE 'member' END FROM generate_series(1, :users) AS i;
    INSERT INTO projects (user_id, name) SELECT u, 'project of ' || u FROM generate_series(1, :users) AS u;
    INSERT INTO tasks (project_id, status, created_at, completed_at)
    SELECT p.id, CASE WHEN p.id % 2 = 0 THEN 'completed' ELSE 'open' END, now() - interval '2 days',
           CASE WHEN p.id % 2 = 0 THEN now() - interval '1 day' END
    FROM projects p;
    INSERT INTO transactions (user_id, amount, category) SELECT u, u * 1.5, 'food' FROM generate_series(1, :users) AS u;
    INSERT INTO user_sessions (user_id, started_at, ended_at)
    SELECT u, now() - interval '3 hours', now() - interval '2 hours' FROM generate_series(1, :users) AS u;
    """

    /// Not the database `dev` must use: it starts its own.
    static let unrelatedDatabaseURL = "postgres://nobody@127.0.0.1:1/not_this_one"

    private var root: URL?

    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: "/usr/lib/postgresql/15/bin/pg_ctl") else {
            throw TestTools.missing("PostgreSQL 15 is not installed", installedBy: "scripts/install-postgres.sh")
        }
        let project = FileManager.default.temporaryDirectory.appendingPathComponent("matview-it-dev-\(UUID().uuidString)")
        let specs = project.appendingPathComponent("specs")
        try FileManager.default.createDirectory(at: specs, withIntermediateDirectories: true)
        let source = DeploymentFixture.projectSpecs
        for name in try FileManager.default.contentsOfDirectory(atPath: source.path) where name.hasSuffix(".yaml") || name == "schema.sql" {
            try FileManager.default.copyItem(at: source.appendingPathComponent(name), to: specs.appendingPathComponent(name))
        }
        root = project
    }

    override func tearDownWithError() throws {
        if let root { try? FileManager.default.removeItem(at: root) }
    }

    func testDevLoadsAppliesAndServesUntilCtrlCThenRemovesEverything() throws {
        let root = try XCTUnwrap(root)
        try Self.dataScript.write(to: root.appendingPathComponent("data.sql"), atomically: true, encoding: .utf8)
        let dev = try BackgroundMatview(arguments: ["dev", "--data", "data.sql", "--serve", "--listen", "127.0.0.1:0"],
                                        databaseURL: Self.unrelatedDatabaseURL, directory: root)
        defer {
            // A failed assertion must not leave a server running: Ctrl-C it, as a user would.
            if dev.isRunning { _ = try? dev.interrupt() }
            dev.kill()
        }
        try dev.waitForStandardOutput(containing: "\n", timeout: 180)
        let url = dev.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        let databasePort = try XCTUnwrap(Self.port(in: url, after: "postgres://postgres@127.0.0.1:", before: "/matview_dev"),
                                         "standard output is not the URL alone: \(url)")
        XCTAssertEqual(url, "postgres://postgres@127.0.0.1:\(databasePort)/matview_dev")
        try dev.waitForStandardError(containing: "listening on http://127.0.0.1:", timeout: 60)
        let folder = try XCTUnwrap(Self.dataFolder(in: dev.standardError), dev.standardError)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/data/PG_VERSION"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: root.appendingPathComponent("generated/sql/up.sql").path),
                      "generated/ was missing, so dev generates it")

        // The data script ran (through psql), and pg_cron scheduled the views in this database.
        let server = PostgresServer(url: url)
        XCTAssertEqual(try server.value("SELECT count(*) FROM users"), "12")
        XCTAssertNotEqual(try server.value("SELECT count(*) FROM dashboard_summary_mv"), "0")
        let jobs = try server.rows("SELECT jobname FROM cron.job ORDER BY jobname")
        XCTAssertTrue(jobs.contains("matview:drain_queue"), "cron.job: \(jobs)")
        XCTAssertTrue(jobs.contains("matview:dashboard_summary_mv"), "cron.job: \(jobs)")

        // The other commands work at once, with the printed URL.
        let environment = ProcessInfo.processInfo.environment.merging(["DATABASE_URL": url]) { $1 }
        let apply = try MatviewCLI.run(["apply"], in: root, environment: environment)
        XCTAssertEqual(apply.status, 0, apply.stderr)
        XCTAssertFalse(apply.stdout.isEmpty)
        for line in apply.stdout.split(separator: "\n") { XCTAssertTrue(line.hasSuffix(": unchanged"), apply.stdout) }
        let status = try MatviewCLI.run(["status"], in: root, environment: environment)
        XCTAssertEqual(status.status, 0, status.stdout + status.stderr)
        let verify = try MatviewCLI.run(["verify"], in: root, environment: environment)
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertTrue(verify.stdout.contains("dashboard_summary_mv: equal"), verify.stdout)

        let base = try XCTUnwrap(dev.standardError.components(separatedBy: "listening on ").last?
            .split(whereSeparator: \.isWhitespace).first.map(String.init))
        let dashboardPort = try XCTUnwrap(Self.port(in: base, after: "http://127.0.0.1:", before: nil))
        let health = try HTTPClient.get(base + "/healthz")
        XCTAssertEqual(health.status, 200, health.body)

        let exit = try dev.interrupt(timeout: 60)
        XCTAssertEqual(exit.reason, .exit)
        XCTAssertEqual(exit.status, 0, exit.stderr)
        XCTAssertTrue(exit.stderr.contains("matview: stopped PostgreSQL and removed \(folder)\n"), exit.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "the cluster's folder is left behind")
        XCTAssertFalse(Self.acceptsConnections(port: databasePort), "PostgreSQL still listens on \(databasePort)")
        XCTAssertFalse(Self.acceptsConnections(port: dashboardPort), "the dashboard still listens on \(dashboardPort)")
        XCTAssertEqual(dev.standardOutput, url + "\n", "standard output holds the URL and nothing else")
    }

    func testASchemaStatementPostgreSQLRejectsEndsWithTheFileAndLeavesNothing() throws {
        let root = try XCTUnwrap(root)
        // The checker reads column types from DDL but does not know every type; PostgreSQL does.
        try "CREATE TABLE notes (\n    id bigint PRIMARY KEY,\n    body txet\n);\n"
            .write(to: root.appendingPathComponent("specs/zz_notes.sql"), atomically: true, encoding: .utf8)
        let result = try MatviewCLI.run(["dev"], in: root,
                                        environment: ProcessInfo.processInfo.environment.merging(["DATABASE_URL": Self.unrelatedDatabaseURL]) { $1 })
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertEqual(result.stdout, "", "no URL when the database is not ready")
        XCTAssertTrue(result.stderr.contains("matview: specs/zz_notes.sql:4: ERROR: type \"txet\" does not exist\n"), result.stderr)
        let folder = try XCTUnwrap(Self.dataFolder(in: result.stderr), result.stderr)
        let port = try XCTUnwrap(Self.port(in: result.stderr, after: "on 127.0.0.1:", before: ","))
        XCTAssertTrue(result.stderr.contains("matview: stopped PostgreSQL and removed \(folder)\n"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder), "the cluster's folder is left behind")
        XCTAssertFalse(Self.acceptsConnections(port: port), "PostgreSQL still listens on \(port)")
    }

    /// The folder from `starting PostgreSQL 15 with pg_cron on 127.0.0.1:PORT, data in FOLDER`.
    static func dataFolder(in log: String) -> String? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("starting PostgreSQL") }),
              let range = line.range(of: ", data in ") else { return nil }
        return String(line[range.upperBound...])
    }

    static func port(in text: String, after prefix: String, before suffix: String?) -> Int? {
        guard let start = text.range(of: prefix) else { return nil }
        let digits = text[start.upperBound...].prefix(while: \.isNumber)
        if let suffix, !text[start.upperBound...].dropFirst(digits.count).hasPrefix(suffix) { return nil }
        return Int(digits)
    }

    /// Whether something on 127.0.0.1 accepts a TCP connection on `port`.
    static func acceptsConnections(port: Int) -> Bool {
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
