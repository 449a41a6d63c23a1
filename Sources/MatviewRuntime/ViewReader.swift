import Logging
import Metrics
import PostgresNIO

/// Reads materialized views for an application. Every read is timed and logged with the view's
/// name and duration (debug), and as a warning when slower than the view's `slow_query_ms`.
/// When the view does not exist (SQLSTATE 42P01, e.g. after a rollback) the read runs the
/// view's defining query instead and returns the same rows, so the application keeps working.
/// Each read is also reported through swift-metrics (`ReadMetrics`: duration, rows, slow reads,
/// fallbacks, errors, per view).
public struct ViewReader: Sendable {
    public let database: any PostgresQueryRunner
    public let logger: Logger
    /// Where the metrics go; nil means `MetricsSystem.factory`, looked up at each read rather
    /// than here, so a reader made before the application bootstraps its backend still reports.
    public let metricsFactory: (any MetricsFactory)?

    public init(database: any PostgresQueryRunner, logger: Logger = Logger(label: "matview"), metricsFactory: (any MetricsFactory)? = nil) {
        self.database = database
        self.logger = logger
        self.metricsFactory = metricsFactory
    }

    /// What a read did, for logging and tests.
    public struct ReadReport: Sendable {
        public var view: String
        public var rows: Int
        public var milliseconds: Double
        public var usedFallback: Bool
        public var slow: Bool
    }

    /// Rows of `Row`'s view, filtered by `filters` (column SQL and value, all ANDed).
    public func rows<Row: MaterializedViewRow>(
        _ type: Row.Type, where filters: [(column: String, value: any PostgresEncodable & Sendable)] = []
    ) async throws -> [Row] {
        try await read(type, where: filters).rows
    }

    public func read<Row: MaterializedViewRow>(
        _ type: Row.Type, where filters: [(column: String, value: any PostgresEncodable & Sendable)] = []
    ) async throws -> (rows: [Row], report: ReadReport) {
        let view = Row.view
        let metrics = ReadMetrics(view: view, factory: metricsFactory ?? MetricsSystem.factory)
        let clock = ContinuousClock()
        let start = clock.now
        let rows: [Row]
        let usedFallback: Bool
        do {
            (rows, usedFallback) = try await rowsOrFallback(Row.self, where: filters, metrics: metrics)
        } catch {
            // A read the caller cancelled did not fail: counting it would raise the error rate
            // whenever clients time out or disconnect, which the view has nothing to do with.
            if !Task.isCancelled { metrics.errors.increment() }
            throw error
        }
        let elapsed = clock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        let slow = milliseconds > Double(view.slowQueryMilliseconds)
        let metadata: Logger.Metadata = [
            "matview.view": "\(view.name)",
            "matview.duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
            "matview.rows": "\(rows.count)",
            "matview.fallback": "\(usedFallback)",
        ]
        metrics.duration.record(duration: elapsed)
        metrics.rows.record(rows.count)
        if slow {
            metrics.slowReads.increment()
            logger.warning("slow materialized view read (over \(view.slowQueryMilliseconds) ms)", metadata: metadata)
        } else {
            logger.debug("materialized view read", metadata: metadata)
        }
        return (rows, ReadReport(view: view.name, rows: rows.count, milliseconds: milliseconds, usedFallback: usedFallback, slow: slow))
    }

    /// The rows from the view, or from its defining query when the view is missing (with
    /// whether that happened).
    private func rowsOrFallback<Row: MaterializedViewRow>(
        _ type: Row.Type, where filters: [(column: String, value: any PostgresEncodable & Sendable)], metrics: ReadMetrics
    ) async throws -> (rows: [Row], usedFallback: Bool) {
        let view = Row.view
        do {
            return (try await run(Row.self, from: view.qualifiedName, filters: filters), false)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P01" {
            metrics.fallbacks.increment()
            logger.warning("materialized view missing; reading its defining query instead",
                           metadata: ["matview.view": "\(view.name)"])
            return (try await run(Row.self, from: "(\n\(view.definingQuery)\n) AS \(ViewDescriptor.quote(view.name))", filters: filters), true)
        }
    }

    private func run<Row: MaterializedViewRow>(
        _ type: Row.Type, from source: String, filters: [(column: String, value: any PostgresEncodable & Sendable)]
    ) async throws -> [Row] {
        var bindings = PostgresBindings()
        var conditions: [String] = []
        for (index, filter) in filters.enumerated() {
            try bindings.append(filter.value, context: .default)
            conditions.append("\(filter.column) = $\(index + 1)")
        }
        var sql = "SELECT \(Row.view.selectList.joined(separator: ", ")) FROM \(source)"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        let sequence = try await database.runQuery(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var rows: [Row] = []
        for try await row in sequence {
            rows.append(try Row(row: row))
        }
        return rows
    }
}
