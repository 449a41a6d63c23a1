import MatviewLowering
import MatviewSema
import MatviewSyntax

/// The maintenance objects of one incremental view, all in the support schema: the grain's key
/// type, the function that recomputes a set of groups, the full rebuild (every group whose
/// stored row differs from the defining query's), the drain of queued changes, and one trigger
/// function per source table and event.
///
/// The write path (DESIGN.md): a writing statement's trigger finds the groups its changed rows
/// (old and new versions) reach, locks them in one sorted order (transaction-scoped advisory
/// locks), finds them again in a new statement (a concurrent writer may have moved a row between
/// groups and committed meanwhile), and recomputes them in a later statement, so under READ
/// COMMITTED it sees every writer that committed before it. Writers of other groups never wait.
struct IncrementalMaintenance {
    let lowered: LoweredView
    let incremental: LoweredIncremental
    let support: SupportNames

    var names: IncrementalNames { incremental.names }
    var s: String { support.quotedSchema }
    var view: CheckedView { lowered.view }
    var viewLiteral: String { SQLText.literal(view.name) }
    var table: String { lowered.qualifiedName }

    /// Statements, in order, that create every object (run after the old ones were dropped).
    func createStatements() -> [String] {
        var statements = [keyType(), apply(), driftedKeys(), rebuild(), drain()] + [averagesDifferences()].compactMap { $0 }
        for (i, source) in incremental.sources.enumerated() {
            for event in TriggerEvent.allCases {
                statements.append(triggerFunction(source: i, source, event: event))
            }
        }
        return statements
    }

    struct Trigger {
        let table: TableName
        /// Set when the table is another incremental view's.
        let upstreamView: String?
        let name: String
        let function: String
        let event: TriggerEvent
    }

    /// Every trigger on the source tables (and, by install_maintenance_trigger, their partitions).
    var triggers: [Trigger] {
        incremental.sources.enumerated().flatMap { i, source in
            TriggerEvent.allCases.map { event in
                Trigger(table: source.table, upstreamView: source.upstreamView, name: names.trigger(event),
                        function: names.qualified(names.triggerFunction(source: i, event: event)), event: event)
            }
        }
    }

    /// One comment line per trigger, for the review file.
    func triggerSummary() -> [String] {
        triggers.map { SQLComment.lines("  AFTER \($0.event.keyword) ON \($0.table) FOR EACH STATEMENT: \($0.name) -> \($0.function)()") }
    }

    private func keyType() -> String {
        let fields = incremental.keyColumns.map { "\(SQLText.name($0.name)) \($0.type)" }.joined(separator: ", ")
        return "CREATE TYPE \(names.qualifiedKeyType) AS (\(fields));"
    }

    var grain: [GrainColumn] { incremental.plan.grain }

    /// `a.k = b.k` per grain column (LoweredIncremental.sameKeyValue: NULL matches NULL where
    /// it is a key value), which the grain index serves when `b` is the view's table.
    func keysMatch(_ a: String, _ b: String) -> String {
        grain.map { column in
            let n = SQLText.name(column.name)
            return LoweredIncremental.sameKeyValue("\(a).\(n)", "\(b).\(n)", nullable: column.nullable)
        }.joined(separator: " AND ")
    }

    /// Locks the groups whose keys (values of the key type, duplicates allowed) are in the array
    /// `keys`. The lock of a group is the hash of its key as a value of the key type
    /// (`hash_record`), so keys that are equal but print differently (`1.0` and `1.00`, `0` and
    /// `-0`) take one lock, as they are one row of the grain index. A grain with a type that has
    /// no hash function hashes the key's text.
    private func lockGroups(_ keys: String) -> String {
        "\(s).lock_group_keys(\(names.lockNamespace), \(keys), \(grain.allSatisfy(\.type.hasHashFunction) ? "false" : "true"));"
    }

    /// The key of the row `alias` as a value of the key type. Keys travel as arrays of it, not
    /// as text: a round trip (`::text`, then `::key[]`) printed and parsed every key again.
    func keyValue(_ alias: String) -> String {
        "ROW(" + grain.map { "\(alias).\(SQLText.name($0.name))" }.joined(separator: ", ") + ")::\(names.qualifiedKeyType)"
    }

