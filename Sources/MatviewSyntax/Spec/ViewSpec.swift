/// The syntax tree of one view spec file, as written. Names are not resolved yet: that is the
/// checker's work. Every node keeps its location for diagnostics.
public struct ViewSpec: Sendable {
    public var file: String
    public var name: Located<String>
    public var schema: Located<String>?
    public var description: Located<String>?
    public var ctes: [CommonTableExpression]
    public var query: QuerySpec
    public var indexes: [IndexSpec]
    public var refresh: RefreshSpec
    public var grants: [Located<String>]
    public var slowQueryMs: Located<Int>?
    public var ignore: [Located<String>]
    /// Where the spec's top-level mapping starts.
    public var location: SourceLocation

    public init(file: String, name: Located<String>, schema: Located<String>? = nil, description: Located<String>? = nil,
                ctes: [CommonTableExpression] = [], query: QuerySpec, indexes: [IndexSpec] = [], refresh: RefreshSpec = RefreshSpec(),
                grants: [Located<String>] = [], slowQueryMs: Located<Int>? = nil, ignore: [Located<String>] = [], location: SourceLocation) {
        self.file = file
        self.name = name
        self.schema = schema
        self.description = description
        self.ctes = ctes
        self.query = query
        self.indexes = indexes
        self.refresh = refresh
        self.grants = grants
        self.slowQueryMs = slowQueryMs
        self.ignore = ignore
        self.location = location
    }
}

public struct CommonTableExpression: Sendable {
    public var name: Identifier
    public var query: QuerySpec

    public init(name: Identifier, query: QuerySpec) {
        self.name = name
        self.query = query
    }
}

/// A SELECT: the top of a spec, a CTE, or a nested query source.
public struct QuerySpec: Sendable {
    public var from: SourceSpec
    public var joins: [JoinSpec]
    public var whereClause: Expr?
    public var groupBy: [Expr]
    public var having: Expr?
    public var select: [SelectItem]
    public var location: SourceLocation

    public init(from: SourceSpec, joins: [JoinSpec] = [], whereClause: Expr? = nil, groupBy: [Expr] = [], having: Expr? = nil, select: [SelectItem], location: SourceLocation) {
        self.from = from
        self.joins = joins
        self.whereClause = whereClause
        self.groupBy = groupBy
        self.having = having
        self.select = select
        self.location = location
    }
}

/// One relation in FROM or a join.
public struct SourceSpec: Sendable {
    public indirect enum Kind: Sendable {
        /// A table, CTE or other view: `users u`, `public.users as u`.
        case named(schema: Identifier?, name: Identifier)
        /// A set-returning function: `generate_series(...) as g(day)`.
        case function(FunctionCall)
        /// `{as: alias, lateral: true, query: {...}}`.
        case subquery(QuerySpec, lateral: Bool)
    }

    public var kind: Kind
    public var alias: Identifier?
    /// Column names given after the alias: `as g(day)`.
    public var columnAliases: [Identifier]
    public var location: SourceLocation

    public init(kind: Kind, alias: Identifier?, columnAliases: [Identifier] = [], location: SourceLocation) {
        self.kind = kind
        self.alias = alias
        self.columnAliases = columnAliases
        self.location = location
    }

    /// The name other expressions use for this source: its alias, else its own name.
    public var referenceName: String? {
        if let alias { return alias.name }
        switch kind {
        case .named(_, let name): return name.name
        case .function(let call): return call.name.name
        case .subquery: return nil
        }
    }
}

public enum JoinKind: String, Sendable, CaseIterable {
    case inner, left, right, full, cross

    public var sql: String {
        switch self {
        case .inner: "JOIN"
        case .left: "LEFT JOIN"
        case .right: "RIGHT JOIN"
        case .full: "FULL JOIN"
        case .cross: "CROSS JOIN"
        }
    }
}

public struct JoinSpec: Sendable {
    public var kind: JoinKind
    public var source: SourceSpec
    public var condition: Expr?
    public var location: SourceLocation

    public init(kind: JoinKind, source: SourceSpec, condition: Expr?, location: SourceLocation) {
        self.kind = kind
        self.source = source
        self.condition = condition
        self.location = location
    }
}

/// An output column: `name: expr` or the long form with a description and ignores.
public struct SelectItem: Sendable {
    public var name: Located<String>
    public var expr: Expr
    public var description: String?
    public var ignore: [Located<String>]

    public init(name: Located<String>, expr: Expr, description: String? = nil, ignore: [Located<String>] = []) {
        self.name = name
        self.expr = expr
        self.description = description
        self.ignore = ignore
    }
}

public struct IndexSpec: Sendable {
    public struct Column: Sendable {
        public var name: Identifier
        public var descending: Bool
        public var nullsFirst: Bool?

        public init(name: Identifier, descending: Bool, nullsFirst: Bool? = nil) {
            self.name = name
            self.descending = descending
            self.nullsFirst = nullsFirst
        }
    }

    public var name: Located<String>?
    public var columns: [Column]
    public var unique: Bool
    public var whereClause: Expr?
    public var method: Located<String>?
    public var location: SourceLocation

    public init(name: Located<String>?, columns: [Column], unique: Bool, whereClause: Expr?, method: Located<String>?, location: SourceLocation) {
        self.name = name
        self.columns = columns
        self.unique = unique
        self.whereClause = whereClause
        self.method = method
        self.location = location
    }
}

public enum OnChange: String, Sendable, CaseIterable {
    case none, queue, immediate
}

/// How a view is kept current: rebuilt whole (a materialized view), or kept as a table whose
/// groups are recomputed as their source rows change.
public enum RefreshStrategy: String, Sendable, CaseIterable {
    case full, incremental
}

public struct RefreshSpec: Sendable {
    public var strategy: Located<RefreshStrategy>?
    public var schedule: Located<String>?
    public var concurrently: Located<Bool>?
    public var onChange: Located<OnChange>?
    /// Seconds: the least time between two refreshes while changes keep coming (queue only).
    public var minInterval: Located<Int>?
    /// Seconds.
    public var maxStaleness: Located<Int>?
    /// Where the refresh mapping's value starts.
    public var location: SourceLocation?
    /// Where the `refresh:` key is written (diagnostics about a missing refresh setting point here).
    public var keyLocation: SourceLocation?

    public init(schedule: Located<String>? = nil, concurrently: Located<Bool>? = nil, onChange: Located<OnChange>? = nil, maxStaleness: Located<Int>? = nil, location: SourceLocation? = nil) {
        self.schedule = schedule
        self.concurrently = concurrently
        self.onChange = onChange
        self.maxStaleness = maxStaleness
        self.location = location
    }
}
