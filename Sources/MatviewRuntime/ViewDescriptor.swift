import MatviewQuoting

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

    /// A name quoted for SQL unless it is a plain lower-case identifier (SQLQuoting, the
    /// compiler's own quoting, in a module of its own so applications need not link the compiler).
    public static func quote(_ name: String) -> String { SQLQuoting.identifier(name) }
}
