import MatviewSyntax

/// Finds the source table of an incremental view whose changed rows can be applied as a
/// difference (see DeltaSource), and how each output column follows them. Anything it cannot
/// prove leaves the table to the recompute of whole groups, which is always correct: this only
/// ever makes a write cheaper.
///
/// The shape it proves: one query block (no CTE, no nested query, only tables), grouped, no
/// HAVING; the table is the last join, a LEFT JOIN whose condition is equalities between its
/// columns and the other relations' plus filters on its own columns; it appears nowhere else,
/// and WHERE and GROUP BY do not read it. It has a primary key.
struct DeltaAnalysis {
    let view: CheckedView
    let catalog: Catalog

    /// Aggregates that give the same value over any number of copies of the same rows.
    private static let idempotent: Set<String> = ["min", "max", "bool_and", "bool_or", "every", "bit_and", "bit_or"]
    /// Aggregates whose value depends only on the multiset of their inputs (not their order).
    private static let multisetDetermined: Set<String> = [
        "count", "sum", "avg", "min", "max", "bool_and", "bool_or", "every", "bit_and", "bit_or",
        "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp",
    ]
    /// Types whose `max`/`min` agree with `>=`/`<=`, `greatest` and `least` (no collation).
    static let ordered: Set<SQLType> = [.smallint, .integer, .bigint, .numeric, .real, .double, .date, .timestamp, .timestamptz, .time, .interval]

    func source() -> DeltaSource? {
        let query = view.query
        guard view.ctes.isEmpty, query.isAggregate, !query.groupBy.isEmpty, query.having == nil,
              let joinIndex = query.joins.indices.last, query.joins[joinIndex].kind == .left,
              let condition = query.joins[joinIndex].condition else { return nil }
        let index = query.joins[joinIndex].relation
        let relation = query.relations[index]
        guard case .table(let table) = relation.source, !relation.renamesColumns,
              let definition = catalog.table(table), let primaryKey = definition.primaryKey, !primaryKey.isEmpty else { return nil }
        // The difference statement names its own columns matview_...; a column of a source or
        // of the view with such a name could be taken for one of them.
        let names = query.relations.flatMap { $0.columns.map(\.name) } + query.columns.map(\.name)
        guard !names.contains(where: { $0.hasPrefix("matview_") }) else { return nil }
        for (i, other) in query.relations.enumerated() where i != index {
            // Another view or nested query could read the table too, and change with it.
            guard case .table(let name) = other.source, name != table else { return nil }
        }
        let reads = Reads(alias: relation.alias, columns: Set(relation.columns.map(\.name)))
        var matches: [DeltaMatch] = [], filters: [Expr] = []
        for conjunct in EqualityClasses.conjuncts(condition) {
            if case .binary(.equal, let a, let b) = conjunct.kind {
                if let column = reads.ownColumn(a), !reads.reads(b) { matches.append(DeltaMatch(column: column, other: b)); continue }
                if let column = reads.ownColumn(b), !reads.reads(a) { matches.append(DeltaMatch(column: column, other: a)); continue }
            }
            guard reads.readsOnlyOwn(conjunct) else { return nil }
            filters.append(conjunct)
        }
        guard !matches.isEmpty else { return nil }
        if let whereClause = query.whereClause, reads.reads(whereClause) { return nil }
        if query.groupBy.contains(where: reads.reads) { return nil }
        let once = meetsOneRow(query, delta: index, matches: matches)
        var outputs: [DeltaOutput] = []
        for column in query.columns {
            guard var output = classify(column.expr, type: column.type, reads: reads, primaryKey: primaryKey, table: definition) else { return nil }
            // Without fan-out each key is one joined row: counting rows is counting keys, no sort.
            if once, case .countDistinctKey(let key, let filter) = output {
                output = .count(argument: .column(relation.alias, key, at: column.expr.location), filter: filter)
            }
            outputs.append(output)
        }
        let read = ColumnsRead(view, catalog: catalog).tables[table, default: []]
            .union(primaryKey).union(matches.map(\.column))
        let columns = definition.columns.filter { read.contains($0.name) }.map { DeltaColumnType(name: $0.name, type: $0.type) }
        let offRows = filters.isEmpty && query.whereClause == nil && once && Self.joinsOnEqualitiesAlone(query)
            && outputs.allSatisfy { Self.readOffRows($0, reads: reads) }
        return DeltaSource(table: table, alias: relation.alias, join: joinIndex, matches: matches, filters: filters,
                           primaryKey: primaryKey, columns: columns, outputs: outputs, readOffRows: offRows)
    }

