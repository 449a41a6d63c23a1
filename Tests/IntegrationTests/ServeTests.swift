import Foundation
import MatviewTestSupport
import XCTest

/// `matview serve` against a database of its own (a throwaway cluster, so stopping it leaves the
/// suite's server alone), connected as a monitoring role that has SELECT on the support schema
/// and nothing else: every page and endpoint answers, the metrics pass a real Prometheus parser,
/// headless Chromium renders the pages with the views' names and figures in them, and when the
/// database stops the server keeps answering (503, `matview_up 0`) and recovers when it returns.
final class ServeTests: XCTestCase {
    static let viewOnView = """
    view: initials_mv
    description: Users and tasks per initial of the name, read from the dashboard.
    from: dashboard_summary_mv d
    group_by: [initial]
    select:
      initial: left(d.name, 1)
      users: count(*)
      tasks: sum(d.total_tasks)
    indexes:
      - columns: [initial]
        unique: true
    refresh:
      schedule: "*/5 * * * *"
      max_staleness: 1h
    """

    static let monitoringRole = "matview_monitor"

    func testDashboardMetricsHealthAndRecoveryAsTheMonitoringRole() throws {
        let cluster = try ThrowawayCluster()
        defer { cluster.remove() }
        let server = cluster.server
        try DeploymentFixture.resetDatabase(server, users: 200)
        try server.execute("CREATE ROLE \(Self.monitoringRole) LOGIN")
        let fixture = try DeploymentFixture(server: server, extraSpecs: ["initials.yaml": Self.viewOnView], specs: DeploymentFixture.projectSpecs)
        defer { fixture.remove() }
        try "postgres:\n  monitoring_role: \(Self.monitoringRole)\n".write(to: fixture.root.appendingPathComponent("matview.yaml"), atomically: true, encoding: .utf8)
        try fixture.generate()
        try fixture.apply()
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('test')"), "0")
        try provokeFailedRefresh(of: "system_analytics_mv", on: server)

        let monitorURL = cluster.url.replacingOccurrences(of: "postgres@", with: "\(Self.monitoringRole)@")
        let serve = try BackgroundMatview(arguments: ["serve", "--listen", "127.0.0.1:0", "--database-url", monitorURL],
                                          databaseURL: monitorURL, directory: fixture.root)
        defer { serve.kill() }
        let base = try serve.listeningURL()

        // The overview: every view, its health and figures; the failing one says so.
        let overview = try HTTPClient.get(base + "/")
        XCTAssertEqual(overview.status, 200)
        XCTAssertEqual(overview.contentType, "text/html; charset=utf-8")
        for view in ["dashboard_summary_mv", "user_stats_mv", "system_analytics_mv", "initials_mv"] {
            XCTAssertTrue(overview.body.contains("data-view=\"\(view)\""), "overview lacks \(view)")
        }
        XCTAssertTrue(overview.body.contains("data-view=\"system_analytics_mv\" data-health=\"failing\""), overview.body)
        XCTAssertFalse(overview.body.contains("Cannot read the database"))
        let onlyFailing = try HTTPClient.get(base + "/?health=failing&sort=failures&order=desc")
        XCTAssertEqual(onlyFailing.status, 200)
        XCTAssertTrue(onlyFailing.body.contains("data-view=\"system_analytics_mv\""))
        XCTAssertFalse(onlyFailing.body.contains("data-view=\"dashboard_summary_mv\""))

        // A view's page: charts, the failure's error text, lineage, definition, indexes, grants.
        let page = try HTTPClient.get(base + "/views/system_analytics_mv")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("lock timeout"), "the failure's error text is missing")
        XCTAssertEqual(page.body.components(separatedBy: "<svg").count - 1, 4, "two duration and two staleness charts")
        XCTAssertTrue(page.body.contains("CREATE UNIQUE INDEX"))
        let upstream = try HTTPClient.get(base + "/views/dashboard_summary_mv")
        XCTAssertTrue(upstream.body.contains("href=\"/views/initials_mv\""), "the dashboard's page links the view that reads it")
        XCTAssertTrue(upstream.body.contains("public.tasks"), "source tables")
        XCTAssertTrue(upstream.body.contains("not visible to this role"), "pg_cron hides the owner's jobs from the monitoring role")
        let lineage = try HTTPClient.get(base + "/lineage")
        XCTAssertEqual(lineage.status, 200)
        XCTAssertTrue(lineage.body.contains("dashboard_summary_mv → initials_mv"))
        XCTAssertTrue(lineage.body.contains("public.users → dashboard_summary_mv"))

