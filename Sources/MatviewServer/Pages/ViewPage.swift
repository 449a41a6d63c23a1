import Foundation
import MatviewLive

/// `/views/NAME`: one view's refresh durations and staleness over the last day and week (SVG drawn
/// here), each recent failure with its error, and what it reads, what reads it, its definition,
/// indexes, grants and cron job.
struct ViewPage {
    struct Data: Sendable {
        var status: StatusReport.ViewStatus
        var details: ViewDetails
        var lastDay: ViewHistory
        var lastWeek: ViewHistory
        var failures: [RefreshRecord]
    }

    var name: String
    var data: Data?
    var databaseError: String?
    var clock: ScheduleClock
    var now: Date

    /// How many failures the page lists (newest first).
    static let failureLimit = 50

    func html() -> String {
        var body = "<p class=\"crumbs\"><a href=\"/\">Overview</a> › \(HTML.escape(name))</p>\n"
        body += "<h1>\(HTML.escape(name))</h1>\n"
        guard let data else {
            body += "<p class=\"empty\">No figures: the database could not be read.</p>\n"
            return PageLayout.document(title: "matview: \(name)", current: .view, body: body,
                                       status: DisplayFormat.databaseBanner(databaseError))
        }
        body += facts(data)
        body += "<h2>Refresh duration</h2>\n"
        body += chart(title: "Refresh duration of \(name), last 24 hours", history: data.lastDay, staleness: false, data: data)
        body += chart(title: "Refresh duration of \(name), last 7 days", history: data.lastWeek, staleness: false, data: data)
        body += "<h2>Staleness</h2>\n"
        if data.status.strategy == "incremental" && data.status.onChange != "none" {
            body += "<p>Kept current by every write (\(HTML.escape(data.status.onChange))): its age is that of its oldest unapplied change, now \(DisplayFormat.age(data.status.ageSeconds)). The chart shows the time between its refreshes and drains.</p>\n"
        } else {
            body += "<p>Age just before each refresh (the worst of each interval), and now.</p>\n"
        }
        body += chart(title: "Staleness of \(name), last 24 hours", history: data.lastDay, staleness: true, data: data)
        body += chart(title: "Staleness of \(name), last 7 days", history: data.lastWeek, staleness: true, data: data)
        body += failures(data.failures)
        body += lineage(data.details)
        body += definition(data.details, schedule: data.status.schedule)
        return PageLayout.document(title: "matview: \(name)", current: .view, body: body,
                                   status: DisplayFormat.databaseBanner(databaseError))
    }

