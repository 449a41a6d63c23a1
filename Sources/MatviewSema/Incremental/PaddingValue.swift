import MatviewSyntax

/// What an expression that reads only the delta table's columns comes to on a padding row, where
/// every one of them is NULL (so any column it reads is NULL). Each answer errs towards "cannot tell" (false): a write then takes the
/// difference statement that joins the padding rows in, which is always right.
enum PaddingValue {
    /// Functions that return NULL for a NULL argument and whose first argument is the value.
    private static let strict: Set<String> = [
        "abs", "ceil", "ceiling", "date", "date_part", "date_trunc", "floor", "length", "lower",
        "nullif", "round", "sign", "sqrt", "trunc", "upper",
    ]

    /// NULL on a padding row.
    static func isNull(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .column: return true
        case .literal(let literal): return literal == .null
        case .parenthesized(let e), .cast(let e, _), .unary(_, let e), .extract(_, let e): return isNull(e)
        case .binary(let op, let a, let b):
            // AND and OR give a value with one NULL side (NULL OR true is true).
            return op == .and || op == .or ? isNull(a) && isNull(b) : isNull(a) || isNull(b)
        case .inList(let e, _, _), .between(let e, _, _, _): return isNull(e)
        case .like(let a, let b, _, _): return isNull(a) || isNull(b)
        case .caseWhen(let operand, let whens, let otherwise):
            return takesElse(operand, whens) && (otherwise.map(isNull) ?? true)
        case .function(let call):
            guard let first = call.arguments.first, !call.star, call.filter == nil else { return false }
            return strict.contains(call.name.name) && (call.name.name == "nullif" ? isNull(first) : call.arguments.contains(where: isNull))
        default:
            return false
        }
    }

    /// Whether a CASE takes its ELSE (or NULL) on a padding row: its operand is NULL there, or
    /// no WHEN condition is true.
    private static func takesElse(_ operand: Expr?, _ whens: [WhenClause]) -> Bool {
        operand.map(isNull) ?? whens.allSatisfy { isNotTrue($0.condition) }
    }

    /// Not true on a padding row (NULL or false): a filter that leaves the padding row out.
    static func isNotTrue(_ expr: Expr) -> Bool {
        if case .literal(.boolean(false)) = expr.unparenthesized.kind { return true }
        return isNull(expr)
    }

    /// NULL or zero on a padding row: what a sum does not move by.
    static func isNullOrZero(_ expr: Expr) -> Bool {
        switch expr.kind {
        case .literal(.number(let text)): return Double(text) == 0
        case .parenthesized(let e), .cast(let e, _): return isNullOrZero(e)
        case .caseWhen(let operand, let whens, let otherwise):
            return takesElse(operand, whens) && (otherwise.map(isNullOrZero) ?? true)
        default:
            return isNull(expr)
        }
    }
}
