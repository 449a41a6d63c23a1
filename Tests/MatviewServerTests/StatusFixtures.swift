import Foundation
@testable import MatviewLive

/// Status rows for page and metrics tests, healthy unless told otherwise.
enum StatusFixtures {
    static func view(_ name: String, health: String = "ok", age: Double? = 30, rows: Int? = 10, failures: Int = 0,
                     pending: Int = 0, duration: Double? = 12, schedule: String? = nil, lastError: String? = nil) -> StatusReport.ViewStatus {
        StatusReport.ViewStatus(
            view: name, schema: "public", strategy: "full", onChange: "none",
            lastRefresh: health == "never refreshed" ? nil : "2026-11-25 17:00:00.123456+00",
            ageSeconds: health == "never refreshed" ? nil : age, maxStalenessSeconds: 600, stale: health == "stale",
            lastStatus: health == "failing" ? "failed" : (health == "never refreshed" ? nil : "succeeded"),
            lastDurationMs: duration, lastError: lastError, averageDurationMs: duration, schedule: schedule, rows: rows,
            failures24h: failures, pendingChanges: pending, oldestPendingSeconds: pending > 0 ? 5 : nil,
            uncapturedTables: health == "uncaptured" ? ["public.t_2026"] : [], job: nil, jobActive: nil, lastJobRun: nil)
    }
}
