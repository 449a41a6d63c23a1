import Foundation
import MatviewQuoting

/// Prints expressions back as PostgreSQL text: identifiers quoted only where PostgreSQL needs it,
/// strings escaped, keywords upper-case, parentheses wherever precedence requires them. The
/// output is canonical, so two expressions print the same exactly when they are written alike
/// (the checker compares GROUP BY items this way) and generated SQL never splices user text.
public enum SQLPrinter {
    public static func print(_ expr: Expr) -> String {
        render(expr, parent: 0)
    }

    /// An identifier, quoted when it is not a plain lower-case name or is a reserved word.
    public static func identifier(_ name: String) -> String { SQLQuoting.identifier(name) }

    /// A string literal; backslashes are not special (standard_conforming_strings is on).
    public static func literal(_ text: String) -> String { SQLQuoting.literal(text) }

    // Precedence levels used to decide where parentheses are needed (higher binds tighter).
    private static func precedence(_ expr: Expr) -> Int {
        switch expr.kind {
        case .binary(let op, _, _):
            switch op {
            case .or: return 1
            case .and: return 2
            case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: return 5
            case .concat: return 7
            case .add, .subtract: return 8
            case .multiply, .divide, .modulo: return 9
            case .power: return 10
            }
        case .unary(.not, _): return 3
        case .isNull, .isBoolean, .isDistinctFrom: return 4
        case .between, .inList, .like: return 6
        case .unary: return 11
        case .cast: return 12
        case .literal(.number(let n)) where n.hasPrefix("-"): return 11
        default: return 13
        }
    }

    private static func render(_ expr: Expr, parent: Int) -> String {
        let own = precedence(expr)
        let text = body(expr)
        return own < parent ? "(\(text))" : text
    }

    private static func body(_ expr: Expr) -> String {
        let p = precedence(expr)
        switch expr.kind {
        case .column(let qualifiers, let name):
            return (qualifiers + [name]).map { identifier($0.name) }.joined(separator: ".")
        case .star(let qualifier):
            return qualifier.map { identifier($0.name) + ".*" } ?? "*"
        case .literal(let literal):
            switch literal {
            case .number(let n): return n
            case .string(let s): return self.literal(s)
            case .boolean(let b): return b ? "TRUE" : "FALSE"
            case .null: return "NULL"
            }
        case .typedLiteral(let type, let value):
            return "\(typeName(type)) \(literal(value))"
        case .cast(let inner, let type):
            return "\(render(inner, parent: 12))::\(typeName(type))"
        case .unary(let op, let operand):
            switch op {
            case .not: return "NOT \(render(operand, parent: 3))"
            case .negate: return "-\(render(operand, parent: 11))"
            case .plus: return "+\(render(operand, parent: 11))"
            }
        case .binary(let op, let left, let right):
            let symbol = op == .and || op == .or ? op.rawValue : op.rawValue
            // Left-associative: the right operand needs parentheses at equal precedence.
            return "\(render(left, parent: p)) \(symbol) \(render(right, parent: p + 1))"
        case .isNull(let operand, let negated):
            return "\(render(operand, parent: 5)) IS \(negated ? "NOT " : "")NULL"
        case .isBoolean(let operand, let value, let negated):
            return "\(render(operand, parent: 5)) IS \(negated ? "NOT " : "")\(value ? "TRUE" : "FALSE")"
        case .isDistinctFrom(let a, let b, let negated):
            return "\(render(a, parent: 5)) IS \(negated ? "NOT " : "")DISTINCT FROM \(render(b, parent: 5))"
        case .inList(let operand, let items, let negated):
            return "\(render(operand, parent: 7)) \(negated ? "NOT " : "")IN (\(items.map { render($0, parent: 0) }.joined(separator: ", ")))"
        case .between(let operand, let low, let high, let negated):
            return "\(render(operand, parent: 7)) \(negated ? "NOT " : "")BETWEEN \(render(low, parent: 7)) AND \(render(high, parent: 7))"
        case .like(let operand, let pattern, let insensitive, let negated):
            return "\(render(operand, parent: 7)) \(negated ? "NOT " : "")\(insensitive ? "ILIKE" : "LIKE") \(render(pattern, parent: 7))"
        case .caseWhen(let operand, let whens, let otherwise):
            var s = "CASE"
            if let operand { s += " " + render(operand, parent: 0) }
            for w in whens { s += " WHEN \(render(w.condition, parent: 0)) THEN \(render(w.result, parent: 0))" }
            if let otherwise { s += " ELSE \(render(otherwise, parent: 0))" }
            return s + " END"
        case .function(let call):
            return function(call)
        case .extract(let field, let source):
            return "EXTRACT(\(field.uppercased()) FROM \(render(source, parent: 0)))"
        case .special(let value):
            return value.rawValue.uppercased()
        case .parenthesized(let inner):
            return "(\(render(inner, parent: 0)))"
        }
    }

    public static func function(_ call: FunctionCall) -> String {
        var s = identifier(call.name.name) + "("
        if call.star {
            s += "*"
        } else {
            if call.distinct { s += "DISTINCT " }
            s += call.arguments.map { render($0, parent: 0) }.joined(separator: ", ")
            if !call.orderBy.isEmpty { s += " ORDER BY " + orderItems(call.orderBy) }
        }
        s += ")"
        if let filter = call.filter { s += " FILTER (WHERE \(render(filter, parent: 0)))" }
        return s
    }

    public static func orderItems(_ items: [OrderItem]) -> String {
        items.map { item in
            var s = render(item.expr, parent: 0)
            if item.descending { s += " DESC" }
            if let first = item.nullsFirst { s += first ? " NULLS FIRST" : " NULLS LAST" }
            return s
        }.joined(separator: ", ")
    }

    public static func typeName(_ type: TypeName) -> String {
        var s = type.name
        switch s {
        case "timestamptz": s = "timestamp with time zone"
        case "timetz": s = "time with time zone"
        default:
            if !s.contains(" ") && !SQLQuoting.isPlain(s) { s = identifier(s) }
        }
        if !type.modifiers.isEmpty { s += "(" + type.modifiers.map(String.init).joined(separator: ",") + ")" }
        return s + String(repeating: "[]", count: type.arrayDepth)
    }
}
