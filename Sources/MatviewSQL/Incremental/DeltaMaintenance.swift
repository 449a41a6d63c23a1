import MatviewLowering
import MatviewSema
import MatviewSyntax

/// The write path of a source table whose changes apply as a difference (DeltaSource): after
/// the groups are locked, one statement works out what the statement's rows add to and take
/// from each group, moves the stored values by that, and names the groups it cannot move (a
/// lost maximum, an average whose inputs changed); those are recomputed as before. Where the
/// rows reach one group and the source reads off its rows alone (DeltaSource.readOffRows), that
/// statement is an UPDATE of the group's row by aggregates over the rows themselves: the
/// statement that joins them to the other tables and adds the padding rows cost a single-row
/// insert's trigger about a quarter of its CPU (perf samples, 100,000 users). A second UPDATE,
/// run only when the first could not move the row, recomputes a column the difference cannot
/// give in place, over the group's rows, alone (RowsAloneDifference.recomputed). The same
/// statements apply an update of another table that only touches what the view reads as a
/// max's or min's own part (TouchSource).
///
/// The difference is taken only where it pays. For a statement of many rows, which reaches
/// many groups and often leaves some to recompute anyway, it cost more than the recompute (the
/// 10,000-row insert: 600-940 ms against 390-570 ms), so only a statement of at most
/// `matview.difference_max_rows` changed rows (default 10) takes it. For a few rows it pays
/// whatever the size of the group, except deletes in small groups, which often recompute after
/// it (a lost latest activity; before averages kept hidden sums and counts, a completed task's
/// average too) and then cost up to 1.25x the recompute alone (scripts/difference-bench.sh).
/// For single-row task inserts at 100,000 users (about 10 tasks a user), the backend's CPU
/// time in the trigger (perf samples) was 1.06-1.12 times that of the rest of the statement by
/// difference, against 1.74-1.81 times recomputing; single-row
/// inserts, updates and deletes took 1.07, 1.19 and 1.11 ms against 1.25, 1.81 and 1.39 ms
/// (pgbench medians, one server, fsync on). An earlier measure, by `track_functions` per
/// trigger call, found the two about even for small groups and made a least group size the
/// default, whose count then cost more than it saved. `matview.difference_min_rows` (default 0)
/// still asks for one: only rows joining rows that have that many of the table's rows between
/// them (counted by index up to that many) then take the difference. Both settings can be changed
/// per database or session (the differential test sets them so that every write it can takes
/// the difference).
///
/// A difference is right only if the stored row does not hold the statement's rows yet. It
/// does not, unless the view was maintained earlier during the same client statement: a row
/// trigger's nested write, or another data-modifying CTE, whose recompute already read these
/// rows. The trigger then recomputes instead; the setting `maintainedSetting` says when the
/// view was last maintained (any maintenance of the view sets it).
extension IncrementalMaintenance {
    var markMaintained: String {
        "PERFORM pg_catalog.set_config(\(SQLText.literal(names.maintainedSetting)), pg_catalog.statement_timestamp()::text, true);"
    }

