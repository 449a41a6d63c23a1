import MatviewSyntax

/// Finds the source tables of an incremental view whose updates that change only columns the
/// view reads as a row's own part of a `max` or `min` apply by the rows alone (TouchSource):
/// `UPDATE projects SET updated_at = now()` then moves `last_activity` without reading the
/// user's projects and tasks. Anything it cannot prove leaves the update to the recompute.
///
/// The shape it proves: one query block of plain tables, each once, grouped by columns of the
/// table the query starts from that include its primary key (each group is one of its rows);
/// every join a LEFT JOIN on column equalities alone; no WHERE, no HAVING. The table is that
/// first one, or joined to it directly by equalities that cover its primary key: either way a
/// row of the table is in the group its key says whenever that group has a stored row.
struct TouchAnalysis {
    let view: CheckedView
    let catalog: Catalog

    func sources() -> [TouchSource] {
        let query = view.query
        guard view.ctes.isEmpty, query.isAggregate, !query.groupBy.isEmpty, query.having == nil, query.whereClause == nil,
              query.relations.count == query.joins.count + 1, DeltaAnalysis.joinsOnEqualitiesAlone(query) else { return [] }
        // The statement names its own columns matview_... (as the difference statement does).
        let names = query.relations.flatMap { $0.columns.map(\.name) } + query.columns.map(\.name)
        guard !names.contains(where: { $0.hasPrefix("matview_") }) else { return [] }
        var tables: [TableName] = []
        for relation in query.relations {
            guard case .table(let name) = relation.source, !relation.renamesColumns else { return [] }
            tables.append(name)
        }
        guard Set(tables).count == tables.count, let rootKey = groupedByRootRows(query) else { return [] }
        return query.relations.indices.compactMap { index in
            guard index == 0 || joinsRootByItsKey(query, relation: index, rootKey: rootKey) else { return nil }
            return touch(query, relation: index, table: tables[index])
        }
    }

    /// The first table's primary key, when GROUP BY is its columns alone and includes the key.
    private func groupedByRootRows(_ query: CheckedQuery) -> [String]? {
        let root = query.relations[0]
        guard case .table(let name) = root.source, let key = catalog.table(name)?.primaryKey, !key.isEmpty else { return nil }
        let reads = DeltaAnalysis.Reads(alias: root.alias, columns: Set(root.columns.map(\.name)))
        let grouped = query.groupBy.map(reads.ownColumn)
        guard grouped.allSatisfy({ $0 != nil }), Set(key).isSubset(of: Set(grouped.compactMap { $0 })) else { return nil }
        return key
    }

    /// Whether the relation's join equates its columns with the first table's primary key, and
    /// nothing else.
    private func joinsRootByItsKey(_ query: CheckedQuery, relation: Int, rootKey: [String]) -> Bool {
        guard let join = query.joins.first(where: { $0.relation == relation }), let condition = join.condition,
              EqualityClasses.conjuncts(condition).count == join.equalities.count else { return false }
        var rootColumns: Set<String> = []
        for equality in join.equalities {
            let sides = [equality.left, equality.right]
            guard let root = sides.first(where: { $0.relation == 0 }), sides.contains(where: { $0.relation == relation }) else { return false }
            rootColumns.insert(root.column)
        }
        return Set(rootKey).isSubset(of: rootColumns)
    }

    private func touch(_ query: CheckedQuery, relation index: Int, table: TableName) -> TouchSource? {
        let relation = query.relations[index]
        guard let definition = catalog.table(table) else { return nil }
        let reads = DeltaAnalysis.Reads(alias: relation.alias, columns: Set(relation.columns.map(\.name)))
        var other: Set<String> = [], extreme: Set<String> = []
        // Each column read as an extreme's own part, and what that extreme does with a touch.
        var candidates: [(own: Set<String>, output: DeltaOutput)?] = []
        for join in query.joins {
            guard let columns = join.condition.map(reads.columnsRead) ?? [] else { return nil }
            other.formUnion(columns)
        }
        for expr in query.groupBy {
            guard let columns = reads.columnsRead(expr) else { return nil }
            other.formUnion(columns)
        }
        for column in query.columns {
            guard DeltaAnalysis.knowsEveryFunction(column.expr) else { return nil }
            if let (own, output) = ownExtreme(column.expr, type: column.type, reads: reads) {
                guard let columns = reads.columnsRead(own) else { return nil }
                extreme.formUnion(columns)
                candidates.append((columns, output))
            } else {
                guard let columns = reads.columnsRead(column.expr) else { return nil }
                other.formUnion(columns)
                candidates.append(nil)
            }
        }
        let touched = definition.columns.map(\.name).filter { extreme.contains($0) && !other.contains($0) }
        guard !touched.isEmpty else { return nil }
        let read = ColumnsRead(view, catalog: catalog).tables[table, default: []]
        return TouchSource(
            table: table, alias: relation.alias,
            columns: definition.columns.filter { read.contains($0.name) }.map { DeltaColumnType(name: $0.name, type: $0.type) },
            touched: touched,
            // An extreme of compared columns alone sees the same values after the touch.
            outputs: candidates.map { candidate in
                guard let candidate, !candidate.own.isDisjoint(with: touched) else { return .unchanged }
                return candidate.output
            })
    }

    /// `max(arg)` or `min(arg)` of an ordered type without a filter, whose argument's own part
    /// (DeltaOutput.ownPart) reads only the table's columns, named with its alias.
    private func ownExtreme(_ expr: Expr, type: SQLType, reads: DeltaAnalysis.Reads) -> (own: Expr, output: DeltaOutput)? {
        guard case .function(let call) = expr.unparenthesized.kind, call.name.name == "max" || call.name.name == "min",
              DeltaAnalysis.ordered.contains(type), !call.star, call.filter == nil, call.orderBy.isEmpty, call.arguments.count == 1 else { return nil }
        let greatest = call.name.name == "max"
        let held = DeltaAnalysis.heldPart(of: call.arguments[0], greatest: greatest, reads: reads)
        let own = DeltaOutput.ownPart(of: call.arguments[0], held: held)
        guard reads.readsOnlyOwn(own) else { return nil }
        return (own, .extreme(greatest: greatest, argument: call.arguments[0], filter: nil, held: held))
    }
}
