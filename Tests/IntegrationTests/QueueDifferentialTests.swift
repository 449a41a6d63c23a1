import Foundation
import MatviewTestSupport
import XCTest

/// The differential test of `on_change: queue`: a seeded random workload from several
/// concurrent pgbench clients (inserts, updates that move rows between groups and change join
/// keys, deletes, savepoints rolled back, whole transactions rolled back, deadlock retries, and
/// now and then a TRUNCATE)
/// while the drainer loop runs; then, once the drainer has caught up by itself, every queued
/// view equals its defining query, EXCEPT ALL both ways. Nothing is lost, nothing waits for the
/// manual drain.
final class QueueDifferentialTests: XCTestCase {
    static let workload = """
    \\set uid random(1, 300)
    \\set pid random(5, 1500)
    \\set amount random(1, 500)
    \\set dice random(1, 10)
    BEGIN;
    INSERT INTO tasks (project_id, status) SELECT id, 'open' FROM projects WHERE id = :pid;
    UPDATE tasks SET status = 'completed', completed_at = now() WHERE id = (SELECT max(id) FROM tasks WHERE project_id = :pid);
    SAVEPOINT before_delete;
    DELETE FROM tasks WHERE id = (SELECT min(id) FROM tasks WHERE project_id = :pid);
    \\if :dice <= 3
    ROLLBACK TO SAVEPOINT before_delete;
    \\endif
    UPDATE projects SET user_id = :uid, updated_at = now() WHERE id = :pid;
    INSERT INTO transactions (user_id, amount, category) VALUES (:uid, :amount, 'workload');
    UPDATE users SET role = CASE role WHEN 'member' THEN 'admin' ELSE 'member' END WHERE id = :uid;
    \\if :dice = 10
    ROLLBACK;
    \\else
    COMMIT;
    \\endif
    """

    func testEveryQueuedViewEqualsItsQueryAfterAConcurrentRandomWorkload() throws {
        let server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 300)
        let fixture = try DeploymentFixture(server: server, extraSpecs: ["dashboard_rollup.yaml": DeploymentTests.rollupSpec])
        defer { fixture.remove() }
        try fixture.generate()
        try fixture.apply()
        try server.execute("UPDATE cron.job SET active = false")
        try server.execute("UPDATE matview.views SET min_interval = interval '0.2 seconds'")

        let drainer = try PsqlSession(server, name: "differential_drainer")
        drainer.send("CALL matview.run_drainer('differential', 600, 0.05);")
        try server.waitFor(PostgresServer.holdsDrainerLock("differential_drainer"),
                           "1", "the drainer runs")

        let script = FileManager.default.temporaryDirectory.appendingPathComponent("matview-workload-\(UUID().uuidString).sql")
        let truncate = FileManager.default.temporaryDirectory.appendingPathComponent("matview-truncate-\(UUID().uuidString).sql")
        try Self.workload.write(to: script, atomically: true, encoding: .utf8)
        try "TRUNCATE tasks;\n".write(to: truncate, atomically: true, encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(at: script)
            try? FileManager.default.removeItem(at: truncate)
        }
        // Three bursts; after each, the drainer catches up on its own and every view is exact.
        for burst in 1...3 {
            let pgbench = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                               ["pgbench", "-n", "-c", "4", "-j", "2", "-t", "100", "--random-seed=\(20261125 + burst)", "--max-tries=20",
                                                "-f", "\(script.path)@99", "-f", "\(truncate.path)@1", server.url])
            XCTAssertEqual(pgbench.status, 0, pgbench.stderr)
            XCTAssertTrue(pgbench.stdout.contains("number of transactions actually processed: 400/400"), pgbench.stdout)
            try server.waitFor("SELECT count(*) FROM matview.pending_changes", "0", "the drainer applied every change of burst \(burst)")
            for view in ["dashboard_summary_mv", "user_stats_mv", "dashboard_rollup_mv"] {
                let difference = try server.differencesFromDefiningQuery(view)
                XCTAssertEqual(difference.missing, 0, "after burst \(burst), \(view) lacks rows of its query")
                XCTAssertEqual(difference.extra, 0, "after burst \(burst), \(view) has rows its query does not")
            }
        }
        try fixture.apply() // waits for the drainer, which sees it and stops
        XCTAssertEqual(drainer.finish().status, 0)
        XCTAssertGreaterThan(Int(try server.value("SELECT count(*) FROM matview.refresh_log WHERE trigger_source = 'differential' AND status = 'succeeded'")) ?? 0, 3)
        let written = Int(try server.value("SELECT count(*) FROM transactions WHERE category = 'workload'")) ?? 0
        XCTAssertTrue(written > 600 && written < 1200, "about one workload transaction in ten rolls back, found \(written) of 1200 committed")
    }
}
