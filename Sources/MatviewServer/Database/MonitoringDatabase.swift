import Foundation
import Logging
import MatviewLive

/// The dashboard's one connection to the database, shared by every request in turn. It is opened
/// on first use and after any failure, so the server starts, and keeps answering, while the
/// database is down or the URL is wrong, and recovers by itself when the database returns: a
/// request made then only reports the failure (pages say so, /healthz answers 503, /metrics
/// `matview_up 0`). A read that takes longer than `timeout` (a network that drops packets
/// instead of refusing) counts as a failure too, and the connection is thrown away.
public actor MonitoringDatabase {
    public let url: String
    public let supportSchema: String
    let timeout: Duration
    let logger: Logger
    private var connection: LiveConnection?
    private var lastFailure: String?

    public init(url: String, supportSchema: String, timeout: Duration = .seconds(10), logger: Logger) {
        self.url = url
        self.supportSchema = supportSchema
        self.timeout = timeout
        self.logger = logger
    }

    /// Why the database could not be read, in one line for a page or a log.
    public struct Unavailable: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Runs `body` on the connection, opening one first if needed. Any failure closes the
    /// connection (the next read opens a fresh one) and comes back as `Unavailable`.
    public func read<T: Sendable>(_ body: @escaping @Sendable (LiveConnection) async throws -> T) async throws(Unavailable) -> T {
        do {
            let live = try await openConnection()
            // A statement stuck past the deadline is ended by closing its connection: cancelling
            // the task alone would leave it waiting for the server.
            let result = try await withDeadline(onTimeout: { await live.close() }) { try await body(live) }
            if lastFailure != nil {
                logger.info("the database answers again")
                lastFailure = nil
            }
            return result
        } catch {
            let message = (error as? LiveConnection.Failure)?.description ?? "\(error)"
            if message != lastFailure { logger.error("cannot read the database: \(message)") }
            lastFailure = message
            if let connection {
                self.connection = nil
                await connection.close()
            }
            throw Unavailable(description: message)
        }
    }

    public func close() async {
        await connection?.close()
        connection = nil
    }

    private func openConnection() async throws -> LiveConnection {
        if let connection, !connection.isClosed { return connection }
        connection = nil
        let opened = try await LiveConnection.open(url)  // which gives up after its own connect timeout
        connection = opened
        return opened
    }

    private func withDeadline<T: Sendable>(onTimeout: @escaping @Sendable () async -> Void,
                                           _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: timeout)
                await onTimeout()
                throw LiveConnection.Failure("the database did not answer within \(timeout.components.seconds) s")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
