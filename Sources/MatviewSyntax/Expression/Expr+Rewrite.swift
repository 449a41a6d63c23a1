extension Expr {
    /// A copy with nodes replaced, top down: where `replace` returns an expression it takes the
    /// node's place (and is not visited further); elsewhere the node is kept with its children
    /// rewritten. Incremental maintenance uses it to move an expression onto other aliases.
    public func rewritten(_ replace: (Expr) -> Expr?) -> Expr {
        if let replacement = replace(self) { return replacement }
        func r(_ e: Expr) -> Expr { e.rewritten(replace) }
        var copy = self
        switch kind {
        case .column, .star, .literal, .typedLiteral, .special: return self
        case .cast(let e, let type): copy.kind = .cast(r(e), type)
        case .unary(let op, let e): copy.kind = .unary(op, r(e))
        case .binary(let op, let a, let b): copy.kind = .binary(op, r(a), r(b))
        case .isNull(let e, let negated): copy.kind = .isNull(r(e), negated: negated)
        case .isBoolean(let e, let value, let negated): copy.kind = .isBoolean(r(e), value: value, negated: negated)
        case .isDistinctFrom(let a, let b, let negated): copy.kind = .isDistinctFrom(r(a), r(b), negated: negated)
        case .inList(let e, let list, let negated): copy.kind = .inList(r(e), list.map(r), negated: negated)
        case .between(let a, let b, let c, let negated): copy.kind = .between(r(a), r(b), r(c), negated: negated)
        case .like(let a, let b, let ci, let negated): copy.kind = .like(r(a), r(b), caseInsensitive: ci, negated: negated)
        case .caseWhen(let operand, let whens, let otherwise):
            copy.kind = .caseWhen(operand: operand.map(r), whens: whens.map { WhenClause(condition: r($0.condition), result: r($0.result)) },
                                  otherwise: otherwise.map(r))
        case .function(var call):
            call.arguments = call.arguments.map(r)
            call.orderBy = call.orderBy.map { var item = $0; item.expr = r(item.expr); return item }
            call.filter = call.filter.map(r)
            copy.kind = .function(call)
        case .extract(let field, let e): copy.kind = .extract(field: field, r(e))
        case .parenthesized(let e): copy.kind = .parenthesized(r(e))
        }
        return copy
    }

    /// A column reference `qualifier.name`, both quoted as needed when printed.
    public static func column(_ qualifier: String, _ name: String, at location: SourceLocation) -> Expr {
        Expr(.column(qualifiers: [Identifier(qualifier, at: location)], name: Identifier(name, at: location)), at: location)
    }
}
