import MatviewSyntax

/// An output column of a query or view, with the type and nullability the checker inferred.
public struct OutputColumn: Sendable {
    public var name: String
    public var type: SQLType
    public var nullable: Bool
    /// Why the checker decided `nullable`, for `matview explain`.
    public var nullability: NullabilityReason
    /// Why the checker gave the column `type`, for `matview explain`.
    public var typeReason: TypeReason
    public var expr: Expr
    public var description: String?
    public var location: SourceLocation
    /// For json(b)_build_object with literal keys: the object's fields, so the Swift back end
    /// can give the column a nested type.
    public var jsonFields: [JSONField]? = nil
}

/// One key of a JSON object built with literal keys, and what its value can be.
public struct JSONField: Sendable, Hashable {
    public var key: String
    public var type: SQLType
    public var nullable: Bool
}

/// How many rows of a joined relation match one row of what it is joined to.
public enum Multiplicity: String, Sendable {
    /// At most one: the join condition binds a unique key (or the relation has a single row).
    case one
    /// Possibly many: this join can repeat the rows before it.
    case many
}

/// A relation in FROM or a join, after name resolution.
public struct CheckedRelation: Sendable {
    public indirect enum Source: Sendable {
        case table(TableName)
        case cte(String)
        case view(String)
        case function(FunctionCall)
        case subquery(CheckedQuery, lateral: Bool)
    }

    public var alias: String
    public var source: Source
    public var columns: [RelationColumn]
    /// Sets of column names that are unique in this relation; `[]` (an empty key) means one row.
    public var keys: [[String]]
    /// Only a base table's primary key lets GROUP BY cover its other columns (PostgreSQL's rule).
    public var primaryKey: [String]?
    public var location: SourceLocation
    /// Whether the spec renamed the source's columns (`users AS u(a, b)`).
    public var renamesColumns = false

    public var isSingleRow: Bool { keys.contains { $0.isEmpty } }
}

public struct RelationColumn: Sendable {
    public var name: String
    public var type: SQLType
    public var nullable: Bool
    /// Why the column can be NULL or not (declared in a table, inferred in a query, an outer join).
    public var nullability: NullabilityReason
    /// Why the column has its type (declared in a table, inferred in a query).
    public var typeReason: TypeReason
}

/// One join, with what incremental maintenance and the fan-out rule need to know about it.
public struct JoinEdge: Sendable {
    public var kind: JoinKind
    /// Index into `CheckedQuery.relations` of the joined relation.
    public var relation: Int
    /// The earlier relations the condition (or a lateral source) refers to.
    public var parents: [Int]
    public var multiplicity: Multiplicity
    public var condition: Expr?
    /// Column equalities of the condition: (relation, column) = (relation, column).
    public var equalities: [ColumnEquality]
    public var location: SourceLocation
}

public struct ColumnRef: Sendable, Hashable {
    public var relation: Int
    public var column: String
}

public struct ColumnEquality: Sendable, Hashable {
    public var left: ColumnRef
    public var right: ColumnRef
}

/// A checked SELECT: resolved relations, explicit joins with multiplicities, typed outputs and
/// the keys of its result (its grain).
public struct CheckedQuery: Sendable {
    public var relations: [CheckedRelation]
    public var joins: [JoinEdge]
    public var whereClause: Expr?
    public var groupBy: [Expr]
    public var having: Expr?
    public var columns: [OutputColumn]
    /// Sets of output column names that identify a row; `[]` means the query returns one row.
    public var keys: [[String]]
    /// How `keys` was derived (GROUP BY, the sources' keys) or why there is none.
    public var grain: GrainDerivation
    public var isAggregate: Bool
    /// Base tables read, directly or through CTEs, nested queries and other views.
    public var sourceTables: Set<TableName>
    /// The first place the query reads the clock (`now()`, `current_date`...), directly or
    /// through a CTE or nested query; nil when its rows do not change with time alone.
    public var clockRead: SourceLocation?
    public var timeDependent: Bool { clockRead != nil }
    /// The fan-out rule's verdict on each aggregate of this query block (select, then HAVING);
    /// empty when the query does not aggregate.
    public var fanout: [FanoutVerdict]
}
