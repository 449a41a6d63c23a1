/// What the runtime needs to read one materialized view: its name, the select list its row type
/// decodes, the defining query to fall back to when the view is missing, and the threshold above
/// which a read is logged as slow. Generated code declares one per view.
public struct ViewDescriptor: Sendable, Hashable {
    public var schema: String
    public var name: String
    /// SQL for each column, in row order, e.g. `user_id` or `"Weird Name"`; quoted as needed.
    public var selectList: [String]
    /// The view's defining query, as deployed.
    public var definingQuery: String
    public var slowQueryMilliseconds: Int

    public init(schema: String, name: String, selectList: [String], definingQuery: String, slowQueryMilliseconds: Int = 100) {
        self.schema = schema
        self.name = name
        self.selectList = selectList
        self.definingQuery = definingQuery
        self.slowQueryMilliseconds = slowQueryMilliseconds
    }

    /// The view's name as SQL, schema-qualified and quoted where needed.
    public var qualifiedName: String { "\(Self.quote(schema)).\(Self.quote(name))" }

    /// A name quoted for SQL unless it is a plain lower-case identifier. (The compiler's
    /// SQLPrinter does the same; the runtime keeps its own copy so applications that import it
    /// do not pull in the compiler.)
    public static func quote(_ name: String) -> String {
        let plain = name.unicodeScalars.first.map { $0 == "_" || ("a"..."z").contains($0) } ?? false
            && name.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        return plain && !reserved.contains(name) ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let reserved: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
        "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
        "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
        "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner",
        "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
        "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user", "similar",
        "some", "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
        "using", "variadic", "verbose", "when", "where", "window", "with",
    ]
}
