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
/// - the full rebuild compares them with the query's as well as the rows (driftedAverages), and
///   so does `matview verify` (averagesDifferences).
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

    /// The hidden table's columns, quoted, in its order: the grain's, then the hidden ones.
    private func hiddenTableColumns(_ hidden: LoweredAverages) -> [String] {
        hidden.tableColumns.map(SQLText.name)
    }

    /// For `_apply`'s statement: CTEs that write the recomputed groups' hidden rows from
    /// `fresh` the way the statement writes the view's rows (recomputedRows). (An INSERT ... ON
    /// CONFLICT DO UPDATE locked every conflicting row, equal or not: the 10,000-row insert's
    /// 2,000 groups took it from 1.93x to 2.41x of no maintenance.)
    func recomputedAverages(fresh: String, inKeys: (String) -> String) -> [String] {
        guard let hidden = incremental.averages else { return [] }
        let columns = hiddenTableColumns(hidden)
        return recomputedRows(prefix: "matview_averages", table: hidden.table, alias: Self.hiddenAlias, columns: columns, fresh: fresh,
                              freshText: "ROW(" + columns.map { "\(fresh).\($0)" }.joined(separator: ", ") + ")::text",
                              inKeys: inKeys, counted: false)
    }

    /// For `_apply`'s one group of a one-column grain that cannot be NULL: the statements after
    /// its row (the record `row`, of key `key`) was deleted, and after it was written (as the
    /// view's row: updated where it differs, inserted where it is missing).
    func oneGroupAverages(key: String, row: String) -> (gone: String, set: String)? {
        guard let hidden = incremental.averages else { return nil }
        let h = Self.hiddenAlias
        let thisGroup = "\(h).\(SQLText.name(grain[0].name)) = \(key)"
        let columns = hiddenTableColumns(hidden)
        let fields = columns.map { "\(row).\($0)" }.joined(separator: ", ")
        return ("DELETE FROM \(hidden.table) AS \(h) WHERE \(thisGroup);",
                """
                UPDATE \(hidden.table) AS \(h) SET (\(columns.joined(separator: ", "))) = ROW(\(fields))
                WHERE \(thisGroup) AND \(h)::text IS DISTINCT FROM ROW(\(fields))::text;
                IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM \(hidden.table) AS \(h) WHERE \(thisGroup)) THEN
                    INSERT INTO \(hidden.table) (\(columns.joined(separator: ", "))) VALUES (\(fields));
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

    /// For the drifted keys and `matview verify`: CTEs of the keys and the hidden columns, from
    /// `query` (the defining query with the hidden columns) and from the hidden table, to
    /// compare. The columns go as JSON text, named, so that verify can show them: compared as
    /// text, a sum of another scale (3.00 for 3) differs, as the average it gives would print.
    func driftedAverages(query: String) -> (ctes: [String], compared: (String, String))? {
        guard let hidden = incremental.averages else { return nil }
        let h = Self.hiddenAlias
        func row(_ alias: String) -> String {
            "jsonb_build_object(" + hidden.hiddenColumns.map { "\(SQLText.literal($0)), \(alias).\(SQLText.name($0))" }.joined(separator: ", ") + ")::text"
        }
        return (["matview_fresh_hidden AS (SELECT \(keyValue("q")) AS key, \(row("q")) AS content FROM \(query) AS q)",
                 "matview_stored_hidden AS (SELECT \(keyValue(h)) AS key, \(row(h)) AS content FROM \(hidden.table) AS \(h))"],
                ("matview_fresh_hidden", "matview_stored_hidden"))
    }

    /// For `matview verify`: the hidden rows the defining query gives that the table lacks, and
    /// those it has that the query does not give, compared as the rebuild compares them
    /// (driftedAverages), counted, with up to `p_samples` of each as JSON (key and columns).
    func averagesDifferences() -> String? {
        guard let query = incremental.queryWithAverages, let compared = driftedAverages(query: "matview_query") else { return nil }
        let (fresh, stored) = compared.compared
        let sample = "(pg_catalog.to_jsonb(d.key) || d.content::jsonb)::text"
        let ctes = compared.ctes + [
            "matview_lacking AS (SELECT \(sample) AS r FROM (SELECT * FROM \(fresh) EXCEPT ALL SELECT * FROM \(stored)) AS d)",
            "matview_surplus AS (SELECT \(sample) AS r FROM (SELECT * FROM \(stored) EXCEPT ALL SELECT * FROM \(fresh)) AS d)",
        ]
        let body = """
        WITH matview_query AS MATERIALIZED (
        \(indented(query))
        ),
        \(ctes.joined(separator: ",\n"))
        SELECT (SELECT count(*) FROM matview_lacking), (SELECT count(*) FROM matview_surplus),
               ARRAY(SELECT r FROM matview_lacking ORDER BY r LIMIT p_samples), ARRAY(SELECT r FROM matview_surplus ORDER BY r LIMIT p_samples)
        INTO matview_missing, matview_extra, matview_missing_rows, matview_extra_rows;
        """
        return SQLComment.lines("For matview verify: how the hidden sums and counts of \(view.name)'s averages differ from its defining query's.") + "\n"
            + function(names.averagesDifferences,
                       "p_samples integer, OUT matview_missing bigint, OUT matview_extra bigint, OUT matview_missing_rows text[], OUT matview_extra_rows text[]",
                       returns: "record", declare: [], body: body)
    }
}
