import MatviewSyntax

/// A column of a relation that a condition pins down: equal to a constant (`by` empty) or to an
/// expression over the relations in `by`.
struct Binding: Hashable {
    var column: ColumnRef
    var by: Set<Int>
    /// Made by an outer join's condition in the direction that NULL-extended rows break: the
    /// preserved side's column bound by the nullable side. Sound for multiplicities and fan-out,
    /// not for keys (every NULL-extended row would share the same NULL key).
    var throughOuterJoin = false
}

/// The relations of one query and the equalities between them: enough to tell which relations a
/// set of others determines (functional dependencies through unique keys). The fan-out rule, the
/// grain and join multiplicities are all questions about this graph.
struct JoinGraph {
    var relations: [CheckedRelation]
    var bindings: [Binding]
    /// For single-row lateral sources: the relations they read.
    var lateralParents: [Int: Set<Int>]

    /// One relation found determined, and how: by a key whose columns are bound, or as a
    /// single-row relation whose lateral parents are determined.
    struct Determination {
        var relation: Int
        /// The bound key; empty for a single-row relation.
        var key: [String]
        /// Whether some of the key's columns are among the `fixed` ones.
        var usesFixedColumns: Bool
        /// The relations the key columns are bound by (the first binding of each column).
        var by: Set<Int>
    }

    /// The relations whose row is fixed once the rows of `start` are fixed (and the `fixed`
    /// columns, e.g. GROUP BY columns, hold one value).
    func determined(by start: Set<Int>, fixed: Set<ColumnRef> = [], forKeys: Bool = false) -> Set<Int> {
        start.union(derivation(by: start, fixed: fixed, forKeys: forKeys).map(\.relation))
    }

    /// The relations `determined(by:)` adds to `start`, in the order it finds them, each with
    /// the reason; `matview explain` shows these steps for an aggregate the fan-out rule passed.
    func derivation(by start: Set<Int>, fixed: Set<ColumnRef> = [], forKeys: Bool = false) -> [Determination] {
        var result = start
        var steps: [Determination] = []
        var changed = true
        while changed {
            changed = false
            for index in relations.indices where !result.contains(index) {
                let relation = relations[index]
                if relation.isSingleRow, (lateralParents[index] ?? []).isSubset(of: result) {
                    result.insert(index); changed = true
                    steps.append(Determination(relation: index, key: [], usesFixedColumns: false, by: lateralParents[index] ?? []))
                    continue
                }
                let fixedColumns = Set(fixed.filter { $0.relation == index }.map(\.column))
                var bound = fixedColumns
                var boundBy: [String: Set<Int>] = [:]
                for binding in bindings where binding.column.relation == index && binding.by.isSubset(of: result) && !binding.by.contains(index)
                    && !(forKeys && binding.throughOuterJoin) {
                    bound.insert(binding.column.column)
                    if boundBy[binding.column.column] == nil { boundBy[binding.column.column] = binding.by }
                }
                if let key = relation.keys.first(where: { !$0.isEmpty && Set($0).isSubset(of: bound) }) {
                    result.insert(index); changed = true
                    let by = key.filter { !fixedColumns.contains($0) }.reduce(into: Set<Int>()) { $0.formUnion(boundBy[$1] ?? []) }
                    steps.append(Determination(relation: index, key: key, usesFixedColumns: key.contains(where: fixedColumns.contains), by: by))
                }
            }
        }
        return steps
    }

    /// Whether the join to `relation` matches at most one of its rows per row before it.
    func multiplicity(of relation: Int) -> Multiplicity {
        let r = relations[relation]
        if r.isSingleRow { return .one }
        let bound = Set(bindings.filter { $0.column.relation == relation && !$0.by.contains(relation) && $0.by.allSatisfy { $0 < relation } }.map(\.column.column))
        return r.keys.contains(where: { !$0.isEmpty && Set($0).isSubset(of: bound) }) ? .one : .many
    }

    /// The bindings a condition makes: `a.x = b.y`, `a.x = 'constant'`, `a.x = f(b.y)`, in its
    /// top-level AND conjuncts.
    static func bindings(in condition: Expr, scope: Scope) -> [Binding] {
        var result: [Binding] = []
        for conjunct in conjuncts(condition) {
            guard case .binary(.equal, let a, let b) = conjunct.unparenthesized.kind else { continue }
            let left = columnRef(a, scope: scope), right = columnRef(b, scope: scope)
            if let left { result.append(Binding(column: left, by: referencedRelations(b, scope: scope))) }
            if let right { result.append(Binding(column: right, by: referencedRelations(a, scope: scope))) }
        }
        return result
    }

    static func conjuncts(_ expr: Expr) -> [Expr] {
        if case .binary(.and, let a, let b) = expr.unparenthesized.kind { return conjuncts(a) + conjuncts(b) }
        return [expr.unparenthesized]
    }

    /// The local relation and column of a plain column reference.
    static func columnRef(_ expr: Expr, scope: Scope) -> ColumnRef? {
        guard case .column(let qualifiers, let name) = expr.unparenthesized.kind,
              case .found(let resolution) = scope.lookup(qualifier: qualifiers.last?.name, name: name.name),
              resolution.depth == 0 else { return nil }
        return ColumnRef(relation: resolution.relation, column: name.name)
    }

    /// Local relations an expression reads.
    static func referencedRelations(_ expr: Expr, scope: Scope) -> Set<Int> {
        var result = Set<Int>()
        expr.walk { node in
            if let ref = columnRef(node, scope: scope) { result.insert(ref.relation) }
        }
        return result
    }
}
