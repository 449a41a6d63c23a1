import Foundation
import MatviewTestSupport
import XCTest

/// `matview bench` against the test server: lookups by a text key that holds a comma and both
/// quotes, client and server times side by side, and `--min-speedup` as a gate for CI.
final class BenchTests: XCTestCase {
    var server: PostgresServer!
    var fixture: DeploymentFixture!

    /// A view keyed by text that an SQL string split on commas, or pasted between quotes, breaks:
    /// `Name 7, it's "7"`. Two unique indexes, so a key of two columns is looked up too. Grouped
    /// by the label, so that a unique index on it is implied by the view's grain.
    static let quotedKeysSpec = """
        view: quoted_keys_mv
        description: One row per user, keyed by a label with a comma and both kinds of quote.
        from: users u
        group_by: [label]
        select:
          label: u.name || ', it''s "' || u.id::text || '"'
          user_id: max(u.id)
        indexes:
          - columns: [label]
            unique: true
          - columns: [label, user_id]
            unique: true
        refresh:
          schedule: "0 * * * *"
          concurrently: true
        """

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 50)
        fixture = try DeploymentFixture(server: server, extraSpecs: ["quoted_keys.yaml": Self.quotedKeysSpec])
        try fixture.generate()
        let applied = try matview(["apply"])
        XCTAssertEqual(applied.status, 0, applied.stderr)
        try server.execute("UPDATE cron.job SET active = false")
    }

    override func tearDownWithError() throws {
        fixture?.remove()
    }

    /// `matview <arguments> --database-url <test server> --root <project>`.
    func matview(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try MatviewCLI.run(arguments + ["--database-url", server.url, "--root", fixture.root.path], in: fixture.root)
    }

    func measurements(_ json: String, view: String) throws -> [[String: Any]] {
        let views = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]], json)
        let result = try XCTUnwrap(views.first { $0["view"] as? String == view }, json)
        return try XCTUnwrap(result["measurements"] as? [[String: Any]], json)
    }

    func median(_ measure: [String: Any], _ time: String, _ side: String) -> Double? {
        ((measure[time] as? [String: Any])?[side] as? [String: Any])?["medianMs"] as? Double
    }

    func testLooksUpTextKeysWithACommaAndQuotes() throws {
        XCTAssertEqual(try server.value("SELECT count(*) FROM quoted_keys_mv WHERE label LIKE '%, it''s \"%\"'"), "50")
        let result = try matview(["bench", "--view", "quoted_keys_mv", "--runs", "5", "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let measures = try measurements(result.stdout, view: "quoted_keys_mv")
        XCTAssertEqual(measures.map { $0["name"] as? String },
                       ["read all rows", "lookup by (label)", "lookup by (label, user_id)", "full refresh", "concurrent refresh"])
        for lookup in measures[1...2] {
            XCTAssertGreaterThan(median(lookup, "client", "view") ?? 0, 0)
            XCTAssertGreaterThan(median(lookup, "serverExecution", "query") ?? 0, 0)
        }
    }

    func testReportsClientAndServerTimesSideBySide() throws {
        let json = try matview(["bench", "--view", "dashboard_summary_mv", "--runs", "3", "--format", "json"])
        XCTAssertEqual(json.status, 0, json.stderr)
        let measures = try measurements(json.stdout, view: "dashboard_summary_mv")
        XCTAssertEqual(measures.map { $0["name"] as? String }, ["read all rows", "lookup by (user_id)", "full refresh", "concurrent refresh"])
        for read in measures[0...1] {
            for time in ["client", "serverExecution", "serverPlanning"] {
                for side in ["view", "query"] {
                    XCTAssertNotNil(median(read, time, side), "\(read["name"] ?? ""): \(time) \(side)")
                }
                XCTAssertNotNil((read[time] as? [String: Any])?["speedup"] as? Double, "\(time) speedup")
            }
            XCTAssertGreaterThan(median(read, "serverExecution", "view") ?? 0, 0)
            XCTAssertEqual(read["speedup"] as? Double, (read["serverExecution"] as? [String: Any])?["speedup"] as? Double,
                           "the speedup --min-speedup checks is the server execution ratio")
        }
        for refresh in measures[2...3] {
            XCTAssertGreaterThan(median(refresh, "client", "view") ?? 0, 0)
            XCTAssertNil(refresh["serverExecution"], "EXPLAIN cannot run a refresh")
            XCTAssertNil(refresh["speedup"])
        }

        let text = try matview(["bench", "--view", "dashboard_summary_mv", "--runs", "1"])
        XCTAssertEqual(text.status, 0, text.stderr)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.first?.hasPrefix("view                  measure              time              view median") == true, text.stdout)
        let lookups = lines.filter { $0.contains("lookup by (user_id)") }
        XCTAssertEqual(lookups.map { $0.contains("client") ? "client" : $0.contains("server execution") ? "execution" : $0.contains("server planning") ? "planning" : $0 },
                       ["client", "execution", "planning"], text.stdout)
        XCTAssertEqual(lines.filter { $0.contains("full refresh") }.count, 1, text.stdout)
    }

    func testMinSpeedupFailsNamingEachMeasureBelowIt() throws {
        let failing = try matview(["bench", "--view", "dashboard_summary_mv", "--runs", "1", "--min-speedup", "1000000"])
        XCTAssertEqual(failing.status, 1, failing.stderr)
        XCTAssertTrue(failing.stdout.contains("lookup by (user_id)"), "the results are printed before the verdict")
        let lines = failing.stderr.split(separator: "\n").map(String.init)
        guard lines.count == 2 else { return XCTFail("one line per measure below the minimum: \(failing.stderr)") }
        XCTAssertTrue(lines[0].hasPrefix("matview: dashboard_summary_mv, read all rows: "), failing.stderr)
        XCTAssertTrue(lines[1].hasPrefix("matview: dashboard_summary_mv, lookup by (user_id): "), failing.stderr)
        XCTAssertTrue(lines.allSatisfy { $0.contains("server execution") && $0.hasSuffix("below --min-speedup 1000000.0") }, failing.stderr)

        let passing = try matview(["bench", "--view", "dashboard_summary_mv", "--runs", "1", "--min-speedup", "0.0001", "--format", "json"])
        XCTAssertEqual(passing.status, 0, passing.stderr)
        XCTAssertEqual(passing.stderr, "")
    }
}
