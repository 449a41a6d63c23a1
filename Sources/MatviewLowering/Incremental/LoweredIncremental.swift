import MatviewSema
import MatviewSyntax

/// An incremental view as the SQL back end prints it: its names, the grain as a composite type,
/// the key paths of its source tables as queries, and the defining query restricted to a set
/// of groups. The functions around these queries are the emitter's; the queries are here so
/// `matview explain` shows exactly what runs.
public struct LoweredIncremental: Sendable {
    public let names: IncrementalNames
    public let plan: IncrementalPlan
    /// The grain's columns and their SQL types, in grain order.
    public let keyColumns: [(name: String, type: String)]
    /// The tables whose writes the view follows, each with the key paths that start there.
    public let sources: [Source]
    /// The defining query restricted to the groups in the plpgsql variable `matview_keys`
    /// (an array of the key type).
    public let restrictedQuery: String
    /// The same, reading the keys from `$1` and their values from `$2`, for EXECUTE: planned for
    /// each call, as a recompute of many groups needs.
    public let restrictedQueryWithParameters: String
    /// The defining query restricted to the one group `matview_keys[1]` (see oneGroupPredicate).
    public let oneGroupQuery: String
    /// For the source table whose changes apply as a difference: the per-group difference query.
    public let delta: LoweredDelta?
    /// The source tables whose touches apply by the rows alone (IncrementalPlan.touches).
    public let touches: [LoweredTouch]
    /// The hidden sums and counts of the view's averages, where a write moves them
    /// (LoweredAverages). The restricted queries then select them after the view's columns.
    public let averages: LoweredAverages?
    /// With averages: the defining query selecting their hidden columns after the view's own,
    /// over every group (the full rebuild compares both).
    public let queryWithAverages: String?

    public struct Source: Sendable {
        public let table: TableName
        public let upstreamView: String?
        public let paths: [KeyPath]
        /// The columns the paths read from a changed row, with their SQL types (for queued changes).
        public let columns: [(name: String, type: String)]
        /// Every column of the table the view reads anywhere, in table order: an update that
        /// changed none of them changes nothing in the view. Nil for another view's table.
        public let readColumns: [String]?
    }

    /// The variable the restricted query reads its keys from.
    public static let keysVariable = "matview_keys"

    init(view: CheckedView, plan: IncrementalPlan, renderer: QueryRenderer, catalog: Catalog, views: [String: CheckedView], supportSchema: String) {
        names = IncrementalNames(schema: view.schema, view: view.name, supportSchema: supportSchema)
        self.plan = plan
        keyColumns = plan.grain.map { ($0.name, $0.type.description) }
        var sources: [Source] = []
        let read = ColumnsRead(view, catalog: catalog).tables
        for table in plan.sourceTables {
            let paths = plan.keyPaths.filter { $0.table == table }
            let upstream = paths.first?.upstreamView
            let known: [(String, SQLType)] = upstream.flatMap { views[$0] }.map { $0.columns.map { ($0.name, $0.type) } }
                ?? catalog.table(table).map { $0.columns.map { ($0.name, $0.type) } } ?? []
            let used = Set(paths.flatMap(\.columns))
            let columns = known.filter { used.contains($0.0) }.map { ($0.0, $0.1.description) }
            let readColumns = upstream == nil ? catalog.table(table).map { $0.columns.map(\.name).filter { read[table, default: []].contains($0) } } : nil
            sources.append(Source(table: table, upstreamView: upstream, paths: paths, columns: columns, readColumns: readColumns))
        }
        self.sources = sources
        let grain = plan.grain
        // Whether the view keeps hidden sums and counts of its averages, decided here once: where
        // its writes of one group take the rows alone, and only immediate writers move them (a
        // queued view's drain recomputes its groups). A view that reads another view's table has
        // no such write (DeltaAnalysis takes tables only), and its build reads the upstream's new
        // version, which the deploy's build of the hidden table (from the same run of the query)
        // relies on not happening.
        let readsViews = plan.keyPaths.contains { $0.upstreamView != nil }
        let names = names
        let hidden = view.refresh.onChange != .immediate || readsViews ? nil : plan.delta.flatMap {
            LoweredAverages(plan: plan, delta: $0, names: names)
        }
        let delta = LoweredDelta(view: view, plan: plan, renderer: renderer, keepsAverages: hidden != nil)
        self.delta = delta
        averages = delta?.rowsAlone == nil ? nil : hidden
        touches = plan.touches.map { LoweredTouch(view: view, plan: plan, renderer: renderer, source: $0) }
        // A recompute of groups writes their averages' hidden sums and counts too.
        var maintained = view.query
        if let averages { maintained.columns += LoweredAverages.hidden(view.query, averages.columns) }
        queryWithAverages = averages == nil ? nil : renderer.render(ctes: view.ctes, query: maintained)
        restrictedQuery = renderer.render(ctes: view.ctes, query: maintained, restricted: (plan, { Self.keyPredicate($0, grain: grain) }))
        restrictedQueryWithParameters = renderer.render(ctes: view.ctes, query: maintained, restricted: (plan, {
            Self.keyPredicate($0, grain: grain, keys: Self.keysParameter, values: Self.valuesParameter)
        }))
        oneGroupQuery = renderer.render(ctes: view.ctes, query: maintained, restricted: (plan, {
            Self.oneGroupPredicate($0, grain: grain, key: "\(Self.keysVariable)[1]")
        }))
    }

