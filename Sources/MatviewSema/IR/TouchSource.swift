import MatviewSyntax

/// A source table some of whose columns the view reads only as a row's own part of a `max` or
/// `min` (`updated_at` in `max(greatest(u.updated_at, p.updated_at, t.updated_at))`): an UPDATE
/// that changes only those columns ("touches" the rows) leaves every other value of the view as
/// it was, and moves each such extreme by what the rows alone gained and lost (TouchAnalysis
/// proves when).
///
/// Every other column of the table the view reads is the same multiset of values before and
/// after such an update, so the rows join the other relations as they did and every other
/// aggregate sees the same inputs; each changed row is in the group its key says (the view has
/// no WHERE, its joins are LEFT JOINs on column equalities and each group is one row of the
/// table the query starts from, which the table is or joins by that row's primary key).
public struct TouchSource: Sendable {
    public var table: TableName
    public var alias: String
    /// The table's columns the view reads, with their types.
    public var columns: [DeltaColumnType]
    /// The columns an UPDATE may change and still be applied this way, in table order.
    public var touched: [String]
    /// One per output column of the view, in order: `extreme` (with the table's other relations'
    /// arguments held) where the column reads a touched column, `unchanged` elsewhere.
    public var outputs: [DeltaOutput]

    /// The columns read that a touch leaves as they were (compared before and after).
    public var compared: [String] {
        columns.map(\.name).filter { !touched.contains($0) }
    }
}