    /// Every join a LEFT JOIN whose condition is column equalities alone: a row of the other
    /// relations is in the group its key says whatever else it joins, so a changed row that the
    /// key path maps to a group is in that group, and one it maps nowhere is in none.
    static func joinsOnEqualitiesAlone(_ query: CheckedQuery) -> Bool {
        query.joins.allSatisfy { join in
            guard join.kind == .left, let condition = join.condition else { return false }
            return EqualityClasses.conjuncts(condition).allSatisfy { conjunct in
                guard case .binary(.equal, let a, let b) = conjunct.kind,
                      case .column = a.unparenthesized.kind, case .column = b.unparenthesized.kind else { return false }
                return true
            }
        }
    }

    /// Whether the column's difference reads only the changed rows' own columns and a padding
    /// row adds nothing to it (see DeltaSource.readOffRows).
    static func readOffRows(_ output: DeltaOutput, reads: Reads) -> Bool {
        func own(_ e: Expr?) -> Bool { e.map(reads.readsOnlyOwn) ?? true }
        func leftOut(_ filter: Expr?) -> Bool { filter.map(PaddingValue.isNotTrue) ?? false }
        switch output {
        case .unchanged:
            return true
        case .count(let argument, let filter):
            return own(argument) && own(filter) && ((argument.map(PaddingValue.isNull) ?? false) || leftOut(filter))
        case .countDistinctKey(_, let filter):
            return own(filter)
        case .sum(let argument, let filter, _, _):
            return own(argument) && own(filter) && (PaddingValue.isNullOrZero(argument) || leftOut(filter))
        case .extreme(_, let argument, let filter, let held):
            let part = DeltaOutput.ownPart(of: argument, held: held)
            return own(part) && own(filter) && (PaddingValue.isNull(part) || leftOut(filter))
        case .average(let argument, let filter, _):
            return own(argument) && own(filter) && (PaddingValue.isNull(argument) || leftOut(filter))
        case .other(let calls, let multisetDetermined):
            return multisetDetermined && calls.allSatisfy { call in
                !call.star && !call.arguments.isEmpty && call.arguments.allSatisfy(own) && own(call.filter)
                    && (call.arguments.contains(where: PaddingValue.isNull) || leftOut(call.filter))
            }
        }
    }

    /// Whether each row of the delta table meets at most one row of the other relations: its
    /// join values are a unique key of one relation, and from there every other relation is
    /// reached by an equality on a unique key of its own (to-one, whichever way it was joined).
    private func meetsOneRow(_ query: CheckedQuery, delta: Int, matches: [DeltaMatch]) -> Bool {
        let classes = EqualityClasses(query)
        let refs = matches.map { classes.resolve($0.other) }
        guard let first = refs.first??.relation, refs.allSatisfy({ $0?.relation == first }) else { return false }
        let matched = Set(refs.compactMap { $0?.column })
        func hasKey(_ relation: Int, within columns: Set<String>) -> Bool {
            query.relations[relation].keys.contains { !$0.isEmpty && Set($0).isSubset(of: columns) }
        }
        guard hasKey(first, within: matched) else { return false }
        let equalities = query.joins.filter { $0.relation != delta }.flatMap(\.equalities)
        var known: Set<Int> = [first]
        var grew = true
        while grew {
            grew = false
            for relation in query.relations.indices where relation != delta && !known.contains(relation) {
                let bound = Set(equalities.compactMap { e -> String? in
                    if e.left.relation == relation && known.contains(e.right.relation) { return e.left.column }
                    if e.right.relation == relation && known.contains(e.left.relation) { return e.right.column }
                    return nil
                })
                if hasKey(relation, within: bound) { known.insert(relation); grew = true }
            }
        }
        return known.count == query.relations.count - 1
    }

