import Foundation
import MatviewTestSupport
import XCTest

/// `matview explain VIEW` on the project's own specs: the key paths of an incremental view,
/// byte for byte (Expected/explain-dashboard_summary_mv.txt), a full view's plan, and the
/// errors a wrong name or a missing argument give.
final class ExplainCommandTests: XCTestCase {
    static let expected = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Expected")

    func testAnIncrementalViewShowsItsKeyPathsAndRestrictedQuery() throws {
        let result = try MatviewCLI.run(["explain", "dashboard_summary_mv"], in: CommandLineTests.repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        let file = Self.expected.appendingPathComponent("explain-dashboard_summary_mv.txt")
        if ProcessInfo.processInfo.environment["MATVIEW_UPDATE_EXPECTED"] == "1" {
            try result.stdout.write(to: file, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(result.stdout, try String(contentsOf: file, encoding: .utf8))
    }

    /// The JSON form names the table of the hidden sums and counts where the view keeps them,
    /// and leaves the key out where it keeps none (user_stats_mv is queued).
    func testTheJSONNamesTheHiddenAveragesTable() throws {
        func difference(_ view: String) throws -> [String: Any]? {
            let result = try MatviewCLI.run(["explain", view, "--format", "json"], in: CommandLineTests.repositoryRoot)
            XCTAssertEqual(result.status, 0, result.stderr)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
            return object["difference"] as? [String: Any]
        }
        XCTAssertEqual(try difference("dashboard_summary_mv")?["averagesTable"] as? String, "matview.inc_495810ec4a8e36d1_averages")
        XCTAssertNil(try difference("user_stats_mv"), "a queued view has no difference")
    }

    func testAFullViewSaysItIsRecomputedWhole() throws {
        let result = try MatviewCLI.run(["explain", "system_analytics_mv"], in: CommandLineTests.repositoryRoot)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("refresh: strategy full, on_change none, schedule \"0 * * * *\""), result.stdout)
        XCTAssertTrue(result.stdout.contains("a refresh recomputes the whole view (REFRESH MATERIALIZED VIEW CONCURRENTLY)"), result.stdout)
    }

    func testAnUnknownViewAndAMissingArgumentAreErrors() throws {
        let unknown = try MatviewCLI.run(["explain", "nope"], in: CommandLineTests.repositoryRoot)
        XCTAssertEqual(unknown.status, 1)
        XCTAssertEqual(unknown.stderr, "matview: no view named 'nope'; the views are: dashboard_summary_mv, system_analytics_mv, user_stats_mv\n")
        let missing = try MatviewCLI.run(["explain"], in: CommandLineTests.repositoryRoot)
        XCTAssertEqual(missing.status, 64, "swift-argument-parser's usage error")
        XCTAssertTrue(missing.stderr.contains("Missing expected argument '<view>'"), missing.stderr)
    }
}
