import MatviewLowering
import MatviewSema

/// How each write of an incremental view's table keeps the hidden sums and counts of its
/// averages (LoweredAverages) in step with the rows:
///
/// - a recompute of groups (`_apply`) writes theirs from the restricted query that gives the
///   rows, which selects them after the view's columns (recomputedAverages, oneGroupAverages);
/// - a write of one group's rows moves them by the rows' signed sums and counts and sets the
///   average to their quotient (moveAverages, averageFromHidden), under the group's lock, in the
///   statements that move the row;
/// - the full rebuild compares them with the query's as well as the rows (driftedAverages).
///
/// Everything here is empty for a view without them.
extension IncrementalMaintenance {
    /// The hidden table's alias in every statement that writes or reads it.
    static let hiddenAlias = "matview_h"

    /// The record a rows-alone write reads its averages' moved sums and counts into.
    static let averagesVariable = "matview_avg"

    /// "The rows gained and lost move an average's inputs' sum or count" (its deltas: the sum,
    /// NULL when no row has an input, and the count).
    static func averageChanged(_ deltas: [String]) -> String {
        "(coalesce(\(deltas[0]), 0) <> 0 OR \(deltas[1]) <> 0)"
    }

    /// The text of a recomputed row `alias` as the view's table stores it: without the hidden
    /// columns that follow the view's own.
    func visibleRow(_ alias: String) -> String {
        guard incremental.averages != nil else { return "\(alias)::text" }
        return "ROW(" + view.columns.map { "\(alias).\(SQLText.name($0.name))" }.joined(separator: ", ") + ")::text"
    }

    /// `alias.grain..., alias.hidden...`: a recomputed row's key and hidden columns, in the
    /// hidden table's order.
    private func keyAndHidden(_ hidden: LoweredAverages, _ alias: String) -> String {
        (grain.map(\.name) + hidden.hiddenColumns).map { "\(alias).\(SQLText.name($0))" }.joined(separator: ", ")
    }

    /// `SET (hidden...) = ROW(alias.hidden...)` and "the hidden row `matview_h` differs from
    /// `alias`'s" (as text), for an UPDATE that leaves equal rows untouched. (An INSERT ... ON
    /// CONFLICT DO UPDATE locks every conflicting row, equal or not: 2,000 recomputed groups
    /// took the 10,000-row insert from 1.93x to about 2.1-2.4x of no maintenance.)
    private func hiddenUpdate(_ hidden: LoweredAverages, from alias: String) -> (set: String, differs: String) {
        let h = Self.hiddenAlias
        let columns = hidden.hiddenColumns.map(SQLText.name)
        let new = "ROW(" + columns.map { "\(alias).\($0)" }.joined(separator: ", ") + ")"
        return ("(\(columns.joined(separator: ", "))) = \(new)",
                "ROW(\(columns.map { "\(h).\($0)" }.joined(separator: ", ")))::text IS DISTINCT FROM \(new)::text")
    }

    /// For `_apply`'s statement: CTEs that delete the hidden rows of the groups that vanished,
    /// update those that differ from the recomputed rows `fresh` and add the new ones, as the
    /// statement does with the rows (`inKeys`: "this alias's row is one of the keys").
    func recomputedAverages(fresh: String, inKeys: (String) -> String) -> String? {
        guard let hidden = incremental.averages else { return nil }
        let h = Self.hiddenAlias
        let update = hiddenUpdate(hidden, from: fresh)
        let keyColumns = grain.map { SQLText.name($0.name) }.joined(separator: ", ")
        return """
        matview_averages_gone AS (
            DELETE FROM \(hidden.table) AS \(h)
            WHERE \(inKeys(h))
              AND NOT EXISTS (SELECT 1 FROM \(fresh) WHERE \(keysMatch(fresh, h)))
        ),
        matview_averages_changed AS (
            UPDATE \(hidden.table) AS \(h) SET \(update.set)
            FROM \(fresh)
            WHERE \(inKeys(h)) AND \(keysMatch(fresh, h)) AND \(update.differs)
        ),
        matview_averages_added AS (
            INSERT INTO \(hidden.table) (\(keyColumns), \(hidden.hiddenColumns.map(SQLText.name).joined(separator: ", ")))
            SELECT \(keyAndHidden(hidden, fresh)) FROM \(fresh)
            WHERE NOT EXISTS (SELECT 1 FROM \(hidden.table) AS \(h) WHERE \(inKeys(h)) AND \(keysMatch(fresh, h)))
        )
        """
    }

