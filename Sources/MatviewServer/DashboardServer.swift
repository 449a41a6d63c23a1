import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `matview serve`: the HTTP server of the dashboard, run under a ServiceGroup so SIGTERM and
/// SIGINT end it gracefully (requests in flight finish). It starts whether or not the database
/// answers, and never exits because of it.
public struct DashboardServer: Sendable {
    public let databaseURL: String
    public let supportSchema: String
    public let listen: ListenAddress
    public let logger: Logger

    public init(databaseURL: String, supportSchema: String, listen: ListenAddress,
                logger: Logger = Logger(label: "matview.serve", factory: { StreamLogHandler.standardError(label: $0) })) {
        self.databaseURL = databaseURL
        self.supportSchema = supportSchema
        self.listen = listen
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT. Once listening it prints `listening on http://HOST:PORT`
    /// (the real port when `--listen` gave 0) to standard error.
    public func runUntilSignalled() async throws {
        let database = MonitoringDatabase(url: databaseURL, supportSchema: supportSchema, logger: logger)
        let router = Router()
        DashboardResponder(database: database, metrics: MonitoringMetrics(), supportSchema: supportSchema).addRoutes(to: router)
        let logger = self.logger
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "matview"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let host = listenHost()
                logger.notice("listening on http://\(host):\(port)")
            },
            logger: logger)
        let group = ServiceGroup(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
        await database.close()
    }

    private func listenHost() -> String {
        listen.host.contains(":") ? "[\(listen.host)]" : listen.host
    }
}
