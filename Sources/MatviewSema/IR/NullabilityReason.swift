/// Why the checker decided that an expression can or cannot be NULL: the rule that decided it
/// and, where an operand or a source column decided it, that one's own reason. The checker
/// records it beside each nullability it infers, so `matview explain` can show a reviewer the
/// reasoning instead of re-deriving it.
public indirect enum NullabilityReason: Sendable, Hashable {
    // Where a column's nullability comes from (what a relation column records).

    /// A base table column, NOT NULL or not as the schema files declare it.
    case tableColumn(table: String, notNull: Bool)
    /// An output column of a CTE, view or nested query, for the reason it has there.
    case queryColumn(source: String, nullable: Bool, because: NullabilityReason)
    /// The value column of a set-returning function in FROM.
    case functionColumn(function: String)
    /// Any column of a relation on the side an outer join fills with NULLs (`LEFT JOIN projects p`).
    case outerJoin(join: String)

    // Expressions.

    /// A column reference (`u.name`) and why that column can be NULL or not.
    case reference(String, because: NullabilityReason)
    case literal
    case nullLiteral
    /// A function or keyword whose value is never NULL (`count(...)`, `CURRENT_DATE`).
    case neverNull(String)
    /// IS NULL, IS DISTINCT FROM, IS TRUE and friends: true or false, never NULL.
    case test
    /// A NULL-propagating operator or function none of whose operands can be NULL.
    case operandsNotNull
    /// coalesce, greatest, least: NULL only when every argument is, and this one never is.
    case notNullArgument(function: String, argument: String, isLast: Bool, because: NullabilityReason)
    /// coalesce, greatest, least with every argument nullable; the first one's reason.
    case everyArgumentNullable(function: String, first: NullabilityReason)
    /// A function that can return NULL whatever its arguments (nullif).
    case mayBeNull(function: String)
    case caseWithoutElse
    case caseBranch(because: NullabilityReason)
    case everyBranchNotNull
    /// An aggregate other than count over a query without GROUP BY, which may have no rows.
    case aggregateWithoutGroupBy(function: String)
    /// An aggregate with FILTER: a group may have no row that passes it.
    case aggregateFilter(function: String)
    /// An aggregate whose input can be NULL (it is NULL when every input is).
    case aggregateInput(function: String, because: NullabilityReason)
    /// An aggregate of NOT NULL values over a group, which always has a row.
    case aggregateOverGroup(function: String)
    /// The expression has errors; nothing was inferred.
    case error

    /// The reason of a NULL-propagating expression: its first nullable operand's reason, or
    /// that no operand can be NULL.
    static func strict(_ operands: [(nullable: Bool, reason: NullabilityReason)]) -> NullabilityReason {
        operands.first(where: \.nullable)?.reason ?? .operandsNotNull
    }

    /// One phrase, as `matview explain` prints it after the column's type.
    public var description: String {
        switch self {
        case .tableColumn, .queryColumn, .functionColumn, .outerJoin:
            return "the column is " + columnPhrase
        case .reference(let name, let because):
            return "\(name) is \(because.columnPhrase)"
        case .literal: return "a literal is never NULL"
        case .nullLiteral: return "the NULL literal"
        case .neverNull(let what): return "\(what) is never NULL"
        case .test: return "a test (IS NULL, IS DISTINCT FROM, IS TRUE...) is true or false, never NULL"
        case .operandsNotNull: return "no operand can be NULL"
        case .notNullArgument(let function, let argument, let isLast, let because):
            // NULL only when every argument is NULL, so one argument that never is decides it.
            let call = isLast ? "\(function)(..., \(argument))" : "\(function)(...)"
            let why = because == .literal ? nil : because.description
            if isLast { return "\(call): \(why ?? "\(argument) is never NULL")" }
            return "\(call): its argument \(argument) is never NULL" + (why.map { " (\($0))" } ?? "")
        case .everyArgumentNullable(let function, let first):
            return "every argument of \(function)(...) can be NULL, e.g. \(first.description)"
        case .mayBeNull(let function): return "\(function)(...) can return NULL whatever its arguments"
        case .caseWithoutElse: return "CASE without ELSE is NULL when no branch matches"
        case .caseBranch(let because): return "a CASE branch can be NULL: \(because.description)"
        case .everyBranchNotNull: return "every CASE branch, ELSE included, is never NULL"
        case .aggregateWithoutGroupBy(let function):
            return "\(function)(...) is NULL over no rows, and without GROUP BY the query may have none"
        case .aggregateFilter(let function):
            return "\(function)(...) FILTER (...) is NULL for a group in which no row passes the filter"
        case .aggregateInput(let function, let because):
            return "\(function)(...) is NULL when all its inputs are NULL, and \(because.description)"
        case .aggregateOverGroup(let function):
            return "\(function)(...) of values that are never NULL, over a group (never empty)"
        case .error: return "not inferred: the expression has errors"
        }
    }

    /// What a column reference is, for the column-origin cases: "NOT NULL in users".
    private var columnPhrase: String {
        switch self {
        case .tableColumn(let table, let notNull):
            return notNull ? "NOT NULL in \(table)" : "nullable in \(table) (no NOT NULL)"
        case .queryColumn(let source, let nullable, let because):
            return "\(nullable ? "nullable" : "NOT NULL") in \(source): \(because.description)"
        case .functionColumn(let function):
            return "a value of \(function)(...), never NULL"
        case .outerJoin(let join):
            return "on the optional side of \(join)"
        default:
            return description
        }
    }
}