    /// For `_apply`'s one group of a one-column grain that cannot be NULL: the statements after
    /// its row (the record `row`, of key `key`) was deleted, and after it was written.
    func oneGroupAverages(key: String, row: String) -> (gone: String, set: String)? {
        guard let hidden = incremental.averages else { return nil }
        let h = Self.hiddenAlias
        let thisGroup = "\(h).\(SQLText.name(grain[0].name)) = \(key)"
        let update = hiddenUpdate(hidden, from: row)
        let keyColumns = grain.map { SQLText.name($0.name) }.joined(separator: ", ")
        return ("DELETE FROM \(hidden.table) AS \(h) WHERE \(thisGroup);",
                """
                UPDATE \(hidden.table) AS \(h) SET \(update.set)
                WHERE \(thisGroup) AND \(update.differs);
                IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM \(hidden.table) AS \(h) WHERE \(thisGroup)) THEN
                    INSERT INTO \(hidden.table) (\(keyColumns), \(hidden.hiddenColumns.map(SQLText.name).joined(separator: ", "))) VALUES (\(keyAndHidden(hidden, row)));
                END IF;
                """)
    }

    /// Before the rows-alone write's in-place UPDATE: the hidden sums and counts of the group's
    /// averages moved by the rows' deltas, read back into `averagesVariable`, when one of them
    /// changed (else it holds NULLs, which nothing reads). It moves them under the row's own
    /// condition (`group` of the table's alias); where that UPDATE then finds a value it cannot
    /// give, the recompute writes them again.
    func moveAverages(_ difference: RowsAloneDifference, group: (String) -> String) -> String? {
        guard let averages = incremental.averages else { return nil }
        let hidden: [(LoweredAverages.Column, [String])] = difference.inPlace.compactMap {
            guard case .average(let column)? = $0 else { return nil }
            return (column, difference.columns[column.output].deltas.map { "\(Self.deltaVariable).\($0)" })
        }
        guard !hidden.isEmpty else { return nil }
        let h = Self.hiddenAlias
        // A sum of no inputs is NULL, as a recompute writes it.
        let set = hidden.flatMap { column, d in
            ["\(column.sum) = CASE WHEN \(h).\(column.count) + \(d[1]) = 0 THEN NULL ELSE coalesce(\(h).\(column.sum), 0) + coalesce(\(d[0]), 0) END",
             "\(column.count) = \(h).\(column.count) + \(d[1])"]
        }
        let returned = hidden.flatMap { column, _ in ["\(h).\(column.sum)", "\(h).\(column.count)"] }
        return """
        UPDATE \(averages.table) AS \(h) SET \(set.joined(separator: ", "))
        WHERE \(group(h)) AND (\(hidden.map { Self.averageChanged($0.1) }.joined(separator: " OR ")))
        RETURNING \(returned.joined(separator: ", ")) INTO \(Self.averagesVariable);
        """
    }

    /// An average in the in-place UPDATE, where `changed` says its inputs' sum or count moved:
    /// the quotient of the moved sum and count (PostgreSQL's `avg` of them, byte for byte), or
    /// the stored value; and when the group must be recomputed instead (no hidden row was moved,
    /// or the sum is NaN or infinite and cannot be moved back).
    func averageFromHidden(_ hidden: LoweredAverages.Column, changed: String, stored: String) -> (value: String, unless: String) {
        let a = Self.averagesVariable
        let value = "CASE WHEN \(changed) THEN CASE WHEN \(a).\(hidden.count) = 0 THEN NULL ELSE \(a).\(hidden.sum)::numeric / \(a).\(hidden.count) END\n    ELSE \(stored) END"
        let unusable = ["\(a).\(hidden.count) IS NULL"] + (hidden.nonFinite ? ["coalesce(\(a).\(hidden.sum) IN \(Self.nonFiniteNumerics), false)"] : [])
        return (value, "(\(changed) AND (\(unusable.joined(separator: " OR "))))")
    }

    /// For the drifted keys: CTEs of the keys and hidden columns as text, from `query` (the
    /// defining query with the hidden columns) and from the hidden table, to compare.
    func driftedAverages(query: String) -> (ctes: [String], compared: (String, String))? {
        guard let hidden = incremental.averages else { return nil }
        let h = Self.hiddenAlias
        func row(_ alias: String) -> String { "ROW(" + hidden.hiddenColumns.map { "\(alias).\(SQLText.name($0))" }.joined(separator: ", ") + ")::text" }
        return (["matview_fresh_hidden AS (SELECT \(keyValue("q")) AS key, \(row("q")) AS content FROM \(query) AS q)",
                 "matview_stored_hidden AS (SELECT \(keyValue(h)) AS key, \(row(h)) AS content FROM \(hidden.table) AS \(h))"],
                ("matview_fresh_hidden", "matview_stored_hidden"))
    }
}
