import Foundation
import MatviewSyntax

/// `bench`: reading each view against running its defining query, side by side in one run:
/// the whole view, point lookups by each unique index with keys drawn at random from the view,
/// and the full and concurrent refresh times. Medians, 95th percentiles and ratios.
public struct Benchmark: Sendable {
    public struct Measurement: Sendable, Codable {
        public var name: String
        public var viewMedianMs: Double
        public var viewP95Ms: Double
        public var queryMedianMs: Double?
        public var queryP95Ms: Double?
        /// How many times faster the view is than its query (query median / view median).
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
            let name = deployedView.name, table = deployedView.qualifiedName, query = deployedView.definition
            var measurements: [Measurement] = []
            measurements.append(try await pair("read all rows", view: "SELECT * FROM \(table)", query: "SELECT * FROM (\(query)) AS q", on: connection))
            // Point lookups: one per unique index, keys drawn at random from the view.
            let indexes = try await connection.rows("""
                SELECT string_agg(quote_ident(a.attname), ',' ORDER BY k.ordinality)
                FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ordinality)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = \(SQLPrinter.literal(table))::regclass AND i.indisunique AND i.indpred IS NULL
                GROUP BY i.indexrelid ORDER BY 1
                """)
            for index in indexes.compactMap({ $0.first ?? nil }) {
                let columns = index.split(separator: ",").map(String.init)
                let literal = columns.map { "quote_literal(\($0)::text) || '::' || pg_typeof(\($0))::text" }.joined(separator: " || ',' || ")
                let keys = try await connection.rows("SELECT \(literal) FROM \(table) ORDER BY random() LIMIT \(runs)").compactMap { $0.first ?? nil }
                guard !keys.isEmpty else { continue }
                var viewTimes: [Double] = [], queryTimes: [Double] = []
                for key in keys {
                    let values = key.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                    let condition = zip(columns, values).map { "\($0) = \($1)" }.joined(separator: " AND ")
                    viewTimes.append(try await connection.time("SELECT * FROM \(table) WHERE \(condition)"))
                    queryTimes.append(try await connection.time("SELECT * FROM (\(query)) AS q WHERE \(condition)"))
                }
                measurements.append(measurement("lookup by (\(columns.joined(separator: ", ")))", viewTimes, queryTimes))
            }
            let refreshRuns = min(runs, 3)
            var plain: [Double] = []
            for _ in 0..<refreshRuns { plain.append(try await connection.time("REFRESH MATERIALIZED VIEW \(table)")) }
            measurements.append(measurement("full refresh", plain, nil))
            if deployedView.concurrently {
                var concurrent: [Double] = []
                for _ in 0..<refreshRuns { concurrent.append(try await connection.time("REFRESH MATERIALIZED VIEW CONCURRENTLY \(table)")) }
                measurements.append(measurement("concurrent refresh", concurrent, nil))
            }
            let count = Int(try await connection.rows("SELECT count(*)::text FROM \(table)").first?.first.flatMap { $0 } ?? "0") ?? 0
            results.append(Result(view: name, rows: count, measurements: measurements))
        }
        return results
    }

    private func pair(_ name: String, view: String, query: String, on connection: LiveConnection) async throws -> Measurement {
        var viewTimes: [Double] = [], queryTimes: [Double] = []
        for _ in 0..<runs {
            viewTimes.append(try await connection.time(view))
            queryTimes.append(try await connection.time(query))
        }
        return measurement(name, viewTimes, queryTimes)
    }

    private func measurement(_ name: String, _ view: [Double], _ query: [Double]?) -> Measurement {
        let viewMedian = Self.median(view)
        let queryMedian = query.map(Self.median)
        return Measurement(name: name, viewMedianMs: viewMedian, viewP95Ms: Self.p95(view), queryMedianMs: queryMedian,
                           queryP95Ms: query.map(Self.p95), speedup: queryMedian.map { viewMedian > 0 ? $0 / viewMedian : 0 })
    }

    public static func text(_ results: [Result]) -> String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.2f ms", $0) } ?? "-" }
        var rows = [["view", "measure", "view median", "view p95", "query median", "query p95", "speedup"]]
        for result in results {
            for m in result.measurements {
                rows.append([result.view, m.name, ms(m.viewMedianMs), ms(m.viewP95Ms), ms(m.queryMedianMs), ms(m.queryP95Ms),
                             m.speedup.map { String(format: "%.1fx", $0) } ?? "-"])
            }
        }
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i < 2 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                      : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
