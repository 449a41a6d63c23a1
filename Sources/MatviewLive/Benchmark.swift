import Foundation
import MatviewSyntax

/// `bench`: reading each view against running its defining query, side by side in one run:
/// the whole view, point lookups by each unique index with keys drawn at random from the view,
/// and the full and concurrent refresh times. Medians, 95th percentiles and ratios.
///
/// Reads and lookups run as named prepared statements, the view's and the query's alike, as an
/// application would run them; each is timed twice: by the client (the round trip an application
/// waits for) and by the server (`EXPLAIN ANALYZE EXECUTE`: its own execution and planning time,
/// which a round trip of a fraction of a millisecond hides).
public struct Benchmark: Sendable {
    /// The median and 95th percentile of one series of times.
    public struct Summary: Sendable, Codable {
        public var medianMs: Double
        public var p95Ms: Double
    }

    /// One kind of time for the view and, where it has one, its defining query.
    public struct Comparison: Sendable, Codable {
        public var view: Summary
        public var query: Summary?
        /// How many times faster the view is than its query (query median / view median).
        public var speedup: Double?
    }

    public struct Measurement: Sendable, Codable {
        public var name: String
        /// As the client waits for it: the statement, its round trip and reading every row.
        public var client: Comparison
        /// The server's "Execution Time"; nil for refreshes, which EXPLAIN cannot run.
        public var serverExecution: Comparison?
        /// The server's "Planning Time" (small for a prepared statement once its plan is cached).
        public var serverPlanning: Comparison?
        /// The speedup `bench --min-speedup` holds a view to: the server execution time ratio,
        /// what reading the view saves the database, without the round trip both pay.
        public var speedup: Double?
    }

    public struct Result: Sendable, Codable {
        public var view: String
        public var rows: Int
        public var measurements: [Measurement]
    }

    public let supportSchema: String
    public let runs: Int

    public init(supportSchema: String, runs: Int) {
        self.supportSchema = supportSchema
        self.runs = max(1, runs)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[(sorted.count - 1) / 2]
    }

    static func p95(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
    }

