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

    init(view: CheckedView, alias: String, rowColumns: [String], outputs: [DeltaOutput]) {
        self.alias = alias
        self.rowColumns = rowColumns
        let t = SQLText.name(alias)
        var selected: [String] = []
        var columns: [LoweredDelta.Column] = []
        for (i, (column, output)) in zip(view.columns, outputs).enumerated() {
            let parts = LoweredDelta.parts(output, LoweredDelta.deltaName(i), alias: t, rowsAlone: true)
            selected += parts.map { "\($1) AS \($0)" }
            columns.append(LoweredDelta.Column(name: column.name, output: output, deltas: parts.map(\.0)))
        }
        selectList = selected
        self.columns = columns
    }
}

/// A touch of a source table (TouchSource), as the SQL back end prints it.
public struct LoweredTouch: Sendable {
    public let source: TouchSource
    public let difference: RowsAloneDifference

    init(view: CheckedView, source: TouchSource) {
        self.source = source
        difference = RowsAloneDifference(view: view, alias: source.alias, rowColumns: source.columns.map(\.name), outputs: source.outputs)
    }
}
