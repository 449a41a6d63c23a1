/// A name as PostgreSQL sees it: unquoted names are folded to lower case, quoted ones kept.
public struct Identifier: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var quoted: Bool
    public var location: SourceLocation

    public init(_ name: String, quoted: Bool = false, at location: SourceLocation) {
        self.name = name
        self.quoted = quoted
        self.location = location
    }

    public var description: String { name }

    public static func == (a: Identifier, b: Identifier) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A type name as written: `numeric(12,2)`, `timestamp with time zone`, `text[]`.
public struct TypeName: Sendable, Hashable, CustomStringConvertible {
    /// Lower-cased words joined by single spaces, e.g. `double precision`.
    public var name: String
    public var modifiers: [Int]
    public var arrayDepth: Int
    public var location: SourceLocation

    public init(name: String, modifiers: [Int] = [], arrayDepth: Int = 0, at location: SourceLocation) {
        self.name = name
        self.modifiers = modifiers
        self.arrayDepth = arrayDepth
        self.location = location
    }

    public var description: String {
        var s = name
        if !modifiers.isEmpty { s += "(" + modifiers.map(String.init).joined(separator: ",") + ")" }
        s += String(repeating: "[]", count: arrayDepth)
        return s
    }

    public static func == (a: TypeName, b: TypeName) -> Bool {
        a.name == b.name && a.modifiers == b.modifiers && a.arrayDepth == b.arrayDepth
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name); hasher.combine(modifiers); hasher.combine(arrayDepth)
    }
}

public enum Literal: Sendable, Hashable {
    case number(String)
    case string(String)
    case boolean(Bool)
    case null
}

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "^"
    case concat = "||"
    case equal = "=", notEqual = "<>", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case and = "AND", or = "OR"

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual: true
        default: false
        }
    }

    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide, .modulo, .power: true
        default: false
        }
    }
}

public enum UnaryOperator: String, Sendable, Hashable {
    case negate = "-", plus = "+", not = "NOT"
}

/// `count(distinct x ORDER BY y) FILTER (WHERE z)` and every other call.
public struct FunctionCall: Sendable, Hashable {
    /// Lower-cased, without schema (a `pg_catalog.` prefix is dropped by the parser).
    public var name: Identifier
    public var arguments: [Expr]
    /// `count(*)`.
    public var star: Bool
    public var distinct: Bool
    public var orderBy: [OrderItem]
    public var filter: Expr?

    public init(name: Identifier, arguments: [Expr], star: Bool = false, distinct: Bool = false, orderBy: [OrderItem] = [], filter: Expr? = nil) {
        self.name = name
        self.arguments = arguments
        self.star = star
        self.distinct = distinct
        self.orderBy = orderBy
        self.filter = filter
    }
}

public struct OrderItem: Sendable, Hashable {
    public var expr: Expr
    public var descending: Bool
    public var nullsFirst: Bool?

    public init(expr: Expr, descending: Bool, nullsFirst: Bool? = nil) {
        self.expr = expr
        self.descending = descending
        self.nullsFirst = nullsFirst
    }
}

public struct WhenClause: Sendable, Hashable {
    public var condition: Expr
    public var result: Expr

    public init(condition: Expr, result: Expr) {
        self.condition = condition
        self.result = result
    }
}

/// The SQL-standard functions that are keywords rather than calls.
public enum SpecialValue: String, Sendable, Hashable, CaseIterable {
    case currentDate = "current_date"
    case currentTimestamp = "current_timestamp"
    case currentTime = "current_time"
    case localTimestamp = "localtimestamp"
    case localTime = "localtime"
    case currentUser = "current_user"
    case sessionUser = "session_user"
}

/// An expression node with the location of its first token.
public struct Expr: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        /// `name`, `alias.name` or `schema.table.name` (qualifiers first).
        case column(qualifiers: [Identifier], name: Identifier)
        /// `alias.*` or `*` (only inside some calls and counts).
        case star(qualifier: Identifier?)
        case literal(Literal)
        /// `interval '1 day'`, `date '2026-01-01'`.
        case typedLiteral(TypeName, String)
        case cast(Expr, TypeName)
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case isNull(Expr, negated: Bool)
        case isBoolean(Expr, value: Bool, negated: Bool)
        case isDistinctFrom(Expr, Expr, negated: Bool)
        case inList(Expr, [Expr], negated: Bool)
        case between(Expr, Expr, Expr, negated: Bool)
        case like(Expr, Expr, caseInsensitive: Bool, negated: Bool)
        case caseWhen(operand: Expr?, whens: [WhenClause], otherwise: Expr?)
        case function(FunctionCall)
        /// `EXTRACT(field FROM source)`; the field is lower-cased.
        case extract(field: String, Expr)
        case special(SpecialValue)
        /// `(expr)`: kept so printed SQL reads as written.
        case parenthesized(Expr)
    }

    public var kind: Kind
    /// The location of the first token.
    public var location: SourceLocation
    /// For binary operators: the location of the operator itself.
    public var operatorLocation: SourceLocation?

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// The direct subexpressions, in source order.
    public var children: [Expr] {
        switch kind {
        case .column, .star, .literal, .typedLiteral, .special: return []
        case .cast(let e, _), .unary(_, let e), .isNull(let e, _), .isBoolean(let e, _, _), .extract(_, let e), .parenthesized(let e):
            return [e]
        case .binary(_, let a, let b), .isDistinctFrom(let a, let b, _), .like(let a, let b, _, _):
            return [a, b]
        case .inList(let e, let list, _): return [e] + list
        case .between(let a, let b, let c, _): return [a, b, c]
        case .caseWhen(let operand, let whens, let otherwise):
            var all: [Expr] = []
            if let operand { all.append(operand) }
            for w in whens { all.append(w.condition); all.append(w.result) }
            if let otherwise { all.append(otherwise) }
            return all
        case .function(let call):
            return call.arguments + call.orderBy.map(\.expr) + (call.filter.map { [$0] } ?? [])
        }
    }

    /// Calls `visit` on this node and every node below it, depth first.
    public func walk(_ visit: (Expr) -> Void) {
        visit(self)
        for child in children { child.walk(visit) }
    }

    /// Strips redundant parentheses.
    public var unparenthesized: Expr {
        if case .parenthesized(let inner) = kind { return inner.unparenthesized }
        return self
    }
}