    /// nil when the column reads the table outside an aggregate, or calls a function matview
    /// does not know (it could be an aggregate).
    private func classify(_ expr: Expr, type: SQLType, reads: Reads, primaryKey: [String], table: CatalogTable) -> DeltaOutput? {
        guard Self.knowsEveryFunction(expr) else { return nil }
        var calls: [FunctionCall] = []
        expr.walk { node in
            guard case .function(let call) = node.kind,
                  BuiltinFunctions.overloads(named: call.name.name).contains(where: { $0.kind == .aggregate }) else { return }
            calls.append(call)
        }
        if calls.isEmpty { return reads.reads(expr) ? nil : .unchanged }
        if calls.allSatisfy({ invariant($0, reads) }) { return .unchanged }
        guard case .function(let call) = expr.unparenthesized.kind, call.orderBy.isEmpty else {
            return .other(aggregates: calls, multisetDetermined: calls.allSatisfy { Self.multisetDetermined.contains($0.name.name) })
        }
        let name = call.name.name
        let argument = call.arguments.count == 1 ? call.arguments[0] : nil
        switch name {
        case "count" where call.star:
            return .count(argument: nil, filter: call.filter)
        case "count" where call.distinct:
            if let argument, primaryKey.count == 1, reads.ownColumn(argument) == primaryKey[0] {
                return .countDistinctKey(column: primaryKey[0], filter: call.filter)
            }
        case "count":
            if let argument { return .count(argument: argument, filter: call.filter) }
        case "sum" where !call.distinct && (type == .bigint || type == .numeric):
            if let argument {
                return .sum(argument: argument, filter: call.filter, neverNull: call.filter == nil && Self.neverNull(argument), nonFinite: type == .numeric)
            }
        case "avg" where !call.distinct && type == .numeric:
            if let argument, let nonFinite = Self.oneScale(argument, reads: reads, table: table) {
                return .average(argument: argument, filter: call.filter, nonFinite: nonFinite)
            }
        // (A `where` binds to the last pattern of a case only: each pattern needs its own.)
        case "max" where Self.ordered.contains(type), "min" where Self.ordered.contains(type):
            if let argument {
                return .extreme(greatest: name == "max", argument: argument, filter: call.filter,
                                held: call.filter == nil ? Self.heldPart(of: argument, greatest: name == "max", reads: reads) : [])
            }
        default:
            break
        }
        return .other(aggregates: [call], multisetDetermined: Self.multisetDetermined.contains(name))
    }

    /// The `extract` fields whose numeric value PostgreSQL 15 builds at one scale.
    private static let fixedScaleFields: Set<String> = [
        "epoch", "second", "milliseconds", "microseconds", "minute", "hour", "day", "week", "month", "quarter",
        "year", "decade", "century", "millennium", "dow", "isodow", "doy", "isoyear", "timezone", "timezone_hour", "timezone_minute",
    ]

    /// Whether every value of `avg`'s argument has one numeric scale, so that the sum of any of
    /// them has it too and sum / count is the average byte for byte (for inputs of several
    /// scales, a sum moved by the difference could keep a scale the rows left no longer have,
    /// and numeric division rounds to a scale that depends on it). Nil when not known; else
    /// whether a value can be NaN or infinite. The table's own integer columns, and `extract` of
    /// a field PostgreSQL builds at a fixed scale (epoch and seconds to the microsecond, days
    /// whole; not `julian`, a quotient whose scale depends on its value).
    static func oneScale(_ argument: Expr, reads: Reads, table: CatalogTable) -> Bool? {
        if case .extract(let field, _) = argument.unparenthesized.kind {
            return fixedScaleFields.contains(field.lowercased()) ? true : nil
        }
        if let name = reads.ownColumn(argument), let column = table.columns.first(where: { $0.name == name }),
           [SQLType.smallint, .integer, .bigint].contains(column.type) {
            return false
        }
        return nil
    }