    /// The statements, after the locks, that bring the groups in `locked` (an array variable of
    /// the key type) up to date with the trigger's transition tables.
    ///
    /// The trigger's `RowsAloneDifference.keysVariable` holds the keys the changed rows reach
    /// after the lock, one per row (see IncrementalMaintenance.fewKeys; empty where it took them
    /// distinct).
    func maintainLocked(_ locked: String, source: LoweredIncremental.Source, event: TriggerEvent) -> String {
        let rowKeys = RowsAloneDifference.keysVariable
        let recompute = "PERFORM \(names.qualified(names.apply))(\(locked));"
        let maintainedEarlier = """
        IF pg_catalog.current_setting(\(SQLText.literal(names.maintainedSetting)), true) IS NOT DISTINCT FROM pg_catalog.statement_timestamp()::text THEN
            -- Maintained earlier in this client statement: the stored rows may hold these changes.
            \(recompute)

        """
        guard event != .truncate else { return recompute }
        if event == .update, source.paths.count == 1, let touch = incremental.touches.first(where: { $0.source.table == source.table }) {
            let compared = touch.source.compared.isEmpty ? "" : "\n      AND \(Self.unchanged(touch.source.compared))"
            let comment = """
            Only \(touch.source.touched.joined(separator: ", ")) changed, which \(view.name) reads as the rows' own part
            of a max or min: the rows join as before, and the group moves by what they alone
            gained and lost (a lost extreme no gained one reaches is recomputed in it, alone). A
            row that reached no group makes the count differ: recompute then, as for a group with
            no stored row.
            """
            return maintainedEarlier + rowsAloneBranch(oneGroupByRowsAlone(rowKeys) + compared, comment: comment, touch.difference,
                                                       rowKeys: rowKeys, event: event, recompute: recompute) + """
            ELSE
                \(recompute)
            END IF;
            """
        }
        guard let delta = incremental.delta, delta.source.table == source.table else { return recompute }
        var rowsAlone = ""
        if let alone = delta.rowsAlone, source.paths.count == 1 {
            let comment = """
            Every changed row reached one group, one key each: the group moves by what the
            rows alone add and take, read off them without joining the other tables (a value
            the difference cannot give is recomputed in it, alone). A row that reached no group
            makes the count differ: recompute then, as for a group with no stored row.
            """
            rowsAlone = rowsAloneBranch(oneGroupByRowsAlone(rowKeys), comment: comment, alone, rowKeys: rowKeys, event: event, recompute: recompute)
        }
        return maintainedEarlier + """
        \(rowsAlone)ELSIF NOT \(worthADifference(delta, event: event)) THEN
            -- A difference would not pay.
            \(recompute)
        ELSE
            \(markMaintained)
        \(indented(differenceStatement(delta, event: event)))
            INTO matview_redo;
            IF matview_redo IS NOT NULL THEN
                PERFORM \(names.qualified(names.apply))(matview_redo);
            END IF;
        END IF;
        """
    }

    /// `ELSIF condition THEN` the rows-alone statements, recomputing when they moved nothing.
    private func rowsAloneBranch(_ condition: String, comment: String, _ difference: RowsAloneDifference,
                                 rowKeys: String, event: TriggerEvent, recompute: String) -> String {
        """
        ELSIF \(condition) THEN
        \(indented(SQLComment.lines(comment)))
            \(markMaintained)
        \(indented(rowsAloneStatement(difference, rowKeys: rowKeys, event: event)))
            IF NOT FOUND THEN
                \(recompute)
            END IF;

        """
    }

    /// Every changed row reached one group, one key each, and a difference pays. The rows'
    /// count is not taken here: the rows-alone UPDATE moves the group only when it equals the
    /// count of keys, so `cardinality` is the count whenever it moves it. A least group size
    /// leaves the write to the general statement (or the recompute), which counts joined rows.
    private func oneGroupByRowsAlone(_ rowKeys: String) -> String {
        """
        cardinality(\(rowKeys)) > 0 AND \(Self.oneKey(rowKeys))
              AND cardinality(\(rowKeys)) <= \(setting(LoweredDelta.maxRows)) AND \(setting(LoweredDelta.minRows)) = 0
        """
    }

    /// The changed rows with their signs (+1 new, -1 old), under the names of the table's columns.
    private func signedRows(_ columns: [String], event: TriggerEvent) -> String {
        let names = columns.map(SQLText.name).joined(separator: ", ")
        return event.transitionTables.map { rows in
            "SELECT \(rows == "new_rows" ? 1 : -1) AS \(LoweredDelta.signColumn), \(names) FROM \(rows)"
        }.joined(separator: "\n    UNION ALL\n    ")
    }

