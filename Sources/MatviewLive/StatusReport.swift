import Foundation
import MatviewSyntax

/// `status`: the monitoring dashboard in the terminal, from the freshness view (refresh log and
/// pending changes) and pg_cron's job table. A view is unhealthy when it was never refreshed, its
/// last refresh failed, it or its oldest pending change is older than its max_staleness, or a
/// table it reads (a partition created after apply, say) has no capture trigger.
public struct StatusReport: Sendable, Codable {
    public struct ViewStatus: Sendable, Codable {
        public var view: String
        /// The schema the view lives in.
        public var schema: String
        /// `full` or `incremental`, and `none`, `queue` or `immediate`.
        public var strategy: String
        public var onChange: String
        public var lastRefresh: String?
        public var ageSeconds: Double?
        public var maxStalenessSeconds: Double?
        public var stale: Bool
        public var lastStatus: String?
        public var lastDurationMs: Double?
        /// The error of the last refresh, when it failed.
        public var lastError: String?
        /// Mean duration of the successful refreshes of the last 24 hours.
        public var averageDurationMs: Double?
        /// The pg_cron schedule of its full refresh, if any.
        public var schedule: String?
        public var rows: Int?
        public var failures24h: Int
        /// Writes captured for the view and not yet applied (queued views only).
        public var pendingChanges: Int
        public var oldestPendingSeconds: Double?
        /// Tables whose writes the view needs but which lack the capture trigger.
        public var uncapturedTables: [String]
        public var job: String?
        public var jobActive: Bool?
        public var lastJobRun: String?

        public var healthy: Bool { lastRefresh != nil && !stale && lastStatus != "failed" && uncapturedTables.isEmpty }

        /// One word for the health column, the worst problem first.
        public var health: String {
            if lastRefresh == nil { return "never refreshed" }
            if !uncapturedTables.isEmpty { return "uncaptured" }
            if lastStatus == "failed" { return "failing" }
            return stale ? "stale" : "ok"
        }
    }

    public var views: [ViewStatus]
    public var healthy: Bool { views.allSatisfy(\.healthy) }

    public static func load(on connection: LiveConnection, supportSchema: String) async throws -> StatusReport {
        let s = SQLPrinter.identifier(supportSchema)
        guard try await connection.rows("SELECT (to_regclass(\(SQLPrinter.literal("\(supportSchema).freshness"))) IS NOT NULL)::text").first?.first == "true" else {
            throw LiveConnection.Failure("nothing is deployed in this database (no \(supportSchema).freshness); run `matview apply` first")
        }
        let rows = try await connection.rows("""
            SELECT view_name, last_refresh::text, round(seconds_stale::numeric, 1)::text, extract(epoch FROM max_staleness)::text,
                   coalesce(stale, false)::text, last_status, last_duration_ms::text, last_row_count::text, failures_24h::text,
                   pending_changes::text, round(oldest_pending_seconds::numeric, 1)::text, array_to_string(uncaptured_tables, E'\\n'),
                   coalesce(to_jsonb(f) ->> 'strategy', 'full'), on_change,
                   schema_name, last_error, round(avg_duration_ms, 3)::text, schedule
            FROM \(s).freshness AS f ORDER BY view_name
            """)
        var jobs: [String: (active: Bool, lastRun: String?)] = [:]
        // pg_cron's jobs, where this role may read them; without the right the job column stays
        // empty instead of status failing.
        if try await PgCronAccess.check(on: connection) == .readable {
            let prefix = "\(supportSchema):"
            for job in try await connection.rows("""
                SELECT j.jobname, j.active::text,
                       (SELECT d.status || ' at ' || d.start_time::text FROM cron.job_run_details d WHERE d.jobid = j.jobid ORDER BY d.start_time DESC LIMIT 1)
                FROM cron.job j WHERE left(j.jobname, \(prefix.count)) = \(SQLPrinter.literal(prefix))
                """) {
                jobs[String((job[0] ?? "").dropFirst(prefix.count))] = (job[1] == "true", job[2] ?? nil)
            }
        }
        let views = rows.map { row -> ViewStatus in
            let name = row[0] ?? ""
            let job = jobs[name]
            return ViewStatus(view: name, schema: row[14] ?? "", strategy: row[12] ?? "full", onChange: row[13] ?? "none", lastRefresh: row[1] ?? nil, ageSeconds: row[2].flatMap { $0 }.flatMap(Double.init),
                              maxStalenessSeconds: row[3].flatMap { $0 }.flatMap(Double.init), stale: row[4] == "true",
                              lastStatus: row[5] ?? nil, lastDurationMs: row[6].flatMap { $0 }.flatMap(Double.init),
                              lastError: row[15] ?? nil, averageDurationMs: row[16].flatMap { $0 }.flatMap(Double.init), schedule: row[17] ?? nil,
                              rows: row[7].flatMap { $0 }.flatMap { Int($0) }, failures24h: Int(row[8] ?? "0") ?? 0,
                              pendingChanges: Int(row[9] ?? "0") ?? 0, oldestPendingSeconds: row[10].flatMap { $0 }.flatMap(Double.init),
                              uncapturedTables: TextColumn.lines(row[11]),
                              job: job == nil ? nil : "\(supportSchema):\(name)", jobActive: job?.active, lastJobRun: job?.lastRun ?? nil)
        }
        return StatusReport(views: views)
    }

    /// A table for people; colour only when `colour` (a terminal).
    public func text(colour: Bool) -> String {
        func paint(_ text: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func duration(_ seconds: Double?) -> String {
            guard let seconds else { return "-" }
            if seconds < 120 { return "\(Int(seconds.rounded()))s" }
            if seconds < 7200 { return "\(Int((seconds / 60).rounded()))m" }
            return "\(Int((seconds / 3600).rounded()))h"
        }
        let header = ["view", "health", "refresh", "age / objective", "last refresh", "duration", "rows", "failures 24h", "pending", "cron job"]
        var table: [[String]] = []
        var colours: [String] = []
        for v in views {
            let health = v.health
            colours.append(health == "ok" ? "32" : "31")
            table.append([
                v.view, health, "\(v.strategy), \(v.onChange)",
                "\(duration(v.ageSeconds)) / \(v.maxStalenessSeconds.map { duration($0) } ?? "-")",
                v.lastStatus ?? "-",
                v.lastDurationMs.map { String(format: "%.1f ms", $0) } ?? "-",
                v.rows.map(String.init) ?? "-",
                "\(v.failures24h)",
                v.pendingChanges == 0 ? "-" : "\(v.pendingChanges) changes, oldest \(duration(v.oldestPendingSeconds))",
                v.job.map { "\($0) (\(v.jobActive == true ? "active" : "paused"))\(v.lastJobRun.map { ", last run \($0)" } ?? "")" } ?? "none",
            ])
        }
        let widths = header.indices.map { i in ([header[i]] + table.map { $0[i] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        }
        var out = (colour ? "\u{1B}[1m" : "") + line(header) + (colour ? "\u{1B}[0m" : "") + "\n"
        for (row, code) in zip(table, colours) {
            var cells = row
            cells[1] = paint(cells[1].padding(toLength: widths[1], withPad: " ", startingAt: 0), code)
            out += cells.enumerated().map { i, cell in i == 1 || i == cells.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: "  ") + "\n"
        }
        if views.isEmpty { out += "(no views deployed)\n" }
        for v in views where !v.uncapturedTables.isEmpty {
            out += "\(v.view): writes to \(v.uncapturedTables.joined(separator: ", ")) are not captured; run `matview apply` to add the triggers\n"
        }
        return out
    }
}
