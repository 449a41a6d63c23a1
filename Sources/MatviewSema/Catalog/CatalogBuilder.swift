import MatviewSyntax

/// Builds a catalog from schema statements in file order. A statement about a table that does
/// not exist yet waits until its CREATE TABLE (schema files may come in any order); one still
/// waiting at the end names a table nothing defines, unless it names a view, whose indexes and
/// ALTERs need nothing from the catalog.
struct CatalogBuilder {
    private var catalog = Catalog()
    private var diagnostics: [Diagnostic] = []
    private let types: DomainTypes
    private let ignoredSchemas: Set<String>
    private var waiting: [(table: TableName, statement: SchemaStatement)] = []

    init(domains statements: [SchemaStatement], ignoredSchemas: Set<String>) {
        self.types = DomainTypes(statements.compactMap { if case .createDomain(let d) = $0 { d } else { nil } })
        self.ignoredSchemas = ignoredSchemas
    }

    mutating func finish() -> (Catalog, [Diagnostic]) {
        for (name, statement) in waiting where catalog.untypedRelations[name] == nil {
            let location: SourceLocation
            switch statement {
            case .addConstraint(_, let constraint): location = constraint.location
            case .createIndex(let index): location = index.location
            case .alterTable(let table, _): location = table.name.location
            default: continue
            }
            diagnostics.append(.error(.unknownTable, at: location, "\(Self.describe(statement)) \(name), which no CREATE TABLE defines"))
        }
        waiting = []
        return (catalog, diagnostics)
    }

    private static func describe(_ statement: SchemaStatement) -> String {
        if case .alterTable = statement { "ALTER TABLE changes table" } else { "constraint on table" }
    }

    mutating func apply(_ statement: SchemaStatement) {
        switch statement {
        case .createTable(let definition):
            create(definition)
        case .untypedRelation(let relation):
            let name = Catalog.normalise(relation.name)
            if !ignoredSchemas.contains(name.schema) { catalog.untypedRelations[name] = relation.kind }
        case .createDomain:
            break // read up front: a domain may be used by a table in an earlier file
        case .createIndex(let index):
            // Only a unique index on plain columns, over all rows, makes a key.
            guard index.unique, !index.partial, index.columns != nil else { return }
            route(statement, to: index.table)
        case .addConstraint(let table, _), .alterTable(let table, _):
            route(statement, to: table)
        }
    }

    /// Applies a statement about one table now, or later when the table is created.
    private mutating func route(_ statement: SchemaStatement, to qualified: QualifiedName) {
        let name = Catalog.normalise(qualified)
        if ignoredSchemas.contains(name.schema) { return }
        if catalog.untypedRelations[name] != nil {
            renameUntyped(name, by: statement)
            return
        }
        guard catalog.tables[name] != nil else {
            waiting.append((name, statement))
            return
        }
        switch statement {
        case .addConstraint(_, let constraint):
            add(constraint, to: name)
        case .createIndex(let index):
            if let columns = index.columns { add(.unique(columns, location: index.location), to: name) }
        case .alterTable(_, let alteration):
            alter(name, alteration)
        default:
            break
        }
    }

    private mutating func renameUntyped(_ name: TableName, by statement: SchemaStatement) {
        guard case .alterTable(_, let alteration) = statement, let kind = catalog.untypedRelations[name] else { return }
        switch alteration {
        case .renameTable(let to):
            catalog.untypedRelations[name] = nil
            catalog.untypedRelations[TableName(schema: name.schema, name: to.name)] = kind
        case .setSchema(let schema):
            catalog.untypedRelations[name] = nil
            catalog.untypedRelations[TableName(schema: schema.name, name: name.name)] = kind
        default:
            break
        }
    }

