import MatviewSyntax

/// Checks one query block (a view's query, a CTE or a nested source): resolves its sources,
/// types its expressions, works out join multiplicities, and applies the grouping and fan-out
/// rules. Nested sources are checked by the same checker, recursively.
struct QueryChecker {
    let environment: Environment
    let sink: DiagnosticSink

    func check(_ query: QuerySpec, outer: Scope? = nil, outerVisible: Int = 0, hiddenOuter: Set<String> = []) -> CheckedQuery {
        let scope = Scope(outer: outer, outerVisibleCount: outerVisible)
        scope.laterAliases = Set(([query.from] + query.joins.map(\.source)).compactMap(\.referenceName))
        scope.hiddenOuterAliases = hiddenOuter
        var joins: [JoinEdge] = []
        var bindings: [Binding] = []
        var lateralParents: [Int: Set<Int>] = [:]
        var sourceTables = Set<TableName>()
        var clockRead: SourceLocation?

        func add(_ source: SourceSpec) -> (index: Int, parents: Set<Int>)? {
            guard let made = relation(for: source, scope: scope) else { return nil }
            if scope.relations.contains(where: { $0.alias == made.relation.alias }) {
                sink.error(.duplicateAlias, at: source.alias?.location ?? source.location, "the name '\(made.relation.alias)' is used for two sources in this query",
                           hint: "give each source its own alias")
            }
            scope.relations.append(made.relation)
            sourceTables.formUnion(made.tables)
            clockRead = earliest(clockRead, made.clockRead)
            let index = scope.relations.count - 1
            if made.relation.isSingleRow { lateralParents[index] = made.parents }
            return (index, made.parents)
        }

        guard add(query.from) != nil else {
            return CheckedQuery(relations: [], joins: [], whereClause: nil, groupBy: [], having: nil, columns: [], keys: [], grain: .unresolvedSources,
                                isAggregate: false, sourceTables: [], clockRead: nil, fanout: [])
        }
        var failedSources = false
        for join in query.joins {
            let before = scope.relations.count
            guard let (index, sourceParents) = add(join.source) else { failedSources = true; continue }
            let outerJoin = NullabilityReason.outerJoin(join: "\(join.kind.sql) \(scope.relations[index].joinedName)")
            switch join.kind {
            case .left: scope.relations[index].makeNullable(outerJoin)
            case .right: for i in 0..<before { scope.relations[i].makeNullable(outerJoin) }
            case .full: for i in 0...index { scope.relations[i].makeNullable(outerJoin) }
            case .inner, .cross: break
            }
            var parents = sourceParents
            var joinBindings: [Binding] = []
            if let condition = join.condition {
                var checker = ExpressionChecker(scope: scope, sink: sink, clause: .joinCondition, grouped: false)
                let typed = checker.check(condition)
                checker.requireCondition(typed, at: condition.location, "JOIN ... ON")
                clockRead = earliest(clockRead, typed.clockRead)
                parents.formUnion(typed.relations.subtracting([index]))
                joinBindings = JoinGraph.bindings(in: condition, scope: scope)
                for i in joinBindings.indices {
                    switch join.kind {
                    case .left: joinBindings[i].throughOuterJoin = joinBindings[i].column.relation != index
                    case .right, .full: joinBindings[i].throughOuterJoin = true
                    case .inner, .cross: break
                    }
                }
                bindings.append(contentsOf: joinBindings)
            }
            let graph = JoinGraph(relations: scope.relations, bindings: bindings, lateralParents: lateralParents)
            joins.append(JoinEdge(kind: join.kind, relation: index, parents: parents.sorted(), multiplicity: graph.multiplicity(of: index),
                                  condition: join.condition, equalities: Self.columnEqualities(joinBindings, scope: scope, condition: join.condition), location: join.location))
        }

        var whereClause: Expr?
        if let condition = query.whereClause {
            var checker = ExpressionChecker(scope: scope, sink: sink, clause: .whereClause, grouped: false)
            let typed = checker.check(condition)
            checker.requireCondition(typed, at: condition.location, "WHERE")
            clockRead = earliest(clockRead, typed.clockRead)
            bindings.append(contentsOf: JoinGraph.bindings(in: condition, scope: scope))
            whereClause = condition
        }

        // GROUP BY items may name an output column or give its position, as in PostgreSQL.
        var groupBy: [Expr] = []
        for item in query.groupBy {
            let resolved = resolveGroupItem(item, query: query, scope: scope)
            var checker = ExpressionChecker(scope: scope, sink: sink, clause: .groupBy, grouped: true)
            let typed = checker.check(resolved)
            clockRead = earliest(clockRead, typed.clockRead)
            groupBy.append(resolved)
        }
        let grouped = !groupBy.isEmpty

        var columns: [OutputColumn] = []
        var aggregates: [AggregateUse] = []
        var anyAggregate = false
        for item in query.select {
            sink.columnIgnores = Set(item.ignore.map(\.value))
            defer { sink.columnIgnores = [] }
            var checker = ExpressionChecker(scope: scope, sink: sink, clause: .select, grouped: grouped)
            let typed = checker.check(item.expr)
            aggregates.append(contentsOf: checker.aggregates.map { use in
                var use = use
                use.columnIgnores = Set(item.ignore.map(\.value))
                use.column = item.name.value
                return use
            })
            anyAggregate = anyAggregate || typed.containsAggregate
            clockRead = earliest(clockRead, typed.clockRead)
            if columns.contains(where: { $0.name == item.name.value }) {
                sink.error(.duplicateColumn, at: item.name.location, "output column '\(item.name.value)' is defined twice")
            }
            columns.append(OutputColumn(name: item.name.value, type: typed.type == .null || typed.type == .unknown ? .text : typed.type,
                                        nullable: typed.nullable, nullability: typed.nullability, typeReason: typed.typeReason, expr: item.expr, description: item.description, location: item.name.location,
                                        jsonFields: typed.jsonFields))
        }
        if let having = query.having {
            var checker = ExpressionChecker(scope: scope, sink: sink, clause: .having, grouped: grouped)
            let typed = checker.check(having)
            checker.requireCondition(typed, at: having.location, "HAVING")
            aggregates.append(contentsOf: checker.aggregates)
            clockRead = earliest(clockRead, typed.clockRead)
        }
        let isAggregate = grouped || anyAggregate || query.having != nil

        let graph = JoinGraph(relations: scope.relations, bindings: bindings, lateralParents: lateralParents)
        var fanout: [FanoutVerdict] = []
        if isAggregate && !failedSources {
            let grouping = Grouping(items: groupBy, scope: scope)
            for item in query.select {
                sink.columnIgnores = Set(item.ignore.map(\.value))
                grouping.checkCovered(item.expr, sink: sink)
                sink.columnIgnores = []
            }
            if let having = query.having { grouping.checkCovered(having, sink: sink) }
            fanout = FanoutRule(graph: graph, joins: joins, fixed: grouping.fixedColumns, sink: sink).check(aggregates, selectItems: query.select)
        }

        let keys: [[String]]
        let grain: GrainDerivation
        if failedSources {
            (keys, grain) = ([], .unresolvedSources)
        } else if isAggregate {
            (keys, grain) = Grain.groupedKeys(groupBy: groupBy, columns: columns, graph: graph, scope: scope)
        } else {
            (keys, grain) = Grain.joinKeys(columns: columns, graph: graph, joins: joins, scope: scope)
        }
        return CheckedQuery(relations: scope.relations, joins: joins, whereClause: whereClause, groupBy: groupBy, having: query.having,
                            columns: columns, keys: keys, grain: grain, isAggregate: isAggregate, sourceTables: sourceTables, clockRead: clockRead,
                            fanout: fanout)
    }

