import MatviewSyntax

/// The base tables and columns a project's views read, found in the checked IR: every column a
/// select list, join condition, WHERE, GROUP BY, HAVING or function source refers to, resolved
/// the way the checker did (qualifier first, else the innermost relation that has the name,
/// then the enclosing query's for a LATERAL subquery). `alias.*` reads every column. A table is
/// read even when none of its columns is named (`count(*)`): it still has to exist.
public struct ColumnsRead: Sendable {
    /// Table -> the names of its columns that are read (in the table's own naming).
    public private(set) var tables: [TableName: Set<String>] = [:]

    public init(_ project: CheckedProject) {
        for view in project.views { collect(view, catalog: project.catalog) }
    }

    /// What one view reads: an incremental view's update triggers skip an update that changed
    /// none of it.
    public init(_ view: CheckedView, catalog: Catalog) {
        collect(view, catalog: catalog)
    }

    private mutating func collect(_ view: CheckedView, catalog: Catalog) {
        for cte in view.ctes { collect(cte.query, outer: [], catalog: catalog) }
        collect(view.query, outer: [], catalog: catalog)
    }

    private mutating func collect(_ query: CheckedQuery, outer: [[CheckedRelation]], catalog: Catalog) {
        let scopes = outer + [query.relations]
        for relation in query.relations {
            switch relation.source {
            case .table(let name):
                tables[name, default: []].formUnion([])
            case .subquery(let nested, let lateral):
                collect(nested, outer: lateral ? scopes : [], catalog: catalog)
            case .function(let call):
                for argument in call.arguments { read(argument, scopes: scopes, catalog: catalog) }
            case .cte, .view:
                break
            }
        }
        var expressions = query.columns.map(\.expr) + query.groupBy
        expressions += query.joins.compactMap(\.condition)
        if let whereClause = query.whereClause { expressions.append(whereClause) }
        if let having = query.having { expressions.append(having) }
        for expression in expressions { read(expression, scopes: scopes, catalog: catalog) }
    }

    private mutating func read(_ expression: Expr, scopes: [[CheckedRelation]], catalog: Catalog) {
        expression.walk { node in
            switch node.kind {
            case .column(let qualifiers, let name):
                let relation: CheckedRelation?
                if let qualifier = qualifiers.last {
                    relation = Self.innermost(scopes) { $0.alias == qualifier.name }
                } else {
                    relation = Self.innermost(scopes) { $0.columns.contains { $0.name == name.name } }
                }
                if let relation { mark(relation, column: name.name, catalog: catalog) }
            case .star(let qualifier):
                let relations = qualifier.map { q in Self.innermost(scopes) { $0.alias == q.name }.map { [$0] } ?? [] } ?? (scopes.last ?? [])
                for relation in relations {
                    for column in relation.columns { mark(relation, column: column.name, catalog: catalog) }
                }
            default:
                break
            }
        }
    }

    private static func innermost(_ scopes: [[CheckedRelation]], where matches: (CheckedRelation) -> Bool) -> CheckedRelation? {
        for scope in scopes.reversed() {
            if let found = scope.first(where: matches) { return found }
        }
        return nil
    }

    /// Records `column` of a table relation under the table's own column name (`users AS u(a, b)`
    /// renames by position).
    private mutating func mark(_ relation: CheckedRelation, column: String, catalog: Catalog) {
        guard case .table(let name) = relation.source else { return }
        var own = column
        if relation.renamesColumns, let position = relation.columns.firstIndex(where: { $0.name == column }),
           let table = catalog.table(name), position < table.columns.count {
            own = table.columns[position].name
        }
        tables[name, default: []].insert(own)
    }
}
