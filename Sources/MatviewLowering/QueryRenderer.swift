import MatviewSema
import MatviewSyntax

/// Prints a checked query as one SELECT statement (with its CTEs). Relations are written
/// schema-qualified and every alias explicitly, so the text means the same under any search_path.
package struct QueryRenderer {
    /// Schemas of the view specs a query may read.
    package let viewSchemas: [String: String]
    /// How a reference to another view spec is printed: its qualified name, except in up.sql's
    /// build phase, which reads the new versions of rebuilt views (see ViewDefinition.buildTemplate).
    package var viewReference: (_ schema: String, _ name: String) -> String = { SQLText.qualified($0, $1) }

    package init(viewSchemas: [String: String]) {
        self.viewSchemas = viewSchemas
    }

    /// The lines joined as they are. (An `indent` parameter, never passed, used to prefix them and
    /// then replace "\n<indent>\n" by "\n\n": with no indent, a Foundation search of every query
    /// that changed nothing.)
    package func render(ctes: [(name: String, query: CheckedQuery)], query: CheckedQuery) -> String {
        render(ctes: ctes, query: query, restricted: nil)
    }

    /// The query restricted to some groups: `restricted.plan` says which relations of which
    /// blocks carry the keys, and `restricted.predicate` prints "these expressions are one of
    /// the affected keys".
    package func render(ctes: [(name: String, query: CheckedQuery)], query: CheckedQuery,
                        restricted: (plan: IncrementalPlan, predicate: ([Expr]) -> String)?) -> String {
        var lines: [String] = []
        if !ctes.isEmpty {
            for (i, cte) in ctes.enumerated() {
                let head = i == 0 ? "WITH " : ""
                let tail = i == ctes.count - 1 ? "" : ","
                lines.append("\(head)\(SQLText.name(cte.name)) AS (")
                let restriction = restricted.flatMap { r in r.plan.cteRestrictions[cte.name].map { ($0, r.predicate) } }
                lines.append(select(cte.query, indent: "    ", restriction: restriction))
                lines.append(")\(tail)")
            }
        }
        lines.append(select(query, indent: "", restriction: restricted.map { ($0.plan.restriction, $0.predicate) }))
        return lines.joined(separator: "\n")
    }

    func select(_ query: CheckedQuery, indent: String, restriction: (QueryRestriction, ([Expr]) -> String)? = nil) -> String {
        var lines: [String] = []
        lines.append("SELECT")
        for (i, column) in query.columns.enumerated() {
            let comma = i == query.columns.count - 1 ? "" : ","
            lines.append("    \(SQLPrinter.print(column.expr)) AS \(SQLText.name(column.name))\(comma)")
        }
        guard let first = query.relations.first else { return lines.map { indent + $0 }.joined(separator: "\n") }
        let nested = restriction?.0.nested ?? [:]
        func nestedRestriction(_ index: Int) -> (QueryRestriction, ([Expr]) -> String)? {
            guard let restriction, let inner = nested[index] else { return nil }
            return (inner, restriction.1)
        }
        lines.append("FROM " + source(first, indent: indent, restriction: nestedRestriction(0)))
        for (joinIndex, join) in query.joins.enumerated() {
            let relation = query.relations[join.relation]
            var line = "\(join.kind.sql) \(source(relation, indent: indent, restriction: nestedRestriction(join.relation)))"
            let extra = restriction.map { r in r.0.predicates.filter { $0.join == joinIndex }.map { r.1($0.keys) } } ?? []
            if let condition = join.condition {
                line += " ON " + ([extra.isEmpty ? SQLPrinter.print(condition) : "(\(SQLPrinter.print(condition)))"] + extra).joined(separator: " AND ")
            }
            lines.append(line)
        }
        var conditions = query.whereClause.map { [SQLPrinter.print($0)] } ?? []
        if let restriction {
            if !conditions.isEmpty { conditions[0] = "(\(conditions[0]))" }
            conditions += restriction.0.predicates.filter { $0.join == nil }.map { restriction.1($0.keys) }
            if let keys = restriction.0.whereKeys { conditions.append(restriction.1(keys)) }
        }
        if !conditions.isEmpty { lines.append("WHERE " + conditions.joined(separator: "\n  AND ")) }
        if !query.groupBy.isEmpty { lines.append("GROUP BY " + query.groupBy.map(SQLPrinter.print).joined(separator: ", ")) }
        if let having = query.having { lines.append("HAVING \(SQLPrinter.print(having))") }
        return lines.map { indent + $0 }.joined(separator: "\n")
    }

    /// One block with its own select list and one join written by the caller (incremental
    /// maintenance's difference joins the changed rows where the query joins their table); WHERE
    /// and GROUP BY as written.
    package func select(_ query: CheckedQuery, columns: [String], replacingJoin replaced: Int, with joinText: String) -> String {
        var lines = ["SELECT " + columns.joined(separator: ",\n       ")]
        if let first = query.relations.first { lines.append("FROM " + source(first, indent: "")) }
        for (index, join) in query.joins.enumerated() {
            guard index != replaced else { lines.append(joinText); continue }
            var line = "\(join.kind.sql) \(source(query.relations[join.relation], indent: ""))"
            if let condition = join.condition { line += " ON " + SQLPrinter.print(condition) }
            lines.append(line)
        }
        if let whereClause = query.whereClause { lines.append("WHERE " + SQLPrinter.print(whereClause)) }
        if !query.groupBy.isEmpty { lines.append("GROUP BY " + query.groupBy.map(SQLPrinter.print).joined(separator: ", ")) }
        return lines.joined(separator: "\n")
    }

    private func source(_ relation: CheckedRelation, indent: String, restriction: (QueryRestriction, ([Expr]) -> String)? = nil) -> String {
        var alias = SQLText.name(relation.alias)
        if relation.renamesColumns {
            alias += "(" + relation.columns.map { SQLText.name($0.name) }.joined(separator: ", ") + ")"
        }
        switch relation.source {
        case .table(let name):
            return "\(SQLText.qualified(name)) AS \(alias)"
        case .view(let name):
            return "\(viewReference(viewSchemas[name] ?? "public", name)) AS \(alias)"
        case .cte(let name):
            return "\(SQLText.name(name)) AS \(alias)"
        case .function(let call):
            let columns = relation.columns.map { SQLText.name($0.name) }.joined(separator: ", ")
            return "\(SQLPrinter.function(call)) AS \(alias)(\(columns))"
        case .subquery(let nested, let lateral):
            let body = select(nested, indent: indent + "    ", restriction: restriction)
            return "\(lateral ? "LATERAL " : "")(\n\(body)\n\(indent)) AS \(alias)"
        }
    }
}
