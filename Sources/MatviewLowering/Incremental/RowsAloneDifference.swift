import MatviewSema
import MatviewSyntax

/// What a statement's rows alone add to and take from the one group they all reach, as the
/// SQL back end prints it: aggregates over the changed rows only (each with its sign, +1 new,
/// -1 old), without joining the other tables. Used where check proves the rows need nothing
/// else (DeltaSource.readOffRows, TouchSource).
public struct RowsAloneDifference: Sendable {
    /// The name the select list reads the changed rows by (the table's alias in the view).
    public let alias: String
    /// The table's columns the view reads, the changed rows' columns.
    public let rowColumns: [String]
    /// The deltas, `aggregate AS matview_d<i>_...`, for a FROM item of the signed rows.
    public let selectList: [String]
    /// Per output column of the view (same order): how the stored value moves.
    public let columns: [LoweredDelta.Column]
    /// Per output column (same order), for one whose difference may not give it (an average
    /// whose inputs changed, a lost extreme or sum): how a second UPDATE gives it in place of a
    /// recompute of the whole group, run only when it is needed.
    public let inPlace: [InPlace?]

    public enum InPlace: Sendable {
        /// A scalar subquery of its value over the one group's rows: the defining query
        /// restricted to the key `keysVariable[1]` (as one value: LoweredIncremental.oneGroupPredicate).
        case recomputed(String)
        /// An average: the quotient of its hidden sum and count (LoweredAverages), once the rows
        /// moved them.
        case average(LoweredAverages.Column)
    }

    /// The trigger's array of the keys its rows reach, one per row, that the subqueries read.
    public static let keysVariable = "matview_found"

    /// `keepsAverages`: an average takes its hidden sum and count (LoweredAverages), else its
    /// value over the group's rows, as any other column the difference cannot give.
    init(view: CheckedView, plan: IncrementalPlan, renderer: QueryRenderer, alias: String, rowColumns: [String], outputs: [DeltaOutput],
         keepsAverages: Bool) {
        self.alias = alias
        self.rowColumns = rowColumns
        let t = SQLText.name(alias)
        var selected: [String] = []
        var columns: [LoweredDelta.Column] = []
        var inPlace: [InPlace?] = []
        let key = "\(Self.keysVariable)[1]"
        let grain = plan.grain
        for (i, (column, output)) in zip(view.columns, outputs).enumerated() {
            let parts = LoweredDelta.parts(output, LoweredDelta.deltaName(i), alias: t, rowsAlone: true)
            selected += parts.map { "\($1) AS \($0)" }
            columns.append(LoweredDelta.Column(name: column.name, output: output, deltas: parts.map(\.0)))
            switch output {
            case .unchanged, .count, .countDistinctKey, .sum(_, _, true, _):
                // (A NaN or infinite numeric sum is rare: the group is recomputed whole.)
                inPlace.append(nil)
            case .average where keepsAverages:
                inPlace.append(LoweredAverages.column(i, output).map(InPlace.average))
            case .sum, .extreme, .other, .average:
                var alone = view.query
                alone.columns = [column]
                let query = renderer.render(ctes: [], query: alone, restricted: (plan, {
                    LoweredIncremental.oneGroupPredicate($0, grain: grain, key: key)
                }))
                inPlace.append(.recomputed("(\n        " + query.replacingOccurrences(of: "\n", with: "\n        ") + ")"))
            }
        }
        selectList = selected
        self.columns = columns
        self.inPlace = inPlace
    }
}

/// A touch of a source table (TouchSource), as the SQL back end prints it.
public struct LoweredTouch: Sendable {
    public let source: TouchSource
    public let difference: RowsAloneDifference

    init(view: CheckedView, plan: IncrementalPlan, renderer: QueryRenderer, source: TouchSource) {
        self.source = source
        difference = RowsAloneDifference(view: view, plan: plan, renderer: renderer, alias: source.alias,
                                         rowColumns: source.columns.map(\.name), outputs: source.outputs, keepsAverages: false)
    }
}
