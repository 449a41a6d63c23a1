import MatviewSyntax

/// What incremental maintenance of one view needs, worked out by the checker: the grain, how a
/// changed row of each source table reaches it, and where the recompute of a few groups can
/// restrict each query block so that indexes are used.
public struct IncrementalPlan: Sendable {
    /// The view's grain: output columns whose values identify a row (a group).
    public var grain: [GrainColumn]
    /// One path per source table occurrence (a table read twice has two).
    public var keyPaths: [KeyPath]
    /// Predicates that restrict the defining query to the affected groups.
    public var restriction: QueryRestriction
    /// Per CTE name: the restriction pushed into its body (absent where it cannot be pushed).
    public var cteRestrictions: [String: QueryRestriction]
    /// The source table whose changes immediate writers apply as a difference, when there is one.
    public var delta: DeltaSource? = nil
    /// The source tables (other than `delta`'s) whose updates that touch only a `max`/`min`'s
    /// own part apply by the rows alone.
    public var touches: [TouchSource] = []

    /// The tables whose writes the view follows (base tables and other incremental views), sorted.
    public var sourceTables: [TableName] {
        Array(Set(keyPaths.map(\.table))).sorted()
    }
}

public struct GrainColumn: Sendable, Hashable {
    public var name: String
    public var type: SQLType
    public var nullable: Bool
}

/// How a changed row of `table` (old or new version, seen as `alias`) reaches the grain: through
/// equality joins to the tables of `hops`, after which `keys` (one expression per grain column,
/// over `alias` and the hops' aliases) are the affected group's key.
public struct KeyPath: Sendable {
    public var table: TableName
    /// When the table is another incremental view's: that view's name.
    public var upstreamView: String?
    public var alias: String
    /// The columns of the changed rows the path reads, in table order: all a captured change needs.
    public var columns: [String]
    public var hops: [KeyPathHop]
    public var keys: [Expr]
    /// Where the table is read in the spec, for diagnostics and `explain`.
    public var location: SourceLocation
    /// How the path goes, for `matview explain`: "tasks t → projects p (p.id = t.project_id) → (p.user_id)".
    public var summary: String
}

public struct KeyPathHop: Sendable {
    public var table: TableName
    public var alias: String
    /// Equalities that join it to the path before it, as printed SQL.
    public var condition: Expr
}

/// Predicates that keep only the affected groups' rows in one query block: on relation
/// `relation` (an index into the block's relations), its expressions `keys` (one per grain
/// column) must be one of the affected keys. The nullable side of an outer join is restricted in
/// its ON clause, other relations in WHERE. Nested query sources carry their own restriction.
public struct QueryRestriction: Sendable {
    public struct Predicate: Sendable {
        public var relation: Int
        public var keys: [Expr]
        /// Index into the block's joins when the predicate belongs in that join's ON clause.
        public var join: Int?
    }

    public var predicates: [Predicate] = []
    /// Grain expressions restricted in WHERE when no relation of the block could carry them.
    public var whereKeys: [Expr]? = nil
    /// By relation index: restrictions of nested query sources.
    public var nested: [Int: QueryRestriction] = [:]

    public init() {}

    public var isEmpty: Bool { predicates.isEmpty && whereKeys == nil && nested.isEmpty }
}
