import MatviewSyntax

/// The `fanout` rule: an aggregate whose input rows a one-to-many join repeats computes the wrong
/// value (the seed's user_stats sums each transaction once per active day). An aggregate over
/// relations S is safe when S, together with the GROUP BY columns, determines every relation of
/// the join; otherwise the first undetermined relation names the join that multiplies it.
/// count(distinct ...), min, max and the boolean aggregates ignore repeats and are always safe.
struct FanoutRule {
    let graph: JoinGraph
    let joins: [JoinEdge]
    let fixed: Set<ColumnRef>
    let sink: DiagnosticSink

    static let repeatInsensitive: Set<String> = ["min", "max", "bool_and", "bool_or", "every"]

    func check(_ aggregates: [AggregateUse], selectItems: [SelectItem]) {
        for use in aggregates {
            reportIfMultiplied(use)
        }
    }

    private func reportIfMultiplied(_ use: AggregateUse) {
        let name = use.call.name.name
        if use.call.distinct || Self.repeatInsensitive.contains(name) || use.call.star || use.relations.isEmpty { return }
        let determined = graph.determined(by: use.relations, fixed: fixed)
        guard determined.count < graph.relations.count else { return }
        let undetermined = graph.relations.indices.filter { !determined.contains($0) }
        let culprit = undetermined.first { index in joins.first { $0.relation == index }?.multiplicity == .many } ?? undetermined[0]
        let culpritRelation = graph.relations[culprit]
        let sourceNames = use.relations.sorted().map { describe(graph.relations[$0]) }.joined(separator: " and ")
        var perWhat = "many rows"
        if let edge = joins.first(where: { $0.relation == culprit }) {
            let parents = edge.parents.filter { $0 != culprit }
            if let parent = parents.first {
                perWhat = "many rows per \(describe(graph.relations[parent]))"
            } else if edge.kind == .cross || edge.condition == nil {
                perWhat = "a cross join"
            }
        } else {
            perWhat = "many rows per \(describe(graph.relations[use.relations.sorted()[0]]))"
        }
        sink.columnIgnores = use.columnIgnores
        defer { sink.columnIgnores = [] }
        sink.error(.fanout, at: use.location,
                   "\(SQLPrinter.function(use.call)) is multiplied by the join with \(culpritRelation.alias) (\(perWhat))",
                   hint: "aggregate \(sourceNames) in a nested query grouped by the join key before joining, so each row counts once; or use count(distinct ...)")
    }

    private func describe(_ relation: CheckedRelation) -> String {
        switch relation.source {
        case .table(let name): return name.name
        case .cte(let name), .view(let name): return name
        default: return relation.alias
        }
    }
}
