import PostgresNIO
import MatviewLowering
import Foundation
import Logging
import MatviewRuntime
import MatviewSQL
import MatviewSyntax
import ServiceLifecycle

/// `matview worker`: the drainer for databases without pg_cron. It runs the loop of the support
/// schema's `run_drainer` procedure from outside the database, for as long as the process lives:
/// take the drainer lock, then rounds of `due_views()` and one `drain_view` per view (each its
/// own autocommitted statement, so each view's refresh commits on its own), a short sleep between
/// rounds.
///
/// It is meant to be left running under a supervisor, so nothing the database does makes it
/// exit: an unreachable server, a dropped connection, a schema not (or no longer) deployed, or
/// another drainer holding the lock are each logged once and waited out. Only graceful shutdown
/// (SIGTERM or SIGINT, through `runUntilSignalled()`'s ServiceGroup) ends it, after the
/// statement in flight: sleeps are cut short, statements are not.
public struct DrainWorker: Service {
    let databaseURL: String
    let names: SupportNames
    let pollInterval: Duration
    let logger: Logger

    /// How often to look again while the schema is missing or another session holds the lock.
    static let recheckInterval: Duration = .seconds(3)
    /// How long to stay away after stepping aside for an apply or rollback: it holds the lock
    /// until it commits, so trying at once would only find it taken.
    static let stepAsidePause: Duration = .milliseconds(1500)
    /// A connection that served this long before failing counts as healthy: the next failure
    /// starts the backoff again from its first step.
    static let healthyConnection: Duration = .seconds(60)

    /// Fails only on a URL that cannot be parsed: that will not fix itself by waiting.
    public init(databaseURL: String, supportSchema: String, pollInterval: Duration,
                logger: Logger = Logger(label: "matview.worker", factory: { StreamLogHandler.standardError(label: $0) })) throws {
        do { _ = try DatabaseURL(databaseURL) } catch let error as DatabaseURL.Invalid {
            throw LiveConnection.Failure("invalid database URL: \(error.description)")
        }
        self.databaseURL = databaseURL
        self.names = SupportNames(schema: supportSchema)
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Runs the worker in a ServiceGroup that turns SIGTERM and SIGINT into graceful shutdown.
    public func runUntilSignalled() async throws {
        let group = ServiceGroup(services: [self], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }

    public func run() async {
        var backoff = ReconnectBackoff()
        logger.info("starting: support schema \(names.schema), polling every \(Self.seconds(pollInterval))")
        while !Task.isShuttingDownGracefully {
            let connection: LiveConnection
            do {
                connection = try await LiveConnection.open(databaseURL)
            } catch {
                let delay = backoff.next()
                logger.error("\(Self.message(error)); retrying in \(Self.seconds(delay))")
                await Self.pause(delay)
                continue
            }
            logger.info("connected to \(LiveConnection.target(connection.url))")
            let connectedAt = ContinuousClock.now
            var session = DrainSession(connection: connection, names: names, pollInterval: pollInterval, logger: logger)
            do {
                try await session.serve()
                await connection.close()
            } catch {
                let lost = connection.isClosed || Self.endsTheConnection(error)
                // Closing ends the session, which releases the drainer lock if it was held.
                await connection.close()
                if ContinuousClock.now - connectedAt >= Self.healthyConnection { backoff.reset() }
                if Task.isShuttingDownGracefully { break }
                let delay = backoff.next()
                if lost {
                    logger.error("lost the connection to \(LiveConnection.target(connection.url)); reconnecting in \(Self.seconds(delay))")
                } else {
                    logger.error("\(Self.message(error)); reconnecting in \(Self.seconds(delay))")
                }
                await Self.pause(delay)
            }
        }
        logger.info("stopped")
    }

    /// Sleeps, but wakes at once on graceful shutdown (the loops then see it and stop).
    static func pause(_ duration: Duration) async {
        guard !Task.isShuttingDownGracefully else { return }
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: duration) }
    }

    static func message(_ error: Error) -> String {
        (error as? LiveConnection.Failure)?.description ?? LiveConnection.serverMessage(error)
    }

    /// A server that ends the session (pg_terminate_backend, a shutdown: SQLSTATE class 57P)
    /// sends its reason first; the statement in flight fails with it before the connection is
    /// seen closed.
    static func endsTheConnection(_ error: Error) -> Bool {
        guard let psql = error as? PSQLError else { return false }
        if let state = psql.serverInfo?[.sqlState] { return state.hasPrefix("57P") }
        return psql.code == .serverClosedConnection || psql.code == .connectionError
    }


    /// `0.2s`, `5s`: the way the log states durations.
    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return value == value.rounded() ? "\(Int64(value))s" : "\(value)s"
    }
}
