import MatviewQuoting
import MatviewSema
import MatviewSyntax

/// One view as the back ends need it, derived once from the checked IR: the SQL files, the
/// Swift rows and the live commands all read this instead of each rendering the query and
/// naming the objects again.
public struct LoweredView: Sendable {
    public let view: CheckedView
    public let relation: RelationKind
    /// The defining query, schema-qualified, as the view is created with.
    public let query: String
    /// For a view that reads other view specs: the statement that builds its new version, as a
    /// format() string in which `%n$s` stands for the n-th view of `upstream`. Apply fills in the
    /// upstream view's build name when it rebuilds that view too, so this view is built from the
    /// new version; after the swap it reads it under its real name, since a view refers to the
    /// relation, not the name. nil when the view reads no other view.
    public let buildTemplate: String?
    public let upstream: [(schema: String, name: String)]
    /// For `strategy: incremental`: the maintenance objects' names and queries.
    public let incremental: LoweredIncremental?
    /// The names an incremental version of this view has or had: apply drops them when the view
    /// is rebuilt as a full one.
    public let maintenanceNames: IncrementalNames

    public var name: String { view.name }
    public var schema: String { view.schema }
    public var refresh: RefreshPolicy { view.refresh }

    /// `schema.name`, quoted where needed.
    public var qualifiedName: String { SQLText.qualified(view.schema, view.name) }
    /// The name the new version is built under, beside the deployed one.
    public var buildName: String { Self.buildName(schema: view.schema, name: view.name) }
    /// The name the deployed version is moved to until the end of apply.
    public var retiredName: String { SQLText.hashedName("matview_old", view.schema + "." + view.name) }

    public static func buildName(schema: String, name: String) -> String {
        SQLText.hashedName("matview_new", schema + "." + name)
    }

    init(view: CheckedView, renderer: QueryRenderer, catalog: Catalog, views: [String: CheckedView], supportSchema: String) {
        self.view = view
        incremental = view.incremental.map {
            LoweredIncremental(view: view, plan: $0, renderer: renderer, catalog: catalog, views: views, supportSchema: supportSchema)
        }
        maintenanceNames = IncrementalNames(schema: view.schema, view: view.name, supportSchema: supportSchema)
        relation = view.refresh.strategy == .incremental ? .table : .materializedView
        let build = Self.buildTemplate(view: view, relation: relation, renderer: renderer)
        query = build.query
        buildTemplate = build.template
        upstream = build.upstream
    }

    /// Renders the query with a marker at each reference to another view spec, then turns the
    /// markers into format() placeholders (and every literal `%` into `%%`). Also returns the
    /// plain query: with no marker that is the marked text itself, so most views (those that
    /// read no other view) are rendered once, not twice.
    private static func buildTemplate(view: CheckedView, relation: RelationKind, renderer: QueryRenderer)
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
        return (plain, "CREATE \(relation.keyword) \(target) AS\n\(query)\nWITH DATA", upstream)
    }
}
