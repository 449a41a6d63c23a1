/// What the DDL reader keeps from a schema file: tables, their constraints and indexes, the
/// ALTER TABLE actions that change columns or names (to be followed in file order), domains
/// (a column of a domain has its base type) and the names of views. Everything else
/// `pg_dump --schema-only` prints is skipped before it gets here.
public enum SchemaStatement: Sendable {
    case createTable(TableDefinition)
    case addConstraint(table: QualifiedName, TableConstraint)
    case createIndex(IndexDefinition)
    case alterTable(table: QualifiedName, TableAlteration)
    case createDomain(DomainDefinition)
    case untypedRelation(UntypedRelation)
}

/// One ALTER TABLE action that changes what the catalog knows about a table's columns or name.
public enum TableAlteration: Sendable {
    /// ADD [COLUMN] [IF NOT EXISTS]; its inline constraints follow as `.addConstraint`.
    case addColumn(ColumnDefinition, ifNotExists: Bool)
    case dropColumn(Identifier, ifExists: Bool)
    case renameColumn(Identifier, to: Identifier)
    /// SET NOT NULL (true), DROP NOT NULL (false); ADD GENERATED ... AS IDENTITY is SET NOT NULL.
    case setNotNull(Identifier, Bool)
    /// [SET DATA] TYPE
    case setType(Identifier, TypeName)
    case renameTable(to: Identifier)
    case setSchema(Identifier)
}

/// CREATE DOMAIN name AS base: a column of the domain is a column of the base type, NOT NULL
/// when the domain says so.
public struct DomainDefinition: Sendable {
    public var name: QualifiedName
    public var base: TypeName
    public var notNull: Bool

    public init(name: QualifiedName, base: TypeName, notNull: Bool) {
        self.name = name
        self.base = base
        self.notNull = notNull
    }
}

/// A relation that exists in the database but whose columns the reader does not type: a view or
/// materialized view (typing its query would take a checker for arbitrary SQL), a typed table
/// (CREATE TABLE name OF type) or CREATE TABLE ... AS. Only its name and kind are kept.
public struct UntypedRelation: Sendable {
    public enum Kind: String, Sendable {
        case view = "view"
        case materializedView = "materialized view"
        case typedTable = "typed table"
        case tableFromQuery = "table created by a query"
    }

    public var name: QualifiedName
    public var kind: Kind
    public var location: SourceLocation

    public init(name: QualifiedName, kind: Kind, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.location = location
    }
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
    /// INHERITS (parents): the parents' columns come first, then `columns`.
    public var inherits: [QualifiedName]
    /// PARTITION OF parent: the parent's columns and keys; `columns` is empty.
    public var partitionOf: QualifiedName?

    public init(name: QualifiedName, columns: [ColumnDefinition], constraints: [TableConstraint], location: SourceLocation,
                inherits: [QualifiedName] = [], partitionOf: QualifiedName? = nil) {
        self.name = name
        self.columns = columns
        self.constraints = constraints
        self.location = location
        self.inherits = inherits
        self.partitionOf = partitionOf
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
