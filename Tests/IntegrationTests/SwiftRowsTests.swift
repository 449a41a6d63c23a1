import Foundation
import Logging
import MatviewRuntime
import PostgresNIO
import SeedViews
import MatviewTestSupport
import XCTest

/// The Swift generated for specs/ (compiled as the SeedViews target) against the real server:
/// every view's rows decode, match the values read directly, are nil exactly where the database
/// has NULL, the index lookups find the right rows, reads are timed and logged, and a missing
/// view falls back to its defining query.
final class SwiftRowsTests: XCTestCase {
    var server: PostgresServer!

    override func setUpWithError() throws {
        server = try PostgresServer.fromEnvironment()
        try DeploymentFixture.resetDatabase(server, users: 300)
        try server.apply(file: DeploymentFixture.repositoryRoot.appendingPathComponent("generated/sql/up.sql"))
        try server.execute("UPDATE cron.job SET active = false")
        XCTAssertEqual(try server.value("SELECT matview.refresh_all('test')"), "0")
    }

    /// Runs `body` with a connected client; the client stops afterwards.
    func withReader(logs: LogStore = LogStore(), _ body: (ViewReader, PostgresClient) async throws -> Void) async throws {
        let configuration = try DatabaseURL(server.url).clientConfiguration()
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test.background", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { await client.run() }
        defer { running.cancel() }
        let logger = Logger(label: "matview.test", factory: { _ in CapturingLogHandler(store: logs) })
        try await body(ViewReader(database: client, logger: logger), client)
    }

    static func close(_ a: Decimal?, _ b: String, file: StaticString = #filePath, line: UInt = #line) {
        if b.isEmpty { XCTAssertNil(a, "expected NULL", file: file, line: line); return }
        guard let a else { return XCTFail("expected \(b), got nil", file: file, line: line) }
        let x = NSDecimalNumber(decimal: a).doubleValue, y = Double(b) ?? .nan
        XCTAssertEqual(x, y, accuracy: max(1e-9, abs(y) * 1e-12), file: file, line: line)
    }

    func testDashboardRowsMatchTheDatabase() async throws {
        let direct = try server.rows("""
            SELECT user_id, name, total_projects, total_tasks, completed_tasks, coalesce(avg_completion_seconds::text, ''),
                   extract(epoch FROM last_activity) FROM dashboard_summary_mv ORDER BY user_id
            """).map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        try await withReader { reader, _ in
            let rows = try await DashboardSummaryMv.all(on: reader).sorted { $0.userId < $1.userId }
            XCTAssertEqual(rows.count, 300)
            XCTAssertEqual(rows.count, direct.count)
            for (row, values) in zip(rows, direct) {
                XCTAssertEqual("\(row.userId)", values[0])
                XCTAssertEqual(row.name, values[1])
                XCTAssertEqual("\(row.totalProjects)|\(row.totalTasks)|\(row.completedTasks)", "\(values[2])|\(values[3])|\(values[4])")
                Self.close(row.avgCompletionSeconds, values[5])
                XCTAssertEqual(row.lastActivity.timeIntervalSince1970, Double(values[6]) ?? 0, accuracy: 0.001)
            }
            // User 5 has no projects: no tasks, so no average (nil), and counts of zero (never nil).
            let lonely = try await DashboardSummaryMv.find(userId: 5, on: reader)
            XCTAssertEqual(lonely?.totalProjects, 0)
            XCTAssertEqual(lonely?.completedTasks, 0)
            XCTAssertNotNil(lonely)
            XCTAssertNil(lonely?.avgCompletionSeconds)
            let nobody = try await DashboardSummaryMv.find(userId: 999_999, on: reader)
            XCTAssertNil(nobody)
        }
    }

    func testUserStatsRowsWithTheirJSONObjectMatchTheDatabase() async throws {
        let direct = try server.rows("""
            SELECT user_id, role, active_days, total_transactions, coalesce(total_amount::text, ''), coalesce(avg_transaction::text, ''),
                   coalesce(max_transaction::text, ''), unique_categories,
                   coalesce(spending_patterns->>'daily_avg', ''), coalesce(spending_patterns->>'monthly_avg', '')
            FROM user_stats_mv ORDER BY user_id
            """).map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        try await withReader { reader, _ in
            let rows = try await UserStatsMv.all(on: reader).sorted { $0.userId < $1.userId }
            XCTAssertEqual(rows.count, direct.count)
            for (row, values) in zip(rows, direct) {
                XCTAssertEqual("\(row.userId)|\(row.role)|\(row.activeDays)|\(row.totalTransactions)", values[0...3].joined(separator: "|"))
                Self.close(row.totalAmount, values[4])
                Self.close(row.avgTransaction, values[5])
                Self.close(row.maxTransaction, values[6])
                XCTAssertEqual("\(row.uniqueCategories)", values[7])
                Self.close(row.spendingPatterns.dailyAvg, values[8])
                Self.close(row.spendingPatterns.monthlyAvg, values[9])
            }
            // User 20 has no transactions: sums are NULL (nil), counts zero, the JSON values null.
            let quiet = try await UserStatsMv.find(userId: 20, on: reader)
            XCTAssertNotNil(quiet)
            XCTAssertNil(quiet?.totalAmount)
            XCTAssertEqual(quiet?.totalTransactions, 0)
            XCTAssertNil(quiet?.spendingPatterns.dailyAvg)
            let admins = try await UserStatsMv.rows(role: "admin", on: reader)
            XCTAssertEqual("\(admins.count)", try server.value("SELECT count(*) FROM user_stats_mv WHERE role = 'admin'"))
            XCTAssertTrue(admins.allSatisfy { $0.role == "admin" })
        }
    }

