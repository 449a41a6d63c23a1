import MatviewSyntax

/// Works out, for a view with `strategy: incremental`, how a changed row of each source table
/// reaches the view's grain keys, and where the recompute of a few groups may restrict each
/// query block. Where a source cannot be traced, reports `not-incremental` at that source and
/// returns nil: the view must stay `strategy: full`.
///
/// A path follows equalities only (join conditions and WHERE conjuncts `a.x = b.y`): a changed
/// row maps to the groups whose rows it can meet. Filters are ignored, which at worst
/// recomputes a group that did not change. Nested queries and CTEs are followed inside when the
/// join equates their output with the grain and they are grouped by it.
struct KeyPathAnalysis {
    let view: CheckedView
    /// The views checked so far, by name: an incremental view may read another incremental view.
    let views: [String: CheckedView]
    let sink: DiagnosticSink
    /// Where `strategy: incremental` is written, for findings about the view as a whole.
    let strategyLocation: SourceLocation

    private struct Block {
        var paths: [KeyPath] = []
        var restriction = QueryRestriction()
        var cteRestrictions: [String: QueryRestriction] = [:]
        var conflictingCTEs: Set<String> = []
        /// Whether some source's own unique key is the grain (so groups are many and small).
        var grainIsATableKey = false
    }

    func plan() -> IncrementalPlan? {
        let name = view.name
        if let clock = view.query.clockRead {
            fail(at: clock, "\(name) reads the clock here, so its rows change with time and not only with its source rows",
                 hint: "keep `strategy: full` with a refresh schedule")
            return nil
        }
        guard let grainNames = view.keys.first else {
            fail(at: strategyLocation, "matview cannot derive a key for the rows of \(name), so a changed row has no group to recompute",
                 hint: "group by the key, or select the key columns of every joined table; otherwise keep `strategy: full`")
            return nil
        }
        guard !grainNames.isEmpty else {
            fail(at: strategyLocation, "\(name) has a single row, so every change recomputes all of it",
                 hint: "keep `strategy: full` with `on_change: queue`")
            return nil
        }
        let grain = grainNames.compactMap { column in view.columns.first { $0.name == column } }
        let targets = grain.map(\.expr)
        guard let block = analyze(view.query, targets: targets, top: true) else { return nil }
        var cteRestrictions = block.cteRestrictions
        for conflict in block.conflictingCTEs { cteRestrictions[conflict] = nil }
        if view.refresh.onChange == .immediate && !block.grainIsATableKey {
            sink.report(Diagnostic(.note, .notIncremental, at: strategyLocation,
                                   "\(name) has one row per (\(grainNames.joined(separator: ", "))), which no source table has as its key: each group gathers many source rows, and immediate writers of the same group wait for one another",
                                   hint: "if groups are few, use `on_change: queue`"))
        }
        // A table read the same way twice (two CTEs over it) needs its path once.
        var seen = Set<String>()
        let paths = block.paths.filter { seen.insert($0.summary).inserted }
        return IncrementalPlan(grain: grain.map { GrainColumn(name: $0.name, type: $0.type, nullable: $0.nullable) },
                               keyPaths: paths, restriction: block.restriction, cteRestrictions: cteRestrictions)
    }

    private func fail(at location: SourceLocation, _ message: String, hint: String) {
        sink.error(.notIncremental, at: location, message, hint: hint)
    }

