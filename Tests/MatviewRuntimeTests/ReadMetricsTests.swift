import Logging
import MatviewRuntime
import MatviewTestSupport
import Metrics
import MetricsTestKit
import PostgresNIO
import XCTest

/// What `ViewReader` reports through swift-metrics, read from a real server into a scratch
/// database of its own (a small materialized view over a five-row table), with `TestMetrics`
/// injected through `metricsFactory` so the global `MetricsSystem` is left alone. The labels are
/// spelled out rather than taken from `ReadMetrics`: renaming one breaks every dashboard and
/// alert built on it, so it should break a test too.
final class ReadMetricsTests: XCTestCase {
    static let databaseName = "matview_read_metrics"
    var main: PostgresServer!
    var server: PostgresServer!
    var metrics: TestMetrics!

    override func setUpWithError() throws {
        main = try PostgresServer.fromEnvironment()
        try main.execute("DROP DATABASE IF EXISTS \(Self.databaseName) WITH (FORCE)")
        try main.execute("CREATE DATABASE \(Self.databaseName)")
        server = main.database(Self.databaseName)
        try server.execute("""
            CREATE TABLE cities (id integer PRIMARY KEY, name text NOT NULL);
            INSERT INTO cities SELECT g, 'city ' || g FROM generate_series(1, 5) g;
            CREATE MATERIALIZED VIEW city_names_mv AS \(CityName.definingQuery);
            """)
        metrics = TestMetrics()
    }

    override func tearDownWithError() throws {
        // FORCE: a pooled connection of the client may still be closing when the test ends.
        try main?.execute("DROP DATABASE IF EXISTS \(Self.databaseName) WITH (FORCE)")
    }

    /// Runs `body` with a reader on a connected client that reports to `metrics`.
    func withReader(_ body: (ViewReader) async throws -> Void) async throws {
        let configuration = try DatabaseURL(server.url).clientConfiguration()
        let quiet = Logger(label: "matview.test", factory: { _ in SwiftLogNoOpLogHandler() })
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        let running = Task { await client.run() }
        defer { running.cancel() }
        try await body(ViewReader(database: client, logger: quiet, metricsFactory: metrics))
    }

    /// The dimensions of `city_names_mv`'s series.
    let cityNames = [("view", "city_names_mv")]

    func testAReadRecordsItsDurationInSecondsAndItsRowsPerView() async throws {
        var report: ViewReader.ReadReport?
        try await withReader { reader in
            let (rows, readReport) = try await reader.read(CityName.self)
            XCTAssertEqual(rows.count, 5)
            report = readReport
        }
        let timer = try metrics.expectTimer("matview_read_duration_seconds", cityNames)
        XCTAssertEqual(timer.values.count, 1)
        let nanoseconds = try XCTUnwrap(timer.lastValue)
        XCTAssertGreaterThan(nanoseconds, 0)
        // The same measurement as the log line's and the report's, not a second clock.
        XCTAssertEqual(Double(nanoseconds) / 1e6, try XCTUnwrap(report).milliseconds, accuracy: 0.001)
        XCTAssertEqual(timer.displayUnit, .seconds)
        XCTAssertEqual(try metrics.expectRecorder("matview_read_rows", cityNames).values, [5])
        // Every counter exists from the first read, at 0, so rates and alerts have a series.
        for label in ["matview_slow_reads_total", "matview_read_fallbacks_total", "matview_read_errors_total"] {
            XCTAssertEqual(try metrics.expectCounter(label, cityNames).totalValue, 0, label)
        }
    }

    func testOnlyReadsOverTheThresholdCountAsSlow() async throws {
        try await withReader { reader in
            _ = try await reader.read(CityName.self) // 60 s allowed
            XCTAssertEqual(try metrics.expectCounter("matview_slow_reads_total", cityNames).totalValue, 0)
            let (_, report) = try await reader.read(AlwaysSlowCityName.self) // 0 ms allowed: any read is over
            XCTAssertTrue(report.slow)
            XCTAssertEqual(try metrics.expectCounter("matview_slow_reads_total", cityNames).totalValue, 1)
        }
        XCTAssertEqual(try metrics.expectTimer("matview_read_duration_seconds", cityNames).values.count, 2)
    }

