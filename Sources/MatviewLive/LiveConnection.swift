import Foundation
import Logging
import MatviewRuntime
import MatviewSQL
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One connection for a live command, opened from a libpq-style URL, with failures turned into
/// one-line messages a user can act on.
public final class LiveConnection: @unchecked Sendable {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    let connection: PostgresConnection
    let logger: Logger
    public let url: DatabaseURL
    private let closeGuard: ConnectionCloseGuard

    private init(connection: PostgresConnection, logger: Logger, url: DatabaseURL) {
        self.connection = connection
        self.logger = logger
        self.url = url
        let target = Self.target(url)
        closeGuard = ConnectionCloseGuard(closeFuture: connection.closeFuture,
                                          failure: { Failure("the connection to \(target) closed") })
    }

    /// True once the server or the network closed the connection.
    public var isClosed: Bool { closeGuard.isClosed }

    public static func open(_ text: String, logger: Logger = Logger(label: "matview.live", factory: { _ in SwiftLogNoOpLogHandler() })) async throws -> LiveConnection {
        let url: DatabaseURL
        do { url = try DatabaseURL(text) } catch let error as DatabaseURL.Invalid {
            throw Failure("invalid database URL: \(error.description)")
        }
        var configuration: PostgresConnection.Configuration
        if let socket = url.socketDirectory {
            configuration = .init(unixSocketPath: "\(socket)/.s.PGSQL.\(url.port)", username: url.username, password: url.password, database: url.database)
        } else {
            let tls: PostgresConnection.Configuration.TLS
            switch url.tlsPolicy {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: tls)
        }
        configuration.options.connectTimeout = .seconds(10)
        do {
            let connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger)
            return LiveConnection(connection: connection, logger: logger, url: url)
        } catch {
            throw Failure(describe(error, url: url))
        }
    }

    /// Where a URL points, as messages name it: `127.0.0.1:5432` or `the socket in /run/postgresql`.
    public static func target(_ url: DatabaseURL) -> String {
        url.socketDirectory.map { "the socket in \($0)" } ?? "\(url.host):\(url.port)"
    }

    /// A one-line account of a connection failure.
    static func describe(_ error: Error, url: DatabaseURL) -> String {
        let target = Self.target(url)
        if let psql = error as? PSQLError {
            if let state = psql.serverInfo?[.sqlState] {
                let message = psql.serverInfo?[.message] ?? "error \(state)"
                switch state {
                case "28P01", "28000": return "authentication failed for user \"\(url.username)\" at \(target): \(message)"
                case "3D000": return "database \"\(url.database ?? url.username)\" does not exist on \(target)"
                default: return "cannot connect to \(target): \(message)"
                }
            }
            let text = "\(psql.underlying.map { "\($0)" } ?? "\(psql.code)")"
            if text.contains("refused") || text.contains("ECONNREFUSED") || text.contains("connect(descriptor") {
                return "cannot connect to \(target): connection refused (is the server running?)"
            }
            if psql.code == .connectionError || psql.code == .unexpectedBackendMessage {
                return "cannot connect to \(target): \(text)"
            }
            return "cannot connect to \(target): \(psql.code)"
        }
        return "cannot connect to \(target): \(error)"
    }

    public func close() async {
        try? await connection.close()
    }

    /// Runs a script statement by statement, as psql -f with ON_ERROR_STOP would; after a
    /// failure an open transaction is rolled back, so nothing of the script stays.
    public func run(script: String) async throws {
        for statement in SQLScript.statements(script) {
            do {
                _ = try await closeGuard.run { try await self.connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger).collect().count }
            } catch let failure as Failure {
                throw failure
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger).collect()
                throw Failure(Self.serverMessage(error))
            }
        }
    }

    /// Rows of a query whose columns are all text (cast them in the SQL); NULL is nil. Fails,
    /// rather than waits, when the connection closes.
    public func rows(_ sql: String) async throws -> [[String?]] {
        try await closeGuard.run { try await self.uncheckedRows(sql) }
    }

    private func uncheckedRows(_ sql: String) async throws -> [[String?]] {
        do {
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            var result: [[String?]] = []
            for try await row in sequence {
                let random = row.makeRandomAccess()
                result.append(try (0..<random.count).map { try random[$0].decode(String?.self, context: .default) })
            }
            return result
        } catch {
            throw Failure(Self.serverMessage(error))
        }
    }

    /// Times a query's full execution, reading every row, in milliseconds.
    public func time(_ sql: String) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            for try await _ in sequence {}
        } catch {
            throw Failure(Self.serverMessage(error))
        }
        let elapsed = clock.now - start
        return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
    }

    static func serverMessage(_ error: Error) -> String {
        if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
            var text = "PostgreSQL: \(message)"
            if let detail = psql.serverInfo?[.detail] { text += " (\(detail))" }
            return text
        }
        if let failure = error as? Failure { return failure.description }
        return "\(error)"
    }
}
