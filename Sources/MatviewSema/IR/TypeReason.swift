/// Why the checker gave an expression its type: the rule that decided it (a column's declared
/// type, a function signature, an operator, a cast, a common type) and, for a column of a CTE,
/// view or nested query, that column's own reason. The checker records it beside each type it
/// infers, as it records `NullabilityReason` beside each nullability, so `matview explain` can
/// show a reviewer where a type came from instead of re-deriving it.
public indirect enum TypeReason: Sendable, Hashable {
    // Where a column's type comes from (what a relation column records).

    /// A base table column, of the type the schema files declare.
    case tableColumn(table: String, type: SQLType)
    /// An output column of a CTE, view or nested query, for the reason it has there.
    case queryColumn(source: String, type: SQLType, because: TypeReason)
    /// The value column of a set-returning function in FROM; `signature` is the overload that matched.
    case functionColumn(signature: String, type: SQLType)

    // Expressions.

    /// A column reference (`u.id`) and why that column has its type.
    case reference(String, because: TypeReason)
    /// A number, string or boolean literal; a string literal is untyped until its context decides.
    case literal(SQLType)
    /// `date '2024-01-01'`: a literal whose type is written before it.
    case typedLiteral(SQLType)
    case nullLiteral
    /// `x::date`, `CAST(x AS date)`.
    case cast(SQLType)
    /// An operator over two operands, typed as `pg_operator` would (`integer + integer`).
    case binaryOperator(left: SQLType, op: String, right: SQLType, result: SQLType)
    /// A prefix `-` or `+`.
    case unaryOperator(op: String, operand: SQLType, result: SQLType)
    /// A comparison, AND/OR/NOT, IS NULL, IN, BETWEEN, LIKE: always boolean.
    case condition(String)
    /// A function overload with a fixed result type (`sum(integer)` returns bigint).
    case function(signature: String, result: SQLType)
    /// An `anyelement` function (coalesce, greatest, max...): the common type of its arguments.
    case commonArgumentType(function: String, arguments: [SQLType], result: SQLType)
    /// `array_agg(anyelement)`: an array of its argument's type.
    case arrayOfArgumentType(function: String, result: SQLType)
    /// CASE: the common type of its THEN and ELSE values.
    case commonBranchType(branches: [SQLType], result: SQLType)
    /// EXTRACT(field FROM ...), numeric since PostgreSQL 14.
    case extract
    /// CURRENT_DATE, CURRENT_TIMESTAMP and the other keywords with a fixed type.
    case keyword(String, type: SQLType)
    /// The expression has errors; nothing was inferred.
    case error

    /// One phrase, as `matview explain` prints it after the column's type.
    public var description: String {
        switch self {
        case .tableColumn, .queryColumn, .functionColumn:
            return "the column is " + columnPhrase
        case .reference(let name, let because):
            return "\(name) is \(because.columnPhrase)"
        case .literal(let type):
            // An untyped string literal left as a column's value becomes text, as in PostgreSQL.
            if type == .unknown { return "a string literal (untyped, so text)" }
            return "\(type == .integer ? "an" : "a") \(type) literal"
        case .typedLiteral(let type): return "a literal written as \(type) '...'"
        case .nullLiteral: return "the NULL literal (untyped, so text)"
        case .cast(let type): return "cast to \(type)"
        case .binaryOperator(let left, let op, let right, let result):
            return "\(left) \(op) \(right) returns \(result)"
        case .unaryOperator(let op, let operand, let result):
            return "\(op)\(operand) returns \(result)"
        case .condition(let what): return "\(what) is boolean"
        case .function(let signature, let result): return "\(signature) returns \(result)"
        case .commonArgumentType(let function, let arguments, let result) where arguments.count == 1:
            // One argument (max, min): there is nothing to reconcile, its type is the result.
            return "\(function)(anyelement) returns its argument's type (\(result.isUntyped ? SQLType.text : result))"
        case .commonArgumentType(let function, let arguments, let result):
            return "\(function)(...) returns the common type of its arguments (\(Self.common(arguments, result)))"
        case .arrayOfArgumentType(let function, let result):
            return "\(function)(anyelement) returns an array of its argument's type (\(result))"
        case .commonBranchType(let branches, let result):
            return "CASE returns the common type of its branches (\(Self.common(branches, result)))"
        case .extract: return "EXTRACT(...) returns numeric"
        case .keyword(let keyword, let type): return "\(keyword) is \(type)"
        case .error: return "not inferred: the expression has errors"
        }
    }

    /// "bigint, integer → bigint": each distinct input type, then what they resolve to. An
    /// untyped result (only NULLs or string literals) is text, as the output column gets.
    private static func common(_ types: [SQLType], _ result: SQLType) -> String {
        let shown = result.isUntyped ? SQLType.text : result
        return types.map(\.description).uniqued.joined(separator: ", ") + " → \(shown)"
    }

    /// What a column reference is, for the column-origin cases: "bigint in users".
    private var columnPhrase: String {
        switch self {
        case .tableColumn(let table, let type):
            return "\(type) in \(table)"
        case .queryColumn(let source, let type, let because):
            return "\(type) in \(source): \(because.description)"
        case .functionColumn(let signature, let type):
            return "a value of \(signature), \(type)"
        default:
            return description
        }
    }
}
