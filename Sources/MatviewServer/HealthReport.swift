import Foundation
import MatviewLive

/// `/healthz`: 200 when the database answers and every deployed view is healthy, 503 otherwise,
/// with a JSON body that says which views are not and why, for a load balancer or a human.
struct HealthReport: Encodable {
    struct View: Encodable {
        var view: String
        var health: String
        var secondsStale: Double?
        var maxStalenessSeconds: Double?
        var pendingChanges: Int
        var failures24h: Int
        var lastError: String?
    }

    /// `healthy`, `unhealthy` or `database unavailable`.
    var status: String
    var database: String
    var error: String?
    var views: [View]

    var healthy: Bool { status == "healthy" }

    init(status report: StatusReport) {
        views = report.views.map {
            View(view: $0.view, health: $0.health, secondsStale: $0.ageSeconds, maxStalenessSeconds: $0.maxStalenessSeconds,
                 pendingChanges: $0.pendingChanges, failures24h: $0.failures24h, lastError: $0.lastStatus == "failed" ? $0.lastError : nil)
        }
        status = report.healthy ? "healthy" : "unhealthy"
        database = "up"
    }

    init(databaseError: String) {
        status = "database unavailable"
        database = "down"
        error = databaseError
        views = []
    }

    func json() -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) + "\n" } ?? "{}\n"
    }
}