    private func facts(_ data: Data) -> String {
        let v = data.status
        var rows: [(String, String)] = [
            ("Health", HealthBadge.html(v.health)),
            ("Age / objective", "\(DisplayFormat.age(v.ageSeconds)) / \(v.maxStalenessSeconds.map { DisplayFormat.age($0) } ?? "none")"),
            ("Last refresh", "\(HTML.escape(v.lastStatus ?? "never")) at \(HTML.escape(DisplayFormat.postgresTime(v.lastRefresh))), \(DisplayFormat.duration(milliseconds: v.lastDurationMs))"),
            ("Average refresh, 24 h", DisplayFormat.duration(milliseconds: v.averageDurationMs)),
            ("Rows", DisplayFormat.count(v.rows)),
            ("Failures, 24 h", "\(v.failures24h)"),
            ("Pending changes", v.pendingChanges == 0 ? "none" : "\(DisplayFormat.count(v.pendingChanges)), oldest \(DisplayFormat.age(v.oldestPendingSeconds))"),
            ("Refresh", "\(HTML.escape(v.strategy)), on change: \(HTML.escape(v.onChange))"),
            ("Schedule", v.schedule.map { "<code>\(HTML.escape($0))</code>, next run \(HTML.escape(clock.nextRun(of: $0, after: now).map { DisplayFormat.time($0) } ?? "-"))" } ?? "none"),
        ]
        if !v.uncapturedTables.isEmpty {
            rows.append(("Uncaptured tables", HTML.escape(v.uncapturedTables.joined(separator: ", ")) + " (run <code>matview apply</code>)"))
        }
        return "<dl class=\"facts\">\n" + rows.map { "<dt>\(HTML.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined(separator: "\n") + "\n</dl>\n"
    }

    private func chart(title: String, history: ViewHistory, staleness: Bool, data: Data) -> String {
        let start = now.addingTimeInterval(-history.windowSeconds)
        var points: [TimeSeriesChart.Point]
        var threshold: Double?
        if staleness {
            points = history.stalenessPeaks.map { TimeSeriesChart.Point(time: $0.time, value: $0.value) }
            if let age = data.status.ageSeconds { points.append(TimeSeriesChart.Point(time: now, value: age)) }
            threshold = data.status.maxStalenessSeconds
        } else {
            points = history.durations.map { TimeSeriesChart.Point(time: $0.time, value: $0.value, failed: $0.failed) }
        }
        let chart = TimeSeriesChart(title: title, unit: staleness ? "s" : "ms", start: start, end: now, points: points,
                                    threshold: threshold, thresholdLabel: threshold.map { "max_staleness \(DisplayFormat.age($0))" },
                                    style: staleness ? .line : .points)
        return "<figure>\(chart.svg())<figcaption>\(HTML.escape(title))</figcaption></figure>\n"
    }

    private func failures(_ failures: [RefreshRecord]) -> String {
        var html = "<h2>Failures, last 7 days</h2>\n"
        guard !failures.isEmpty else { return html + "<p>None.</p>\n" }
        if failures.count == Self.failureLimit { html += "<p>The latest \(Self.failureLimit).</p>\n" }
        html += "<div class=\"table-wrap\"><table class=\"failures\"><thead><tr><th scope=\"col\">Started</th><th scope=\"col\">By</th><th scope=\"col\" class=\"num\">After</th><th scope=\"col\">Error</th></tr></thead><tbody>\n"
        for f in failures {
            html += "<tr><td>\(HTML.escape(DisplayFormat.time(f.startedAt)))</td><td>\(HTML.escape(f.source))</td>"
            html += "<td class=\"num\">\(DisplayFormat.duration(milliseconds: f.durationMs))</td>"
            html += "<td><pre class=\"error\">\(HTML.escape(f.error ?? "(no message)"))</pre></td></tr>\n"
        }
        return html + "</tbody></table></div>\n"
    }

    private func lineage(_ d: ViewDetails) -> String {
        func list(_ items: [String], link: Bool) -> String {
            guard !items.isEmpty else { return "<p>None.</p>\n" }
            return "<ul>" + items.map { item in
                link ? "<li><a href=\"/views/\(HTML.escape(HTML.queryEscape(item)))\">\(HTML.escape(item))</a></li>" : "<li><code>\(HTML.escape(item))</code></li>"
            }.joined() + "</ul>\n"
        }
        var html = "<h2>Lineage</h2>\n<div class=\"columns\">\n"
        html += "<section><h3>Source tables</h3>\n" + list(d.sourceTables, link: false) + "</section>\n"
        html += "<section><h3>Reads views</h3>\n" + list(d.readsViews, link: true) + "</section>\n"
        html += "<section><h3>Read by views</h3>\n" + list(d.readByViews, link: true) + "</section>\n"
        return html + "</div>\n<p><a href=\"/lineage\">Whole lineage</a></p>\n"
    }

    private func definition(_ d: ViewDetails, schedule: String?) -> String {
        var html = "<h2>Definition</h2>\n<pre class=\"sql\">\(HTML.escape(d.definition))</pre>\n"
        html += "<h2>Indexes</h2>\n"
        html += d.indexes.isEmpty ? "<p>None.</p>\n" : "<ul class=\"sql-list\">" + d.indexes.map { "<li><code>\(HTML.escape($0))</code></li>" }.joined() + "</ul>\n"
        html += "<h2>Grants</h2>\n"
        html += "<p>Owner: \(HTML.escape(d.owner ?? "-"))</p>\n"
        html += d.grants.isEmpty ? "<p>No grants to other roles.</p>\n" : "<ul>" + d.grants.map { "<li>\(HTML.escape($0))</li>" }.joined() + "</ul>\n"
        html += "<h2>Cron job</h2>\n"
        if let job = d.cronJob {
            html += "<dl class=\"facts\"><dt>Name</dt><dd><code>\(HTML.escape(job.name))</code></dd>"
            html += "<dt>Schedule</dt><dd><code>\(HTML.escape(job.schedule))</code></dd>"
            html += "<dt>Command</dt><dd><code>\(HTML.escape(job.command))</code></dd>"
            html += "<dt>State</dt><dd>\(job.active ? "active" : "paused")</dd>"
            html += "<dt>Last run</dt><dd>\(HTML.escape(job.lastRun.map { DisplayFormat.postgresTime($0) } ?? "none yet"))</dd></dl>\n"
        } else if schedule == nil {
            html += "<p>None: the view has no schedule.</p>\n"
        } else if !d.cronJobVisible {
            html += "<p>pg_cron's jobs are not visible to this role (pg_cron shows each role only its own jobs).</p>\n"
        } else {
            html += "<p>Missing: the view has a schedule but pg_cron has no job for it (is pg_cron installed in this database? run <code>matview apply</code>).</p>\n"
        }
        return html
    }
}
