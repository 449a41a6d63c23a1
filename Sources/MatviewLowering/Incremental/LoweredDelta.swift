import MatviewSema
import MatviewSyntax

/// The difference a statement makes to each group, as the SQL back end prints it: the defining
/// query with its delta table's join replaced by the changed rows (`rowsName`, each with a sign:
/// +1 gained, -1 lost, and padding rows of NULLs marked), grouped as the view is, selecting per
/// group what each output column needs (see DeltaOutput).
public struct LoweredDelta: Sendable {
    public let source: DeltaSource
    /// `SELECT grain..., deltas... FROM ... JOIN matview_rows AS t ON ... GROUP BY ...`.
    public let groupQuery: String
    /// Where the source reads off its rows alone (DeltaSource.readOffRows): the same deltas over
    /// the changed rows only, for a statement whose rows all reach one group. Nil otherwise.
    public let rowsAlone: RowsAloneDifference?
    /// Per output column of the view (same order): how the stored value moves.
    public let columns: [Column]

    /// A setting a write reads to decide whether a difference pays (see DeltaMaintenance).
    public struct Setting: Sendable {
        public let name: String
        public let `default`: Int
    }

    /// At most this many changed rows in the statement.
    public static let maxRows = Setting(name: "matview.difference_max_rows", default: 10)
    /// At least this many of the table's rows joining what the changed rows join.
    public static let minRows = Setting(name: "matview.difference_min_rows", default: 0)

    /// The FROM item the group query joins: the changed rows and padding rows.
    public static let rowsName = "matview_rows"
    public static let signColumn = "matview_sign"
    public static let paddingColumn = "matview_pad"
    /// The join value of match `i` (for padding rows, whose own columns are all NULL).
    public static func joinColumn(_ i: Int) -> String { "matview_j\(i + 1)" }

    public struct Column: Sendable {
        public let name: String
        public let output: DeltaOutput
        /// The group query's columns this output reads (`matview_d<i>_...`).
        public let deltas: [String]
    }

    /// `keepsAverages`: the view keeps hidden sums and counts (LoweredIncremental decides), so a
    /// one-group write sets an average from them instead of recomputing it.
    init?(view: CheckedView, plan: IncrementalPlan, renderer: QueryRenderer, keepsAverages: Bool) {
        guard let source = plan.delta else { return nil }
        self.source = source
        let t = SQLText.name(source.alias)
        // Grain columns are named after the view's columns, so each is found; were one not, the
        // view would be maintained by recompute alone rather than by a wrong difference.
        let grainColumns = plan.grain.compactMap { grain in view.columns.first { $0.name == grain.name } }
        guard grainColumns.count == plan.grain.count else { return nil }
        var selected = grainColumns.map { "\(SQLPrinter.print($0.expr)) AS \(SQLText.name($0.name))" }
        var columns: [Column] = []
        for (i, (column, output)) in zip(view.columns, source.outputs).enumerated() {
            let parts = Self.parts(output, Self.deltaName(i), alias: t, rowsAlone: false)
            selected += parts.map { "\($1) AS \($0)" }
            columns.append(Column(name: column.name, output: output, deltas: parts.map(\.0)))
        }
        // Padding rows have the table's columns NULL, so its own filters hold for changed rows only.
        var on = source.matches.enumerated().map { i, match in "\(SQLPrinter.print(match.other)) = \(t).\(Self.joinColumn(i))" }
        if !source.filters.isEmpty {
            on.append("(\(t).\(Self.paddingColumn) OR (" + source.filters.map(SQLPrinter.print).joined(separator: " AND ") + "))")
        }
        let join = "JOIN \(Self.rowsName) AS \(t) ON " + on.joined(separator: " AND ")
        groupQuery = renderer.select(view.query, columns: selected, replacingJoin: source.join, with: join)
        rowsAlone = source.readOffRows
            ? RowsAloneDifference(view: view, plan: plan, renderer: renderer, alias: source.alias,
                                  rowColumns: source.columns.map(\.name), outputs: source.outputs, keepsAverages: keepsAverages) : nil
        self.columns = columns
    }