        // Bad requests are 4xx, and the server goes on.
        XCTAssertEqual(try HTTPClient.get(base + "/?sort=bogus").status, 400)
        XCTAssertEqual(try HTTPClient.get(base + "/?order=sideways").status, 400)
        XCTAssertEqual(try HTTPClient.get(base + "/views/no_such_view").status, 404)
        XCTAssertEqual(try HTTPClient.get(base + "/views/%FF").status, 400)  // not UTF-8
        XCTAssertEqual(try HTTPClient.get(base + "/no/such/page").status, 404)

        // /healthz: 503 while a view fails; a refresh that succeeds makes everything healthy.
        let failing = try HTTPClient.get(base + "/healthz")
        XCTAssertEqual(failing.status, 503)
        XCTAssertTrue(failing.body.contains("\"status\" : \"unhealthy\""), failing.body)

        // /metrics through a real Prometheus parser.
        var metrics = try PrometheusText.parse(try HTTPClient.get(base + "/metrics").body)
        XCTAssertEqual(metrics.families["matview_view_seconds_stale"], "gauge")
        XCTAssertEqual(metrics.families["matview_view_stale"], "gauge")
        XCTAssertEqual(metrics.families["matview_view_rows"], "gauge")
        XCTAssertEqual(metrics.families["matview_pending_changes"], "gauge")
        XCTAssertEqual(metrics.families["matview_refresh_duration_seconds"], "histogram")
        XCTAssertEqual(metrics.families["matview_refresh_failures"], "counter")  // the parser drops _total
        XCTAssertEqual(sample(metrics, "matview_up"), 1)
        XCTAssertEqual(sample(metrics, "matview_view_rows", view: "dashboard_summary_mv"), 200)
        XCTAssertEqual(sample(metrics, "matview_refresh_failures_total", view: "system_analytics_mv"), 1)
        XCTAssertEqual(sample(metrics, "matview_refresh_failures_total", view: "dashboard_summary_mv"), 0)
        let countedBefore = try XCTUnwrap(sample(metrics, "matview_refresh_duration_seconds_count", view: "system_analytics_mv"))

        XCTAssertEqual(try server.value("SELECT matview.refresh('system_analytics_mv')"), "t")
        metrics = try PrometheusText.parse(try HTTPClient.get(base + "/metrics").body)
        XCTAssertEqual(sample(metrics, "matview_refresh_duration_seconds_count", view: "system_analytics_mv"), countedBefore + 1)
        XCTAssertEqual(sample(metrics, "matview_view_stale", view: "system_analytics_mv"), 0)
        let healthy = try HTTPClient.get(base + "/healthz")
        XCTAssertEqual(healthy.status, 200, healthy.body)

        // A real browser: the names and figures are in the DOM; screenshots are kept.
        let dom = try Chromium.dumpDOM(url: base + "/")
        for view in ["dashboard_summary_mv", "user_stats_mv", "system_analytics_mv", "initials_mv"] {
            XCTAssertTrue(dom.contains(view), "the rendered overview lacks \(view)")
        }
        XCTAssertTrue(dom.contains(">200<"), "the dashboard's 200 rows are not in the rendered overview")
        let viewDOM = try Chromium.dumpDOM(url: base + "/views/dashboard_summary_mv")
        XCTAssertTrue(viewDOM.contains("Refresh duration of dashboard_summary_mv"))
        let artifacts = Chromium.artifactsDirectory()
        try Chromium.screenshot(url: base + "/", to: artifacts.appendingPathComponent("serve-overview.png"))
        try Chromium.screenshot(url: base + "/views/dashboard_summary_mv", to: artifacts.appendingPathComponent("serve-view.png"))
        try Chromium.screenshot(url: base + "/lineage", to: artifacts.appendingPathComponent("serve-lineage.png"))
        try Chromium.screenshot(url: base + "/", to: artifacts.appendingPathComponent("serve-overview-phone.png"), width: 390, height: 844)