    private static func columnEqualities(_ bindings: [Binding], scope: Scope, condition: Expr?) -> [ColumnEquality] {
        guard let condition else { return [] }
        var result: [ColumnEquality] = []
        for conjunct in JoinGraph.conjuncts(condition) {
            guard case .binary(.equal, let a, let b) = conjunct.kind,
                  let left = JoinGraph.columnRef(a, scope: scope), let right = JoinGraph.columnRef(b, scope: scope) else { continue }
            result.append(ColumnEquality(left: left, right: right))
        }
        return result
    }

    /// A bare name that is not an input column but is an output column stands for that column's
    /// expression; a number stands for the output column at that position.
    private func resolveGroupItem(_ item: Expr, query: QuerySpec, scope: Scope) -> Expr {
        switch item.kind {
        case .column(let qualifiers, let name) where qualifiers.isEmpty:
            if case .notFound = scope.lookup(qualifier: nil, name: name.name),
               let output = query.select.first(where: { $0.name.value == name.name }) {
                return output.expr
            }
        case .literal(.number(let n)):
            if let position = Int(n), position >= 1, position <= query.select.count {
                return query.select[position - 1].expr
            }
            sink.error(.invalidValue, at: item.location, "GROUP BY position \(n) is not in the select list")
        default: break
        }
        return item
    }