    /// One query block whose rows are restricted by `targets` (expressions over the block, one per
    /// grain column): the key paths of every table read in it or below it.
    private func analyze(_ query: CheckedQuery, targets: [Expr], top: Bool) -> Block? {
        let classes = EqualityClasses(query)
        var block = Block()
        var ok = true
        if let join = query.joins.first(where: { $0.kind == .right || $0.kind == .full }) {
            fail(at: join.location, "a \(join.kind.sql) can add or remove rows on both sides, which matview cannot trace to groups",
                 hint: "write it as a LEFT JOIN from the side that holds the grain, or keep `strategy: full`")
            return nil
        }
        let optional = Set(query.joins.filter { $0.kind == .left }.map(\.relation))
        let required = Set(query.relations.indices).subtracting(optional)
        for target in targets where classes.express(target, onto: required) == nil {
            fail(at: target.location, "this grain column cannot be traced to the required side of the query (it comes from the optional side of a LEFT JOIN, or no source maps to it)",
                 hint: "group by a column of the table every row comes from, or keep `strategy: full`")
            return nil
        }
        for (index, relation) in query.relations.enumerated() {
            let direct = targets.map { classes.express($0, onto: [index]) }
            let directKeys = direct.allSatisfy { $0 != nil } ? direct.compactMap { $0 } : nil
            let joinIndex = query.joins.firstIndex { $0.relation == index && $0.kind == .left }
            switch relation.source {
            case .function:
                continue // generate_series and the like: rows that do not change (the clock was ruled out)
            case .table(let table):
                guard let path = keyPath(table: table, upstream: nil, relation: index, directKeys: directKeys, query: query,
                                         classes: classes, targets: targets) else { ok = false; continue }
                block.paths.append(path)
                if let directKeys {
                    block.restriction.predicates.append(.init(relation: index, keys: directKeys, join: joinIndex))
                    if isTableKey(directKeys, relation: relation) { block.grainIsATableKey = true }
                }
            case .view(let name):
                guard let upstream = views[name], upstream.refresh.strategy == .incremental else {
                    fail(at: relation.location, "\(view.name) reads \(name), a full view: a full refresh rewrites it whole, with no row changes to follow",
                         hint: "make \(name) `strategy: incremental` too, or keep \(view.name) `strategy: full`")
                    ok = false
                    continue
                }
                guard let path = keyPath(table: upstream.qualifiedName, upstream: name, relation: index, directKeys: directKeys, query: query,
                                         classes: classes, targets: targets) else { ok = false; continue }
                block.paths.append(path)
                if let directKeys {
                    block.restriction.predicates.append(.init(relation: index, keys: directKeys, join: joinIndex))
                    if isTableKey(directKeys, relation: relation) { block.grainIsATableKey = true }
                }
            case .cte(let name):
                guard let nested = view.ctes.first(where: { $0.name == name })?.query,
                      let inner = nestedBlock(nested, relation: relation, directKeys: directKeys, what: "CTE \(name)") else { ok = false; continue }
                block.paths += inner.paths
                block.grainIsATableKey = block.grainIsATableKey || inner.grainIsATableKey
                block.conflictingCTEs.formUnion(inner.conflictingCTEs)
                for (cte, restriction) in inner.cteRestrictions { merge(cte, restriction, into: &block) }
                merge(name, inner.restriction, into: &block)
            case .subquery(let nested, let lateral):
                if lateral {
                    fail(at: relation.location, "a LATERAL nested query is recomputed for each row it is joined to, which matview cannot trace to groups",
                         hint: "make it a plain nested query grouped by the grain, joined with an equality, or keep `strategy: full`")
                    ok = false
                    continue
                }
                guard let inner = nestedBlock(nested, relation: relation, directKeys: directKeys, what: "the nested query \(relation.alias)") else { ok = false; continue }
                block.paths += inner.paths
                block.grainIsATableKey = block.grainIsATableKey || inner.grainIsATableKey
                block.conflictingCTEs.formUnion(inner.conflictingCTEs)
                for (cte, restriction) in inner.cteRestrictions { merge(cte, restriction, into: &block) }
                block.restriction.nested[index] = inner.restriction
            }
        }
        guard ok else { return nil }
        if top && block.restriction.predicates.isEmpty && block.restriction.nested.isEmpty {
            block.restriction.whereKeys = targets
        }
        return block
    }

    /// A CTE read twice must be restricted the same way both times, or not at all.
    private func merge(_ cte: String, _ restriction: QueryRestriction, into block: inout Block) {
        if let existing = block.cteRestrictions[cte], SQLPrinter.print(restriction) != SQLPrinter.print(existing) {
            block.conflictingCTEs.insert(cte)
        }
        block.cteRestrictions[cte] = restriction
    }

    private func isTableKey(_ keys: [Expr], relation: CheckedRelation) -> Bool {
        let columns = Set(keys.compactMap { key -> String? in
            if case .column(_, let name) = key.unparenthesized.kind { return name.name }
            return nil
        })
        return relation.keys.contains { !$0.isEmpty && Set($0).isSubset(of: columns) }
    }

    /// A nested query or CTE joined on the grain: each grain column must be one of its output
    /// columns, and, when it aggregates, one it groups by. Then its own sources are followed with
    /// those columns' expressions as the grain.
    private func nestedBlock(_ nested: CheckedQuery, relation: CheckedRelation, directKeys: [Expr]?, what: String) -> Block? {
        guard let directKeys else {
            fail(at: relation.location, "\(what) is not joined to \(view.name) on its grain by equality, so a change inside it cannot be traced to a group",
                 hint: "join it with `on:` equating its key with the grain's columns, or keep `strategy: full`")
            return nil
        }
        var innerTargets: [Expr] = []
        for key in directKeys {
            guard case .column(_, let name) = key.unparenthesized.kind,
                  let column = nested.columns.first(where: { $0.name == name.name }) else {
                fail(at: relation.location, "\(what) meets the grain only through an expression, which matview cannot push into it",
                     hint: "join it on its plain output columns, or keep `strategy: full`")
                return nil
            }
            if nested.isAggregate {
                let printed = SQLPrinter.print(column.expr.unparenthesized)
                guard nested.groupBy.contains(where: { SQLPrinter.print($0.unparenthesized) == printed }) else {
                    fail(at: column.location, "\(what) is joined on \(column.name), but it is not grouped by it, so one of its rows mixes several of \(view.name)'s groups",
                         hint: "group it by \(column.name) (and join on that), or keep `strategy: full`")
                    return nil
                }
            }
            innerTargets.append(column.expr)
        }
        return analyze(nested, targets: innerTargets, top: false)
    }