        // The database stops: the server keeps answering and says so.
        try cluster.pause()
        let down = try HTTPClient.get(base + "/healthz")
        XCTAssertEqual(down.status, 503)
        XCTAssertTrue(down.body.contains("database unavailable"), down.body)
        let downPage = try HTTPClient.get(base + "/")
        XCTAssertEqual(downPage.status, 200)
        XCTAssertTrue(downPage.body.contains("Cannot read the database"), downPage.body)
        XCTAssertEqual(try HTTPClient.get(base + "/views/dashboard_summary_mv").status, 200)
        XCTAssertEqual(try HTTPClient.get(base + "/lineage").status, 200)
        metrics = try PrometheusText.parse(try HTTPClient.get(base + "/metrics").body)
        XCTAssertEqual(sample(metrics, "matview_up"), 0)
        XCTAssertTrue(serve.isRunning)

        // ...and recovers when it returns.
        try cluster.resume()
        let deadline = Date().addingTimeInterval(30)
        var recovered = try HTTPClient.get(base + "/healthz")
        while recovered.status != 200 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            recovered = try HTTPClient.get(base + "/healthz")
        }
        XCTAssertEqual(recovered.status, 200, recovered.body)
        metrics = try PrometheusText.parse(try HTTPClient.get(base + "/metrics").body)
        XCTAssertEqual(sample(metrics, "matview_up"), 1)
        XCTAssertFalse(try HTTPClient.get(base + "/").body.contains("Cannot read the database"))

        let exit = try serve.terminate()
        XCTAssertEqual(exit.status, 0, exit.stderr)
        XCTAssertTrue(exit.stderr.contains("cannot read the database"), "the outage is logged")
        XCTAssertTrue(exit.stderr.contains("the database answers again"), "so is the recovery")
    }

    /// A wrong URL is not fatal either: the server starts, and every page says what is wrong.
    func testAWrongDatabaseURLIsReportedNotFatal() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("matview-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let url = "postgres://nobody@127.0.0.1:1/nothing"
        let serve = try BackgroundMatview(arguments: ["serve", "--listen", "127.0.0.1:0", "--database-url", url], databaseURL: url, directory: root)
        defer { serve.kill() }
        let base = try serve.listeningURL()
        let health = try HTTPClient.get(base + "/healthz")
        XCTAssertEqual(health.status, 503)
        XCTAssertTrue(health.body.contains("connection refused"), health.body)
        let page = try HTTPClient.get(base + "/")
        XCTAssertEqual(page.status, 200)
        XCTAssertTrue(page.body.contains("Cannot read the database"))
        XCTAssertTrue(try HTTPClient.get(base + "/metrics").body.contains("matview_up 0"))
        XCTAssertEqual(try serve.terminate().status, 0)
    }

    func testBadListenAddressesAreUsageErrors() throws {
        let root = FileManager.default.temporaryDirectory
        for bad in ["127.0.0.1:99999", "::1:8080", "localhost:", "127.0.0.1:http"] {
            let result = try MatviewCLI.run(["serve", "--listen", bad, "--database-url", "postgres://x@127.0.0.1/x"], in: root)
            XCTAssertEqual(result.status, 64, "\(bad): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--listen") || result.stderr.contains("port"), result.stderr)
        }
    }

    /// A refresh that really fails: another session holds a SHARE lock on the view (an index built in an open transaction), and the
    /// refresh gives up after its lock_timeout (refresh() logs the error and returns false).
    private func provokeFailedRefresh(of view: String, on server: PostgresServer) throws {
        let holder = try PsqlSession(server, name: "serve-test-lock-holder")
        holder.send("BEGIN; CREATE INDEX serve_test_holds_share_lock ON \(view) (date); SELECT pg_sleep(30);")
        try server.waitFor("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'serve-test-lock-holder' AND l.relation = '\(view)'::regclass",
                            "1", "the other session holds its lock")
        XCTAssertEqual(try server.value("SET lock_timeout = '200ms'; SELECT matview.refresh('\(view)')"), "f")
        _ = try server.value("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'serve-test-lock-holder'")
        holder.finish()
    }

    private func sample(_ parsed: (families: [String: String], samples: [PrometheusText.Sample]), _ name: String, view: String? = nil) -> Double? {
        parsed.samples.first { $0.name == name && (view == nil || $0.labels["view"] == view) }?.value
    }
}
