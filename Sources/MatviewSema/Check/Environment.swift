import MatviewSyntax

/// The names a query can read from, besides its own FROM list: the catalog's tables, the other
/// view specs already checked, and the CTEs of the current spec defined so far.
struct Environment {
    let catalog: Catalog
    var views: [String: CheckedView]
    var ctes: [String: CheckedQuery] = [:]
    /// Set while checking a view: the names of the view specs of the project (even unchecked ones).
    var viewNames: Set<String>

    enum Resolved {
        case table(CatalogTable)
        case cte(String, CheckedQuery)
        case view(CheckedView)
    }

    /// Resolves a FROM name the way PostgreSQL would with `WITH` first and `search_path = public`;
    /// view specs are found before tables of the same name in their schema.
    func resolve(schema: String?, name: String) -> Resolved? {
        if schema == nil, let cte = ctes[name] { return .cte(name, cte) }
        if let view = views[name], schema == nil || schema == view.schema { return .view(view) }
        if let table = catalog.table(TableName(schema: schema ?? "public", name: name)) { return .table(table) }
        return nil
    }

    /// Every name a FROM clause could use here, for "did you mean" hints.
    var knownNames: [String] {
        Array(ctes.keys) + Array(views.keys) + catalog.tables.keys.map(\.description)
    }
}