    // MARK: - Sources

    struct MadeRelation {
        var relation: CheckedRelation
        var tables: Set<TableName>
        var parents: Set<Int>
        var clockRead: SourceLocation?
    }

    private func relation(for source: SourceSpec, scope: Scope) -> MadeRelation? {
        switch source.kind {
        case .named(let schema, let name):
            let alias = source.alias?.name ?? name.name
            func finish(_ made: MadeRelation) -> MadeRelation {
                var made = made
                made.relation.renamesColumns = !source.columnAliases.isEmpty
                return made
            }
            guard let resolved = environment.resolve(schema: schema?.name, name: name.name) else {
                let full = schema.map { "\($0.name).\(name.name)" } ?? name.name
                if let kind = environment.catalog.untypedRelations[TableName(schema: schema?.name ?? "public", name: name.name)] {
                    sink.error(.unknownTable, at: name.location, "'\(full)' is a \(kind.rawValue) in the schema files, whose columns matview does not know",
                               hint: "describe it as a view spec (specs/*.yaml), or read the tables it reads")
                    return nil
                }
                let known = environment.knownNames
                sink.error(.unknownTable, at: name.location, "no table, view spec or CTE named '\(full)'",
                           hint: Spelling.nearest(to: full, in: known).map { "did you mean '\($0)'?" } ?? "tables come from the schema files (specs/*.sql); views from specs/*.yaml")
                return nil
            }
            switch resolved {
            case .table(let table):
                let columns = table.columns.map {
                    RelationColumn(name: $0.name, type: $0.type, nullable: !$0.notNull, nullability: .tableColumn(table: table.name.name, notNull: $0.notNull),
                                   typeReason: .tableColumn(table: table.name.name, type: $0.type))
                }
                return finish(MadeRelation(relation: CheckedRelation(alias: alias, source: .table(table.name), columns: renamed(columns, source),
                                                              keys: table.keys, primaryKey: table.primaryKey, location: source.location),
                                    tables: [table.name], parents: [], clockRead: nil))
            case .cte(let cteName, let query):
                return finish(MadeRelation(relation: CheckedRelation(alias: alias, source: .cte(cteName), columns: renamed(query.relationColumns(source: cteName), source),
                                                              keys: query.keys, primaryKey: nil, location: source.location),
                                    tables: query.sourceTables, parents: [], clockRead: query.clockRead))
            case .view(let view):
                var keys = view.keys
                for index in view.indexes where index.unique && index.whereClause == nil {
                    let names = index.columns.map(\.name.name)
                    if !keys.contains(where: { Set($0) == Set(names) }) { keys.append(names) }
                }
                return finish(MadeRelation(relation: CheckedRelation(alias: alias, source: .view(view.name), columns: renamed(view.query.relationColumns(source: view.name), source),
                                                              keys: keys, primaryKey: nil, location: source.location),
                                    tables: Set(view.sourceTables), parents: [], clockRead: nil)) // reads stored rows
            }
        case .function(let call):
            var checker = ExpressionChecker(scope: scope, sink: sink, clause: .functionSource, grouped: false)
            var argumentTypes: [SQLType] = []
            var parents = Set<Int>()
            var clockRead: SourceLocation?
            var failed = false
            for argument in call.arguments {
                let typed = checker.check(argument)
                argumentTypes.append(typed.type)
                parents.formUnion(typed.relations)
                clockRead = earliest(clockRead, typed.clockRead)
                failed = failed || typed.isError
            }
            if failed { return nil }
            let overloads = BuiltinFunctions.overloads(named: call.name.name)
            guard !overloads.isEmpty else {
                sink.error(.unknownFunction, at: call.name.location, "function \(call.name.name) is not known to matview")
                return nil
            }
            guard overloads[0].kind == .setReturning else {
                sink.error(.typeMismatch, at: call.name.location, "\(call.name.name) does not return rows, so it cannot be a source",
                           hint: "use a set-returning function such as generate_series")
                return nil
            }
            guard let resolution = FunctionResolver.resolve(call.name.name, argumentTypes: argumentTypes) else {
                sink.error(.typeMismatch, at: source.location, "function \(call.name.name)(\(argumentTypes.map(\.description).joined(separator: ", "))) does not exist",
                           hint: "PostgreSQL has \(overloads.map(\.display).joined(separator: "; ")); add explicit casts to match one")
                return nil
            }
            let alias = source.alias?.name ?? call.name.name
            if source.columnAliases.count > 1 {
                sink.error(.invalidValue, at: source.columnAliases[1].location, "\(call.name.name) returns one column, but \(source.columnAliases.count) names are given")
            }
            let columnName = source.columnAliases.first?.name ?? alias
            let unique = call.name.name == "generate_series"
            let relation = CheckedRelation(alias: alias, source: .function(call),
                                           columns: [RelationColumn(name: columnName, type: resolution.resultType, nullable: false,
                                                                    nullability: .functionColumn(function: call.name.name),
                                                                    typeReason: .functionColumn(signature: resolution.signature.display, type: resolution.resultType))],
                                           keys: unique ? [[columnName]] : [], primaryKey: nil, location: source.location)
            return MadeRelation(relation: relation, tables: [], parents: parents, clockRead: clockRead)
        case .subquery(let query, let lateral):
            let nested = lateral ? check(query, outer: scope, outerVisible: scope.relations.count)
                                 : check(query, hiddenOuter: Set(scope.relations.map(\.alias)))
            let alias = source.alias?.name ?? "subquery"
            var parents = Set<Int>()
            if lateral {
                parents = QueryChecker.outerReferences(in: query, scope: scope)
            }
            let relation = CheckedRelation(alias: alias, source: .subquery(nested, lateral: lateral), columns: nested.relationColumns(source: "the nested query \(alias)"),
                                           keys: nested.keys, primaryKey: nil, location: source.location)
            return MadeRelation(relation: relation, tables: nested.sourceTables, parents: parents, clockRead: nested.clockRead)
        }
    }

