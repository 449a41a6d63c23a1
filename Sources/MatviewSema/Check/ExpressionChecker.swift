import MatviewQuoting
import MatviewSyntax

/// Infers types and nullability of expressions by PostgreSQL's rules, resolving names in a
/// `Scope` and reporting unknown names, type mismatches and misplaced aggregates.
struct ExpressionChecker {
    let scope: Scope
    let sink: DiagnosticSink
    let clause: Clause
    /// Whether the query has GROUP BY: an aggregate over a group never sees zero rows.
    let grouped: Bool
    private(set) var aggregates: [AggregateUse] = []
    private var insideAggregate = false

    init(scope: Scope, sink: DiagnosticSink, clause: Clause, grouped: Bool) {
        self.scope = scope
        self.sink = sink
        self.clause = clause
        self.grouped = grouped
    }

    mutating func check(_ expr: Expr) -> TypedExpr {
        switch expr.kind {
        case .column(let qualifiers, let name):
            return column(qualifiers: qualifiers, name: name, at: expr.location)
        case .star:
            sink.error(.expressionSyntax, at: expr.location, "* is only allowed in count(*)", hint: "name the columns you need")
            return .error
        case .literal(let literal):
            switch literal {
            case .number(let text): return TypedExpr(type: Self.numberType(text), nullable: false, nullability: .literal, typeReason: .literal(Self.numberType(text)))
            case .string: return TypedExpr(type: .unknown, nullable: false, nullability: .literal, typeReason: .literal(.unknown))
            case .boolean: return TypedExpr(type: .boolean, nullable: false, nullability: .literal, typeReason: .literal(.boolean))
            case .null: return TypedExpr(type: .null, nullable: true, nullability: .nullLiteral, typeReason: .nullLiteral)
            }
        case .typedLiteral(let type, _):
            return TypedExpr(type: SQLType(type), nullable: false, nullability: .literal, typeReason: .typedLiteral(SQLType(type)))
        case .cast(let inner, let type):
            var typed = check(inner)
            if !typed.isError { typed.type = SQLType(type); typed.typeReason = .cast(SQLType(type)) }
            return typed
        case .parenthesized(let inner):
            return check(inner)
        case .unary(let op, let operand):
            return unary(op, operand, at: expr.location)
        case .binary(let op, let left, let right):
            return binary(op, left, right, at: expr.operatorLocation ?? expr.location)
        case .isNull(let operand, _):
            return TypedExpr(type: .boolean, nullable: false, nullability: .test, typeReason: .condition("IS NULL")).absorbing(check(operand))
        case .isBoolean(let operand, _, _):
            let typed = check(operand)
            requireBoolean(typed, at: operand.location, "IS TRUE/FALSE")
            return TypedExpr(type: .boolean, nullable: false, nullability: .test, typeReason: .condition("IS TRUE/FALSE")).absorbing(typed)
        case .isDistinctFrom(let a, let b, _):
            let left = check(a)
            let right = check(b)
            compare(left, right, op: "IS DISTINCT FROM", at: b.location)
            return TypedExpr(type: .boolean, nullable: false, nullability: .test, typeReason: .condition("IS DISTINCT FROM")).absorbing(left).absorbing(right)
        case .inList(let operand, let items, _):
            let typed = check(operand)
            var types = [typed.type]
            var result = TypedExpr(type: .boolean, nullable: typed.nullable, nullability: typed.nullability, typeReason: .condition("IN"))
            result.absorb(typed)
            var operands = [(typed.nullable, typed.nullability)]
            for item in items {
                let t = check(item)
                result.absorb(t)
                result.nullable = result.nullable || t.nullable
                operands.append((t.nullable, t.nullability))
                types.append(t.type)
            }
            result.nullability = .strict(operands)
            if !types.contains(TypedExpr.errorType), SQLType.common(types) == nil {
                sink.error(.typeMismatch, at: expr.location, "IN list mixes types that cannot be compared: \(types.map(\.description).uniqued.joined(separator: ", "))")
            }
            return result
        case .between(let operand, let low, let high, _):
            let typed = check(operand), lowTyped = check(low), highTyped = check(high)
            compare(typed, lowTyped, op: "BETWEEN", at: low.location)
            compare(typed, highTyped, op: "BETWEEN", at: high.location)
            var result = TypedExpr(type: .boolean, nullable: typed.nullable || lowTyped.nullable || highTyped.nullable,
                                   nullability: .strict([typed, lowTyped, highTyped].map { ($0.nullable, $0.nullability) }), typeReason: .condition("BETWEEN"))
            result.absorb(typed); result.absorb(lowTyped); result.absorb(highTyped)
            return result
        case .like(let operand, let pattern, let insensitive, _):
            let typed = check(operand), patternTyped = check(pattern)
            for (t, e) in [(typed, operand), (patternTyped, pattern)] where !t.isError && !(t.type == .text || t.type.isUntyped) {
                sink.error(.typeMismatch, at: e.location, "\(insensitive ? "ILIKE" : "LIKE") needs text, but this is \(t.type)", hint: "cast it with ::text")
            }
            var result = TypedExpr(type: .boolean, nullable: typed.nullable || patternTyped.nullable,
                                   nullability: .strict([typed, patternTyped].map { ($0.nullable, $0.nullability) }), typeReason: .condition(insensitive ? "ILIKE" : "LIKE"))
            result.absorb(typed); result.absorb(patternTyped)
            return result
        case .caseWhen(let operand, let whens, let otherwise):
            return caseWhen(operand: operand, whens: whens, otherwise: otherwise, at: expr.location)
        case .function(let call):
            return function(call, at: expr.location)
        case .extract(let field, let source):
            var typed = check(source)
            if !typed.isError && !(typed.type.isDateTime || typed.type == .interval || typed.type == .time || typed.type == .timetz || typed.type.isUntyped) {
                sink.error(.typeMismatch, at: source.location, "EXTRACT(\(field) FROM ...) needs a date, time, timestamp or interval, but this is \(typed.type)")
            }
            if !typed.isError { typed.typeReason = .extract }
            typed.type = .numeric
            return typed
        case .special(let value):
            switch value {
            case .currentDate: return TypedExpr(type: .date, nullable: false, nullability: .neverNull("CURRENT_DATE"), typeReason: .keyword("CURRENT_DATE", type: .date), clockRead: expr.location)
            case .currentTimestamp: return TypedExpr(type: .timestamptz, nullable: false, nullability: .neverNull("CURRENT_TIMESTAMP"), typeReason: .keyword("CURRENT_TIMESTAMP", type: .timestamptz), clockRead: expr.location)
            case .currentTime: return TypedExpr(type: .timetz, nullable: false, nullability: .neverNull("CURRENT_TIME"), typeReason: .keyword("CURRENT_TIME", type: .timetz), clockRead: expr.location)
            case .localTimestamp: return TypedExpr(type: .timestamp, nullable: false, nullability: .neverNull("LOCALTIMESTAMP"), typeReason: .keyword("LOCALTIMESTAMP", type: .timestamp), clockRead: expr.location)
            case .localTime: return TypedExpr(type: .time, nullable: false, nullability: .neverNull("LOCALTIME"), typeReason: .keyword("LOCALTIME", type: .time), clockRead: expr.location)
            case .currentUser: return TypedExpr(type: .text, nullable: false, nullability: .neverNull("CURRENT_USER"), typeReason: .keyword("CURRENT_USER", type: .text))
            case .sessionUser: return TypedExpr(type: .text, nullable: false, nullability: .neverNull("SESSION_USER"), typeReason: .keyword("SESSION_USER", type: .text))
            }
        }
    }

