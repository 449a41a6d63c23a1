import Foundation
import MatviewSyntax

/// One row of the support schema's refresh log: a refresh (or drain) of one view and its outcome.
public struct RefreshRecord: Sendable, Codable, Equatable {
    public var id: Int64
    public var view: String
    public var startedAt: Date
    public var finishedAt: Date
    public var durationMs: Double
    public var rows: Int?
    public var succeeded: Bool
    public var error: String?
    /// Who asked: `manual`, `cron`, `drain`, `apply`...
    public var source: String

    /// The refreshes that finished after `finishedAfter`, oldest first, at most `limit` of them:
    /// what `/metrics` has not counted yet. Rows are matched by time rather than by id because
    /// ids are taken when a refresh ends but become visible at commit, so a lower id can appear
    /// after a higher one; the caller keeps the ids it has seen in the overlap.
    public static func finished(after finishedAfter: Date, limit: Int = 10_000, on connection: LiveConnection,
                                supportSchema: String) async throws -> [RefreshRecord] {
        try await select(on: connection, supportSchema: supportSchema,
                         where: "finished_at > to_timestamp(\(String(format: "%.6f", finishedAfter.timeIntervalSince1970)))",
                         order: "finished_at, id", limit: limit)
    }

    /// One view's failed refreshes since `since`, newest first.
    public static func failures(of view: String, since: Date, limit: Int, on connection: LiveConnection,
                                supportSchema: String) async throws -> [RefreshRecord] {
        try await select(on: connection, supportSchema: supportSchema,
                         where: "view_name = \(SQLPrinter.literal(view)) AND status = 'failed' AND started_at > to_timestamp(\(String(format: "%.6f", since.timeIntervalSince1970)))",
                         order: "started_at DESC, id DESC", limit: limit)
    }

    private static func select(on connection: LiveConnection, supportSchema: String, where condition: String,
                               order: String, limit: Int) async throws -> [RefreshRecord] {
        let rows = try await connection.rows("""
            SELECT id::text, view_name, extract(epoch FROM started_at)::text, extract(epoch FROM finished_at)::text,
                   duration_ms::text, row_count::text, status, error, trigger_source
            FROM \(SQLPrinter.identifier(supportSchema)).refresh_log
            WHERE \(condition) ORDER BY \(order) LIMIT \(limit)
            """)
        return rows.map { row in
            RefreshRecord(id: Int64(row[0] ?? "") ?? 0, view: row[1] ?? "",
                          startedAt: Date(timeIntervalSince1970: Double(row[2] ?? "") ?? 0),
                          finishedAt: Date(timeIntervalSince1970: Double(row[3] ?? "") ?? 0),
                          durationMs: Double(row[4] ?? "") ?? 0, rows: row[5].flatMap { $0 }.flatMap { Int($0) },
                          succeeded: row[6] == "succeeded", error: row[7] ?? nil, source: row[8] ?? "")
        }
    }
}
