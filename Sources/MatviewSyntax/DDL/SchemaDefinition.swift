/// What the DDL reader keeps from a schema file: tables, their constraints and indexes.
/// Everything else `pg_dump --schema-only` prints is skipped before it gets here.
public enum SchemaStatement: Sendable {
    case createTable(TableDefinition)
    case addConstraint(table: QualifiedName, TableConstraint)
    case createIndex(IndexDefinition)
}

public struct QualifiedName: Sendable, Hashable, CustomStringConvertible {
    public var schema: Identifier?
    public var name: Identifier

    public init(schema: Identifier?, name: Identifier) {
        self.schema = schema
        self.name = name
    }

    public var description: String { schema.map { "\($0.name).\(name.name)" } ?? name.name }
}

public struct TableDefinition: Sendable {
    public var name: QualifiedName
    public var columns: [ColumnDefinition]
    public var constraints: [TableConstraint]
    public var location: SourceLocation

    public init(name: QualifiedName, columns: [ColumnDefinition], constraints: [TableConstraint], location: SourceLocation) {
        self.name = name
        self.columns = columns
        self.constraints = constraints
        self.location = location
    }
}

public struct ColumnDefinition: Sendable {
    public var name: Identifier
    public var type: TypeName
    public var notNull: Bool

    public init(name: Identifier, type: TypeName, notNull: Bool) {
        self.name = name
        self.type = type
        self.notNull = notNull
    }
}

public enum TableConstraint: Sendable {
    case primaryKey([Identifier], location: SourceLocation)
    case unique([Identifier], location: SourceLocation)
    case foreignKey(columns: [Identifier], references: QualifiedName, referencedColumns: [Identifier], location: SourceLocation)
}

public struct IndexDefinition: Sendable {
    public var table: QualifiedName
    public var unique: Bool
    /// Plain column names; nil when any key part is an expression (such an index is no key).
    public var columns: [Identifier]?
    public var partial: Bool
    public var location: SourceLocation

    public init(table: QualifiedName, unique: Bool, columns: [Identifier]?, partial: Bool, location: SourceLocation) {
        self.table = table
        self.unique = unique
        self.columns = columns
        self.partial = partial
        self.location = location
    }
}
