import MatviewSyntax

/// A source table whose changed rows an immediate writer can apply to the view as a difference,
/// instead of recomputing each group it reaches from all of its rows (DeltaAnalysis proves when).
///
/// The table is the query's last join, a LEFT JOIN: every row of the other relations (`R`)
/// appears in the result whatever the table holds, alone (a padding row, the table's columns
/// NULL) or once per matching row. So a statement's old and new rows, joined to `R`, plus the
/// padding rows that appear or vanish, are exactly the rows each group gains and loses, and the
/// groups themselves neither appear nor vanish.
public struct DeltaSource: Sendable {
    public var table: TableName
    public var alias: String
    /// Index into the query's joins of the one that brings the table in (the last).
    public var join: Int
    /// The join's equalities `alias.column = other`, `other` reading only the other relations.
    public var matches: [DeltaMatch]
    /// Conjuncts of the join condition that read only this table.
    public var filters: [Expr]
    /// The table's primary key: a row of the table after the statement is one of its new rows
    /// exactly when its key is.
    public var primaryKey: [String]
    /// The table's columns the view reads, with their types (padding rows are NULL in each).
    public var columns: [DeltaColumnType]
    /// One per output column of the view, in order.
    public var outputs: [DeltaOutput]
    /// Whether a statement whose changed rows all reach one group, once each, moves it by what
    /// the rows alone add and take, without joining them to the other tables: every join is a
    /// LEFT JOIN on column equalities, each row of the table meets at most one row of the
    /// others, there is no WHERE and no filter of the table's own, and no column's difference
    /// reads another table or counts a padding row (DeltaAnalysis.readOffRows). Where a
    /// `max(greatest(...))` holds other tables' parts, only the row's own part counts: the
    /// stored value is at least the held part of every row in the group.
    public var readOffRows: Bool
}

extension DeltaOutput {
    /// For `extreme`, the part of the argument that reads the table: the argument, or without
    /// its held arguments (`greatest(own...)`, or the one own argument alone).
    public static func ownPart(of argument: Expr, held: [Expr]) -> Expr {
        guard !held.isEmpty, case .function(var call) = argument.unparenthesized.kind else { return argument }
        call.arguments = call.arguments.filter { !held.contains($0) }
        if call.arguments.count == 1 { return call.arguments[0] }
        var own = argument.unparenthesized
        own.kind = .function(call)
        return own
    }
}

public struct DeltaMatch: Sendable {
    public var column: String
    public var other: Expr
}

public struct DeltaColumnType: Sendable {
    public var name: String
    public var type: SQLType
}

