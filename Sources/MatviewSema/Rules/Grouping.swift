import MatviewSyntax

/// PostgreSQL's GROUP BY rule: outside aggregates, a grouped query may only use expressions that
/// are grouped, or columns of a table whose primary key is grouped (functional dependency).
struct Grouping {
    let printedItems: Set<String>
    let fixedColumns: Set<ColumnRef>
    let scope: Scope

    init(items: [Expr], scope: Scope) {
        self.scope = scope
        printedItems = Set(items.map { SQLPrinter.print($0.unparenthesized) })
        fixedColumns = Set(items.compactMap { JoinGraph.columnRef($0, scope: scope) })
    }

    func checkCovered(_ expr: Expr, sink: DiagnosticSink) {
        if printedItems.contains(SQLPrinter.print(expr.unparenthesized)) { return }
        switch expr.kind {
        case .function(let call) where BuiltinFunctions.overloads(named: call.name.name).first?.kind == .aggregate:
            return
        case .column(let qualifiers, let name):
            guard case .found(let resolution) = scope.lookup(qualifier: qualifiers.last?.name, name: name.name), resolution.depth == 0 else { return }
            if fixedColumns.contains(ColumnRef(relation: resolution.relation, column: name.name)) { return }
            let relation = scope.relations[resolution.relation]
            if let primaryKey = relation.primaryKey,
               primaryKey.allSatisfy({ fixedColumns.contains(ColumnRef(relation: resolution.relation, column: $0)) }) {
                return
            }
            let shown = "\(relation.alias).\(name.name)"
            sink.error(.ungroupedColumn, at: expr.location, "column \(shown) must appear in group_by or be used in an aggregate function",
                       hint: relation.primaryKey.map { pk in "add \(shown) to group_by, or group by \(relation.alias).\(pk.joined(separator: ", \(relation.alias)."))" }
                           ?? "add \(shown) to group_by, or wrap it in an aggregate such as max(\(shown))")
        default:
            for child in expr.children { checkCovered(child, sink: sink) }
        }
    }
}