    var keyArrayType: String { names.qualifiedKeyType + "[]" }

    /// A plpgsql function of the view's maintenance. Its statements are planned once per session
    /// and reused (`force_generic_plan`): planning the restricted query for each writing
    /// statement cost more than running it (1.4 ms against 0.4 ms for one user's group).
    ///
    /// Only the trigger functions (SECURITY DEFINER, the entry points of the write path) carry
    /// the settings: a function's SET clauses are applied and undone at every call, which cost
    /// more than the group locks, and they hold for every function called beneath. The others
    /// are called only from there and from refresh(), which pins search_path itself, and no role
    /// but the owner may call them.
    func function(_ name: String, _ signature: String, returns: String, declare: [String], body: String, securityDefiner: Bool = false) -> String {
        let declarations = declare.isEmpty ? "" : "DECLARE\n" + declare.map { "    \($0);" }.joined(separator: "\n") + "\n"
        let text = "\n\(declarations)BEGIN\n\(indented(body))\nEND;\n"
        let settings = securityDefiner ? "SECURITY DEFINER\nSET search_path = pg_catalog, pg_temp\nSET plan_cache_mode = force_generic_plan\n" : ""
        return """
        CREATE FUNCTION \(names.qualified(name))(\(signature))
        RETURNS \(returns)
        LANGUAGE plpgsql
        \(settings)AS \(SQLText.dollarQuoted(text, tag: "function"));
        """
    }