    /// The name of output column `i`'s deltas (`matview_d<i+1>`, with suffixes where several).
    static func deltaName(_ i: Int) -> String { "matview_d\(i + 1)" }

    /// The group query's columns for one output (name, aggregate). Read off the rows alone, an
    /// extreme takes only the row's own part of its argument, and every lost one counts.
    static func parts(_ output: DeltaOutput, _ d: String, alias t: String, rowsAlone: Bool) -> [(String, String)] {
        let sign = "\(t).\(Self.signColumn)"
        func when(_ condition: String, _ filter: Expr?) -> String {
            let all = [condition] + (filter.map { ["(\(SQLPrinter.print($0)))"] } ?? [])
            return "FILTER (WHERE \(all.joined(separator: " AND ")))"
        }
        func inputs(_ call: FunctionCall) -> String {
            "ROW(" + call.arguments.map(SQLPrinter.print).joined(separator: ", ") + ")::text"
        }
        var parts: [(String, String)] = []
        switch output {
        case .unchanged:
            break
        case .count(let argument, let filter):
            let counted = argument.map { "(\(SQLPrinter.print($0))) IS NOT NULL" }
            let clause = counted == nil && filter == nil ? "" : " " + when(counted ?? "true", filter)
            parts.append((d, "coalesce(sum(\(sign))\(clause), 0)"))
        case .sum(let argument, let filter, let neverNull, _):
            let e = SQLPrinter.print(argument)
            if neverNull {
                parts.append((d, "coalesce(sum(\(sign) * (\(e))), 0)"))
            } else {
                parts.append((d + "_gained", "sum(\(e)) \(when("\(sign) > 0", filter))"))
                parts.append((d + "_lost", "coalesce(bool_or((\(e)) IS NOT NULL) \(when("\(sign) < 0", filter)), false)"))
            }
        case .countDistinctKey(let key, let filter):
            let k = "\(t).\(SQLText.name(key))"
            parts.append((d, "count(DISTINCT \(k)) \(when("\(sign) > 0", filter)) - count(DISTINCT \(k)) \(when("\(sign) < 0", filter))"))
        case .extreme(let greatest, let argument, let filter, let held):
            let f = greatest ? "max" : "min"
            let e = SQLPrinter.print(rowsAlone ? DeltaOutput.ownPart(of: argument, held: held) : argument)
            parts.append((d + "_gained", "\(f)(\(e)) \(when("\(sign) > 0", filter))"))
            // Only lost values beyond what the row's other tables hold can take the stored
            // value with them (a NULL part holds nothing).
            let kept = held.isEmpty || rowsAlone ? ""
                : " AND NOT coalesce((\(e)) \(greatest ? "<=" : ">=") \(DeltaOutput.heldBound(held, greatest: greatest)), false)"
            parts.append((d + "_lost", "\(f)(\(e)) \(when("\(sign) < 0\(kept)", filter))"))
        case .average(let argument, let filter, _):
            // The sum and count of the inputs gained less those lost (a NULL input is none).
            let e = SQLPrinter.print(argument)
            parts.append((d + "_sum", "sum(\(sign) * (\(e))) \(when("(\(e)) IS NOT NULL", filter))"))
            parts.append((d + "_count", "coalesce(sum(\(sign)) \(when("(\(e)) IS NOT NULL", filter)), 0)"))
        case .other(let calls, let multisetDetermined):
            guard multisetDetermined else { break }
            for (k, call) in calls.enumerated() {
                // These aggregates skip a row whose argument is NULL (count(*) has none).
                let row = inputs(call)
                let counted = call.arguments.map { " AND (\(SQLPrinter.print($0))) IS NOT NULL" }.joined()
                parts.append(("\(d)_\(k + 1)_gained", "array_agg(\(row) ORDER BY \(row)) \(when("\(sign) > 0\(counted)", call.filter))"))
                parts.append(("\(d)_\(k + 1)_lost", "array_agg(\(row) ORDER BY \(row)) \(when("\(sign) < 0\(counted)", call.filter))"))
            }
        }
        return parts
    }
}
