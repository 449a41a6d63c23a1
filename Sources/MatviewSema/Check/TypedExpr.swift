import MatviewSyntax

/// What the checker learned about one expression.
struct TypedExpr {
    var type: SQLType
    var nullable: Bool
    /// Why `nullable` is what it is; `matview explain` shows it for each output column.
    var nullability: NullabilityReason
    /// Why `type` is what it is; `matview explain` shows it beside the nullability reason.
    var typeReason: TypeReason
    /// Local relations (indices in the current scope) the expression reads outside aggregates
    /// and inside them alike.
    var relations: Set<Int> = []
    /// Relations of the enclosing query that a lateral source reads.
    var outerRelations: Set<Int> = []
    var containsAggregate = false
    /// The first place the expression reads the clock (`now()`, `current_date`...), if any.
    var clockRead: SourceLocation? = nil
    var timeDependent: Bool { clockRead != nil }
    /// Set for json(b)_build_object calls whose keys are all string literals.
    var jsonFields: [JSONField]? = nil

    static let errorType = SQLType.other("<error>")
    static let error = TypedExpr(type: errorType, nullable: true, nullability: .error, typeReason: .error)

    var isError: Bool { type == Self.errorType }

    mutating func absorb(_ other: TypedExpr) {
        relations.formUnion(other.relations)
        outerRelations.formUnion(other.outerRelations)
        containsAggregate = containsAggregate || other.containsAggregate
        clockRead = earliest(clockRead, other.clockRead)
    }
}

/// The earlier of two optional places, so a time-dependence diagnostic points at the first
/// clock read in the file.
func earliest(_ a: SourceLocation?, _ b: SourceLocation?) -> SourceLocation? {
    guard let a else { return b }
    guard let b else { return a }
    return min(a, b)
}

/// An aggregate call seen while typing a query's expressions; the fan-out rule reads these.
struct AggregateUse {
    var call: FunctionCall
    var location: SourceLocation
    /// Relations the aggregate's arguments read.
    var relations: Set<Int>
    /// The `ignore:` list of the output column it sits in.
    var columnIgnores: Set<String> = []
    /// The output column it sits in; nil in HAVING.
    var column: String? = nil
}

/// The clause an expression sits in, which decides whether aggregates are allowed.
enum Clause: String {
    case whereClause = "WHERE"
    case joinCondition = "JOIN conditions"
    case groupBy = "GROUP BY"
    case select = "select"
    case having = "HAVING"
    case functionSource = "functions in FROM"
    case indexWhere = "index predicates"

    var allowsAggregates: Bool { self == .select || self == .having }
}
