/// Every mapping of a view spec file: the keys `SpecReader` accepts in each, in the order its
/// "known keys" hints list them, and the JSON Schema of `matview schema` (see KeyTable).
public enum SpecKeys {
    /// The tables refer to each other by name (a nested query holds a query, which holds
    /// sources, which may be nested queries), not through the static properties, whose lazy
    /// initialisation would then wait on itself.
    enum TableName {
        static let viewSpec = "view_spec", query = "query", column = "column", nestedQuery = "nested_query"
        static let join = "join", index = "index", refresh = "refresh"
    }

    /// A table or view name with an optional alias (`users u`), a set-returning function
    /// (`generate_series(...) as g(day)`), or a nested query.
    static let source = ValueShape.either([.text, .table(TableName.nestedQuery)])
    /// Rule names, one or a list (`ignore: fanout` or `ignore: [fanout, time-dependent]`).
    static let ruleNames = ValueShape.oneOrList(.text, minimumCount: 0)

    public static let viewSpec = KeyTable(name: TableName.viewSpec, description: "A matview view spec: one materialized view per file.", keys: [
        .init("view", .text, required: true, "The materialized view's name (at most 63 bytes)."),
        .init("schema", .text, "The schema the view is created in (default public)."),
        .init("description", .text, "What the view holds: its COMMENT ON and the Swift row type's doc comment."),
        .init("with", .namedEntries(.table(TableName.query), minimumCount: 0),
              "Common table expressions, in order: each name maps to a nested query usable as a source below."),
    ] + queryKeys + [
        .init("indexes", .list(.table(TableName.index)), "Indexes created on the view."),
        .init("refresh", .table(TableName.refresh), "How and when the view is refreshed."),
        .init("grants", .oneOrList(.text, minimumCount: 0), "Roles given SELECT on the view: one role or a list."),
        .init("slow_query_ms", .wholeNumber(minimum: 0), "Reads slower than this many milliseconds are logged as slow by the Swift runtime."),
        .init("ignore", ruleNames, "Rule names whose findings are silenced for this view (e.g. fanout): one or a list."),
    ])

    /// The keys of a SELECT, shared by the top of a spec, CTEs and nested queries.
    static let queryKeys: [KeyTable.Key] = [
        .init("from", source, required: true,
              "The source the rows come from: a table, CTE or view with an optional alias (`users u`), a set-returning function (`generate_series(...) as g(day)`), or a nested query mapping."),
        .init("join", .list(.table(TableName.join)), "Joined sources, in order."),
        .init("where", .expression, "A condition on the rows, as an SQL expression."),
        .init("group_by", .oneOrList(.expression, minimumCount: 0), "Grouping expressions or output column names: one or a list."),
        .init("having", .expression, "A condition on the groups, as an SQL expression."),
        .init("select", .namedEntries(.either([.expression, .table(TableName.column)]), minimumCount: 1),
              "The output columns in order: `name: expression`, or `name: {expr: ..., description: ..., ignore: ...}`."),
    ]

    public static let query = KeyTable(name: TableName.query, description: "A nested query: a CTE's or a nested source's SELECT.", keys: queryKeys)

    public static let column = KeyTable(name: TableName.column, description: "An output column in its long form.", keys: [
        .init("expr", .expression, required: true, "The column's SQL expression."),
        .init("description", .text, "What the column holds: its COMMENT ON and the Swift property's doc comment."),
        .init("ignore", ruleNames, "Rule names whose findings are silenced for this column: one or a list."),
    ])

    public static let nestedQuery = KeyTable(name: TableName.nestedQuery, description: "A nested query as a source: `{as: alias, lateral: true, query: {...}}`.", keys: [
        .init("as", .text, required: true, "The nested query's alias."),
        .init("lateral", .boolean, "Whether the query may refer to sources before it (LATERAL); default false."),
        .init("query", .table(TableName.query), required: true, "The nested query itself."),
    ])

    /// A join's kind is its key (`left: projects p`), so each kind is a key whose value is the
    /// joined source.
    public static let join = KeyTable(
        name: TableName.join, description: "One join: its kind as the key and the joined source as the value, with an `on:` condition (none for cross).",
        keys: JoinKind.allCases.map { kind in
            .init(kind.rawValue, source, "\(kind.sql) this source: a table, CTE or view with an optional alias, a set-returning function, or a nested query.")
        } + [
            .init("on", .expression, "The join condition, as an SQL expression (`on: true` for a lateral source); required except for cross joins."),
        ],
        rules: [.exactlyOne(of: JoinKind.allCases.map(\.rawValue)),
                .forbids("on", when: .init(JoinKind.cross.rawValue))]
            + JoinKind.allCases.filter { $0 != .cross }.map { .requires(.init("on"), when: .init($0.rawValue)) }
    )

    public static let index = KeyTable(name: TableName.index, description: "An index on the view.", keys: [
        .init("columns", .oneOrList(.text, minimumCount: 1), required: true,
              "Output column names as `select:` spells them, each optionally followed by asc or desc and nulls first or nulls last: one or a list."),
        .init("unique", .boolean, "A unique index (default false)."),
        .init("name", .text, "The index's name (default: derived from the view and columns)."),
        .init("where", .expression, "A partial index's condition, as an SQL expression."),
        .init("using", .choice(IndexMethod.allCases.map(\.rawValue), caseSensitive: false), "The index access method (default btree)."),
    ])

    /// The checker (`ViewChecker`) enforces the rules; they are here for the schema.
    public static let refresh = KeyTable(name: TableName.refresh, description: "The view's refresh policy.", keys: [
        .init("strategy", .choice(RefreshStrategy.allCases.map(\.rawValue), caseSensitive: true),
              "full (default): REFRESH MATERIALIZED VIEW; incremental: a table kept current group by group as source rows change."),
        .init("schedule", .cronSchedule,
              "A pg_cron schedule for a full refresh: five fields (minute hour day-of-month month day-of-week), an @-shorthand such as @hourly, or `N seconds` (1 to 59). The schema checks only the form; `matview check` checks each field."),
        .init("concurrently", .boolean, "Refresh with REFRESH ... CONCURRENTLY (needs a unique index on plain columns without a where clause); full strategy only."),
        .init("on_change", .choice(OnChange.allCases.map(\.rawValue), caseSensitive: true),
              "What a change to a source table does: none (default), queue (refresh from the queue), or immediate (inside the writing statement; needs strategy: incremental)."),
        .init("min_interval", .duration, "The least time between two refreshes while changes keep coming, e.g. 30s, 10m, 1h30m (default 1m for full, 0s for incremental)."),
        .init("max_staleness", .duration, "The freshness objective shown by monitoring, e.g. 10m, 1h, 1d."),
    ], rules: [
        .forbids("concurrently", when: .init("strategy", is: [RefreshStrategy.incremental.rawValue])),
        .requires(.init("strategy", is: [RefreshStrategy.incremental.rawValue]), when: .init("on_change", is: [OnChange.immediate.rawValue])),
    ])

    /// Every table reachable from a spec's root, root first.
    public static let all = [viewSpec, query, column, nestedQuery, join, index, refresh]
}
