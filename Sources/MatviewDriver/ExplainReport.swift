import MatviewLowering
import MatviewSema
import MatviewSyntax

/// `matview explain VIEW`: what the checker inferred about one view, for a reviewer: its grain
/// and how it was derived, each column's type and nullability with the reasons the checker
/// recorded, the fan-out rule's verdict on each aggregate, its refresh plan and, for an
/// incremental view, how a change to each source table reaches the groups it recomputes, and the
/// defining query restricted to those groups. Every reason comes from the checker (the IR), none
/// is worked out here.
public struct ExplainReport {
    public let view: LoweredView

    public init(_ view: LoweredView) {
        self.view = view
    }

    public var text: String {
        let checked = view.view
        let policy = checked.refresh
        var lines = ["\(checked.schema).\(checked.name) (\(checked.spec.file))"]
        let grain = checked.keys.first.map { $0.isEmpty ? "one row" : "one row per (\($0.joined(separator: ", ")))" } ?? "no key matview can derive"
        lines.append("  grain: \(grain)")
        lines.append("    why: \(checked.query.grain.description)")
        lines += columnLines(checked)
        lines += fanoutLines(checked)
        var refresh = "  refresh: strategy \(policy.strategy.rawValue), on_change \(policy.onChange.rawValue)"
        if let schedule = policy.schedule {
            refresh += policy.strategy == .incremental ? ", full rebuild on \"\(schedule)\"" : ", schedule \"\(schedule)\""
        }
        if policy.onChange == .queue { refresh += ", min_interval \(policy.minIntervalSeconds)s" }
        lines.append(refresh)
        lines.append("  sources: " + (checked.sourceTables.isEmpty ? "none" : checked.sourceTables.map(\.description).joined(separator: ", ")))
        guard let incremental = view.incremental else {
            lines.append("  a refresh recomputes the whole view (REFRESH MATERIALIZED VIEW\(policy.concurrently ? " CONCURRENTLY" : ""))")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("  kept as a table; a change recomputes only the groups its rows reach (old and new versions):")
        lines.append("  key paths (changed rows → tables joined by equality → the group's key):")
        for path in incremental.plan.keyPaths {
            lines.append("    \(path.summary)")
        }
        let read = Self.updateWatchedColumns(incremental)
        if !read.isEmpty {
            lines.append("  an UPDATE that changes none of the columns the view reads is skipped:")
            lines += read.map { "    \($0.table): \($0.columns.isEmpty ? "(none)" : $0.columns.joined(separator: ", "))" }
        }
        lines += Self.differenceLines(incremental, onChange: policy.onChange)
        lines += Self.touchLines(incremental, onChange: policy.onChange)
        let when = policy.onChange == .immediate ? "inside the writing statement, after locking the groups"
            : policy.onChange == .queue ? "by the drainer, from the queued rows" : "only by matview.refresh() (no change capture)"
        lines.append("  recomputed: \(when)")
        lines.append("  the defining query restricted to the affected groups:")
        lines += incremental.restrictedQuery.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// For an immediate view with a table maintained by difference: the table, and how each
    /// column that can change follows a write.
    static func differenceLines(_ incremental: LoweredIncremental, onChange: OnChange) -> [String] {
        guard onChange == .immediate, let delta = incremental.delta else { return [] }
        let (most, least) = (LoweredDelta.maxRows, LoweredDelta.minRows)
        var lines = ["  a write to \(delta.source.table) \(delta.source.alias) of at most \(most.name) rows (default \(most.default)) that join at least \(least.name) of its rows (default \(least.default): any)",
                     "  moves the stored row by its difference, without reading the group:"]
        lines += differences(delta).map { "    \($0.column): \($0.summary)" }
        lines.append("    (any other column cannot change with \(delta.source.table); a group without a stored row is recomputed)")
        if delta.rowsAlone != nil {
            lines.append("  when every row of the write reaches one group, once, the difference is read off the rows alone, without joining the other tables")
        }
        if let averages = incremental.averages {
            lines.append("  the sums and counts of its averages are kept per group in \(averages.table)"
                         + " (built with the view, written by every recompute; full rebuilds and `matview verify` compare them too)")
        }
        return lines
    }

    static func differences(_ delta: LoweredDelta) -> [(column: String, summary: String)] {
        summaries(delta.columns)
    }

    static func summaries(_ columns: [LoweredDelta.Column]) -> [(column: String, summary: String)] {
        columns.compactMap { column in column.output.summary.map { (column.name, $0) } }
    }

    /// For an immediate view: each table whose updates that touch only a max's or min's own
    /// part apply by the rows alone, and how the columns they move follow.
    static func touchLines(_ incremental: LoweredIncremental, onChange: OnChange) -> [String] {
        guard onChange == .immediate else { return [] }
        return incremental.touches.flatMap { touch in
            ["  an UPDATE of \(touch.source.table) \(touch.source.alias) that changes only \(touch.source.touched.joined(separator: ", ")) of the columns the view reads,",
             "  its rows reaching one group, moves that group's stored row by the rows alone, without reading the group:"]
                + summaries(touch.difference.columns).map { "    \($0.column): \($0.summary)" }
        }
    }

    /// Per source table (not another view's): the columns whose change an UPDATE's trigger looks
    /// for.
    static func updateWatchedColumns(_ incremental: LoweredIncremental) -> [(table: String, columns: [String])] {
        incremental.sources.compactMap { source in source.readColumns.map { (source.table.description, $0) } }
    }

    /// One line per output column, names aligned: `name  type NULL|NOT NULL: why the type; why
    /// the nullability`.
    private func columnLines(_ checked: CheckedView) -> [String] {
        let width = checked.columns.map(\.name.count).max() ?? 0
        var lines = ["  columns (type, nullability: why the type; why the nullability):"]
        for column in checked.columns {
            let padding = String(repeating: " ", count: width - column.name.count)
            lines.append("    \(column.name)\(padding)  \(column.type) \(column.nullable ? "NULL" : "NOT NULL"): \(Self.reasons(column))")
        }
        return lines
    }

    /// The type's reason, then the nullability's: `u.id is bigint in users; NOT NULL in users`.
    /// When both start with the same column reference, the second leaves it out, so the line
    /// names the column once.
    static func reasons(_ column: OutputColumn) -> String {
        let type = column.typeReason.description
        var nullability = column.nullability.description
        if case .reference(let name, _) = column.typeReason, case .reference(name, _) = column.nullability {
            nullability.removeFirst("\(name) is ".count)
        }
        return "\(type); \(nullability)"
    }

    /// The fan-out rule's verdict on each aggregate: two lines each, the aggregate and why a
    /// join cannot repeat its rows (or which one does). Aggregates in CTEs and nested queries
    /// are listed under the block they sit in.
    private func fanoutLines(_ checked: CheckedView) -> [String] {
        let blocks = Self.queryBlocks(checked).filter { !$0.query.fanout.isEmpty }
        guard !blocks.isEmpty else { return ["  fan-out: no aggregates"] }
        var lines = ["  fan-out (can a join repeat an aggregate's input rows?):"]
        let nested = !(blocks.count == 1 && blocks[0].label == nil)
        for block in blocks {
            let indent = nested ? "      " : "    "
            if nested { lines.append("    in \(block.label ?? "the view's query"):") }
            for verdict in block.query.fanout {
                lines.append("\(indent)\(verdict.column ?? "HAVING"): \(verdict.aggregate)")
                lines.append("\(indent)  \(verdict.reason.description)")
            }
        }
        return lines
    }

    /// The view's query blocks in the order they are written: each CTE, then the query, each
    /// followed by the nested queries in its FROM; nil labels the view's own query.
    static func queryBlocks(_ checked: CheckedView) -> [(label: String?, query: CheckedQuery)] {
        func withNested(_ label: String?, _ query: CheckedQuery) -> [(label: String?, query: CheckedQuery)] {
            var result: [(label: String?, query: CheckedQuery)] = [(label, query)]
            for relation in query.relations {
                if case .subquery(let nested, _) = relation.source {
                    result += withNested("the nested query \(relation.alias)", nested)
                }
            }
            return result
        }
        return checked.ctes.flatMap { withNested("CTE \($0.name)", $0.query) } + withNested(nil, checked.query)
    }
}