    /// How each stored column moves by the group's difference `delta` (SET clauses), and when the
    /// difference cannot give it (conditions, any of which sends the group to the recompute).
    /// A column with a way in `inPlace` takes it in place of that condition: `CASE WHEN
    /// condition THEN (its value over the group's rows) ELSE moved END`, the subquery run only
    /// when the condition holds; an average, the quotient of its hidden sum and count once moved
    /// (`averagesVariable`), and the group recomputed when it has none.
    private func movement(_ columns: [LoweredDelta.Column], stored: String, delta: String = "d",
                          inPlace: [RowsAloneDifference.InPlace?] = []) -> (set: [String], redo: [String]) {
        var set: [String] = []
        var redo: [String] = []
        for (i, column) in columns.enumerated() {
            let v = "\(stored).\(SQLText.name(column.name))"
            let d = column.deltas.map { "\(delta).\($0)" }
            // The stored value moved by the difference (nil: as it is), and when that is wrong.
            let moved: String?
            var unknown: [String] = []
            switch column.output {
            case .unchanged:
                continue
            case .count, .countDistinctKey, .sum(_, _, true, _):
                moved = "\(v) + \(d[0])"
                if case .sum(_, _, _, true) = column.output {
                    unknown.append("(\(v) IN \(Self.nonFiniteNumerics) OR \(d[0]) IN \(Self.nonFiniteNumerics))")
                }
            case .sum:
                moved = "CASE WHEN \(d[0]) IS NULL THEN \(v) ELSE coalesce(\(v), 0) + \(d[0]) END"
                unknown.append(d[1])
            case .extreme(let greatest, _, _, _):
                moved = "\(DeltaOutput.pairwise(greatest: greatest))(\(v), \(d[0]))"
                // A lost value below the stored one leaves it; a lost value that may have been it
                // leaves the question open unless a gained value reaches it again.
                let (reaches, below) = greatest ? (">=", "<") : ("<=", ">")
                unknown.append("(\(d[1]) IS NOT NULL AND (\(v) IS NULL OR (\(d[1]) \(reaches) \(v) AND (\(d[0]) IS NULL OR \(d[0]) \(below) \(v)))))")
            case .average:
                moved = nil
                unknown.append(Self.averageChanged(d))
            case .other(_, let multisetDetermined):
                moved = nil
                if multisetDetermined {
                    for pair in stride(from: 0, to: d.count, by: 2) { unknown.append("\(d[pair]) IS DISTINCT FROM \(d[pair + 1])") }
                } else {
                    unknown.append("true")
                }
            }
            let name = SQLText.name(column.name)
            switch (i < inPlace.count ? inPlace[i] : nil, unknown.isEmpty) {
            case (.recomputed(let query)?, false):
                set.append(unknown == ["true"] ? "\(name) = \(query)"
                           : "\(name) = CASE WHEN \(unknown.joined(separator: " OR ")) THEN \(query)\n    ELSE \(moved ?? v) END")
            case (.average(let hidden)?, false):
                let inPlace = averageFromHidden(hidden, changed: unknown.joined(separator: " OR "), stored: v)
                set.append("\(name) = \(inPlace.value)")
                redo.append(inPlace.unless)
            default:
                if let moved { set.append("\(name) = \(moved)") }
                redo += unknown
            }
        }
        return (set, redo)
    }

    /// The numeric values that are not numbers a difference can move (numeric's NaN equals NaN).
    static let nonFiniteNumerics = "('NaN', 'Infinity', '-Infinity')"

    /// The one group the statement's rows reach (`rowKeys[1]`) moved by the deltas read off the
    /// rows alone: they go into `deltaVariable` (a record) first, then one UPDATE moves the row by
    /// them where the difference gives every value; it updates nothing when their count is not
    /// the keys' or some value is unknown. Where a column can be recomputed in place
    /// (RowsAloneDifference.recomputed), a second UPDATE does that, only then. Each statement
    /// sets up its whole plan on every call, whether a part of it runs or not: with the
    /// subqueries in the one UPDATE every task insert set up two three-table joins it almost
    /// never ran, and its trigger took about a tenth more of the backend's CPU (a procedure
    /// inserting 1,000 tasks a round, 10 rounds, medians) than with them in a second statement.
    private func rowsAloneStatement(_ difference: RowsAloneDifference, rowKeys: String, event: TriggerEvent) -> String {
        let stored = "matview_v", d = Self.deltaVariable
        let signed = signedRows(difference.rowColumns, event: event).replacingOccurrences(of: "\n    ", with: "\n              ")
        let select = """
        SELECT count(*) AS matview_count,
               \(difference.selectList.joined(separator: ",\n       "))
        INTO \(d)
        FROM (\(signed)) AS \(SQLText.name(difference.alias));
        """
        func group(_ alias: String) -> String { "\(keysMatch("(\(rowKeys)[1])", alias)) AND \(d).matview_count = cardinality(\(rowKeys))" }
        func update(_ set: [String], _ redo: [String]) -> String {
            // Every column unchanged still needs the row's presence (and the count) checked.
            let assignments = set.isEmpty ? ["\(SQLText.name(grain[0].name)) = \(stored).\(SQLText.name(grain[0].name))"] : set
            return """
            UPDATE \(table) AS \(stored) SET \(assignments.joined(separator: ",\n    "))
            WHERE \(group(stored))\(redo.isEmpty ? "" : "\n  AND NOT (" + redo.joined(separator: "\n       OR ") + ")");
            """
        }
        let moved = movement(difference.columns, stored: stored, delta: d)
        let inPlace = movement(difference.columns, stored: stored, delta: d, inPlace: difference.inPlace)
        // No column takes its subquery in place of an unknown: the second UPDATE would be the first.
        guard inPlace.redo != moved.redo else { return select + "\n" + update(moved.set, moved.redo) }
        let averages = moveAverages(difference, group: group).map {
            "\n    -- The averages' hidden sums and counts moved by the rows; each average is their quotient.\n" + indented($0)
        } ?? ""
        return select + "\n" + update(moved.set, moved.redo) + """

        IF NOT FOUND THEN
            -- A value the difference cannot give: recomputed in place, alone.\(averages)
        \(indented(update(inPlace.set, inPlace.redo)))
        END IF;
        """
    }

