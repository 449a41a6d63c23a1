import Foundation

/// How `bench` prints its results, and the minimum speedup CI can hold the views to.
extension Benchmark {
    /// A table with one line per measure and kind of time (client; server execution and planning
    /// where the server can explain the statement), the view beside its defining query.
    public static func text(_ results: [Result]) -> String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.2f ms", $0) } ?? "-" }
        var rows = [["view", "measure", "time", "view median", "view p95", "query median", "query p95", "speedup"]]
        for result in results {
            for m in result.measurements {
                let kinds: [(String, Comparison?)] = [("client", m.client), ("server execution", m.serverExecution), ("server planning", m.serverPlanning)]
                for case let (kind, comparison?) in kinds {
                    rows.append([result.view, m.name, kind, ms(comparison.view.medianMs), ms(comparison.view.p95Ms),
                                 ms(comparison.query?.medianMs), ms(comparison.query?.p95Ms),
                                 comparison.speedup.map { String(format: "%.1fx", $0) } ?? "-"])
                }
            }
        }
        let widths = rows[0].indices.map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i < 3 ? cell.padding(toLength: widths[i], withPad: " ", startingAt: 0)
                      : String(repeating: " ", count: widths[i] - cell.count) + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// One line for each measure whose speedup (server execution time, query median over view
    /// median) is below `minimum`; refreshes, which have no query to compare with, are not held.
    public static func belowMinimum(_ results: [Result], minimum: Double) -> [String] {
        results.flatMap { result in
            result.measurements.compactMap { m in
                guard let speedup = m.speedup, speedup < minimum else { return nil }
                return "\(result.view), \(m.name): the view's server execution time is \(String(format: "%.2f", speedup))x faster than its query's, below --min-speedup \(minimum)"
            }
        }
    }
}