    /// Statements that waited for this table, in their order.
    private mutating func releaseWaiting(for name: TableName) {
        guard waiting.contains(where: { $0.table == name }) else { return }
        let released = waiting.filter { $0.table == name }
        waiting.removeAll { $0.table == name }
        for entry in released {
            switch entry.statement {
            case .addConstraint(let table, _), .alterTable(let table, _): route(entry.statement, to: table)
            case .createIndex(let index): route(entry.statement, to: index.table)
            default: break
            }
        }
    }

    // MARK: CREATE TABLE

    private mutating func create(_ definition: TableDefinition) {
        let name = Catalog.normalise(definition.name)
        if ignoredSchemas.contains(name.schema) { return }
        if catalog.tables[name] != nil {
            diagnostics.append(.error(.ddlSyntax, at: definition.location, "table \(name) is defined twice"))
            return
        }
        var table = CatalogTable(name: name, columns: [], primaryKey: nil, uniqueKeys: [], foreignKeys: [], location: definition.location)
        if let parentName = definition.partitionOf {
            // A partition has exactly its parent's columns, and its keys (they are partitioned).
            guard let parent = catalog.tables[Catalog.normalise(parentName)] else {
                diagnostics.append(.error(.unknownTable, at: parentName.name.location, "partition of table \(Catalog.normalise(parentName)), which no CREATE TABLE defines"))
                return
            }
            table.columns = parent.columns
            table.primaryKey = parent.primaryKey
            table.uniqueKeys = parent.uniqueKeys
        }
        // INHERITS: each parent's columns, merged by name, then the table's own. Keys are not inherited.
        for parentName in definition.inherits {
            guard let parent = catalog.tables[Catalog.normalise(parentName)] else {
                diagnostics.append(.error(.unknownTable, at: parentName.name.location, "table \(name) inherits from \(Catalog.normalise(parentName)), which no CREATE TABLE defines"))
                continue
            }
            for column in parent.columns { merge(column, into: &table) }
        }
        let inherited = Set(table.columns.map(\.name))
        for column in definition.columns {
            let (type, domainNotNull) = types.resolve(column.type)
            let catalogColumn = CatalogColumn(name: column.name.name, type: type, notNull: column.notNull || domainNotNull)
            if table.column(named: column.name.name) != nil && !inherited.contains(column.name.name) {
                diagnostics.append(.error(.ddlSyntax, at: column.name.location, "column \(column.name.name) is defined twice in table \(name)"))
                continue
            }
            merge(catalogColumn, into: &table)
        }
        catalog.tables[name] = table
        for constraint in definition.constraints { add(constraint, to: name) }
        releaseWaiting(for: name)
    }

    /// A column of the same name from another parent (or redeclared by the child) is one column,
    /// NOT NULL when any declaration says so, as PostgreSQL merges them.
    private func merge(_ column: CatalogColumn, into table: inout CatalogTable) {
        if let index = table.columns.firstIndex(where: { $0.name == column.name }) {
            table.columns[index].notNull = table.columns[index].notNull || column.notNull
        } else {
            table.columns.append(column)
        }
    }

    // MARK: Constraints

