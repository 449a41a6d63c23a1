/// How the checker derived a query's grain (its keys), or why it could not: `matview explain`
/// prints it beside the grain so a reviewer can see where "one row per (...)" comes from.
public enum GrainDerivation: Sendable, Hashable {
    /// Aggregates without GROUP BY: one row.
    case aggregateWithoutGroupBy
    /// One row per group: the GROUP BY items as written, and those dropped because the others
    /// determine them through keys (`u.name` when `u.id` is grouped).
    case groupBy(items: [String], dropped: [String])
    /// A GROUP BY item the rest do not determine is not an output column, so the output columns
    /// do not identify a row.
    case groupByItemNotSelected(items: [String], missing: [String])
    /// No GROUP BY: one row per combination of the sources no other source determines, each
    /// identified by a key whose columns are output columns.
    case sourceKeys(keys: [SourceKey], determined: [String])
    /// No GROUP BY, and a source that must stay has no key among the output columns.
    case sourceKeyNotSelected(source: String)
    /// A RIGHT or FULL JOIN: NULL-extended rows need not be distinct.
    case rightOrFullJoin
    /// A source could not be resolved, so nothing was derived.
    case unresolvedSources

    /// A source's key as output column names.
    public struct SourceKey: Sendable, Hashable {
        public var source: String
        public var columns: [String]

        public init(source: String, columns: [String]) {
            self.source = source
            self.columns = columns
        }
    }

    public var description: String {
        switch self {
        case .aggregateWithoutGroupBy:
            return "aggregates without GROUP BY give one row"
        case .groupBy(let items, let dropped):
            let grouped = "one row per group of GROUP BY \(items.joined(separator: ", "))"
            if dropped.isEmpty { return grouped }
            return grouped + "; \(dropped.joined(separator: ", ")) \(dropped.count == 1 ? "is" : "are") left out, determined by the rest through a key"
        case .groupByItemNotSelected(let items, let missing):
            return "GROUP BY \(items.joined(separator: ", ")), but \(missing.joined(separator: ", ")) \(missing.count == 1 ? "is not an output column" : "are not output columns")"
        case .sourceKeys(let keys, let determined):
            if keys.isEmpty { return "no GROUP BY, and every source has a single row" }
            let shown = keys.map { "\($0.source) (\($0.columns.joined(separator: ", ")))" }.joined(separator: ", ")
            var text = "no GROUP BY: one row per row of \(shown)"
            if !determined.isEmpty {
                text += "; \(determined.joined(separator: ", ")) \(determined.count == 1 ? "has" : "have") at most one row for each"
            }
            return text
        case .sourceKeyNotSelected(let source):
            return "no GROUP BY, and no key of \(source) is among the output columns"
        case .rightOrFullJoin:
            return "a RIGHT or FULL JOIN adds NULL-extended rows that no key identifies"
        case .unresolvedSources:
            return "a source could not be resolved"
        }
    }
}