    /// `text` with each line that is not empty indented (by four spaces unless told), to nest
    /// a statement in a function body or a CTE.
    func indented(_ text: String, by indent: String = "    ") -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : indent + $0 }.joined(separator: "\n")
    }

    /// Above this many groups, a recompute is planned for its call (EXECUTE) instead of reusing the
    /// session's plan, which is made for a few groups and visits them one by one. Planning with
    /// the keys as constants costs more the more keys there are: against the session's plan,
    /// the planned-per-call recompute took 20-45% longer for 185 and 400 random users of either
    /// view (the dashboard, `user_stats_mv`; 100,000 users, warm, 10 calls each, 2 rounds),
    /// the same for 95, and about 15% less for 1,000 (a queue drain takes a few hundred).
    static let plannedPerCallAbove = 500

    /// The one statement that recomputes groups: the restricted query, then the rows that
    /// vanished deleted, those that differ updated, the new ones inserted; its value is how many
    /// rows it added less how many it deleted (a drain keeps the view's row count by it). Every
    /// read of the table is restricted to the keys, the test of which rows are new too:
    /// unrestricted, the plan for 2,000 groups hashed all 100,000 stored rows to find none new
    /// (20 ms of a 10,000-row insert's 400).
    private func applyStatement(query restricted: String, keys: String, values: String) -> String {
        let columns = view.columns.map { SQLText.name($0.name) }
        let fresh = "matview_fresh", stored = "matview_v"
        func inKeys(_ alias: String) -> String {
            LoweredIncremental.keyPredicate(grain.map { Expr.column(alias, $0.name, at: view.spec.location) }, grain: grain, keys: keys, values: values)
        }
        let query = indented(restricted)
        let averages = recomputedAverages(fresh: fresh, inKeys: inKeys)
        let rows = recomputedRows(prefix: "matview", table: table, alias: stored, columns: columns, fresh: fresh,
                                  freshText: visibleRow(fresh), inKeys: inKeys, counted: true)
        return """
        WITH \(fresh) AS (
        \(query)
        ),
        \((averages + rows).joined(separator: ",\n"))
        SELECT (SELECT count(*) FROM matview_added) - (SELECT count(*) FROM matview_gone)
        """
    }

    /// The CTEs that bring `table`'s rows of the recomputed groups (alias `alias`) to the rows
    /// of `fresh`, which has each of `columns` (the table's, quoted, in its order): the rows of
    /// groups that vanished deleted, those whose text differs from `freshText` updated, the new
    /// ones inserted, equal rows left untouched (an UPDATE that finds a row equal does not lock
    /// it). Named `<prefix>_gone`, `_changed`, `_added`; `counted`: the first and last return a
    /// row each, for the count of rows gained.
    func recomputedRows(prefix: String, table: String, alias: String, columns: [String], fresh: String,
                        freshText: String, inKeys: (String) -> String, counted: Bool) -> [String] {
        let fromFresh = columns.map { "\(fresh).\($0)" }.joined(separator: ", ")
        let returning = counted ? "\n    RETURNING 1" : ""
        return [
            """
            \(prefix)_gone AS (
                DELETE FROM \(table) AS \(alias)
                WHERE \(inKeys(alias))
                  AND NOT EXISTS (SELECT 1 FROM \(fresh) WHERE \(keysMatch(fresh, alias)))\(returning)
            )
            """,
            """
            \(prefix)_changed AS (
                UPDATE \(table) AS \(alias) SET (\(columns.joined(separator: ", "))) = ROW(\(fromFresh))
                FROM \(fresh)
                WHERE \(inKeys(alias)) AND \(keysMatch(fresh, alias)) AND \(alias)::text IS DISTINCT FROM \(freshText)
            )
            """,
            """
            \(prefix)_added AS (
                INSERT INTO \(table) (\(columns.joined(separator: ", ")))
                SELECT \(fromFresh) FROM \(fresh)
                WHERE NOT EXISTS (SELECT 1 FROM \(table) AS \(alias) WHERE \(inKeys(alias)) AND \(keysMatch(fresh, alias)))\(returning)
            )
            """,
        ]
    }

    /// Recomputes the given groups from the defining query restricted to them: deletes the
    /// groups that vanished, updates the rows that differ, inserts the new ones, and leaves equal
    /// rows untouched. Returns how many rows the table gained (negative: lost).
    private func apply() -> String {
        let keys = LoweredIncremental.keysVariable, values = LoweredIncremental.valuesVariable
        let statement = applyStatement(query: incremental.restrictedQuery, keys: keys, values: values)
        let executed = applyStatement(query: incremental.restrictedQueryWithParameters,
                                      keys: LoweredIncremental.keysParameter, values: LoweredIncremental.valuesParameter)
        var oneValue = "", manyValues = ""
        if incremental.usesValueArray {
            let column = SQLText.name(grain[0].name)
            oneValue = "\n    \(values) := ARRAY[(p_keys[1]).\(column)];"
            manyValues = "\n    \(values) := ARRAY(SELECT (k).\(column) FROM unnest(\(keys)) AS k);"
        }
        let body = """
        IF coalesce(cardinality(p_keys), 0) = 0 THEN
            RETURN 0;
        END IF;
        \(markMaintained)
        -- Each group once: a trigger hands over a key once per row that reached it.
        IF \(Self.oneKey("p_keys")) THEN
            \(keys) := ARRAY[p_keys[1]];\(oneValue)
        ELSE
            \(keys) := ARRAY(SELECT DISTINCT k FROM unnest(p_keys) AS k);\(manyValues)
        END IF;
        IF cardinality(\(keys)) > \(Self.plannedPerCallAbove) THEN
            -- Many groups: a plan made for this call (the one kept for every call expects a few).
            EXECUTE \(SQLText.dollarQuoted(executed, tag: "statement"))
            INTO matview_rows USING \(keys), \(incremental.usesValueArray ? values : "NULL::text[]");
        \(singleGroup())ELSE
        \(indented(statement))
            INTO matview_rows;
        END IF;
        RETURN matview_rows;
        """
        return SQLComment.lines("Recomputes the given groups of \(view.name).") + "\n"
            + function(names.apply, "p_keys \(keyArrayType)", returns: "bigint",
                       declare: ["\(LoweredIncremental.keysVariable) \(keyArrayType)", "matview_rows bigint"]
                           + (incremental.usesValueArray ? ["\(LoweredIncremental.valuesVariable) \(incremental.keyColumns[0].type)[]",
                                                            "matview_row record"] : []),
                       body: body)
    }

    /// One group of a grain of one column that cannot be NULL (a single-row write's usual
    /// case): its row into a variable, then one plain statement on the table through the grain
    /// index. The statement for several groups (delete, update and insert joined to the
    /// recomputed rows) cost 210 µs a call where this costs 110 µs (`track_functions`, 100,000
    /// users). Equal rows are left untouched here too. The variable is a `record`: the table
    /// does not exist yet when the function is created, so `%ROWTYPE` cannot name it; the row
    /// has the defining query's types, which the table was built with. Empty for other grains.
    private func singleGroup() -> String {
        guard incremental.usesValueArray, !grain[0].nullable else { return "" }
        let values = LoweredIncremental.valuesVariable, stored = "matview_v"
        let columns = view.columns.map { SQLText.name($0.name) }
        let fields = columns.map { "matview_row.\($0)" }.joined(separator: ", ")
        let thisGroup = "\(stored).\(SQLText.name(grain[0].name)) = \(values)[1]"
        let averages = oneGroupAverages(key: "\(values)[1]", row: "matview_row")
        let averagesGone = averages.map { "\n" + indented($0.gone, by: "        ") } ?? ""
        let averagesSet = averages.map { "\n" + indented($0.set, by: "        ") } ?? ""
        let query = indented(incremental.oneGroupQuery)
        return """
        ELSIF cardinality(\(LoweredIncremental.keysVariable)) = 1 THEN
            -- One group: its row, then the one statement it needs.
        \(query)
            INTO matview_row;
            IF NOT FOUND THEN
                DELETE FROM \(table) AS \(stored) WHERE \(thisGroup);
                GET DIAGNOSTICS matview_rows = ROW_COUNT;
                matview_rows := -matview_rows;\(averagesGone)
            ELSE
                UPDATE \(table) AS \(stored) SET (\(columns.joined(separator: ", "))) = ROW(\(fields))
                WHERE \(thisGroup) AND \(stored)::text IS DISTINCT FROM \(visibleRow("matview_row"));
                matview_rows := 0;
                IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM \(table) AS \(stored) WHERE \(thisGroup)) THEN
                    INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(fields));
                    matview_rows := 1;
                END IF;\(averagesSet)
            END IF;

        """
    }

    /// The keys of every group whose stored row differs from the defining query's, or exists on
    /// one side only (row contents compared as text: every column type has a text form); with
    /// averages, also every group whose hidden sums and counts differ from the query's (a write
    /// that bypassed the triggers can leave them wrong while the row still matches).
    private func driftedKeys() -> String {
        var compared = [("matview_fresh", "matview_stored")]
        var ctes = [
            "matview_fresh AS (SELECT \(keyValue("q")) AS key, \(visibleRow("q")) AS content FROM matview_query AS q)",
            "matview_stored AS (SELECT \(keyValue("v")) AS key, v::text AS content FROM \(table) AS v)",
        ]
        if let hidden = driftedAverages(query: "matview_query") {
            compared.append(hidden.compared)
            ctes += hidden.ctes
        }
        let differing = compared.flatMap { fresh, stored in [
            "SELECT key FROM (SELECT * FROM \(fresh) EXCEPT ALL SELECT * FROM \(stored)) AS only_fresh",
            "SELECT key FROM (SELECT * FROM \(stored) EXCEPT ALL SELECT * FROM \(fresh)) AS only_stored",
        ] }
        let body = """
        RETURN ARRAY(
            WITH matview_query AS MATERIALIZED (
            \(indented(incremental.queryWithAverages ?? lowered.query))
            ),
            \(ctes.joined(separator: ",\n    "))
            \(differing.joined(separator: "\n    UNION\n    "))
        );
        """
        return SQLComment.lines("The groups of \(view.name) whose stored rows differ from the defining query's.") + "\n"
            + function(names.driftedKeys, "", returns: keyArrayType, declare: [], body: body)
    }

    /// A full rebuild that blocks no one for long: the groups that differ are found without a
    /// lock, then locked (when writers maintain the view too) and recomputed in a later
    /// statement, like a writer's. Returns how many rows the table gained, as the recompute.
    private func rebuild() -> String {
        let body = """
        matview_found := \(names.qualified(names.driftedKeys))();
        IF p_lock THEN
            PERFORM \(lockGroups("matview_found"))
        END IF;
        RETURN \(names.qualified(names.apply))(matview_found);
        """
        return SQLComment.lines("Rebuilds \(view.name): recomputes every group that differs from its defining query.") + "\n"
            + function(names.rebuild, "p_lock boolean", returns: "bigint", declare: ["matview_found \(keyArrayType)"], body: body)
    }

    /// How many queued statements one drain takes at most. A drain decodes what it takes as one
    /// value and maps it through every key path: with 200,000 statements queued (hot groups
    /// written faster than drained) one drain took 48 s, holding its snapshot all along. Each
    /// drain commits, so a backlog is worked off in bounded steps, oldest first.
    static let drainBatch = 1000

    /// For refresh(): takes the queued changes it can see (the oldest `drainBatch` statements'
    /// when draining) and recomputes the groups they reach now (a row queued long ago maps
    /// through today's joins, which is what the view shows), or rebuilds when asked, or when a
    /// queued change has no rows (a TRUNCATE), taking everything queued. Gives how many
    /// queued statements it took and how many rows the table gained (negative: lost), so that
    /// refresh() can log the view's row count without counting the whole table after every drain.
    private func drain() -> String {
        var queries: [String] = ["SELECT NULL::\(names.qualifiedKeyType) WHERE false"]
        for source in incremental.sources {
            let columns = source.columns.map { "\(SQLText.name($0.name)) \($0.type)" }.joined(separator: ", ")
            for path in source.paths {
                let rows = "(SELECT x.* FROM jsonb_array_elements(matview_taken) AS e, jsonb_to_recordset(e->'r') AS x(\(columns)) "
                    + "WHERE e->>'t' = \(SQLText.literal(SQLText.qualified(source.table)))) AS \(SQLText.name(path.alias))"
                queries.append(incremental.keysQuery(path, from: rows))
            }
        }
        let body = """
        -- The oldest queued statements first, at most \(Self.drainBatch) of them unless rebuilding: the
        -- next drain takes the next batch.
        WITH matview_t AS (
            DELETE FROM \(s).pending_changes WHERE ctid = ANY (ARRAY(
                SELECT ctid FROM \(s).pending_changes WHERE view_name = \(viewLiteral)
                ORDER BY captured_at LIMIT CASE WHEN p_full THEN NULL ELSE \(Self.drainBatch) END))
            RETURNING source_table, changed_rows)
        SELECT count(*), coalesce(bool_or(changed_rows IS NULL), false),
               coalesce(jsonb_agg(jsonb_build_object('t', source_table, 'r', changed_rows)) FILTER (WHERE changed_rows IS NOT NULL), '[]')
        INTO matview_applied, matview_whole, matview_taken
        FROM matview_t;
        IF p_full OR matview_whole THEN
            matview_net_rows := \(names.qualified(names.rebuild))(p_lock);
        ELSE
            matview_found := ARRAY(
                \(queries.joined(separator: "\n        UNION\n        "))
            );
            IF p_lock THEN
                PERFORM \(lockGroups("matview_found"))
            END IF;
            matview_net_rows := \(names.qualified(names.apply))(matview_found);
        END IF;
        """
        return SQLComment.lines("Applies the changes queued for \(view.name) (or rebuilds it): how many it took, how many rows the table gained.") + "\n"
            + function(names.drain, "p_full boolean, p_lock boolean, OUT matview_applied bigint, OUT matview_net_rows bigint", returns: "record",
                       declare: ["matview_whole boolean", "matview_taken jsonb", "matview_found \(keyArrayType)"], body: body)
    }

    /// The changed rows of a path through other tables, as the distinct values the path joins
    /// on (old and new versions together): a statement that writes 10,000 rows of 2,000
    /// projects looks up 2,000 projects, by index, instead of hashing the whole projects table
    /// to join 10,000 rows. The path is looked up twice (again after the lock), so this counts
    /// double.
    private func distinctJoinValues(_ path: KeyPath, event: TriggerEvent) -> String {
        let columns = path.columns.map(SQLText.name).joined(separator: ", ")
        let selects = event.transitionTables.map { "SELECT \(columns) FROM \($0)" }
        let rows = selects.count == 1 ? "SELECT DISTINCT \(columns) FROM \(event.transitionTables[0])" : selects.joined(separator: " UNION ")
        return "(\(rows)) AS \(SQLText.name(path.alias))"
    }

    /// For an UPDATE: returns at once when the changed rows' columns that the view reads are
    /// the same before and after, as a multiset of their text (exact, where equality would take
    /// `1.0` for `1.00`): an update of a login time, say, then costs the view nothing. Empty for
    /// other events, and for another view's table.
    private func skipUnchangedUpdate(_ source: LoweredIncremental.Source, event: TriggerEvent) -> String {
        guard event == .update, let read = source.readColumns else { return "" }
        return """
        -- An update that changed no column \(view.name) reads changes nothing in it.
        IF \(Self.unchanged(read)) THEN
            RETURN NULL;
        END IF;

        """
    }

    private func triggerFunction(source index: Int, _ source: LoweredIncremental.Source, event: TriggerEvent) -> String {
        let name = names.triggerFunction(source: index, event: event)
        // The keys the changed rows reach, one per row while they are few (see fewKeys).
        let found = RowsAloneDifference.keysVariable
        let tableName = SQLText.qualified(source.table)
        let comment = SQLComment.lines("\(view.name): \(event.keyword) on \(source.table).") + "\n"
        let skip = skipUnchangedUpdate(source, event: event)
        if view.refresh.onChange == .queue {
            guard event != .truncate else {
                return comment + function(name, "", returns: "trigger", declare: [], body: """
                INSERT INTO \(s).pending_changes (view_name, source_table, changed_rows) VALUES (\(viewLiteral), \(SQLText.literal(tableName)), NULL);
                RETURN NULL;
                """, securityDefiner: true)
            }
            let columns = source.columns.map { SQLText.name($0.name) }
            let pairs = source.columns.map { "\(SQLText.literal($0.name)), \(SQLText.name($0.name))" }.joined(separator: ", ")
            let selects = event.transitionTables.map { "SELECT \(columns.isEmpty ? "1" : columns.joined(separator: ", ")) FROM \($0)" }
            return comment + function(name, "", returns: "trigger", declare: [], body: skip + """
            INSERT INTO \(s).pending_changes (view_name, source_table, changed_rows)
            SELECT \(viewLiteral), \(SQLText.literal(tableName)), jsonb_agg(r)
            FROM (SELECT DISTINCT jsonb_build_object(\(pairs)) AS r FROM (\(selects.joined(separator: " UNION ALL "))) AS x) AS d
            HAVING count(*) > 0;
            RETURN NULL;
            """, securityDefiner: true)
        }
        let isolation = """
        IF current_setting('transaction_isolation') <> 'read committed' THEN
            RAISE EXCEPTION 'matview: % is kept current by each writing statement, which needs READ COMMITTED; this transaction is %', \(viewLiteral), upper(current_setting('transaction_isolation'))
                USING ERRCODE = '0A000', HINT = \(SQLText.literal("write to \(source.table) under READ COMMITTED, or give \(view.name) on_change: queue"));
        END IF;
        """
        guard event != .truncate else {
            return comment + function(name, "", returns: "trigger", declare: [], body: isolation + "\n" + """
            PERFORM \(names.qualified(names.rebuild))(true);
            RETURN NULL;
            """, securityDefiner: true)
        }
        // Each path's keys, one per changed row (and hop) it reaches, and taken distinct.
        var each: [String] = [], distinct: [String] = []
        for path in source.paths {
            for rows in event.transitionTables {
                each.append(incremental.keysQuery(path, from: "\(rows) AS \(SQLText.name(path.alias))", distinct: false))
            }
            if path.hops.isEmpty || path.columns.isEmpty {
                for rows in event.transitionTables {
                    distinct.append(incremental.keysQuery(path, from: "\(rows) AS \(SQLText.name(path.alias))"))
                }
            } else {
                distinct.append(incremental.keysQuery(path, from: distinctJoinValues(path, event: event)))
            }
        }
        let eachKey = each.joined(separator: "\n        UNION ALL\n        ")
        // The variables of the writes by difference: the keys the general statement leaves to
        // recompute, and the record the rows-alone statements read their deltas into.
        var differenceVariables: [String] = []
        if incremental.delta?.source.table == source.table {
            differenceVariables = ["matview_redo \(keyArrayType)", "\(Self.deltaVariable) record"]
                + (incremental.averages == nil ? [] : ["\(Self.averagesVariable) record"])
        } else if incremental.touches.contains(where: { $0.source.table == source.table }) {
            differenceVariables = ["\(Self.deltaVariable) record"]
        }
        // Keys read straight off the changed rows cannot change under us; only a path through
        // other tables' rows (which a concurrent writer may move to another group) is looked
        // at again after the lock.
        guard source.paths.contains(where: { !$0.hops.isEmpty }) else {
            let body = skip + isolation + "\n" + """
            -- Lock the groups the changed rows reach (their keys are in the rows themselves), then
            -- recompute them in a later statement.
            \(found) := ARRAY(
                \(eachKey)
            );
            PERFORM \(lockGroups(found))
            \(maintainLocked(found, source: source, event: event))
            RETURN NULL;
            """
            return comment + function(name, "", returns: "trigger", declare: ["\(found) \(keyArrayType)"] + differenceVariables, body: body, securityDefiner: true)
        }
        let body = skip + isolation + "\n" + """
        -- Lock the groups the changed rows reach, then look again in a new statement (a writer
        -- that committed meanwhile may have moved a row they join to) until nothing new turns
        -- up; recompute after that, in a later statement. A few keys are looked up one per row
        -- and compared as they come; many are taken distinct, their join values too.
        \(found) := ARRAY(
            \(eachKey)
        );
        IF cardinality(\(found)) > \(Self.fewKeys) THEN
            \(found) := ARRAY(SELECT DISTINCT k FROM unnest(\(found)) AS k);
        END IF;
        LOOP
            PERFORM \(lockGroups(found))
            matview_locked := matview_locked || \(found);
            IF cardinality(matview_locked) <= \(Self.fewKeys) THEN
                \(found) := ARRAY(
                    \(each.joined(separator: "\n            UNION ALL\n            "))
                );
                EXIT WHEN \(found) <@ matview_locked;
            ELSE
                \(found) := ARRAY(
                    \(distinct.joined(separator: "\n            UNION\n            "))
                    EXCEPT SELECT unnest(matview_locked)
                );
                EXIT WHEN cardinality(\(found)) = 0;
            END IF;
        END LOOP;
        \(maintainLocked("matview_locked", source: source, event: event))
        RETURN NULL;
        """
        return comment + function(name, "", returns: "trigger", declare: ["\(found) \(keyArrayType)", "matview_locked \(keyArrayType) := '{}'"] + differenceVariables,
                                  body: body, securityDefiner: true)
    }

    /// Up to this many keys (a write of a few rows), a trigger does not sort out duplicates and
    /// checks the keys it finds again by array containment, which compares every pair; past it,
    /// it takes them distinct and compares them by EXCEPT. For a single-row insert the sorts and
    /// the EXCEPT cost about a tenth of its trigger's CPU (perf samples, 100,000 users).
    static let fewKeys = 8

    /// "An UPDATE's old and new rows hold the same multiset of these columns' values", compared
    /// as text (exact, where equality would take `1.0` for `1.00`).
    static func unchanged(_ columns: [String]) -> String {
        let row = "ROW(" + columns.map(SQLText.name).joined(separator: ", ") + ")::text"
        return "NOT EXISTS (SELECT \(row) FROM old_rows EXCEPT ALL SELECT \(row) FROM new_rows)"
    }

    /// "Every element of the (non-empty) key array is its first": the writes of one group.
    static func oneKey(_ keys: String) -> String { "\(keys)[1] = ALL (\(keys))" }
}