    public func run(on connection: LiveConnection, only view: String? = nil) async throws -> [Result] {
        let deployed = try await DeployedView.load(on: connection, supportSchema: supportSchema, only: view)
        var results: [Result] = []
        for deployedView in deployed {
            let table = deployedView.qualifiedName, query = deployedView.definition
            var measurements: [Measurement] = []
            measurements.append(try await compare(
                "read all rows", view: "SELECT * FROM \(table)", query: "SELECT * FROM (\(query)) AS q",
                arguments: Array(repeating: [], count: runs), on: connection))
            for columns in try await uniqueKeys(of: table, on: connection) {
                let quoted = columns.map(SQLPrinter.identifier)
                // Each key column comes back as its own text value and goes to EXECUTE as its own
                // literal, which the prepared statement casts to the column's type.
                let keys = try await connection.rows("""
                    SELECT \(quoted.map { "\($0)::text" }.joined(separator: ", ")) FROM \(table)
                    WHERE \(quoted.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")) ORDER BY random() LIMIT \(runs)
                    """)
                guard !keys.isEmpty else { continue }
                let condition = quoted.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: " AND ")
                measurements.append(try await compare(
                    "lookup by (\(columns.joined(separator: ", ")))",
                    view: "SELECT * FROM \(table) WHERE \(condition)", query: "SELECT * FROM (\(query)) AS q WHERE \(condition)",
                    arguments: keys.map { $0.map { SQLPrinter.literal($0 ?? "") } }, on: connection))
            }
            let refreshRuns = min(runs, 3)
            var plain: [Double] = []
            if deployedView.strategy == "incremental" {
                // A table: its full rebuild compares the defining query with the stored rows and
                // recomputes the groups that differ (none, here).
                let rebuild = "SELECT \(SQLPrinter.identifier(supportSchema)).refresh(\(SQLPrinter.literal(deployedView.name)), 'bench')"
                for _ in 0..<refreshRuns { plain.append(try await connection.time(rebuild)) }
                measurements.append(Measurement(name: "full rebuild", client: Self.comparison(plain, nil)))
            } else {
                for _ in 0..<refreshRuns { plain.append(try await connection.time("REFRESH MATERIALIZED VIEW \(table)")) }
                measurements.append(Measurement(name: "full refresh", client: Self.comparison(plain, nil)))
            }
            if deployedView.concurrently {
                var concurrent: [Double] = []
                for _ in 0..<refreshRuns { concurrent.append(try await connection.time("REFRESH MATERIALIZED VIEW CONCURRENTLY \(table)")) }
                measurements.append(Measurement(name: "concurrent refresh", client: Self.comparison(concurrent, nil)))
            }
            let count = Int(try await connection.rows("SELECT count(*)::text FROM \(table)").first?.first.flatMap { $0 } ?? "0") ?? 0
            results.append(Result(view: deployedView.name, rows: count, measurements: measurements))
        }
        return results
    }

    /// The key columns of each unique index on `table` that a lookup can use: not partial, not on
    /// expressions (their columns would be missing from the key), without INCLUDE columns.
    private func uniqueKeys(of table: String, on connection: LiveConnection) async throws -> [[String]] {
        let rows = try await connection.rows("""
            SELECT i.indexrelid::text, a.attname::text
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = \(SQLPrinter.literal(table))::regclass AND i.indisunique AND i.indpred IS NULL
              AND i.indexprs IS NULL AND k.ordinality <= i.indnkeyatts
            ORDER BY i.indexrelid, k.ordinality
            """)
        var keys: [(index: String, columns: [String])] = []
        for row in rows {
            let index = row[0] ?? "", column = row[1] ?? ""
            if keys.last?.index == index { keys[keys.count - 1].columns.append(column) } else { keys.append((index, [column])) }
        }
        return keys.map(\.columns)
    }

    private static let viewStatement = "matview_bench_view", queryStatement = "matview_bench_query"

    /// Prepares `view` and `query` and executes each once per argument list, alternately, timed
    /// by the client and then by the server. A lookup (non-empty arguments) must find its row in
    /// the view: a key that finds nothing would time a miss, not a lookup.
    private func compare(_ name: String, view: String, query: String, arguments: [[String]], on connection: LiveConnection) async throws -> Measurement {
        _ = try await connection.rows("PREPARE \(Self.viewStatement) AS \(view)")
        _ = try await connection.rows("PREPARE \(Self.queryStatement) AS \(query)")
        var client: ([Double], [Double]) = ([], []), execution: ([Double], [Double]) = ([], []), planning: ([Double], [Double]) = ([], [])
        for values in arguments {
            let list = values.isEmpty ? "" : "(\(values.joined(separator: ", ")))"
            client.0.append(try await connection.time("EXECUTE \(Self.viewStatement)\(list)"))
            client.1.append(try await connection.time("EXECUTE \(Self.queryStatement)\(list)"))
            let viewServer = try await connection.serverTiming("EXECUTE \(Self.viewStatement)\(list)")
            let queryServer = try await connection.serverTiming("EXECUTE \(Self.queryStatement)\(list)")
            if !values.isEmpty, viewServer.rows != 1 {
                throw LiveConnection.Failure("bench, \(name): the key \(list) drawn from the view found \(Int(viewServer.rows)) rows in it")
            }
            execution.0.append(viewServer.executionMs); execution.1.append(queryServer.executionMs)
            planning.0.append(viewServer.planningMs); planning.1.append(queryServer.planningMs)
        }
        _ = try await connection.rows("DEALLOCATE \(Self.viewStatement)")
        _ = try await connection.rows("DEALLOCATE \(Self.queryStatement)")
        let serverExecution = Self.comparison(execution.0, execution.1)
        return Measurement(name: name, client: Self.comparison(client.0, client.1), serverExecution: serverExecution,
                           serverPlanning: Self.comparison(planning.0, planning.1), speedup: serverExecution.speedup)
    }

    static func comparison(_ view: [Double], _ query: [Double]?) -> Comparison {
        let viewSummary = Summary(medianMs: median(view), p95Ms: p95(view))
        let querySummary = query.map { Summary(medianMs: median($0), p95Ms: p95($0)) }
        // No ratio against a zero median (below EXPLAIN's microsecond resolution): it would be infinite.
        let speedup = querySummary.flatMap { viewSummary.medianMs > 0 ? $0.medianMs / viewSummary.medianMs : nil }
        return Comparison(view: viewSummary, query: querySummary, speedup: speedup)
    }
}
