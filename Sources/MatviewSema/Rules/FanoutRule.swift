import MatviewSyntax

/// The `fanout` rule: an aggregate whose input rows a one-to-many join repeats computes the wrong
/// value (the seed's user_stats sums each transaction once per active day). An aggregate over
/// relations S is safe when S, together with the GROUP BY columns, determines every relation of
/// the join; otherwise the first undetermined relation names the join that multiplies it.
/// count(distinct ...), min, max and the boolean aggregates ignore repeats and are always safe.
/// Each aggregate's verdict, safe or not, is returned for `matview explain`.
struct FanoutRule {
    let graph: JoinGraph
    let joins: [JoinEdge]
    let fixed: Set<ColumnRef>
    let sink: DiagnosticSink

    static let repeatInsensitive: Set<String> = ["min", "max", "bool_and", "bool_or", "every"]

    func check(_ aggregates: [AggregateUse], selectItems: [SelectItem]) -> [FanoutVerdict] {
        aggregates.map { FanoutVerdict(aggregate: SQLPrinter.function($0.call), column: $0.column, reason: verdict($0)) }
    }

    private func verdict(_ use: AggregateUse) -> FanoutVerdict.Reason {
        let name = use.call.name.name
        if use.call.distinct { return .distinct }
        if Self.repeatInsensitive.contains(name) { return .ignoresRepeats(function: name) }
        if use.call.star { return .countsJoinedRows }
        if use.relations.isEmpty { return .readsNoColumns }
        let steps = graph.derivation(by: use.relations, fixed: fixed)
        let determined = use.relations.union(steps.map(\.relation))
        guard determined.count < graph.relations.count else {
            return .determined(reads: use.relations.sorted().map { graph.relations[$0].alias },
                               steps: steps.map { step in
                                   FanoutVerdict.Step(source: graph.relations[step.relation].alias, key: step.key, fixedByGroupBy: step.usesFixedColumns,
                                                      from: step.by.sorted().map { graph.relations[$0].alias })
                               },
                               sourceCount: graph.relations.count)
        }
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
        let multiplication = FanoutVerdict.Multiplication(join: culpritRelation.alias, perWhat: perWhat)
        let ignoredBy = sink.ignoringList(for: .fanout)
        sink.error(.fanout, at: use.location,
                   "\(SQLPrinter.function(use.call)) is multiplied by the join with \(culpritRelation.alias) (\(perWhat))",
                   hint: "aggregate \(sourceNames) in a nested query grouped by the join key before joining, so each row counts once; or use count(distinct ...)")
        return ignoredBy.map { .ignored(multiplication, by: $0) } ?? .multiplied(multiplication)
    }

    private func describe(_ relation: CheckedRelation) -> String {
        switch relation.source {
        case .table(let name): return name.name
        case .cte(let name), .view(let name): return name
        default: return relation.alias
        }
    }
}