    static func numberType(_ text: String) -> SQLType {
        let digits = ScalarText.replacing("_", with: "", in: text)
        if digits.contains(".") || digits.contains("e") || digits.contains("E") { return .numeric }
        if Int32(digits) != nil { return .integer }
        if Int64(digits) != nil { return .bigint }
        return .numeric
    }

    // MARK: - Names

    private func column(qualifiers: [Identifier], name: Identifier, at location: SourceLocation) -> TypedExpr {
        let qualifier = qualifiers.last?.name
        switch scope.lookup(qualifier: qualifier, name: name.name) {
        case .found(let resolution):
            let shown = qualifier.map { "\($0).\(name.name)" } ?? name.name
            var typed = TypedExpr(type: resolution.column.type, nullable: resolution.column.nullable,
                                  nullability: .reference(shown, because: resolution.column.nullability),
                                  typeReason: .reference(shown, because: resolution.column.typeReason))
            if resolution.depth == 0 { typed.relations = [resolution.relation] } else if resolution.depth == 1 { typed.outerRelations = [resolution.relation] }
            return typed
        case .ambiguous(let aliases):
            sink.error(.ambiguousColumn, at: location, "column reference '\(name.name)' is ambiguous: it is in \(aliases.joined(separator: " and "))",
                       hint: "qualify it, e.g. \(aliases[0]).\(name.name)")
        case .noRelation(let q):
            sink.error(.unknownTable, at: qualifiers.last?.location ?? location, "no source named '\(q)' in this query",
                       hint: scope.hint(forMissing: q))
        case .noColumn(let relation, let candidates):
            sink.error(.unknownColumn, at: name.location, "'\(relation)' has no column '\(name.name)'",
                       hint: Spelling.nearest(to: name.name, in: candidates).map { "did you mean '\(relation).\($0)'?" })
        case .notFound(let candidates):
            let short = candidates.map { String($0.split(separator: ".").last ?? "") }
            let suggestion = Spelling.nearest(to: name.name, in: short).flatMap { s in candidates.first { $0.hasSuffix("." + s) } }
            sink.error(.unknownColumn, at: name.location, "no column named '\(name.name)' in this query",
                       hint: suggestion.map { "did you mean '\($0)'?" })
        }
        return .error
    }