    func testSystemAnalyticsRowsAndDateLookup() async throws {
        let direct = try server.rows("""
            SELECT extract(epoch FROM date::timestamp), daily_active_users, daily_transactions, daily_volume::text, new_users,
                   coalesce(avg_session_duration::text, '') FROM system_analytics_mv ORDER BY date
            """).map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        try await withReader { reader, _ in
            let rows = try await SystemAnalyticsMv.all(on: reader).sorted { $0.date < $1.date }
            XCTAssertEqual(rows.count, 31)
            for (row, values) in zip(rows, direct) {
                XCTAssertEqual(row.date.timeIntervalSince1970, Double(values[0]) ?? 0, accuracy: 0.001)
                XCTAssertEqual("\(row.dailyActiveUsers)|\(row.dailyTransactions)", "\(values[1])|\(values[2])")
                Self.close(row.dailyVolume, values[3])
                XCTAssertEqual("\(row.newUsers)", values[4])
                Self.close(row.avgSessionDuration, values[5])
            }
            let day = try XCTUnwrap(rows.last)
            let found = try await SystemAnalyticsMv.find(date: day.date, on: reader)
            XCTAssertEqual(found, day)
        }
    }

    func testReadsAreTimedAndLoggedAndSlowOnesWarn() async throws {
        let logs = LogStore()
        try await withReader(logs: logs) { reader, _ in
            let (rows, report) = try await reader.read(DashboardSummaryMv.self)
            XCTAssertEqual(rows.count, 300)
            XCTAssertGreaterThan(report.milliseconds, 0)
            XCTAssertFalse(report.usedFallback)
            let (_, slowReport) = try await reader.read(AlwaysSlowDashboard.self)
            XCTAssertTrue(slowReport.slow)
        }
        let entries = logs.entries
        // Every read is logged with the view, its duration and rows (debug, or warning when slow).
        let reads = entries.filter { $0.metadata["matview.view"] == "dashboard_summary_mv" }
        XCTAssertEqual(reads.count, 2, "\(entries)")
        XCTAssertTrue(reads.allSatisfy { $0.metadata["matview.duration_ms"].flatMap(Double.init) ?? 0 > 0 && $0.metadata["matview.rows"] == "300" }, "\(reads)")
        XCTAssertTrue(entries.contains { $0.level == .warning && $0.message.contains("slow materialized view read (over 0 ms)") }, "\(entries)")
    }

    func testAMissingViewFallsBackToItsDefiningQueryWithTheSameRows() async throws {
        let logs = LogStore()
        try await withReader(logs: logs) { reader, _ in
            let before = Set(try await DashboardSummaryMv.all(on: reader))
            try server.execute("DROP TABLE dashboard_summary_mv") // incremental: a table (specs/dashboard_summary.yaml)
            let (rows, report) = try await reader.read(DashboardSummaryMv.self)
            XCTAssertTrue(report.usedFallback)
            XCTAssertEqual(Set(rows), before)
            let one = try await DashboardSummaryMv.find(userId: 7, on: reader)
            XCTAssertEqual(one, before.first { $0.userId == 7 })
        }
        XCTAssertTrue(logs.entries.contains { $0.level == .warning && $0.message.contains("defining query") })
        // After a full rollback too: every view is read from its query.
        try server.apply(file: DeploymentFixture.repositoryRoot.appendingPathComponent("generated/sql/down.sql"))
        try await withReader { reader, _ in
            let (stats, report) = try await reader.read(UserStatsMv.self)
            XCTAssertTrue(report.usedFallback)
            XCTAssertEqual(stats.count, 300)
        }
    }

    func testIntervalsDecode() async throws {
        try await withReader { _, client in
            let rows = try await client.query("SELECT interval '1 mon 2 days 03:04:05.5', interval '-1 hour'")
            for try await (a, b) in rows.decode((MatviewInterval, MatviewInterval).self) {
                XCTAssertEqual(a, MatviewInterval(months: 1, days: 2, microseconds: 11_045_500_000))
                XCTAssertEqual(b.seconds, -3600)
                XCTAssertEqual(a.seconds, 30 * 86_400 + 2 * 86_400 + 11_045.5)
            }
        }
    }
}

/// The dashboard row with a threshold of 0 ms, so every read counts as slow.
struct AlwaysSlowDashboard: MaterializedViewRow {
    static var view: ViewDescriptor {
        var view = DashboardSummaryMv.view
        view.slowQueryMilliseconds = 0
        return view
    }

    let row: DashboardSummaryMv
    init(row: PostgresRow) throws { self.row = try DashboardSummaryMv(row: row) }
}

/// Collects log entries for assertions.
final class LogStore: @unchecked Sendable {
    struct Entry: CustomStringConvertible {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
        var description: String { "\(level) \(message) \(metadata)" }
    }

    private let lock = NSLock()
    private var stored: [Entry] = []

    var entries: [Entry] { lock.withLock { stored } }

    func append(_ entry: Entry) { lock.withLock { stored.append(entry) } }
}

struct CapturingLogHandler: LogHandler {
    let store: LogStore
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        store.append(LogStore.Entry(level: event.level, message: event.message.description, metadata: merged.mapValues { "\($0)" }))
    }
}
