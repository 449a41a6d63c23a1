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
    let hash: String

    var view: CheckedView { lowered.view }
    var query: String { lowered.query }
    var buildTemplate: String? { lowered.buildTemplate }
    var upstream: [(schema: String, name: String)] { lowered.upstream }
    var qualifiedName: String { lowered.qualifiedName }
    var buildName: String { lowered.buildName }
    var retiredName: String { lowered.retiredName }
    var keyword: String { lowered.relation.keyword }

    init(_ lowered: LoweredView, dependencyHashes: [String]) {
        self.lowered = lowered
        let view = lowered.view
        let query = lowered.query
        var indexes: [(String, (String, String) -> String)] = []
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
            let schema = view.schema
            indexes.append((index.name, { indexName, table in
                "CREATE \(unique)INDEX \(SQLText.name(indexName)) ON \(SQLText.qualified(schema, table))\(method) (\(columns))\(predicate);"
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
        let material = ([query] + indexes.map { $0.1($0.0, view.name) } + comments + grants + dependencyHashes).joined(separator: "\n")
        hash = StableHash.hex(material)
    }

    /// The plain statements that create the view under its own name (for review files).
    var createStatements: String {
        var lines = ["CREATE \(keyword) \(qualifiedName) AS", query + ";"]
        if !indexes.isEmpty { lines += [""] + indexes.map { $0.sql($0.name, view.name) } }
        if !comments.isEmpty { lines += [""] + comments }
        if !grants.isEmpty { lines += [""] + grants }
        return lines.joined(separator: "\n")
    }
}