    // MARK: - Operators

    private mutating func unary(_ op: UnaryOperator, _ operand: Expr, at location: SourceLocation) -> TypedExpr {
        var typed = check(operand)
        if typed.isError { return typed }
        switch op {
        case .not:
            requireBoolean(typed, at: operand.location, "NOT")
            typed.type = .boolean
            typed.typeReason = .condition("NOT")
        case .negate, .plus:
            guard let result = OperatorTyping.negate(typed.type) else {
                sink.error(.typeMismatch, at: location, "operator does not exist: \(op.rawValue)\(typed.type)")
                return .error
            }
            typed.typeReason = .unaryOperator(op: op.rawValue, operand: typed.type, result: result)
            typed.type = result
        }
        return typed
    }

    private mutating func binary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, at location: SourceLocation) -> TypedExpr {
        let l = check(left), r = check(right)
        var result = TypedExpr(type: .boolean, nullable: l.nullable || r.nullable,
                               nullability: .strict([l, r].map { ($0.nullable, $0.nullability) }),
                               typeReason: .condition(op == .and || op == .or ? op.rawValue : "a comparison (\(op.rawValue))"))
        result.absorb(l); result.absorb(r)
        if l.isError || r.isError {
            result.type = op == .and || op == .or || op.isComparison ? .boolean : TypedExpr.errorType
            if result.isError { result.typeReason = .error }
            return result
        }
        switch op {
        case .and, .or:
            requireBoolean(l, at: left.location, op.rawValue)
            requireBoolean(r, at: right.location, op.rawValue)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            compare(l, r, op: op.rawValue, at: location)
        case .concat:
            guard let type = OperatorTyping.concat(l.type, r.type) else {
                sink.error(.typeMismatch, at: location, "operator does not exist: \(l.type) || \(r.type)", hint: "cast one side to text")
                result.type = TypedExpr.errorType
                result.typeReason = .error
                return result
            }
            result.type = type
            result.typeReason = .binaryOperator(left: l.type, op: op.rawValue, right: r.type, result: type)
        case .add, .subtract, .multiply, .divide, .modulo, .power:
            guard let type = OperatorTyping.arithmetic(op, l.type, r.type) else {
                sink.error(.typeMismatch, at: location, "operator does not exist: \(l.type) \(op.rawValue) \(r.type)",
                           hint: "PostgreSQL has no \(op.rawValue) for these types; cast one side explicitly")
                result.type = TypedExpr.errorType
                result.typeReason = .error
                return result
            }
            result.type = type
            result.typeReason = .binaryOperator(left: l.type, op: op.rawValue, right: r.type, result: type)
        }
        return result
    }

    private func compare(_ l: TypedExpr, _ r: TypedExpr, op: String, at location: SourceLocation) {
        guard !l.isError, !r.isError else { return }
        if !l.type.isComparable(with: r.type) {
            sink.error(.typeMismatch, at: location, "operator does not exist: \(l.type) \(op) \(r.type)",
                       hint: "the two sides must have comparable types; cast one of them")
        }
    }

    private func requireBoolean(_ typed: TypedExpr, at location: SourceLocation, _ context: String) {
        guard !typed.isError, typed.type != .boolean, !typed.type.isUntyped else { return }
        sink.error(.typeMismatch, at: location, "argument of \(context) must be boolean, not \(typed.type)")
    }

    /// Requires a condition (WHERE, ON, HAVING, FILTER) to be boolean.
    func requireCondition(_ typed: TypedExpr, at location: SourceLocation, _ context: String) {
        requireBoolean(typed, at: location, context)
    }

    private mutating func caseWhen(operand: Expr?, whens: [WhenClause], otherwise: Expr?, at location: SourceLocation) -> TypedExpr {
        var result = TypedExpr(type: .null, nullable: otherwise == nil, nullability: otherwise == nil ? .caseWithoutElse : .everyBranchNotNull,
                               typeReason: .error)
        let operandTyped = operand.map { check($0) }
        if let operandTyped { result.absorb(operandTyped) }
        var resultTypes: [(SQLType, SourceLocation)] = []
        for when in whens {
            let condition = check(when.condition)
            result.absorb(condition)
            if let operandTyped { compare(operandTyped, condition, op: "=", at: when.condition.location) }
            else { requireBoolean(condition, at: when.condition.location, "CASE WHEN") }
            let value = check(when.result)
            result.absorb(value)
            if value.nullable && !result.nullable { result.nullability = .caseBranch(because: value.nullability) }
            result.nullable = result.nullable || value.nullable
            resultTypes.append((value.type, when.result.location))
        }
        if let otherwise {
            let value = check(otherwise)
            result.absorb(value)
            if value.nullable && !result.nullable { result.nullability = .caseBranch(because: value.nullability) }
            result.nullable = result.nullable || value.nullable
            resultTypes.append((value.type, otherwise.location))
        }
        let types = resultTypes.map(\.0)
        if types.contains(TypedExpr.errorType) { result.type = TypedExpr.errorType; return result }
        guard let common = SQLType.common(types) else {
            let first = resultTypes[0].0
            let clash = resultTypes.first { !$0.0.isUntyped && !$0.0.implicitlyCasts(to: first) && !first.implicitlyCasts(to: $0.0) } ?? resultTypes[0]
            sink.error(.typeMismatch, at: clash.1, "CASE types \(first) and \(clash.0) cannot be matched", hint: "make every branch the same type")
            result.type = TypedExpr.errorType
            return result
        }
        result.type = common == .null ? .text : common
        result.typeReason = .commonBranchType(branches: types, result: result.type)
        return result
    }

    // MARK: - Functions

    private mutating func function(_ call: FunctionCall, at location: SourceLocation) -> TypedExpr {
        let name = call.name.name
        let overloads = BuiltinFunctions.overloads(named: name)
        guard let first = overloads.first else {
            for argument in call.arguments { _ = check(argument) }
            sink.error(.unknownFunction, at: call.name.location, "function \(name) is not known to matview",
                       hint: Spelling.nearest(to: name, in: BuiltinFunctions.names).map { "did you mean \($0)()?" } ?? "matview knows PostgreSQL's built-in functions listed in the README")
            return .error
        }
        let isAggregate = first.kind == .aggregate
        if first.kind == .setReturning {
            sink.error(.typeMismatch, at: location, "set-returning function \(name) is not allowed in \(clause.rawValue)",
                       hint: "use it as a source: `from: \(name)(...) as alias(column)`")
        }
        if isAggregate {
            if insideAggregate {
                sink.error(.nestedAggregate, at: location, "aggregate function calls cannot be nested", hint: "aggregate in a nested query first, then aggregate its result")
            } else if !clause.allowsAggregates {
                sink.error(.aggregateInWhere, at: location, "aggregate functions are not allowed in \(clause.rawValue)",
                           hint: clause == .whereClause ? "filter on aggregates in `having:`" : nil)
            }
        } else {
            if call.distinct { sink.error(.expressionSyntax, at: location, "DISTINCT is only allowed in aggregate functions, not \(name)") }
            if call.filter != nil { sink.error(.expressionSyntax, at: location, "FILTER is only allowed in aggregate functions, not \(name)") }
        }
        if call.star && name != "count" {
            sink.error(.expressionSyntax, at: location, "\(name)(*) is not valid; only count(*) takes *")
            return .error
        }

        let wasInside = insideAggregate
        if isAggregate { insideAggregate = true }
        var typedArguments: [TypedExpr] = []
        for argument in call.arguments { typedArguments.append(check(argument)) }
        for item in call.orderBy { _ = check(item.expr) }
        var filterTyped: TypedExpr?
        if let filter = call.filter {
            let typed = check(filter)
            requireBoolean(typed, at: filter.location, "FILTER")
            filterTyped = typed
        }
        insideAggregate = wasInside

        var result = TypedExpr(type: .null, nullable: false, nullability: .operandsNotNull, typeReason: .error)
        for t in typedArguments { result.absorb(t) }
        if let filterTyped { result.absorb(filterTyped) }
        if typedArguments.contains(where: \.isError) { result.type = TypedExpr.errorType; result.nullable = true; result.nullability = .error; return result }

        guard let resolution = FunctionResolver.resolve(name, argumentTypes: typedArguments.map(\.type)) else {
            let signature = "\(name)(\(call.star ? "*" : typedArguments.map(\.type.description).joined(separator: ", ")))"
            sink.error(.typeMismatch, at: location, "function \(signature) does not exist",
                       hint: "PostgreSQL has \(overloads.prefix(6).map(\.display).joined(separator: "; "))\(overloads.count > 6 ? "; ..." : ""); add explicit casts to match one")
            result.type = TypedExpr.errorType
            result.nullable = true
            result.nullability = .error
            return result
        }
        let signature = resolution.signature
        result.type = resolution.resultType
        result.typeReason = Self.typeReason(of: call, signature, arguments: typedArguments.map(\.type), result: resolution.resultType)
        if signature.timeDependent { result.clockRead = earliest(location, result.clockRead) }
        switch signature.nulls {
        case .strict: result.nullable = typedArguments.contains { $0.nullable }
        case .neverNull: result.nullable = false
        case .nullWhenAllNull: result.nullable = typedArguments.allSatisfy { $0.nullable }
        case .mayBeNull: result.nullable = true
        }
        result.nullability = Self.nullability(of: call, signature.nulls, typedArguments)
        if name == "jsonb_build_object" || name == "json_build_object", call.arguments.count % 2 == 0 {
            var fields: [JSONField] = []
            for pair in stride(from: 0, to: call.arguments.count, by: 2) {
                guard case .literal(.string(let key)) = call.arguments[pair].unparenthesized.kind else { fields = []; break }
                let value = typedArguments[pair + 1]
                fields.append(JSONField(key: key, type: value.type, nullable: value.nullable))
            }
            if fields.count * 2 == call.arguments.count && !fields.isEmpty { result.jsonFields = fields }
        }
        if isAggregate {
            if signature.nulls != .neverNull {
                // Over no rows (no GROUP BY, or a FILTER that matches none) these aggregates are NULL.
                result.nullable = result.nullable || !grouped || call.filter != nil
                result.nullability = !grouped ? .aggregateWithoutGroupBy(function: name)
                    : call.filter != nil ? .aggregateFilter(function: name)
                    : result.nullable ? .aggregateInput(function: name, because: result.nullability)
                    : .aggregateOverGroup(function: name)
            }
            result.containsAggregate = true
            if !wasInside {
                var relations = Set<Int>()
                for t in typedArguments { relations.formUnion(t.relations) }
                aggregates.append(AggregateUse(call: call, location: location, relations: relations))
            }
        }
        return result
    }
}