    /// The record the rows-alone deltas are read into (rowsAloneStatement).
    static let deltaVariable = "matview_d"

    /// A setting's value, or its default where it is not a whole number: a mistyped setting must
    /// not make every write to the table fail.
    private func setting(_ s: LoweredDelta.Setting) -> String {
        let value = "pg_catalog.current_setting(\(SQLText.literal(s.name)), true)"
        return "(CASE WHEN \(value) ~ '^[0-9]{1,18}$' THEN \(value)::bigint ELSE \(s.default) END)"
    }

    /// Few changed rows, joining rows that have many of the table's rows between them.
    private func worthADifference(_ delta: LoweredDelta, event: TriggerEvent) -> String {
        let maxRows = setting(LoweredDelta.maxRows), minRows = setting(LoweredDelta.minRows)
        let rows = event.transitionTables.map { "SELECT 1 FROM \($0)" }.joined(separator: " UNION ALL ")
        let t = SQLText.name(delta.source.alias)
        let columns = delta.source.matches.map { SQLText.name($0.column) }
        let own = delta.source.filters.map { " AND (\(SQLPrinter.print($0)))" }.joined()
        let values = event.transitionTables.map { "SELECT \(columns.joined(separator: ", ")) FROM \($0)" }.joined(separator: " UNION ")
        let joined = "SELECT 1 FROM \(SQLText.qualified(delta.source.table)) AS \(t) WHERE (\(columns.map { "\(t).\($0)" }.joined(separator: ", "))) IN (\(values))\(own)"
        // With no least group size (the default) the count of joined rows is not taken at all:
        // OR evaluates left to right and a subquery runs only when reached.
        return "((SELECT count(*) FROM (\(rows) LIMIT \(maxRows) + 1) AS matview_c) <= \(maxRows)\n"
            + "            AND (\(minRows) = 0 OR (SELECT count(*) FROM (\(joined) LIMIT \(minRows)) AS matview_c) >= \(minRows)))"
    }

