import MatviewSyntax

/// A view spec after checking: everything the emitters need, derived once.
public struct CheckedView: Sendable {
    public var spec: ViewSpec
    public var schema: String
    public var name: String
    public var description: String?
    public var ctes: [(name: String, query: CheckedQuery)]
    public var query: CheckedQuery
    public var columns: [OutputColumn] { query.columns }
    /// The view's grain: sets of output columns that identify a row.
    public var keys: [[String]] { query.keys }
    public var indexes: [CheckedIndex]
    public var refresh: RefreshPolicy
    /// For `strategy: incremental`: the grain and each source table's key path.
    public var incremental: IncrementalPlan?
    /// Every base table the view reads, sorted: the tables that need change triggers.
    public var sourceTables: [TableName]
    /// Other view specs this one reads, by name.
    public var dependencies: [String]
    public var timeDependent: Bool
    public var grants: [String]
    public var slowQueryMs: Int?

    public var qualifiedName: TableName { TableName(schema: schema, name: name) }
}

public struct CheckedIndex: Sendable {
    public var name: String
    public var columns: [IndexSpec.Column]
    public var unique: Bool
    public var whereClause: Expr?
    public var method: String?
}

public struct RefreshPolicy: Sendable {
    public var strategy: RefreshStrategy
    public var schedule: String?
    public var concurrently: Bool
    public var onChange: OnChange
    /// The least time between two refreshes of a queued view while changes keep coming.
    public var minIntervalSeconds: Int
    public var maxStalenessSeconds: Int?

    /// A full refresh recomputes the whole view, so by default a busy table refreshes it at
    /// most once a minute; the incremental strategy recomputes only what changed, at once.
    public static func defaultMinIntervalSeconds(_ strategy: RefreshStrategy) -> Int {
        strategy == .full ? 60 : 0
    }
}

/// The checked project: the catalog and every view in dependency order (a view after those it reads).
public struct CheckedProject: Sendable {
    public var catalog: Catalog
    public var views: [CheckedView]
}
