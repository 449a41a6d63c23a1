/// ALTER TABLE: the actions that change what the catalog knows (ADD/DROP/RENAME COLUMN, ALTER
/// COLUMN ... SET/DROP NOT NULL, TYPE, ADD GENERATED AS IDENTITY, ADD constraint, RENAME TO,
/// SET SCHEMA), each kept in file order; every other action (OWNER TO, ATTACH PARTITION, ENABLE
/// ROW LEVEL SECURITY, SET DEFAULT, ...) is skipped up to the ',' or ';' that ends it.
extension DDLReader {
    mutating func alterTable() throws -> [SchemaStatement]? {
        if parser.matchWord("if") { try parser.expectWord("exists", "in IF EXISTS") }
        if parser.current.isWord("all") { return nil } // ALTER TABLE ALL IN TABLESPACE: no one table
        _ = parser.matchWord("only")
        let table = try qualifiedName()
        if parser.current.isOp("*") { parser.advance() }
        var statements: [SchemaStatement] = []
        repeat {
            if parser.current.kind == .comma { parser.advance() }
            statements += try alterTableAction(on: table)
            skipRestOfAction()
        } while parser.current.kind == .comma
        return statements
    }

    private mutating func alterTableAction(on table: QualifiedName) throws -> [SchemaStatement] {
        if parser.matchWord("add") {
            if isTableConstraintStart {
                guard let constraint = try tableConstraint() else { return [] }
                return [.addConstraint(table: table, constraint)]
            }
            _ = parser.matchWord("column")
            var ifNotExists = false
            if parser.current.isWord("if") { try skipIfNotExists(); ifNotExists = true }
            let (column, constraints) = try columnDefinition()
            return [.alterTable(table: table, .addColumn(column, ifNotExists: ifNotExists))]
                + constraints.map { .addConstraint(table: table, $0) }
        }
        if parser.matchWord("drop") {
            if parser.current.isWord("constraint") { return [] }
            _ = parser.matchWord("column")
            var ifExists = false
            if parser.matchWord("if") { try parser.expectWord("exists", "in IF EXISTS"); ifExists = true }
            return [.alterTable(table: table, .dropColumn(try parser.identifier(), ifExists: ifExists))]
        }
        if parser.matchWord("rename") {
            if parser.matchWord("to") { return [.alterTable(table: table, .renameTable(to: try parser.identifier()))] }
            if parser.current.isWord("constraint") { return [] }
            _ = parser.matchWord("column")
            let old = try parser.identifier()
            try parser.expectWord("to", "in RENAME COLUMN")
            return [.alterTable(table: table, .renameColumn(old, to: try parser.identifier()))]
        }
        if parser.matchWord("set") {
            guard parser.matchWord("schema") else { return [] }
            return [.alterTable(table: table, .setSchema(try parser.identifier()))]
        }
        if parser.matchWord("alter") {
            _ = parser.matchWord("column")
            let column = try parser.identifier()
            if parser.matchWord("set") {
                if parser.matchWord("not") {
                    try parser.expectWord("null", "after SET NOT")
                    return [.alterTable(table: table, .setNotNull(column, true))]
                }
                guard parser.matchWord("data") else { return [] }
                try parser.expectWord("type", "after SET DATA")
                return [.alterTable(table: table, .setType(column, try parser.typeName()))]
            }
            if parser.matchWord("drop") {
                guard parser.matchWord("not") else { return [] }
                try parser.expectWord("null", "after DROP NOT")
                return [.alterTable(table: table, .setNotNull(column, false))]
            }
            if parser.matchWord("type") { return [.alterTable(table: table, .setType(column, try parser.typeName()))] }
            // ADD GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY (...): pg_dump's way of writing an
            // identity column, which is NOT NULL.
            if parser.matchWord("add") && parser.current.isWord("generated") {
                return [.alterTable(table: table, .setNotNull(column, true))]
            }
        }
        return []
    }

    /// Skips what is left of one action: up to the ',' between actions or the ';' (a CREATE
    /// outside parentheses means the ';' is missing, which the caller reports).
    private mutating func skipRestOfAction() {
        var depth = 0
        while !parser.atEnd && parser.current.kind != .semicolon {
            switch parser.current.kind {
            case .leftParen: depth += 1
            case .rightParen: depth -= 1
            case .comma where depth <= 0: return
            case .word("create") where depth <= 0: return
            default: break
            }
            parser.advance()
        }
    }
}
