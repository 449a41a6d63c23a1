import Foundation
import MatviewSyntax

/// A view's refreshes over a window, summarised per time bucket for charts: the log of a view
/// drained every second holds 86,400 rows a day, so the database aggregates and the dashboard
/// draws at most one point per bucket and outcome.
public struct ViewHistory: Sendable, Codable, Equatable {
    public struct Point: Sendable, Codable, Equatable {
        public var time: Date
        public var value: Double
        public var failed: Bool
    }

    public var windowSeconds: Double
    public var bucketSeconds: Double
    /// The longest refresh of each bucket, in milliseconds; failures are separate points.
    public var durations: [Point]
    /// Seconds since the previous successful refresh, just before each successful refresh (the
    /// peaks of the view's age), the largest of each bucket.
    public var stalenessPeaks: [Point]

    public static func load(view: String, windowSeconds: Double, bucketSeconds: Double, on connection: LiveConnection,
                            supportSchema: String) async throws -> ViewHistory {
        let log = "\(SQLPrinter.identifier(supportSchema)).refresh_log"
        let name = SQLPrinter.literal(view)
        let window = "clock_timestamp() - make_interval(secs => \(Int(windowSeconds)))"
        let bucket = "date_bin(make_interval(secs => \(Int(bucketSeconds))), %@, TIMESTAMPTZ '2000-01-01 00:00:00+00')"
        // started_at bounds the scan, so refresh_log_view_started_idx serves it.
        let durations = try await connection.rows("""
            SELECT extract(epoch FROM \(bucket.replacingOccurrences(of: "%@", with: "finished_at")))::text AS bucket,
                   max(duration_ms)::text, (status = 'failed')::text
            FROM \(log) WHERE view_name = \(name) AND started_at > \(window)
            GROUP BY 1, 3 ORDER BY 1, 3
            """)
        let peaks = try await connection.rows("""
            WITH ok AS (
                SELECT finished_at FROM \(log) WHERE view_name = \(name) AND status = 'succeeded' AND started_at > \(window)
                UNION ALL
                (SELECT finished_at FROM \(log) WHERE view_name = \(name) AND status = 'succeeded' AND started_at <= \(window)
                 ORDER BY started_at DESC LIMIT 1)
            ), gaps AS (
                SELECT finished_at, extract(epoch FROM finished_at - lag(finished_at) OVER (ORDER BY finished_at)) AS gap FROM ok
            )
            SELECT extract(epoch FROM \(bucket.replacingOccurrences(of: "%@", with: "finished_at")))::text, max(gap)::text
            FROM gaps WHERE gap IS NOT NULL AND finished_at > \(window)
            GROUP BY 1 ORDER BY 1
            """)
        func point(_ row: [String?], failed: Bool) -> Point {
            Point(time: Date(timeIntervalSince1970: Double(row[0] ?? "") ?? 0), value: Double(row[1] ?? "") ?? 0, failed: failed)
        }
        return ViewHistory(windowSeconds: windowSeconds, bucketSeconds: bucketSeconds,
                           durations: durations.map { point($0, failed: $0[2] == "true") },
                           stalenessPeaks: peaks.map { point($0, failed: false) })
    }
}