    /// Whether every function the expression calls is one matview knows and returns one value
    /// (an unknown one could be an aggregate).
    static func knowsEveryFunction(_ expr: Expr) -> Bool {
        var known = true
        expr.walk { node in
            guard case .function(let call) = node.kind else { return }
            let overloads = BuiltinFunctions.overloads(named: call.name.name)
            if overloads.isEmpty || overloads.contains(where: { $0.kind == .setReturning }) { known = false }
        }
        return known
    }

    /// For `greatest(...)` under max (`least(...)` under min), the arguments that read none of
    /// the table's columns, when some do and some do not; empty otherwise (see DeltaOutput).
    static func heldPart(of argument: Expr, greatest: Bool, reads: Reads) -> [Expr] {
        guard case .function(let call) = argument.unparenthesized.kind, call.name.name == DeltaOutput.pairwise(greatest: greatest),
              !call.star, !call.distinct, call.orderBy.isEmpty, call.filter == nil else { return [] }
        let held = call.arguments.filter { !reads.reads($0) }
        return held.isEmpty || held.count == call.arguments.count ? [] : held
    }

    /// An aggregate the table's changes cannot move: it reads none of the table's columns and is
    /// the same over more copies of the other relations' rows.
    private func invariant(_ call: FunctionCall, _ reads: Reads) -> Bool {
        guard !call.star else { return false }
        let inputs = call.arguments + call.orderBy.map(\.expr) + (call.filter.map { [$0] } ?? [])
        return !inputs.contains(where: reads.reads) && (call.distinct || Self.idempotent.contains(call.name.name))
    }

    /// Whether the expression is non-NULL on every row, padding rows included: constants and
    /// what is built of them (CASE with an ELSE, COALESCE with a non-NULL argument).
    static func neverNull(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal(let literal): return literal != .null
        case .typedLiteral: return true
        case .parenthesized(let e), .cast(let e, _), .unary(.negate, let e), .unary(.plus, let e): return neverNull(e)
        case .binary(let op, let a, let b) where op == .add || op == .subtract || op == .multiply: return neverNull(a) && neverNull(b)
        case .caseWhen(_, let whens, let otherwise):
            guard let otherwise else { return false }
            return neverNull(otherwise) && whens.allSatisfy { neverNull($0.result) }
        case .function(let call) where call.name.name == "coalesce": return call.arguments.contains(where: neverNull)
        default: return false
        }
    }

    /// Which column references are the delta table's. An unqualified name the table has counts
    /// as the table's (it may be), so every decision errs towards recomputing.
    struct Reads {
        let alias: String
        let columns: Set<String>

        /// The column, when the expression is `alias.column` (qualified: it is used in SQL the
        /// emitter writes around other tables).
        func ownColumn(_ expr: Expr) -> String? {
            guard case .column(let qualifiers, let name) = expr.unparenthesized.kind,
                  qualifiers.count == 1, qualifiers[0].name == alias, columns.contains(name.name) else { return nil }
            return name.name
        }

        func reads(_ expr: Expr) -> Bool {
            columnsRead(expr).map { !$0.isEmpty } ?? true
        }

        /// The table's columns the expression reads (an unqualified name the table has counts);
        /// nil when it reads them all (`*`). `count(*)` reads rows, not columns.
        func columnsRead(_ expr: Expr) -> Set<String>? {
            var columns: Set<String> = []
            var all = false
            expr.walk { node in
                switch node.kind {
                case .column(let qualifiers, let name):
                    if qualifiers.last.map({ $0.name == alias }) ?? self.columns.contains(name.name) { columns.insert(name.name) }
                case .star(let qualifier):
                    all = all || qualifier == nil || qualifier?.name == alias
                default:
                    break
                }
            }
            return all ? nil : columns
        }

        /// Whether every column the expression reads is `alias.column`.
        func readsOnlyOwn(_ expr: Expr) -> Bool {
            var ok = true
            expr.walk { node in
                switch node.kind {
                case .column: ok = ok && ownColumn(node) != nil
                case .star: ok = false
                default: break
                }
            }
            return ok
        }
    }
}
