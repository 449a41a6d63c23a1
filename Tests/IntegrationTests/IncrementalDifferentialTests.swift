import Foundation
import MatviewTestSupport
import XCTest

/// The differential test of incremental maintenance, in the suite: scripts/incremental-
/// differential.sh with a fixed seed and small data, in each mode, on the test server. Four
/// pgbench clients insert, update (moving rows between groups, changing join keys, setting the
/// nullable group key to NULL and back), delete and truncate every source table, with savepoints
/// rolled back, whole transactions rolled back, and pairs of groups written in opposite orders
/// (deadlocks, retried); then every view (the seed's two, a LEFT JOIN with count(distinct) and
/// FILTER, a nested query grouped by key, a view on a view, nullable group keys) equals its
/// defining query, EXCEPT ALL both ways; in queue mode each view's last logged row count is its
/// table's (drains log the last count plus what they added and deleted); and a full rebuild of
/// each would repair nothing (rows, and the hidden sums and counts of the dashboard's average).
/// The script runs longer with any seed by hand.
final class IncrementalDifferentialTests: XCTestCase {
    @discardableResult
    private func run(mode: String, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        let server = try PostgresServer.fromEnvironment()
        let script = DeploymentFixture.repositoryRoot.appendingPathComponent("scripts/incremental-differential.sh")
        var environment = ProcessInfo.processInfo.environment
        environment["MATVIEW"] = try MatviewCLI.builtBinary("matview").path
        let output = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["bash", script.path, "--seed", "7", "--seconds", "8", "--users", "200", "--clients", "4",
                                           "--mode", mode, "--database-url", server.url],
                                          in: DeploymentFixture.repositoryRoot, environment: environment)
        let report = output.stdout + output.stderr
        XCTAssertEqual(output.status, 0, report, file: file, line: line)
        XCTAssertTrue(report.contains("mode=\(mode) seed=7"), report, file: file, line: line)
        XCTAssertTrue(report.contains("differing_rows=0"), report, file: file, line: line)
        XCTAssertTrue(report.contains(" failed=0 "), report, file: file, line: line)
        return retried(report)
    }

    /// Transactions pgbench retried after a deadlock (or serialization failure), from the summary line.
    private func retried(_ report: String) -> Int {
        guard let range = report.range(of: "retried=") else { return -1 }
        return Int(report[range.upperBound...].prefix { $0.isNumber }) ?? -1
    }

    func testImmediateModeStaysExactUnderAConcurrentRandomWorkload() throws {
        // Groups written in opposite orders deadlock; the victims are retried, and the views stay exact.
        XCTAssertGreaterThan(try run(mode: "immediate"), 0, "the workload ran into no deadlock")
    }

    func testQueueModeStaysExactUnderAConcurrentRandomWorkload() throws {
        try run(mode: "queue")
    }
}