    private mutating func add(_ constraint: TableConstraint, to name: TableName) {
        guard var table = catalog.tables[name] else { return }
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
                table.foreignKeys.append(ForeignKey(columns: names, references: Catalog.normalise(references), referencedColumns: referenced.map(\.name)))
            }
        }
        catalog.tables[name] = table
    }

    // MARK: ALTER TABLE

    private mutating func alter(_ name: TableName, _ alteration: TableAlteration) {
        guard var table = catalog.tables[name] else { return }
        func existing(_ column: Identifier) -> Int? {
            if let index = table.columns.firstIndex(where: { $0.name == column.name }) { return index }
            diagnostics.append(.error(.unknownColumn, at: column.location, "table \(name) has no column \(column.name)"))
            return nil
        }
        switch alteration {
        case .addColumn(let column, let ifNotExists):
            guard table.column(named: column.name.name) == nil else {
                if !ifNotExists {
                    diagnostics.append(.error(.ddlSyntax, at: column.name.location, "column \(column.name.name) already exists in table \(name)"))
                }
                return
            }
            let (type, domainNotNull) = types.resolve(column.type)
            table.columns.append(CatalogColumn(name: column.name.name, type: type, notNull: column.notNull || domainNotNull))
        case .dropColumn(let column, let ifExists):
            guard table.column(named: column.name) != nil else {
                if !ifExists { _ = existing(column) }
                return
            }
            // PostgreSQL drops the keys on the column with it, and (CASCADE) foreign keys to it.
            table.columns.removeAll { $0.name == column.name }
            if table.primaryKey?.contains(column.name) == true { table.primaryKey = nil }
            table.uniqueKeys.removeAll { $0.contains(column.name) }
            table.foreignKeys.removeAll { $0.columns.contains(column.name) }
            catalog.tables[name] = table
            forEachForeignKey(to: name) { key in key.referencedColumns.contains(column.name) ? nil : key }
            return
        case .renameColumn(let old, let new):
            guard let index = existing(old) else { return }
            guard table.column(named: new.name) == nil else {
                diagnostics.append(.error(.ddlSyntax, at: new.location, "column \(new.name) already exists in table \(name)"))
                return
            }
            func renamed(_ columns: [String]) -> [String] { columns.map { $0 == old.name ? new.name : $0 } }
            table.columns[index].name = new.name
            table.primaryKey = table.primaryKey.map(renamed)
            table.uniqueKeys = table.uniqueKeys.map(renamed)
            for k in table.foreignKeys.indices { table.foreignKeys[k].columns = renamed(table.foreignKeys[k].columns) }
            catalog.tables[name] = table
            forEachForeignKey(to: name) { key in
                var key = key
                key.referencedColumns = renamed(key.referencedColumns)
                return key
            }
            return
        case .setNotNull(let column, let notNull):
            guard let index = existing(column) else { return }
            table.columns[index].notNull = notNull
        case .setType(let column, let typeName):
            guard let index = existing(column) else { return }
            let (type, domainNotNull) = types.resolve(typeName)
            table.columns[index].type = type
            if domainNotNull { table.columns[index].notNull = true }
        case .renameTable(let to):
            move(name, to: TableName(schema: name.schema, name: to.name), at: to.location)
            return
        case .setSchema(let schema):
            move(name, to: TableName(schema: schema.name, name: name.name), at: schema.location)
            return
        }
        catalog.tables[name] = table
    }

    private mutating func move(_ name: TableName, to newName: TableName, at location: SourceLocation) {
        guard newName != name, var table = catalog.tables[name] else { return }
        guard catalog.tables[newName] == nil, catalog.untypedRelations[newName] == nil else {
            diagnostics.append(.error(.ddlSyntax, at: location, "table \(newName) already exists"))
            return
        }
        catalog.tables[name] = nil
        table.name = newName
        catalog.tables[newName] = table
        for other in Array(catalog.tables.keys) {
            guard var t = catalog.tables[other] else { continue }
            for k in t.foreignKeys.indices where t.foreignKeys[k].references == name { t.foreignKeys[k].references = newName }
            catalog.tables[other] = t
        }
        if ignoredSchemas.contains(newName.schema) { catalog.tables[newName] = nil }
        releaseWaiting(for: newName)
    }

    /// Rewrites (or, for nil, removes) every foreign key that references `name`.
    private mutating func forEachForeignKey(to name: TableName, _ transform: (ForeignKey) -> ForeignKey?) {
        for other in Array(catalog.tables.keys) {
            guard var t = catalog.tables[other], t.foreignKeys.contains(where: { $0.references == name }) else { continue }
            t.foreignKeys = t.foreignKeys.compactMap { $0.references == name ? transform($0) : $0 }
            catalog.tables[other] = t
        }
    }
}

extension TableConstraint {
    var location: SourceLocation {
        switch self {
        case .primaryKey(_, let l), .unique(_, let l), .foreignKey(_, _, _, let l): l
        }
    }
}
