import MatviewSyntax

/// A schema-qualified table name, normalised (`public` when the DDL gave none).
public struct TableName: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var schema: String
    public var name: String

    public init(schema: String, name: String) {
        self.schema = schema
        self.name = name
    }

    public var description: String { schema == "public" ? name : "\(schema).\(name)" }

    public static func < (a: TableName, b: TableName) -> Bool { (a.schema, a.name) < (b.schema, b.name) }
}

public struct CatalogColumn: Sendable, Hashable {
    public var name: String
    public var type: SQLType
    public var notNull: Bool
}

public struct ForeignKey: Sendable, Hashable {
    public var columns: [String]
    public var references: TableName
    public var referencedColumns: [String]
}

/// One source table as the checker needs it: columns with types and NOT NULL, and every set of
/// columns known to be unique (primary key, unique constraints, non-partial unique indexes).
public struct CatalogTable: Sendable {
    public var name: TableName
    public var columns: [CatalogColumn]
    public var primaryKey: [String]?
    public var uniqueKeys: [[String]]
    public var foreignKeys: [ForeignKey]
    public var location: SourceLocation

    public func column(named name: String) -> CatalogColumn? {
        columns.first { $0.name == name }
    }

    /// The primary key first, then the other unique keys, without repeats.
    public var keys: [[String]] {
        var all: [[String]] = []
        if let primaryKey { all.append(primaryKey) }
        for key in uniqueKeys where !all.contains(where: { Set($0) == Set(key) }) { all.append(key) }
        return all
    }
}

/// The source tables of a project, built from its schema files.
public struct Catalog: Sendable {
    public internal(set) var tables: [TableName: CatalogTable] = [:]
    /// Views, materialized views and typed tables the schema files create: they exist, but their
    /// columns are not typed (that would take a checker for arbitrary SQL), so a spec cannot read
    /// them. Their indexes and ALTERs are accepted and ignored.
    public internal(set) var untypedRelations: [TableName: UntypedRelation.Kind] = [:]

    public init() {}

    public func table(_ name: TableName) -> CatalogTable? { tables[name] }

    /// Reads the statements of every schema file, in order, as PostgreSQL would run them (a
    /// column renamed by an ALTER TABLE has its new name); constraints and ALTERs may also come
    /// before their table, in another file. Objects in `ignoredSchemas` (matview's own support
    /// schema, in a dump of a database it deployed to) are left out.
    public static func build(from files: [(path: String, statements: [SchemaStatement])], ignoringSchemas ignoredSchemas: Set<String> = []) -> (Catalog, [Diagnostic]) {
        var builder = CatalogBuilder(domains: files.flatMap(\.statements), ignoredSchemas: ignoredSchemas)
        for file in files {
            for statement in file.statements { builder.apply(statement) }
        }
        return builder.finish()
    }

    /// The catalog without the relations of these names: a project's view specs shadow what a
    /// dump of a database they were deployed to says about the same views.
    public func shadowed(by names: Set<TableName>) -> Catalog {
        var catalog = self
        for name in names {
            catalog.tables[name] = nil
            catalog.untypedRelations[name] = nil
        }
        return catalog
    }

    static func normalise(_ name: QualifiedName) -> TableName {
        TableName(schema: name.schema?.name ?? "public", name: name.name.name)
    }
}