    func testAMissingViewCountsAFallbackAndStillRecordsTheRead() async throws {
        try await withReader { reader in
            _ = try await reader.read(CityName.self)
            try server.execute("DROP MATERIALIZED VIEW city_names_mv")
            let (rows, report) = try await reader.read(CityName.self)
            XCTAssertTrue(report.usedFallback)
            XCTAssertEqual(rows.map(\.name).sorted(), (1...5).map { "city \($0)" })
        }
        XCTAssertEqual(try metrics.expectCounter("matview_read_fallbacks_total", cityNames).totalValue, 1)
        XCTAssertEqual(try metrics.expectRecorder("matview_read_rows", cityNames).values, [5, 5])
        XCTAssertEqual(try metrics.expectTimer("matview_read_duration_seconds", cityNames).values.count, 2)
        XCTAssertEqual(try metrics.expectCounter("matview_read_errors_total", cityNames).totalValue, 0)
    }

    func testAFailedReadCountsAnErrorAndNoDurationOrRows() async throws {
        try await withReader { reader in
            do {
                _ = try await reader.read(MisspelledCityName.self)
                XCTFail("a column that does not exist should fail the read")
            } catch let error as PSQLError {
                XCTAssertEqual(error.serverInfo?[.sqlState], "42703") // undefined_column, not a fallback
            }
        }
        XCTAssertEqual(try metrics.expectCounter("matview_read_errors_total", cityNames).totalValue, 1)
        XCTAssertEqual(try metrics.expectCounter("matview_read_fallbacks_total", cityNames).totalValue, 0)
        XCTAssertEqual(try metrics.expectTimer("matview_read_duration_seconds", cityNames).values, [])
        XCTAssertEqual(try metrics.expectRecorder("matview_read_rows", cityNames).values, [])
    }

    func testAFailedFallbackCountsBothTheFallbackAndTheError() async throws {
        try await withReader { reader in
            try server.execute("DROP MATERIALIZED VIEW city_names_mv; DROP TABLE cities")
            do {
                _ = try await reader.read(CityName.self)
                XCTFail("the defining query reads a table that is gone, so the fallback should fail")
            } catch let error as PSQLError {
                XCTAssertEqual(error.serverInfo?[.sqlState], "42P01")
            }
        }
        XCTAssertEqual(try metrics.expectCounter("matview_read_fallbacks_total", cityNames).totalValue, 1)
        XCTAssertEqual(try metrics.expectCounter("matview_read_errors_total", cityNames).totalValue, 1)
        XCTAssertEqual(try metrics.expectTimer("matview_read_duration_seconds", cityNames).values, [])
    }

    func testEachViewHasItsOwnSeries() async throws {
        try server.execute("CREATE MATERIALIZED VIEW first_city_mv AS SELECT id, name FROM cities WHERE id = 1")
        try await withReader { reader in
            _ = try await reader.read(CityName.self)
            _ = try await reader.read(FirstCityName.self)
            _ = try await reader.read(FirstCityName.self)
        }
        XCTAssertEqual(try metrics.expectRecorder("matview_read_rows", cityNames).values, [5])
        XCTAssertEqual(try metrics.expectRecorder("matview_read_rows", [("view", "first_city_mv")]).values, [1, 1])
        XCTAssertEqual(metrics.timers(label: "matview_read_duration_seconds").count, 2)
    }
}

/// A hand-written row of `city_names_mv`, as `matview generate` would write it.
struct CityName: MaterializedViewRow {
    static let definingQuery = "SELECT id, name FROM cities"
    static var view: ViewDescriptor {
        ViewDescriptor(schema: "public", name: "city_names_mv", selectList: ["id", "name"], definingQuery: definingQuery,
                       slowQueryMilliseconds: 60_000)
    }

    var id: Int32
    var name: String

    init(row: PostgresRow) throws {
        (id, name) = try row.decode((Int32, String).self)
    }
}

/// The same view with a threshold of 0 ms, so every read of it is slow.
struct AlwaysSlowCityName: MaterializedViewRow {
    static var view: ViewDescriptor {
        var view = CityName.view
        view.slowQueryMilliseconds = 0
        return view
    }

    let city: CityName
    init(row: PostgresRow) throws { city = try CityName(row: row) }
}

/// The same view with a column it does not have, so reading it fails (and is no fallback).
struct MisspelledCityName: MaterializedViewRow {
    static var view: ViewDescriptor {
        var view = CityName.view
        view.selectList = ["id", "nmae"]
        return view
    }

    let city: CityName
    init(row: PostgresRow) throws { city = try CityName(row: row) }
}

/// Another view over the same table: its reads are a series of their own.
struct FirstCityName: MaterializedViewRow {
    static var view: ViewDescriptor {
        ViewDescriptor(schema: "public", name: "first_city_mv", selectList: ["id", "name"],
                       definingQuery: "SELECT id, name FROM cities WHERE id = 1")
    }

    let city: CityName
    init(row: PostgresRow) throws { city = try CityName(row: row) }
}
