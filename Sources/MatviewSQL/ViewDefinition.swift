import MatviewSema
import MatviewSyntax

/// Everything about one view that the SQL files print: its defining query, indexes, comments
/// and grants, and a hash of all that (plus its dependencies' hashes) that tells apply whether
/// the deployed view is current.
struct ViewDefinition {
    let view: CheckedView
    let query: String
    let indexes: [(name: String, sql: (String, String) -> String)]
    let comments: [String]
    let grants: [String]
    let hash: String
    /// For a view that reads other view specs: the statement that builds its new version, as a
    /// format() string in which `%n$s` stands for the n-th view of `upstream`. Apply fills in the
    /// upstream view's build name when it rebuilds that view too, so this view is built from the
    /// new version; after the swap it reads it under its real name, since a view refers to the
    /// relation, not the name. nil when the view reads no other view.
    let buildTemplate: String?
    let upstream: [(schema: String, name: String)]

    var qualifiedName: String { SQLText.qualified(view.schema, view.name) }
    /// The name the new version is built under, beside the deployed one.
    var buildName: String { Self.buildName(schema: view.schema, name: view.name) }

    static func buildName(schema: String, name: String) -> String {
        SQLText.hashedName("matview_new", schema + "." + name)
    }

    /// The name the deployed version is moved to until the end of apply.
    var retiredName: String { SQLText.hashedName("matview_old", view.schema + "." + view.name) }

    init(view: CheckedView, renderer: QueryRenderer, dependencyHashes: [String]) {
        self.view = view
        let build = Self.buildTemplate(view: view, renderer: renderer)
        buildTemplate = build.template
        upstream = build.upstream
        query = build.query
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
            comments.append("COMMENT ON MATERIALIZED VIEW \(target) IS \(SQLText.literal(description));")
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

    /// Renders the query with a marker at each reference to another view spec, then turns the
    /// markers into format() placeholders (and every literal `%` into `%%`). Also returns the
    /// plain query: with no marker that is the marked text itself, so most views (those that
    /// read no other view) are rendered once, not twice.
    private static func buildTemplate(view: CheckedView, renderer: QueryRenderer)
        -> (query: String, template: String?, upstream: [(schema: String, name: String)]) {
        var marking = renderer
        marking.viewReference = { schema, name in "\u{0}\(schema)\u{1}\(name)\u{0}" }
        let marked = marking.render(ctes: view.ctes, query: view.query)
        guard ScalarText.contains("\u{0}", in: marked) else { return (marked, nil, []) }
        let plain = renderer.render(ctes: view.ctes, query: view.query)
        func escaped(_ text: some StringProtocol) -> String { ScalarText.replacing("%", with: "%%", in: String(text)) }
        var upstream: [(schema: String, name: String)] = []
        var query = ""
        for (i, piece) in marked.split(separator: "\u{0}", omittingEmptySubsequences: false).enumerated() {
            guard i % 2 == 1 else { query += escaped(piece); continue }
            let parts = piece.split(separator: "\u{1}", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let reference = (schema: parts[0], name: parts.count > 1 ? parts[1] : "")
            if !upstream.contains(where: { $0 == reference }) { upstream.append(reference) }
            query += "%\(upstream.firstIndex(where: { $0 == reference })! + 1)$s"
        }
        let target = escaped(SQLText.qualified(view.schema, buildName(schema: view.schema, name: view.name)))
        return (plain, "CREATE MATERIALIZED VIEW \(target) AS\n\(query)\nWITH DATA", upstream)
    }

    /// The plain statements that create the view under its own name (for review files).
    var createStatements: String {
        var lines = ["CREATE MATERIALIZED VIEW \(qualifiedName) AS", query + ";"]
        if !indexes.isEmpty { lines += [""] + indexes.map { $0.sql($0.name, view.name) } }
        if !comments.isEmpty { lines += [""] + comments }
        if !grants.isEmpty { lines += [""] + grants }
        return lines.joined(separator: "\n")
    }
}