    /// One statement: the changed rows with signs, the padding rows that appear or vanish, the
    /// difference per group, the new stored values (or a mark that the group must be
    /// recomputed), the update of the rows that move; its value is the keys to recompute.
    private func differenceStatement(_ delta: LoweredDelta, event: TriggerEvent) -> String {
        let source = delta.source
        let t = SQLText.name(source.alias)
        let table = SQLText.qualified(source.table)
        let columns = source.columns.map { SQLText.name($0.name) }
        let matchColumns = source.matches.map { SQLText.name($0.column) }
        let ownFilters = source.filters.map { " AND (\(SQLPrinter.print($0)))" }.joined()
        func matching(_ alias: String) -> String {
            matchColumns.map { "\(alias).\($0) = m.\($0)" }.joined(separator: " AND ") + ownFilters
        }
        // Whether the table has no row joining a value, after the statement and before it (the
        // rows now, less the new ones, plus the old ones).
        let key = source.primaryKey.map(SQLText.name)
        // NOT IN over the key (never NULL): one hash of the new rows, where NOT EXISTS scanned
        // them for every row it tested (10,000 new rows of 2,000 projects: seconds).
        let notNew = event.transitionTables.contains("new_rows")
            ? " AND (\(key.map { "\(t).\($0)" }.joined(separator: ", "))) NOT IN (SELECT \(key.joined(separator: ", ")) FROM new_rows)"
            : ""
        var emptyBefore = ["NOT EXISTS (SELECT 1 FROM \(table) AS \(t) WHERE \(matching(t))\(notNew))"]
        if event.transitionTables.contains("old_rows") {
            emptyBefore.insert("NOT EXISTS (SELECT 1 FROM old_rows AS \(t) WHERE \(matching(t)))", at: 0)
        }
        var emptyAfter = "NOT EXISTS (SELECT 1 FROM \(table) AS \(t) WHERE \(matching(t)))"
        // Without filters of the table's own, every value an insert's rows join has them now,
        // and every value a delete's rows joined had them before: no probe is needed (each
        // costs its executor setup on every write, even where it would not run).
        if source.filters.isEmpty {
            if event == .insert { emptyAfter = "false" }
            if event == .delete { emptyBefore = ["false"] }
        }
        let nulls = source.columns.map { "NULL::\($0.type.description)" }
        let joinValues = matchColumns.enumerated().map { "\($1) AS \(LoweredDelta.joinColumn($0))" }
        let stored = "matview_v"
        let (set, redo) = movement(delta.columns, stored: stored)
        var ctes = [
            "matview_changed AS (\n    " + signedRows(delta.source.columns.map(\.name), event: event) + "\n)",
            """
            matview_padding AS (
                SELECT \(matchColumns.map { "m.\($0)" }.joined(separator: ", ")),
                       \(emptyAfter) AS matview_empty_after,
                       \(emptyBefore.joined(separator: "\n           AND ")) AS matview_empty_before
                FROM (SELECT DISTINCT \(matchColumns.joined(separator: ", ")) FROM matview_changed
                      WHERE \(matchColumns.map { "\($0) IS NOT NULL" }.joined(separator: " AND "))) AS m
            )
            """,
            """
            \(LoweredDelta.rowsName) AS (
                SELECT \(LoweredDelta.signColumn), false AS \(LoweredDelta.paddingColumn), \(columns.joined(separator: ", ")), \(joinValues.joined(separator: ", ")) FROM matview_changed
                UNION ALL
                SELECT CASE WHEN m.matview_empty_after THEN 1 ELSE -1 END, true, \(nulls.joined(separator: ", ")), \(matchColumns.map { "m.\($0)" }.joined(separator: ", "))
                FROM matview_padding AS m WHERE m.matview_empty_after <> m.matview_empty_before
            )
            """,
            "matview_delta AS MATERIALIZED (\n\(indented(delta.groupQuery))\n)",
        ]
        // The groups whose stored row moves by the difference; the others (no stored row, or a
        // value the difference cannot give) are recomputed.
        if !set.isEmpty {
            ctes.append("""
            matview_moved AS (
                UPDATE \(self.table) AS \(stored) SET \(set.joined(separator: ",\n    "))
                FROM matview_delta AS d
                WHERE \(keysMatch("d", stored))\(redo.isEmpty ? "" : "\n      AND NOT (" + redo.joined(separator: "\n           OR ") + ")")
                RETURNING \(grain.map { "\(stored).\(SQLText.name($0.name))" }.joined(separator: ", "))
            )
            """)
        }
        // keysMatch, not NOT IN: a row constructor on the left of IN compares field by field,
        // where a NULL key matches nothing.
        let recompute = set.isEmpty
            ? (redo.isEmpty ? "false" : redo.joined(separator: " OR "))
            : "NOT EXISTS (SELECT 1 FROM matview_moved AS m WHERE \(keysMatch("m", "d")))"
        return "WITH " + ctes.joined(separator: ",\n") + "\nSELECT array_agg(\(keyValue("d"))) FROM matview_delta AS d WHERE \(recompute)"
    }
}