    /// Applies column aliases (`AS x(a, b)`) to a named source's columns.
    private func renamed(_ columns: [RelationColumn], _ source: SourceSpec) -> [RelationColumn] {
        guard !source.columnAliases.isEmpty else { return columns }
        if source.columnAliases.count > columns.count {
            sink.error(.invalidValue, at: source.columnAliases[columns.count].location, "the source has \(columns.count) columns, but \(source.columnAliases.count) names are given")
        }
        var result = columns
        for (i, alias) in source.columnAliases.enumerated() where i < result.count { result[i].name = alias.name }
        return result
    }

    /// Relations of the enclosing query that a lateral nested query refers to (for its join parents).
    static func outerReferences(in query: QuerySpec, scope: Scope) -> Set<Int> {
        var aliases = Set<String>()
        func collect(_ expr: Expr?) {
            expr?.walk { node in
                if case .column(let qualifiers, _) = node.kind, let q = qualifiers.last { aliases.insert(q.name) }
            }
        }
        collect(query.whereClause)
        for join in query.joins { collect(join.condition) }
        for item in query.select { collect(item.expr) }
        var ownAliases = Set([query.from.referenceName].compactMap { $0 })
        for join in query.joins { if let n = join.source.referenceName { ownAliases.insert(n) } }
        var result = Set<Int>()
        for alias in aliases.subtracting(ownAliases) {
            if let index = scope.relations.lastIndex(where: { $0.alias == alias }) { result.insert(index) }
        }
        return result
    }
}

extension CheckedRelation {
    /// Every column NULL-able, for the side of an outer join that NULL-extended rows fill.
    mutating func makeNullable(_ reason: NullabilityReason) {
        for i in columns.indices {
            columns[i].nullable = true
            columns[i].nullability = reason
        }
    }

    /// How a join names this relation in a reason: `projects p`, or `p` for a nested query.
    var joinedName: String {
        let name: String
        switch source {
        case .table(let table): name = table.name
        case .cte(let cte), .view(let cte): name = cte
        case .function(let call): name = "\(call.name.name)(...)"
        case .subquery: return alias
        }
        return name == alias ? name : "\(name) \(alias)"
    }
}

extension CheckedQuery {
    /// The query's outputs as the columns of a relation that reads it; `source` names it in
    /// the columns' nullability and type reasons ("user_totals", "the nested query ut").
    func relationColumns(source: String) -> [RelationColumn] {
        columns.map {
            RelationColumn(name: $0.name, type: $0.type, nullable: $0.nullable,
                           nullability: .queryColumn(source: source, nullable: $0.nullable, because: $0.nullability),
                           typeReason: .queryColumn(source: source, type: $0.type, because: $0.typeReason))
        }
    }
}
