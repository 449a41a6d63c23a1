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
    public private(set) var tables: [TableName: CatalogTable] = [:]

    public init() {}

    public func table(_ name: TableName) -> CatalogTable? { tables[name] }

    /// Reads the statements of every schema file, in order; constraints may come after their table.
    public static func build(from files: [(path: String, statements: [SchemaStatement])]) -> (Catalog, [Diagnostic]) {
        var catalog = Catalog()
        var diagnostics: [Diagnostic] = []
        var pending: [(TableName, TableConstraint)] = []
        var pendingIndexes: [IndexDefinition] = []
        for file in files {
            for statement in file.statements {
                switch statement {
                case .createTable(let definition):
                    let name = normalise(definition.name)
                    if catalog.tables[name] != nil {
                        diagnostics.append(.error(.ddlSyntax, at: definition.location, "table \(name) is defined twice"))
                        continue
                    }
                    var table = CatalogTable(name: name, columns: [], primaryKey: nil, uniqueKeys: [], foreignKeys: [], location: definition.location)
                    for column in definition.columns {
                        if table.column(named: column.name.name) != nil {
                            diagnostics.append(.error(.ddlSyntax, at: column.name.location, "column \(column.name.name) is defined twice in table \(name)"))
                            continue
                        }
                        table.columns.append(CatalogColumn(name: column.name.name, type: SQLType(column.type), notNull: column.notNull))
                    }
                    catalog.tables[name] = table
                    pending.append(contentsOf: definition.constraints.map { (name, $0) })
                case .addConstraint(let tableName, let constraint):
                    pending.append((normalise(tableName), constraint))
                case .createIndex(let index):
                    pendingIndexes.append(index)
                }
            }
        }
        for (name, constraint) in pending {
            diagnostics.append(contentsOf: catalog.apply(constraint, to: name))
        }
        for index in pendingIndexes where index.unique && !index.partial {
            guard let columns = index.columns else { continue }
            diagnostics.append(contentsOf: catalog.apply(.unique(columns, location: index.location), to: normalise(index.table)))
        }
        return (catalog, diagnostics)
    }

    static func normalise(_ name: QualifiedName) -> TableName {
        TableName(schema: name.schema?.name ?? "public", name: name.name.name)
    }

    private mutating func apply(_ constraint: TableConstraint, to name: TableName) -> [Diagnostic] {
        guard var table = tables[name] else {
            let location: SourceLocation
            switch constraint {
            case .primaryKey(_, let l), .unique(_, let l), .foreignKey(_, _, _, let l): location = l
            }
            return [.error(.unknownTable, at: location, "constraint on table \(name), which no CREATE TABLE defines")]
        }
        var diagnostics: [Diagnostic] = []
        func checked(_ columns: [Identifier]) -> [String]? {
            var names: [String] = []
            for column in columns {
                guard table.column(named: column.name) != nil else {
                    diagnostics.append(.error(.unknownColumn, at: column.location, "table \(name) has no column \(column.name)"))
                    return nil
                }
                names.append(column.name)
            }
            return names
        }
        switch constraint {
        case .primaryKey(let columns, _):
            if let names = checked(columns) {
                table.primaryKey = names
                for index in table.columns.indices where names.contains(table.columns[index].name) {
                    table.columns[index].notNull = true
                }
            }
        case .unique(let columns, _):
            if let names = checked(columns), !table.uniqueKeys.contains(names) { table.uniqueKeys.append(names) }
        case .foreignKey(let columns, let references, let referenced, _):
            if let names = checked(columns) {
                table.foreignKeys.append(ForeignKey(columns: names, references: Self.normalise(references), referencedColumns: referenced.map(\.name)))
            }
        }
        tables[name] = table
        return diagnostics
    }
}
