import PostgresNIO

/// A row type generated for one materialized view.
public protocol MaterializedViewRow: Sendable {
    static var view: ViewDescriptor { get }
    init(row: PostgresRow) throws
}
