import Logging
import PostgresNIO

/// Anything that runs a query: a pooled `PostgresClient` or a single `PostgresConnection`.
public protocol PostgresQueryRunner: Sendable {
    func runQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence
}

extension PostgresClient: PostgresQueryRunner {
    public func runQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension PostgresConnection: PostgresQueryRunner {
    public func runQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}