    /// "These expressions are the one group whose key is `key`" (an expression of the key
    /// type): each grain column equal to the key's field. Unlike `= ANY` of an array, equality
    /// to one value lets the planner treat every restricted column as a constant, even in a plan
    /// made once for every call: it joins by nested loops on the index and groups without
    /// hashing or sorting by the key. The recompute of one user's `user_stats_mv` row took about
    /// a quarter less (80 against 110 µs: the generic plan of `= ANY` hashed two aggregates and a
    /// join and merge-joined a third). A column that can be NULL matches NULL too, by an OR
    /// that an index serves (a bitmap OR).
    package static func oneGroupPredicate(_ exprs: [Expr], grain: [GrainColumn], key: String) -> String {
        zip(exprs, grain).map { expr, column in
            sameKeyValue(SQLPrinter.print(expr), "(\(key)).\(SQLText.name(column.name))", nullable: column.nullable)
        }.joined(separator: " AND ")
    }

    /// "`a` and `b` are one value of a grain column": `=`, and where NULL is a key value, `OR
    /// both are NULL`, which (unlike IS NOT DISTINCT FROM) an index on either side serves.
    package static func sameKeyValue(_ a: String, _ b: String, nullable: Bool) -> String {
        nullable ? "(\(a) = \(b) OR (\(a) IS NULL AND \(b) IS NULL))" : "\(a) = \(b)"
    }

    /// "These expressions are one of the affected keys". A grain of one column: `= ANY` of a
    /// plain array, which the planner turns into an index scan even in a plan made once for
    /// every call; where the column can be NULL (a group too), `OR ... IS NULL` when the array
    /// holds a NULL, which an index serves as well (a bitmap OR), where `IS NOT DISTINCT FROM`
    /// would scan the whole table. Several columns: an IN list of the key rows, or, with a
    /// nullable one, EXISTS with IS NOT DISTINCT FROM.
    package static func keyPredicate(_ exprs: [Expr], grain: [GrainColumn], keys: String = keysVariable, values: String = valuesVariable) -> String {
        let source = "unnest(\(keys)) AS matview_k"
        if exprs.count == 1 {
            let expr = SQLPrinter.print(exprs[0])
            guard grain[0].nullable else { return "\(expr) = ANY (\(values))" }
            return "(\(expr) = ANY (\(values)) OR (\(expr) IS NULL AND array_position(\(values), NULL) IS NOT NULL))"
        }
        if grain.contains(where: \.nullable) {
            let matches = zip(exprs, grain).map { "matview_k.\(SQLText.name($1.name)) IS NOT DISTINCT FROM \(SQLPrinter.print($0))" }
            return "EXISTS (SELECT 1 FROM \(source) WHERE \(matches.joined(separator: " AND ")))"
        }
        let left = "(" + exprs.map(SQLPrinter.print).joined(separator: ", ") + ")"
        let right = grain.map { "matview_k.\(SQLText.name($0.name))" }.joined(separator: ", ")
        return "\(left) IN (SELECT \(right) FROM \(source))"
    }

    /// For a grain of one column: the variable holding the affected keys' values as a plain
    /// array of the column's type (a NULL key as a NULL element).
    public static let valuesVariable = "matview_key_values"
    public static let keysParameter = "$1", valuesParameter = "$2"

    /// Whether the restricted query reads `valuesVariable` (else `keysVariable`).
    public var usesValueArray: Bool { plan.grain.count == 1 }

    /// The keys (values of the key type) of the groups the rows of `from` reach through `path`.
    /// `from` is a FROM item that names the changed rows with the path's alias: a transition
    /// table (`new_rows AS t`) or decoded queued rows. Without `distinct`, a key comes once per
    /// row that reaches it: the form for a few rows, where a sort or hash to remove duplicates
    /// costs more than the duplicates do (whoever takes the keys removes them).
    ///
    /// Each hop is a LATERAL subquery that PostgreSQL cannot flatten (`OFFSET 0`), so every row
    /// (or distinct join value) looks its way up by index, whatever the plan expected of their
    /// number. A trigger's plan is made once per session, for the size of the transition table
    /// at its first call: after a session's first write was 10,000 rows, a plain join kept a hash
    /// join that read all 200,000 projects for each later single-row insert of the session
    /// (52-59 ms each, against 0.3-0.4 ms). A hash join would pay only for a statement that
    /// reaches a large part of the joined table.
    public func keysQuery(_ path: KeyPath, from: String, distinct: Bool = true) -> String {
        let key = "ROW(" + path.keys.map(SQLPrinter.print).joined(separator: ", ") + ")::\(names.qualifiedKeyType)"
        var lines = ["SELECT \(distinct ? "DISTINCT " : "")\(key) FROM \(from)"]
        for hop in path.hops {
            let alias = SQLText.name(hop.alias)
            lines.append("CROSS JOIN LATERAL (SELECT * FROM \(SQLText.qualified(hop.table)) AS \(alias) WHERE \(SQLPrinter.print(hop.condition)) OFFSET 0) AS \(alias)")
        }
        return lines.joined(separator: " ")
    }
}
