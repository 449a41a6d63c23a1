import MatviewSyntax

/// Derives the grain of a query: the sets of output columns that identify its rows. The unique
/// index rule and CONCURRENTLY checks read it, and so will incremental maintenance. Each
/// derivation also says how it got there, for `matview explain`.
enum Grain {
    /// A grouped query has one row per group: its GROUP BY items, less those the others determine,
    /// as long as each remaining item is an output column. An aggregate without GROUP BY has one row.
    static func groupedKeys(groupBy: [Expr], columns: [OutputColumn], graph: JoinGraph, scope: Scope) -> (keys: [[String]], derivation: GrainDerivation) {
        guard !groupBy.isEmpty else { return ([[]], .aggregateWithoutGroupBy) }
        struct Item {
            var expr: Expr
            var output: String?
            var column: ColumnRef?
            var relations: Set<Int>
        }
        var items = groupBy.map { expr -> Item in
            let printed = SQLPrinter.print(expr.unparenthesized)
            let output = columns.first { SQLPrinter.print($0.expr.unparenthesized) == printed }?.name
            return Item(expr: expr, output: output, column: JoinGraph.columnRef(expr, scope: scope),
                        relations: JoinGraph.referencedRelations(expr, scope: scope))
        }
        // Drop items determined by the rest: first those not in the output, then from the end.
        let order = items.indices.sorted { (items[$0].output == nil ? 0 : 1, -$0) < (items[$1].output == nil ? 0 : 1, -$1) }
        var removed = Set<Int>()
        for index in order {
            let rest = items.indices.filter { $0 != index && !removed.contains($0) }
            let fixed = Set(rest.compactMap { items[$0].column })
            let determined = graph.determined(by: [], fixed: fixed, forKeys: true)
            let item = items[index]
            if !item.relations.isEmpty && item.relations.isSubset(of: determined) { removed.insert(index) }
        }
        let written = items.map { SQLPrinter.print($0.expr.unparenthesized) }
        items = items.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        guard items.allSatisfy({ $0.output != nil }) else {
            let missing = items.filter { $0.output == nil }.map { SQLPrinter.print($0.expr.unparenthesized) }
            return ([], .groupByItemNotSelected(items: written, missing: missing))
        }
        return ([items.compactMap(\.output)], .groupBy(items: written, dropped: removed.sorted().map { written[$0] }))
    }

    /// An ungrouped query has one row per combination of the rows of the relations no other
    /// relation determines: their keys, where each key column is an output column.
    static func joinKeys(columns: [OutputColumn], graph: JoinGraph, joins: [JoinEdge], scope: Scope) -> (keys: [[String]], derivation: GrainDerivation) {
        if joins.contains(where: { $0.kind == .right || $0.kind == .full }) { return ([], .rightOrFullJoin) }
        // For each relation, its first key whose columns are all output columns.
        func outputNames(_ relation: Int, _ key: [String]) -> [String]? {
            var names: [String] = []
            for column in key {
                let ref = ColumnRef(relation: relation, column: column)
                guard let output = columns.first(where: { JoinGraph.columnRef($0.expr, scope: scope) == ref }) else { return nil }
                names.append(output.name)
            }
            return names
        }
        let selectedKey = graph.relations.indices.map { index in
            graph.relations[index].keys.lazy.compactMap { outputNames(index, $0) }.first
        }
        // Start from every relation and drop each one the others determine, whatever order the
        // sources were written in; relations whose keys are not selected go first.
        let all = Set(graph.relations.indices)
        let removalOrder = graph.relations.indices.filter { selectedKey[$0] == nil } + graph.relations.indices.reversed().filter { selectedKey[$0] != nil }
        var needed = all
        for index in removalOrder {
            let rest = needed.subtracting([index])
            if graph.determined(by: rest, forKeys: true).isSuperset(of: all) { needed = rest }
        }
        var names: [String] = []
        var sourceKeys: [GrainDerivation.SourceKey] = []
        for index in needed.sorted() {
            guard let key = selectedKey[index] else { return ([], .sourceKeyNotSelected(source: graph.relations[index].alias)) }
            names.append(contentsOf: key)
            if !key.isEmpty { sourceKeys.append(GrainDerivation.SourceKey(source: graph.relations[index].alias, columns: key)) }
        }
        let determined = graph.relations.indices.filter { !needed.contains($0) }.map { graph.relations[$0].alias }
        return ([names], .sourceKeys(keys: sourceKeys, determined: determined))
    }
}
