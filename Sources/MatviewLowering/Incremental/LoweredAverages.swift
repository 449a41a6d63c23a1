import MatviewSema
import MatviewSyntax

/// The hidden state of an incremental view's averages (DeltaOutput.average): per group, the
/// sum and count of each average's inputs, in a table of the support schema beside the view
/// (readers of the view see its columns only). A write whose rows reach one group moves them by
/// what the rows add and take, and sets the average to their quotient, which is PostgreSQL's
/// own `avg` byte for byte for such inputs. Without them a delete of a completed task
/// recomputed the average over the user's tasks: 186 µs a time, about 120 of the delete
/// trigger's ~170 µs on average (64% of the seed's tasks are completed; 100,000 users).
///
/// Every write of the view's table keeps them: the deploy builds them with the view, each
/// recompute of groups (`_apply`, and through it the rebuild and the drain) writes theirs from
/// the same restricted query, and the rows-alone statements move them. A statement that joins
/// the rows of several groups moves an average nowhere: a group whose average changed is
/// recomputed. Only immediate views with such a write have the table (LoweredDelta.rowsAlone;
/// a queued view's drain recomputes its groups).
public struct LoweredAverages: Sendable {
    /// The table, qualified with the support schema (IncrementalNames.averages).
    public let table: String
    /// One per average, in the view's column order.
    public let columns: [Column]
    /// The unique index on the grain that the writes find a group's row by (NULL matching NULL
    /// where a grain column can be NULL, as in the view's own).
    public let indexSQL: String

    public struct Column: Sendable {
        /// Index of the average in the view's columns.
        public let output: Int
        /// The hidden columns: the sum of its inputs (NULL when there are none) and their count.
        public let sum: String
        public let count: String
        /// Whether an input can be NaN or infinite (see DeltaOutput.average).
        public let nonFinite: Bool
    }

    /// The hidden columns in table order: each average's sum, then its count.
    public var hiddenColumns: [String] { columns.flatMap { [$0.sum, $0.count] } }
    /// The grain's columns, unquoted: the table's first ones.
    public let grainColumns: [String]
    /// The table's columns, unquoted: the grain's, then the hidden ones.
    public var tableColumns: [String] { grainColumns + hiddenColumns }

    init?(plan: IncrementalPlan, delta: DeltaSource, names: IncrementalNames) {
        guard delta.readOffRows else { return nil }
        let columns = delta.outputs.indices.compactMap { Self.column($0, delta.outputs[$0]) }
        guard !columns.isEmpty else { return nil }
        self.columns = columns
        table = names.qualified(names.averages)
        grainColumns = plan.grain.map(\.name)
        indexSQL = "CREATE UNIQUE INDEX \(SQLText.name(names.averages + "_grain")) ON \(table) (\(grainColumns.map(SQLText.name).joined(separator: ", ")))"
            + (plan.grain.contains(where: \.nullable) ? " NULLS NOT DISTINCT;" : ";")
    }

    /// The hidden columns of output column `i`, when it is an average.
    static func column(_ i: Int, _ output: DeltaOutput) -> Column? {
        guard case .average(_, _, let nonFinite) = output else { return nil }
        return Column(output: i, sum: "matview_s\(i + 1)", count: "matview_n\(i + 1)", nonFinite: nonFinite)
    }

    /// `sum` and `count` of each average's inputs (its own argument and filter), as output
    /// columns named after the hidden ones, to append to the defining query's.
    static func hidden(_ query: CheckedQuery, _ columns: [Column]) -> [OutputColumn] {
        columns.flatMap { column -> [OutputColumn] in
            let average = query.columns[column.output]
            guard case .function(let call) = average.expr.unparenthesized.kind else { return [] }
            return [(column.sum, "sum", SQLType.numeric), (column.count, "count", SQLType.bigint)].map { name, function, type in
                var hidden = average
                var aggregate = call
                aggregate.name.name = function
                hidden.name = name
                hidden.type = type
                hidden.expr = Expr(.function(aggregate), at: average.expr.location)
                return hidden
            }
        }
    }
}