    /// The path of one table read in a block: straight to the grain when the block equates its
    /// columns with the grain's, else through equality joins to tables that do.
    private func keyPath(table: TableName, upstream: String?, relation index: Int, directKeys: [Expr]?, query: CheckedQuery,
                         classes: EqualityClasses, targets: [Expr]) -> KeyPath? {
        let relation = query.relations[index]
        if let directKeys {
            return KeyPath(table: table, upstreamView: upstream, alias: relation.alias,
                           columns: columnsRead(of: index, in: directKeys, relations: query.relations), hops: [], keys: directKeys,
                           location: relation.location, summary: summary(table, relation.alias, hops: [], keys: directKeys))
        }
        // Breadth first over the relations a table or incremental view can be read from directly.
        func readable(_ i: Int) -> TableName? {
            switch query.relations[i].source {
            case .table(let name): return name
            case .view(let name): return views[name].flatMap { $0.refresh.strategy == .incremental ? $0.qualifiedName : nil }
            default: return nil
            }
        }
        var queue: [[Int]] = [[index]]
        var seen: Set<Int> = [index]
        while !queue.isEmpty {
            let path = queue.removeFirst()
            let last = path.last!
            for next in query.relations.indices where !seen.contains(next) {
                guard let name = readable(next), classes.joinCondition(from: last, to: next, at: relation.location) != nil else { continue }
                seen.insert(next)
                let extended = path + [next]
                let allowed = Set(extended)
                let keys = targets.map { classes.express($0, onto: allowed) }
                if keys.allSatisfy({ $0 != nil }) {
                    let hops = zip(extended, extended.dropFirst()).map { from, to in
                        KeyPathHop(table: readable(to) ?? name, alias: query.relations[to].alias,
                                   condition: classes.joinCondition(from: from, to: to, at: relation.location)!)
                    }
                    let keys = keys.compactMap { $0 }
                    let firstHop = hops.first.map { [$0.condition] } ?? []
                    return KeyPath(table: table, upstreamView: upstream, alias: relation.alias,
                                   columns: columnsRead(of: index, in: keys + firstHop, relations: query.relations), hops: hops, keys: keys,
                                   location: relation.location, summary: summary(table, relation.alias, hops: hops, keys: keys))
                }
                queue.append(extended)
            }
        }
        let join = query.joins.first { $0.relation == index }
        let reason = join.map { $0.kind == .cross || $0.equalities.isEmpty
            ? "it is joined without an equality on keys (\($0.kind == .cross ? "a cross join" : "ON \($0.condition.map(SQLPrinter.print) ?? "")"))"
            : "its equality joins lead to no table that holds the grain" } ?? "no equality join leads from it to a table that holds the grain"
        fail(at: relation.location, "a change to \(table) (\(relation.alias)) cannot be traced to \(view.name)'s groups: \(reason)",
             hint: "join it by equality on a key related to the grain, or keep `strategy: full`")
        return nil
    }

    private func columnsRead(of index: Int, in exprs: [Expr], relations: [CheckedRelation]) -> [String] {
        let alias = relations[index].alias
        var names = Set<String>()
        for expr in exprs {
            expr.walk { node in
                if case .column(let qualifiers, let name) = node.kind, qualifiers.last?.name == alias { names.insert(name.name) }
            }
        }
        return relations[index].columns.map(\.name).filter { names.contains($0) }
    }

    private func summary(_ table: TableName, _ alias: String, hops: [KeyPathHop], keys: [Expr]) -> String {
        var parts = ["\(table) \(alias)"]
        for hop in hops { parts.append("\(hop.table) \(hop.alias) ON \(SQLPrinter.print(hop.condition))") }
        parts.append("(" + keys.map(SQLPrinter.print).joined(separator: ", ") + ")")
        return parts.joined(separator: " → ")
    }
}

extension SQLPrinter {
    /// A restriction as text, to tell whether two are the same.
    static func print(_ restriction: QueryRestriction) -> String {
        var parts = restriction.predicates.map { "\($0.relation)@\($0.join.map(String.init) ?? "where"):" + $0.keys.map(SQLPrinter.print).joined(separator: ",") }
        parts += restriction.whereKeys.map { ["where:" + $0.map(SQLPrinter.print).joined(separator: ",")] } ?? []
        parts += restriction.nested.sorted { $0.key < $1.key }.map { "\($0.key){\(print($0.value))}" }
        return parts.joined(separator: ";")
    }
}