extension ExpressionChecker {
    /// Why a call to a function with this NULL behaviour is nullable or not, from its arguments
    /// (the same cases as the nullability computed beside it in `function`).
    static func nullability(of call: FunctionCall, _ nulls: FunctionSignature.NullBehaviour, _ arguments: [TypedExpr]) -> NullabilityReason {
        let name = call.name.name
        switch nulls {
        case .strict:
            return .strict(arguments.map { ($0.nullable, $0.nullability) })
        case .neverNull:
            return .neverNull(call.star ? "\(name)(*)" : "\(name)(...)")
        case .nullWhenAllNull:
            guard let index = arguments.firstIndex(where: { !$0.nullable }) else {
                return arguments.first.map { .everyArgumentNullable(function: name, first: $0.nullability) } ?? .operandsNotNull
            }
            return .notNullArgument(function: name, argument: SQLPrinter.print(call.arguments[index]), isLast: index == arguments.count - 1,
                                    because: arguments[index].nullability)
        case .mayBeNull:
            return .mayBeNull(function: name)
        }
    }
}

extension ExpressionChecker {
    /// Why a call has the type its matched overload gives it: a fixed result type names the
    /// overload (`sum(integer)`); an `anyelement` result is the common type of the arguments.
    static func typeReason(of call: FunctionCall, _ signature: FunctionSignature, arguments: [SQLType], result: SQLType) -> TypeReason {
        switch signature.result {
        case .type:
            // `"any"` parameters (count, jsonb_build_object) say nothing about the type; `...` reads better.
            let takesAnything = signature.parameters.contains(.any)
            return .function(signature: call.star ? "\(signature.name)(*)" : takesAnything ? "\(signature.name)(...)" : signature.display, result: result)
        case .anyElement:
            return .commonArgumentType(function: signature.name, arguments: arguments, result: result)
        case .arrayOfAnyElement:
            return .arrayOfArgumentType(function: signature.name, result: result)
        }
    }
}

extension TypedExpr {
    /// A copy with `other`'s references and flags absorbed (for wrapper expressions).
    func absorbing(_ other: TypedExpr) -> TypedExpr {
        var copy = self
        copy.absorb(other)
        return copy
    }
}

extension Array where Element: Hashable {
    var uniqued: [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