/// How one output column follows the rows a group gains (+1) and loses (-1).
public enum DeltaOutput: Sendable {
    /// The column cannot change: it reads no row of the table and is the same over any number of
    /// copies of a row (a grain column, `count(distinct p.id)`, `max(u.updated_at)`).
    case unchanged
    /// `count(*)` (no argument) or `count(argument)`: plus the rows gained, minus those lost.
    case count(argument: Expr?, filter: Expr?)
    /// `sum(argument)` of an exact type. When the argument is never NULL and there is no filter,
    /// every group has a value and it moves by the difference; otherwise a lost non-NULL value
    /// may leave none, and the group is recomputed. `nonFinite`: the type (numeric) also holds
    /// NaN and ±Infinity, which a difference cannot take back ('Infinity' - 'Infinity' is NaN,
    /// where the sum of the rows left is finite): a group whose stored sum or difference is one
    /// of them is recomputed.
    case sum(argument: Expr, filter: Expr?, neverNull: Bool, nonFinite: Bool)
    /// `count(distinct alias.key)` over the table's one-column primary key: each key is one row,
    /// so it moves by the keys gained minus the keys lost.
    case countDistinctKey(column: String, filter: Expr?)
    /// `max` (greatest) or `min`: the larger of the stored value and those gained; recomputed
    /// when a lost value could have been the stored one. `held`: for `max(greatest(...))` (or
    /// `min(least(...))`) without a filter, the arguments that read none of the table's columns.
    /// A lost row's value no further out than those (`greatest(held...)` of the same row) is
    /// still in the group after the write: the other tables' rows it was built from stay in the
    /// group (the table is the last LEFT JOIN), with another of the table's rows (whose value
    /// can only be further out) or with the padding row (whose value is exactly that).
    case extreme(greatest: Bool, argument: Expr, filter: Expr?, held: [Expr])
    /// `avg(argument)` of an input whose every value has the same numeric scale (an integer
    /// column, `extract(...)`): PostgreSQL's average of such inputs is their sum divided by their
    /// count, byte for byte (`numeric_div`), so a group's sum and count (kept hidden beside the
    /// view, see LoweredAverages) give it exactly. Unchanged when the rows gained and lost add
    /// to the same sum and count; otherwise moved by them, where a write reads its difference
    /// off the rows alone, and recomputed elsewhere. `nonFinite`: the input can be NaN or
    /// infinite (`extract` of an infinite timestamp), which a difference cannot take back.
    case average(argument: Expr, filter: Expr?, nonFinite: Bool)
    /// Anything else: unchanged when each aggregate's inputs (gained and lost) are the same
    /// multiset, recomputed otherwise (and always when `multisetDetermined` is false: the
    /// aggregate depends on the order of its inputs, or matview does not know it).
    case other(aggregates: [FunctionCall], multisetDetermined: Bool)
}

extension DeltaOutput {
    /// `greatest` or `least`: the function that keeps the larger (smaller) of its arguments, as
    /// `max` (`min`) does of its rows.
    public static func pairwise(greatest: Bool) -> String { greatest ? "greatest" : "least" }

    /// `greatest(held...)` (`least`): the part of a row's value that its other tables hold.
    public static func heldBound(_ held: [Expr], greatest: Bool) -> String {
        "\(pairwise(greatest: greatest))(\(held.map(SQLPrinter.print).joined(separator: ", ")))"
    }

    /// How the column follows a write, for `matview explain`; nil when it cannot change.
    public var summary: String? {
        switch self {
        case .unchanged:
            return nil
        case .count(let argument, let filter):
            return "plus the rows gained, minus the rows lost" + (argument.map { " (where \(SQLPrinter.print($0)) is not NULL)" } ?? "")
                + (filter.map { ", counting rows where \(SQLPrinter.print($0))" } ?? "")
        case .sum(let argument, _, let neverNull, let nonFinite):
            return "plus \(SQLPrinter.print(argument)) over the rows gained, minus over the rows lost"
                + (neverNull ? "" : "; recomputed when a lost row had a value (the sum may have none left)")
                + (neverNull && nonFinite ? "; recomputed when the stored sum or the difference is NaN or infinite" : "")
        case .countDistinctKey(let column, _):
            return "plus the \(column) values gained, minus those lost (each is one row)"
        case .extreme(let greatest, let argument, _, let held):
            let word = greatest ? "largest" : "smallest"
            let stays = held.isEmpty ? "" : " (a lost value no \(greatest ? "greater" : "smaller") than \(Self.heldBound(held, greatest: greatest)), the other tables' part, stays in the group)"
            return "the \(word) of the stored value and \(SQLPrinter.print(argument)) over the rows gained; recomputed when a lost row may have held the stored value and no gained one reaches it" + stays
        case .average(let argument, _, _):
            return "recomputed when the sum or count of \(SQLPrinter.print(argument)) over the rows gained and lost is not 0; where the "
                + "difference is read off the rows alone, the quotient of the group's sum and count (kept beside the view), moved by them"
        case .other(_, let multisetDetermined):
            return multisetDetermined ? "recomputed when its aggregates' inputs among the rows gained and lost differ" : "recomputed on every change"
        }
    }
}
