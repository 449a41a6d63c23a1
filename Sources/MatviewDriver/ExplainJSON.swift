import MatviewLowering
import MatviewSema

/// `matview explain VIEW --format json`: the facts of the text report as data, for tools (a bot
/// that comments on a pull request, an editor). Every reason is the checker's, as the text
/// report prints it; keys are sorted and absent values left out, so the same specs give the
/// same bytes.
public struct ExplainJSON: Encodable {
    struct Grain: Encodable {
        /// Sets of output columns that identify a row; `[[]]` means one row, `[]` no key.
        var keys: [[String]]
        var why: String
    }

    struct Column: Encodable {
        var name: String
        var type: String
        var nullable: Bool
        /// Why the column has its type, as the text report prints it before the nullability reason.
        var typeReason: String
        /// Why the column is nullable or not.
        var why: String
    }

    struct Aggregate: Encodable {
        /// "CTE user_totals", "the nested query ut"; absent for the view's own query.
        var block: String?
        /// The output column; absent for an aggregate in HAVING.
        var column: String?
        var aggregate: String
        /// safe, ignored (allowed by `ignore: [fanout]`) or multiplied (a fanout error).
        var verdict: String
        var why: String
    }

    struct Refresh: Encodable {
        var strategy: String
        var onChange: String
        var schedule: String?
        var concurrently: Bool
        var minIntervalSeconds: Int
    }

    var view: String
    var file: String
    var grain: Grain
    var columns: [Column]
    var fanout: [Aggregate]
    var refresh: Refresh
    var sources: [String]
    /// For an incremental view: each source table's key path, as the text report prints it.
    var keyPaths: [String]?
    /// For an incremental view: per source table, the columns it reads; an UPDATE that changes
    /// none of them is skipped.
    var updateWatchedColumns: [String: [String]]?
    var restrictedQuery: String?
    /// For an immediate view with a table maintained by difference: the table, and per column
    /// that can change, how it follows a write.
    var difference: Difference?
    /// For an immediate view: the tables whose updates that change only these columns move
    /// the group by the rows alone, and per column that moves, how.
    var touches: [Touch]?

    struct Difference: Encodable {
        var table: String
        var columns: [String: String]
        /// The table of the hidden sums and counts of the view's averages, where it keeps them.
        var averagesTable: String?
    }

    struct Touch: Encodable {
        var table: String
        var touched: [String]
        var columns: [String: String]
    }

    public init(_ lowered: LoweredView) {
        let checked = lowered.view
        view = "\(checked.schema).\(checked.name)"
        file = checked.spec.file
        grain = Grain(keys: checked.keys, why: checked.query.grain.description)
        columns = checked.columns.map { Column(name: $0.name, type: $0.type.description, nullable: $0.nullable,
                                               typeReason: $0.typeReason.description, why: $0.nullability.description) }
        fanout = ExplainReport.queryBlocks(checked).flatMap { block in
            block.query.fanout.map { verdict in
                Aggregate(block: block.label, column: verdict.column, aggregate: verdict.aggregate,
                          verdict: Self.outcome(verdict.reason), why: verdict.reason.description)
            }
        }
        let policy = checked.refresh
        refresh = Refresh(strategy: policy.strategy.rawValue, onChange: policy.onChange.rawValue, schedule: policy.schedule,
                          concurrently: policy.concurrently, minIntervalSeconds: policy.minIntervalSeconds)
        sources = checked.sourceTables.map(\.description)
        keyPaths = lowered.incremental?.plan.keyPaths.map(\.summary)
        updateWatchedColumns = lowered.incremental.map { Dictionary(uniqueKeysWithValues: ExplainReport.updateWatchedColumns($0).map { ($0.table, $0.columns) }) }
        restrictedQuery = lowered.incremental?.restrictedQuery
        if policy.onChange == .immediate, let delta = lowered.incremental?.delta {
            difference = Difference(table: delta.source.table.description,
                                    columns: Dictionary(uniqueKeysWithValues: ExplainReport.differences(delta).map { ($0.column, $0.summary) }),
                                    averagesTable: lowered.incremental?.averages?.table)
        }
        if policy.onChange == .immediate, let incremental = lowered.incremental, !incremental.touches.isEmpty {
            touches = incremental.touches.map { touch in
                Touch(table: touch.source.table.description, touched: touch.source.touched,
                      columns: Dictionary(uniqueKeysWithValues: ExplainReport.summaries(touch.difference.columns).map { ($0.column, $0.summary) }))
            }
        }
    }

    private static func outcome(_ reason: FanoutVerdict.Reason) -> String {
        switch reason {
        case .ignored: "ignored"
        case .multiplied: "multiplied"
        case .distinct, .ignoresRepeats, .countsJoinedRows, .readsNoColumns, .determined: "safe"
        }
    }

    public var text: String {
        get throws { try JSON.encode(self) + "\n" }
    }
}
