import Foundation
import Hummingbird
import MatviewLive

/// What each URL answers. Every handler reads what it shows from the database at request time,
/// through the one shared connection; when that fails the page still answers 200 and says why,
/// while /healthz answers 503 and /metrics `matview_up 0`, which is what monitors act on.
struct DashboardResponder: Sendable {
    let database: MonitoringDatabase
    let metrics: MonitoringMetrics
    let supportSchema: String

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in try await overview(request) }
        router.get("/views/:name") { _, context in try await viewPage(context) }
        router.get("/lineage") { _, _ in await lineage() }
        router.get("/metrics") { _, _ in await scrape() }
        router.get("/healthz") { _, _ in await health() }
    }

    private func overview(_ request: Request) async throws -> Response {
        let query: OverviewQuery
        do {
            query = try OverviewQuery(parameters: request.uri.queryParameters.map { (String($0.key), String($0.value)) })
        } catch {
            return Self.page(ErrorPage(status: .badRequest, message: error.description).html(), status: .badRequest)
        }
        let schema = supportSchema
        let result: (StatusReport, String?)?
        var failure: String?
        do {
            result = try await database.read { connection in
                let status = try await StatusReport.load(on: connection, supportSchema: schema)
                return (status, try await Self.cronTimeZone(on: connection))
            }
        } catch {
            result = nil
            failure = error.description
        }
        let page = OverviewPage(status: result?.0, databaseError: failure, query: query,
                                clock: ScheduleClock(cronTimeZone: result?.1), now: Date())
        return Self.page(page.html())
    }

    private func viewPage(_ context: BasicRequestContext) async throws -> Response {
        // The router hands path segments over still percent-encoded.
        let raw = context.parameters.get("name") ?? ""
        guard let name = raw.removingPercentEncoding, !name.isEmpty else {
            return Self.page(ErrorPage(status: .badRequest, message: "the view name in the URL is not valid percent-encoding").html(), status: .badRequest)
        }
        let schema = supportSchema
        let now = Date()
        do {
            let loaded: (ViewPage.Data, String?)? = try await database.read { connection in
                let status = try await StatusReport.load(on: connection, supportSchema: schema)
                guard let row = status.views.first(where: { $0.view == name }),
                      let details = try await ViewDetails.load(view: name, on: connection, supportSchema: schema) else { return nil }
                let day = try await ViewHistory.load(view: name, windowSeconds: 86_400, bucketSeconds: 60, on: connection, supportSchema: schema)
                let week = try await ViewHistory.load(view: name, windowSeconds: 7 * 86_400, bucketSeconds: 600, on: connection, supportSchema: schema)
                let failures = try await RefreshRecord.failures(of: name, since: now.addingTimeInterval(-7 * 86_400), limit: ViewPage.failureLimit,
                                                                on: connection, supportSchema: schema)
                return (ViewPage.Data(status: row, details: details, lastDay: day, lastWeek: week, failures: failures),
                        try await Self.cronTimeZone(on: connection))
            }
            guard let loaded else {
                return Self.page(ErrorPage(status: .notFound, message: "no deployed view is named \(name)").html(), status: .notFound)
            }
            return Self.page(ViewPage(name: name, data: loaded.0, databaseError: nil, clock: ScheduleClock(cronTimeZone: loaded.1), now: now).html())
        } catch {
            return Self.page(ViewPage(name: name, data: nil, databaseError: error.description, clock: ScheduleClock(cronTimeZone: nil), now: now).html())
        }
    }

    private func lineage() async -> Response {
        let schema = supportSchema
        do {
            let (lineage, status) = try await database.read { connection in
                (try await DeployedLineage.load(on: connection, supportSchema: schema),
                 try await StatusReport.load(on: connection, supportSchema: schema))
            }
            let health = Dictionary(status.views.map { ($0.view, $0.health) }, uniquingKeysWith: { first, _ in first })
            return Self.page(LineagePage(lineage: lineage, health: health, databaseError: nil).html())
        } catch {
            return Self.page(LineagePage(lineage: nil, health: [:], databaseError: error.description).html())
        }
    }

    private func scrape() async -> Response {
        let schema = supportSchema
        let since = metrics.refreshLogReadStart()
        do {
            let (status, records) = try await database.read { connection in
                (try await StatusReport.load(on: connection, supportSchema: schema),
                 try await RefreshRecord.finished(after: since, on: connection, supportSchema: schema))
            }
            metrics.record(status: status, newRefreshes: records)
        } catch {
            metrics.recordDatabaseDown()
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }

    private func health() async -> Response {
        let schema = supportSchema
        let report: HealthReport
        do {
            report = HealthReport(status: try await database.read { try await StatusReport.load(on: $0, supportSchema: schema) })
        } catch {
            report = HealthReport(databaseError: error.description)
        }
        return Response(status: report.healthy ? .ok : .serviceUnavailable,
                        headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: report.json())))
    }

    /// pg_cron reads schedules in `cron.timezone` (GMT unless set).
    private static func cronTimeZone(on connection: LiveConnection) async throws -> String? {
        try await connection.rows("SELECT current_setting('cron.timezone', true)").first?[0] ?? nil
    }

    static func page(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: html)))
    }
}
