import Foundation
import MatviewLive
import Prometheus

/// The Prometheus metrics of `/metrics`, kept in a swift-prometheus registry and brought up to
/// date at each scrape from the database: gauges from the freshness view, and the refresh
/// duration histogram and failure counter from the refresh log rows not counted yet. Counting
/// starts with the refreshes of the last `overlap` before the server started (not the log's 30
/// days, which can hold millions of drains), so a restart looks to Prometheus like any counter
/// reset.
public final class MonitoringMetrics: @unchecked Sendable {
    // @unchecked: the registry and metrics are thread-safe; `lock` guards the bookkeeping below.
    private let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private var views: [String: ViewMetrics] = [:]
    /// Refresh-log ids already counted whose rows finished within `overlap` of the newest seen.
    private var countedIDs: [Int64: Date] = [:]
    private var countedUpTo: Date?
    private let countingSince: Date
    private let up: Gauge

    /// A refresh may commit this long after it finished (its log row becomes visible at commit),
    /// so each scrape reads back that far and skips the ids it has already counted.
    static let overlap: TimeInterval = 600
    /// From 10 ms to 30 minutes: drains take milliseconds, full refreshes of big views minutes.
    static let durationBuckets: [Double] = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800]

    struct ViewMetrics {
        var secondsStale: Gauge
        var stale: Gauge
        var rows: Gauge
        var pending: Gauge
        var durations: ValueHistogram
        var failures: Counter
    }

    public init(now: Date = Date()) {
        countingSince = now.addingTimeInterval(-Self.overlap)
        up = registry.makeGauge(descriptor: Self.descriptor("matview_up", "1 while the database answers, 0 when it does not."))
    }

    private static func descriptor(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    /// The metrics of one view, created on first sight.
    private func metrics(of view: String) -> ViewMetrics {
        if let existing = views[view] { return existing }
        let labels = [("view", view)]
        let created = ViewMetrics(
            secondsStale: registry.makeGauge(descriptor: Self.descriptor(
                "matview_view_seconds_stale", "Seconds since the view was last current: since its last refresh, or its oldest unapplied change for incremental views kept on change; +Inf when never refreshed."), labels: labels),
            stale: registry.makeGauge(descriptor: Self.descriptor(
                "matview_view_stale", "1 when the view is older than its max_staleness (or never refreshed), else 0."), labels: labels),
            rows: registry.makeGauge(descriptor: Self.descriptor(
                "matview_view_rows", "Rows in the view after its last refresh."), labels: labels),
            pending: registry.makeGauge(descriptor: Self.descriptor(
                "matview_pending_changes", "Captured writes the view has not applied yet."), labels: labels),
            durations: registry.makeValueHistogram(descriptor: Self.descriptor(
                "matview_refresh_duration_seconds", "Duration of each refresh, drain or rebuild of the view."), labels: labels, buckets: Self.durationBuckets),
            failures: registry.makeCounter(descriptor: Self.descriptor(
                "matview_refresh_failures_total", "Refreshes of the view that failed."), labels: labels))
        views[view] = created
        return created
    }

    /// The database did not answer: only `matview_up` changes; the views' last values stay.
    public func recordDatabaseDown() {
        up.set(0.0)
    }

    /// Where to read the refresh log from: a little before the newest row counted.
    public func refreshLogReadStart() -> Date {
        lock.withLock { max(countingSince, countedUpTo.map { $0.addingTimeInterval(-Self.overlap) } ?? countingSince) }
    }

    /// A scrape that reached the database.
    public func record(status: StatusReport, newRefreshes: [RefreshRecord]) {
        lock.withLock {
            up.set(1.0)
            let deployed = Set(status.views.map(\.view))
            // A view rolled back or renamed stops being exported.
            for (name, gone) in views where !deployed.contains(name) {
                registry.unregisterGauge(gone.secondsStale)
                registry.unregisterGauge(gone.stale)
                registry.unregisterGauge(gone.rows)
                registry.unregisterGauge(gone.pending)
                registry.unregisterValueHistogram(gone.durations)
                registry.unregisterCounter(gone.failures)
                views[name] = nil
            }
            for view in status.views {
                let m = metrics(of: view.view)
                m.secondsStale.set(view.lastRefresh == nil && view.ageSeconds == nil ? .infinity : view.ageSeconds ?? 0)
                m.stale.set(view.stale || view.lastRefresh == nil ? 1.0 : 0.0)
                m.rows.set(Double(view.rows ?? 0))
                m.pending.set(Double(view.pendingChanges))
            }
            for record in newRefreshes where countedIDs[record.id] == nil {
                countedIDs[record.id] = record.finishedAt
                if countedUpTo.map({ record.finishedAt > $0 }) ?? true { countedUpTo = record.finishedAt }
                guard deployed.contains(record.view) else { continue }
                let m = metrics(of: record.view)
                m.durations.record(record.durationMs / 1000)
                if !record.succeeded { m.failures.increment() }
            }
            if let countedUpTo {
                let horizon = countedUpTo.addingTimeInterval(-Self.overlap)
                countedIDs = countedIDs.filter { $0.value >= horizon }
            }
        }
    }

    /// The text exposition format (version 0.0.4).
    public func exposition() -> String {
        registry.emitToString()
    }
}
