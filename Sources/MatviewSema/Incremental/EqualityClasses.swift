import MatviewSyntax

/// The columns of one query block that its join conditions and WHERE clause hold equal
/// (`a.x = b.y` in a top-level AND), grouped into classes. A column stands for any other of its
/// class wherever the rows meet the conditions: that is how a changed row finds its group.
struct EqualityClasses {
    let relations: [CheckedRelation]
    private var parent: [ColumnRef: ColumnRef] = [:]

    init(_ query: CheckedQuery) {
        relations = query.relations
        for join in query.joins where join.kind == .inner || join.kind == .left {
            for equality in join.equalities { union(equality.left, equality.right) }
        }
        if let whereClause = query.whereClause {
            for conjunct in Self.conjuncts(whereClause) {
                guard case .binary(.equal, let a, let b) = conjunct.kind,
                      let left = resolve(a), let right = resolve(b) else { continue }
                union(left, right)
            }
        }
    }

    static func conjuncts(_ expr: Expr) -> [Expr] {
        if case .binary(.and, let a, let b) = expr.unparenthesized.kind { return conjuncts(a) + conjuncts(b) }
        return [expr.unparenthesized]
    }

    /// The relation and column a plain column reference names in this block, if it is one.
    func resolve(_ expr: Expr) -> ColumnRef? {
        guard case .column(let qualifiers, let name) = expr.unparenthesized.kind else { return nil }
        if let qualifier = qualifiers.last {
            guard qualifiers.count == 1, let index = relations.firstIndex(where: { $0.alias == qualifier.name }),
                  relations[index].columns.contains(where: { $0.name == name.name }) else { return nil }
            return ColumnRef(relation: index, column: name.name)
        }
        let owners = relations.indices.filter { relations[$0].columns.contains { $0.name == name.name } }
        return owners.count == 1 ? ColumnRef(relation: owners[0], column: name.name) : nil
    }

    func members(of ref: ColumnRef) -> [ColumnRef] {
        let root = find(ref)
        let others = parent.keys.filter { find($0) == root && $0 != ref }.sorted { ($0.relation, $0.column) < ($1.relation, $1.column) }
        return [ref] + others
    }

    /// `expr` with every column moved onto one of `allowed` (the column itself when its relation
    /// is allowed, else an equal column of an allowed relation); nil when some column has none,
    /// or is not a column of this block.
    func express(_ expr: Expr, onto allowed: Set<Int>) -> Expr? {
        var failed = false
        let result = expr.rewritten { node in
            guard case .column = node.kind else { return nil }
            guard let ref = resolve(node),
                  let target = members(of: ref).first(where: { allowed.contains($0.relation) }) else {
                failed = true
                return node
            }
            return Expr.column(relations[target.relation].alias, target.column, at: node.location)
        }
        return failed ? nil : result
    }

    /// The relations whose columns an expression reads (nil if one is not of this block).
    func relationsRead(by expr: Expr) -> Set<Int>? {
        var result = Set<Int>()
        var failed = false
        expr.walk { node in
            guard case .column = node.kind else { return }
            if let ref = resolve(node) { result.insert(ref.relation) } else { failed = true }
        }
        return failed ? nil : result
    }

    /// `b.y = a.x AND ...` for every class with a column in both relations; nil when none.
    func joinCondition(from a: Int, to b: Int, at location: SourceLocation) -> Expr? {
        var conjuncts: [Expr] = []
        var seen = Set<ColumnRef>()
        for ref in parent.keys.sorted(by: { ($0.relation, $0.column) < ($1.relation, $1.column) }) where ref.relation == b {
            let root = find(ref)
            guard !seen.contains(root),
                  let partner = members(of: ref).first(where: { $0.relation == a }) else { continue }
            seen.insert(root)
            conjuncts.append(Expr(.binary(.equal, Expr.column(relations[b].alias, ref.column, at: location),
                                          Expr.column(relations[a].alias, partner.column, at: location)), at: location))
        }
        guard var result = conjuncts.first else { return nil }
        for next in conjuncts.dropFirst() { result = Expr(.binary(.and, result, next), at: location) }
        return result
    }

    private func find(_ ref: ColumnRef) -> ColumnRef {
        var current = ref
        while let next = parent[current], next != current { current = next }
        return current
    }

    private mutating func union(_ a: ColumnRef, _ b: ColumnRef) {
        if parent[a] == nil { parent[a] = a }
        if parent[b] == nil { parent[b] = b }
        let ra = find(a), rb = find(b)
        if ra != rb { parent[rb] = ra }
    }
}
