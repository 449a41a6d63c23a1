import MatviewLowering
import Foundation
import MatviewSQL
import MatviewTestSupport
import XCTest

/// `matview worker` as a separate process against the real server, as it runs in production
/// where pg_cron is absent: it applies queued changes, holds the one drainer lock while it runs,
/// steps aside for an apply and resumes after it, reconnects after losing its connection, waits
/// out an unreachable server, and on SIGTERM stops with status 0 and the lock released.
final class WorkerTests: XCTestCase {
    var server: PostgresServer!
    var fixture: DeploymentFixture!
    private var worker: BackgroundMatview?

    override func tearDownWithError() throws {
        // A worker a failed test left running would hold the drainer lock for the next test.
        worker?.kill()
        fixture?.remove()
    }

    /// The seed's project with the dashboard drained as soon as it has changes (min_interval 0s),
    /// applied, and pg_cron's jobs paused with no drainer of theirs left running: from here on
    /// only the worker drains.
    func deployWithImmediateDraining() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server)
        fixture = try DeploymentFixture(server: server)
        let spec = try fixture.readSpec("dashboard_summary.yaml")
        XCTAssertTrue(spec.contains("  on_change: queue\n"))
        try fixture.writeSpec("dashboard_summary.yaml", spec.replacingOccurrences(of: "  on_change: queue\n", with: "  on_change: queue\n  min_interval: 0s\n"))
        try fixture.generate()
        try fixture.apply()
        try server.execute("UPDATE cron.job SET active = false")
        // A drainer pg_cron started before the pause sees this wait and stops; none starts after.
        try server.execute("DO $$ BEGIN PERFORM pg_advisory_xact_lock(\(SupportNames(schema: "matview").drainerLockKey)); END $$")
    }

    private func startWorker(databaseURL: String) throws -> BackgroundMatview {
        let started = try BackgroundMatview(arguments: ["worker", "--poll-interval", "0.1"], databaseURL: databaseURL,
                                        directory: fixture?.root ?? FileManager.default.temporaryDirectory)
        worker = started
        return started
    }

    /// Inserts a user and waits until the worker has drained it into the dashboard.
    func insertUserAndWaitForTheDashboard(_ name: String) throws {
        try server.execute("INSERT INTO users (name, role) VALUES ('\(name)', 'member')")
        try server.waitFor("SELECT count(*) FROM dashboard_summary_mv WHERE name = '\(name)'", "1", "the worker drained '\(name)' into the view", timeout: 30)
        try server.waitFor("SELECT count(*) FROM matview.pending_changes WHERE view_name = 'dashboard_summary_mv'", "0",
                           "no change is pending for the dashboard", timeout: 30)
    }

    func testTheWorkerDrainsQueuedChangesAndStopsCleanlyOnSIGTERM() throws {
        try deployWithImmediateDraining()
        let worker = try startWorker(databaseURL: server.url)
        try insertUserAndWaitForTheDashboard("worker test")
        XCTAssertEqual(try server.value("SELECT count(*) > 0 FROM matview.refresh_log WHERE trigger_source = 'worker' AND view_name = 'dashboard_summary_mv' AND status = 'succeeded'"),
                       "t", "the worker's refreshes are logged as its own")
        XCTAssertEqual(try server.value("SELECT matview.drainer_lock()"), "f", "while the worker runs, no other drainer can start")
        try worker.waitForStandardError(containing: "refreshed dashboard_summary_mv")

        let exit = try worker.terminate()
        XCTAssertEqual(exit.status, 0, exit.stderr)
        XCTAssertEqual(exit.reason, .exit, "the worker ended itself rather than dying of the signal")
        XCTAssertTrue(exit.stderr.contains("stopped"), exit.stderr)
        XCTAssertEqual(try server.value("SELECT matview.drainer_lock()"), "t", "the worker released the drainer lock")
    }

    func testAnApplyWhileTheWorkerRunsCompletesAndTheWorkerResumesAfterIt() throws {
        try deployWithImmediateDraining()
        let worker = try startWorker(databaseURL: server.url)
        try insertUserAndWaitForTheDashboard("before the apply")

        // up.sql first waits for the drainer lock, which the worker holds; lock_timeout turns a
        // worker that never steps aside into a failed apply instead of a hung test.
        let apply = try ChildProcess.run(URL(fileURLWithPath: "/usr/bin/env"),
                                         ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", server.url, "-f", fixture.upSQL.path],
                                         environment: ProcessInfo.processInfo.environment.merging(["PGOPTIONS": "-c lock_timeout=60s"]) { $1 })
        XCTAssertEqual(apply.status, 0, apply.stderr)
        try worker.waitForStandardError(containing: "an apply or rollback is waiting; pausing")

        try insertUserAndWaitForTheDashboard("after the apply")
        try worker.waitForStandardError(containing: "resumed draining")
        let exit = try worker.terminate()
        XCTAssertEqual(exit.status, 0, exit.stderr)
    }

    func testASecondWorkerWaitsForTheFirstAndTakesOverWhenItStops() throws {
        try deployWithImmediateDraining()
        let first = try startWorker(databaseURL: server.url)
        try insertUserAndWaitForTheDashboard("seen by the first worker")
        let second = try BackgroundMatview(arguments: ["worker"], databaseURL: server.url, directory: fixture.root)
        defer { second.kill() }
        try second.waitForStandardError(containing: "another drainer is running")

        XCTAssertEqual(try first.terminate().status, 0)
        try second.waitForStandardError(containing: "draining (this session holds the drainer lock)")
        try insertUserAndWaitForTheDashboard("seen by the second worker")
        XCTAssertEqual(try second.terminate().status, 0)
    }

    func testTheWorkerReconnectsWhenItsConnectionIsTerminated() throws {
        try deployWithImmediateDraining()
        let worker = try startWorker(databaseURL: server.url)
        try insertUserAndWaitForTheDashboard("before the disconnect")

        let key = SupportNames(schema: "matview").drainerLockKey
        let terminated = try server.value("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_locks
            WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND ((classid::bigint << 32) | objid::bigint) = \(key)
            """)
        XCTAssertEqual(terminated, "1", "the worker's session held the drainer lock")
        // It notices (as "lost the connection" when idle, or as the server's "terminating
        // connection" error when the termination hits it mid-query) and connects again.
        try worker.waitForStandardError(containing: "connected to", occurrences: 2)

        try insertUserAndWaitForTheDashboard("after the disconnect")
        XCTAssertTrue(worker.isRunning)
        let exit = try worker.terminate()
        XCTAssertEqual(exit.status, 0, exit.stderr)
    }

    func testTheWorkerKeepsRetryingWhileNothingListensAndStillStopsCleanly() throws {
        let port = try unusedPort()
        let worker = try startWorker(databaseURL: "postgres://postgres@127.0.0.1:\(port)/matview_test")
        try worker.waitForStandardError(containing: "cannot connect to 127.0.0.1:\(port): connection refused")
        // A second failed attempt: the first failure did not end it.
        try worker.waitForStandardError(containing: "cannot connect to 127.0.0.1:\(port)", occurrences: 2)
        XCTAssertTrue(worker.isRunning)

        let exit = try worker.terminate()
        XCTAssertEqual(exit.status, 0, exit.stderr)
        XCTAssertEqual(exit.reason, .exit)
    }

    /// A TCP port on 127.0.0.1 that nothing listens on: bound for a moment by the kernel's
    /// choice, then closed.
    func unusedPort() throws -> UInt16 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw XCTSkip("cannot create a socket") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        guard bound else { throw XCTSkip("cannot bind a socket on 127.0.0.1") }
        return UInt16(bigEndian: address.sin_port)
    }
}
