import MatviewLowering
import MatviewSema
import MatviewSyntax

/// Everything about one view that the SQL files print: its lowered form (query, names), indexes,
/// comments and grants, and a hash of all that (plus its dependencies' hashes) that tells apply
/// whether the deployed view is current.
struct ViewDefinition {
    let lowered: LoweredView
    let indexes: [(name: String, sql: (String, String) -> String)]
    let comments: [String]
    let grants: [String]
    /// For an incremental view: its maintenance functions and triggers.
    let maintenance: IncrementalMaintenance?
    let hash: String

    var view: CheckedView { lowered.view }
    var query: String { lowered.query }
    var buildTemplate: String? { lowered.buildTemplate }
    var upstream: [(schema: String, name: String)] { lowered.upstream }
    var qualifiedName: String { lowered.qualifiedName }
    var buildName: String { lowered.buildName }
    var retiredName: String { lowered.retiredName }
    var keyword: String { lowered.relation.keyword }

    init(_ lowered: LoweredView, dependencyHashes: [String], support: SupportNames) {
        self.lowered = lowered
        let view = lowered.view
        let query = lowered.query
        maintenance = lowered.incremental.map { IncrementalMaintenance(lowered: lowered, incremental: $0, support: support) }
        var indexes: [(String, (String, String) -> String)] = []
        // An incremental view's table needs a unique index on its grain (its groups are found
        // and replaced by key); NULL is one group, so NULLS NOT DISTINCT where a key can be NULL.
        let grain = lowered.incremental?.plan.grain ?? []
        let grainNames = Set(grain.map(\.name))
        let nullableGrain = grain.contains(where: \.nullable)
        let grainIndexed = view.indexes.contains { $0.unique && $0.whereClause == nil && Set($0.columns.map(\.name.name)) == grainNames }
        if !grain.isEmpty && !grainIndexed {
            let name = IndexNaming.defaultName(view: view.name, columns: grain.map(\.name), unique: true)
            let columns = grain.map { SQLText.name($0.name) }.joined(separator: ", ")
            let schema = view.schema
            indexes.append((name, { indexName, table in
                "CREATE UNIQUE INDEX \(SQLText.name(indexName)) ON \(SQLText.qualified(schema, table)) (\(columns))\(nullableGrain ? " NULLS NOT DISTINCT" : "");"
            }))
        }
        for index in view.indexes {
            let columns = index.columns.map { column -> String in
                var s = SQLText.name(column.name.name)
                if column.descending { s += " DESC" }
                if let first = column.nullsFirst { s += first ? " NULLS FIRST" : " NULLS LAST" }
                return s
            }.joined(separator: ", ")
            let method = index.method.map { " USING \($0)" } ?? ""
            let predicate = index.whereClause.map { " WHERE \(SQLPrinter.print($0))" } ?? ""
            let unique = index.unique ? "UNIQUE " : ""
            let nulls = nullableGrain && index.unique && index.whereClause == nil && Set(index.columns.map(\.name.name)) == grainNames ? " NULLS NOT DISTINCT" : ""
            let schema = view.schema
            indexes.append((index.name, { indexName, table in
                "CREATE \(unique)INDEX \(SQLText.name(indexName)) ON \(SQLText.qualified(schema, table))\(method) (\(columns))\(nulls)\(predicate);"
            }))
        }
        self.indexes = indexes
        var comments: [String] = []
        let target = SQLText.qualified(view.schema, view.name)
        if let description = view.description {
            comments.append("COMMENT ON \(lowered.relation.keyword) \(target) IS \(SQLText.literal(description));")
        }
        for column in view.columns {
            if let description = column.description {
                comments.append("COMMENT ON COLUMN \(target).\(SQLText.name(column.name)) IS \(SQLText.literal(description));")
            }
        }
        self.comments = comments
        grants = view.grants.sorted().map { "GRANT SELECT ON \(target) TO \(SQLText.name($0));" }
        // The strategy and every maintenance function are part of the hash: switching strategy,
        // or on_change of an incremental view, rebuilds it.
        let strategy = maintenance.map { ["strategy: incremental"] + $0.createStatements() } ?? []
        let material = ([query] + indexes.map { $0.1($0.0, view.name) } + comments + grants + dependencyHashes + strategy).joined(separator: "\n")
        hash = StableHash.hex(material)
    }

    /// The plain statements that create the view under its own name (for review files).
    var createStatements: String {
        var lines = ["CREATE \(keyword) \(qualifiedName) AS", query + ";"]
        if !indexes.isEmpty { lines += [""] + indexes.map { $0.sql($0.name, view.name) } }
        if let maintenance {
            lines += ["", "-- Incremental maintenance (in the support schema); the triggers on the source tables:"]
            lines += maintenance.triggerSummary()
            lines += [""] + maintenance.createStatements()
        }
        if !comments.isEmpty { lines += [""] + comments }
        if !grants.isEmpty { lines += [""] + grants }
        return lines.joined(separator: "\n")
    }
}
