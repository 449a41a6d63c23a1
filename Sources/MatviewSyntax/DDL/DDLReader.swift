/// A tolerant reader for PostgreSQL schema files. It understands the statements that define the
/// catalog (CREATE TABLE with column and table constraints, ALTER TABLE ... ADD [CONSTRAINT]
/// PRIMARY KEY | UNIQUE | FOREIGN KEY, CREATE [UNIQUE] INDEX) and skips every other statement,
/// so the output of `pg_dump --schema-only` reads as it is.
public struct DDLReader {
    private var parser: Parser
    private var diagnostics: [Diagnostic] = []
    private var statements: [SchemaStatement] = []

    public static func read(path: String, text: String) -> (statements: [SchemaStatement], diagnostics: [Diagnostic]) {
        let source = SourceText(path: path, text: text)
        var lexer = Lexer(source.scalars)
        let tokens = lexer.tokenize()
        var reader = DDLReader(parser: Parser(tokens: tokens, locator: source))
        for failure in lexer.failures {
            reader.diagnostics.append(.error(.ddlSyntax, at: source.location(ofOffset: failure.offset), failure.message))
        }
        reader.readAll()
        return (reader.statements, reader.diagnostics)
    }

    private init(parser: Parser) {
        self.parser = parser
    }

    private mutating func readAll() {
        while !parser.atEnd {
            if parser.current.kind == .semicolon { parser.advance(); continue }
            let start = parser.current
            do {
                if let statement = try statement() {
                    statements.append(statement)
                    if parser.current.isWord("create") || parser.current.isWord("alter") {
                        // A missing ';': report it and read the next statement from here.
                        diagnostics.append(.error(.ddlSyntax, at: parser.currentLocation, "expected ';' before \(parser.current.display.uppercased())"))
                        continue
                    }
                    guard parser.current.kind == .semicolon || parser.atEnd else {
                        throw parser.error("expected ';' at the end of the statement, found '\(parser.current.display)'")
                    }
                }
            } catch let error as Parser.SyntaxError {
                diagnostics.append(.error(.ddlSyntax, at: error.location, error.message,
                                          hint: "statement starting with '\(start.display)' was skipped"))
            } catch {
                diagnostics.append(.error(.ddlSyntax, at: parser.currentLocation, "\(error)"))
            }
            skipToStatementEnd(startingAt: start)
        }
    }

    /// Skips the rest of a statement. One cut off by the end of the file inside parentheses is
    /// reported: PostgreSQL would refuse it, and it usually means the file was truncated.
    private mutating func skipToStatementEnd(startingAt start: Token) {
        var depth = 0
        while !parser.atEnd && parser.current.kind != .semicolon {
            if parser.current.kind == .leftParen { depth += 1 }
            if parser.current.kind == .rightParen { depth -= 1 }
            parser.advance()
        }
        if parser.atEnd && depth > 0 {
            diagnostics.append(.error(.ddlSyntax, at: parser.location(of: start), "the statement starting here has an unclosed '(' at the end of the file"))
        }
        if parser.current.kind == .semicolon { parser.advance() }
    }

    /// One statement, or nil for one we skip.
    private mutating func statement() throws -> SchemaStatement? {
        let location = parser.currentLocation
        if parser.matchWord("create") {
            // CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE
            while ["global", "local", "temp", "temporary", "unlogged"].contains(parser.current.word ?? "") { parser.advance() }
            if parser.matchWord("table") { return try createTable(at: location) }
            if parser.current.isWord("unique") || parser.current.isWord("index") { return try createIndex(at: location) }
            return nil
        }
        if parser.matchWord("alter") {
            guard parser.matchWord("table") else { return nil }
            return try alterTable()
        }
        return nil
    }

    private mutating func qualifiedName() throws -> QualifiedName {
        let first = try parser.identifier()
        if parser.current.kind == .dot {
            parser.advance()
            return QualifiedName(schema: first, name: try parser.identifier())
        }
        return QualifiedName(schema: nil, name: first)
    }

    // MARK: CREATE TABLE

    private mutating func createTable(at location: SourceLocation) throws -> SchemaStatement? {
        if parser.matchWord("if") { try parser.expectWord("not", "in IF NOT EXISTS"); try parser.expectWord("exists", "in IF NOT EXISTS") }
        let name = try qualifiedName()
        if parser.current.isWord("partition") || parser.current.isWord("of") || parser.current.isWord("as") {
            return nil // partitions and CREATE TABLE AS are not source tables we can type
        }
        try parser.expect(.leftParen, "'(' after the table name")
        var columns: [ColumnDefinition] = []
        var constraints: [TableConstraint] = []
        if parser.current.kind != .rightParen {
            repeat {
                if parser.current.kind == .comma { parser.advance() }
                if isTableConstraintStart {
                    if let constraint = try tableConstraint() { constraints.append(constraint) }
                } else if parser.current.isWord("like") {
                    throw parser.error("CREATE TABLE ... (LIKE other) is not supported; list the columns")
                } else {
                    let (column, columnConstraints) = try columnDefinition()
                    columns.append(column)
                    constraints.append(contentsOf: columnConstraints)
                }
            } while parser.current.kind == .comma
        }
        try parser.expect(.rightParen, "')' or ',' in the column list")
        try skipTableOptions()
        return .createTable(TableDefinition(name: name, columns: columns, constraints: constraints, location: location))
    }

    /// INHERITS (...), PARTITION BY ..., USING method, WITH (...), WITHOUT OIDS, TABLESPACE name,
    /// ON COMMIT ...: options after the column list that do not change the columns. Anything else
    /// there (most often a missing ';') is an error, so a following statement is not lost.
    private mutating func skipTableOptions() throws {
        let starts: Set<String> = ["inherits", "partition", "using", "with", "without", "tablespace", "on"]
        while let word = parser.current.word, starts.contains(word) {
            parser.advance()
            var depth = 0
            while !parser.atEnd && parser.current.kind != .semicolon {
                if parser.current.kind == .leftParen { depth += 1 }
                if parser.current.kind == .rightParen { depth -= 1 }
                if depth == 0, let next = parser.current.word, starts.contains(next) { break }
                if depth == 0, parser.current.isWord("create") || parser.current.isWord("alter") { return }
                parser.advance()
            }
        }
        guard parser.current.kind == .semicolon || parser.atEnd || parser.current.isWord("create") || parser.current.isWord("alter") else {
            throw parser.error("expected ';' after CREATE TABLE, found '\(parser.current.display)'")
        }
    }

    private var isTableConstraintStart: Bool {
        guard let word = parser.current.word else { return false }
        return ["constraint", "primary", "unique", "foreign", "check", "exclude"].contains(word)
    }

    private mutating func columnDefinition() throws -> (ColumnDefinition, [TableConstraint]) {
        let name = try parser.identifier()
        let type = try parser.typeName()
        var notNull = false
        var constraints: [TableConstraint] = []
        while parser.current.kind != .comma && parser.current.kind != .rightParen && parser.current.kind != .semicolon && !parser.atEnd {
            let location = parser.currentLocation
            if parser.matchWord("constraint") { _ = try parser.identifier(); continue }
            if parser.matchWord("not") {
                try parser.expectWord("null", "after NOT")
                notNull = true
            } else if parser.matchWord("null") {
                notNull = false
            } else if parser.matchWord("primary") {
                try parser.expectWord("key", "after PRIMARY")
                notNull = true
                constraints.append(.primaryKey([name], location: location))
            } else if parser.matchWord("unique") {
                skipNullsDistinct()
                constraints.append(.unique([name], location: location))
            } else if parser.matchWord("references") {
                let target = try qualifiedName()
                var referenced: [Identifier] = []
                if parser.current.kind == .leftParen { referenced = try identifierList() }
                skipReferentialActions()
                constraints.append(.foreignKey(columns: [name], references: target, referencedColumns: referenced, location: location))
            } else if parser.matchWord("default") || parser.matchWord("check") || parser.matchWord("generated") || parser.matchWord("collate") {
                skipClause()
            } else if let word = parser.current.word, ["deferrable", "initially", "deferred", "immediate", "storage", "compression", "plain", "external", "extended", "main"].contains(word) {
                parser.advance()
            } else {
                throw parser.error("unexpected '\(parser.current.display)' in the definition of column \(name.name); is a comma missing?")
            }
        }
        return (ColumnDefinition(name: name, type: type, notNull: notNull), constraints)
    }

    /// Skips tokens up to the next column constraint keyword, ',' or ')' at this depth.
    private mutating func skipClause() {
        var depth = 0
        let stops: Set<String> = ["not", "null", "primary", "unique", "references", "default", "check", "constraint", "generated", "collate"]
        while !parser.atEnd {
            switch parser.current.kind {
            case .leftParen: depth += 1
            case .rightParen:
                if depth == 0 { return }
                depth -= 1
            case .comma where depth == 0, .semicolon: return
            case .word(let w) where depth == 0 && stops.contains(w):
                // `DEFAULT NULL` / `IS NOT NULL` inside a default: only a stop if it is not the first token.
                return
            default: break
            }
            parser.advance()
            if depth == 0, case .word(let w) = parser.current.kind, w == "null" || w == "not" {
                // Let the caller see NOT NULL / NULL after the default.
                return
            }
        }
    }

    private mutating func skipNullsDistinct() {
        if parser.current.isWord("nulls") {
            parser.advance()
            _ = parser.matchWord("not")
            _ = parser.matchWord("distinct")
        }
    }

    private mutating func skipReferentialActions() {
        while let word = parser.current.word, ["on", "match", "delete", "update", "cascade", "restrict", "set", "null", "default", "no", "action", "full", "partial", "simple", "deferrable", "initially", "deferred", "immediate"].contains(word) {
            if word == "not" { break }
            parser.advance()
        }
    }

    private mutating func identifierList() throws -> [Identifier] {
        try parser.expect(.leftParen, "'('")
        var names = [try parser.identifier()]
        while parser.current.kind == .comma {
            parser.advance()
            names.append(try parser.identifier())
        }
        try parser.expect(.rightParen, "')'")
        return names
    }

    private mutating func tableConstraint() throws -> TableConstraint? {
        let location = parser.currentLocation
        if parser.matchWord("constraint") { _ = try parser.identifier() }
        if parser.matchWord("primary") {
            try parser.expectWord("key", "after PRIMARY")
            let columns = try identifierList()
            skipConstraintOptions()
            return .primaryKey(columns, location: location)
        }
        if parser.matchWord("unique") {
            skipNullsDistinct()
            let columns = try identifierList()
            skipConstraintOptions()
            return .unique(columns, location: location)
        }
        if parser.matchWord("foreign") {
            try parser.expectWord("key", "after FOREIGN")
            let columns = try identifierList()
            try parser.expectWord("references", "in FOREIGN KEY")
            let target = try qualifiedName()
            var referenced: [Identifier] = []
            if parser.current.kind == .leftParen { referenced = try identifierList() }
            skipReferentialActions()
            skipConstraintOptions()
            return .foreignKey(columns: columns, references: target, referencedColumns: referenced, location: location)
        }
        // CHECK (...), EXCLUDE ...: skipped.
        skipConstraintOptions()
        return nil
    }

    /// Skips to the ',' or ')' that ends a table element (or ';' in ALTER TABLE).
    private mutating func skipConstraintOptions() {
        var depth = 0
        while !parser.atEnd {
            switch parser.current.kind {
            case .leftParen: depth += 1
            case .rightParen:
                if depth == 0 { return }
                depth -= 1
            case .comma where depth == 0, .semicolon: return
            default: break
            }
            parser.advance()
        }
    }

    // MARK: ALTER TABLE

    private mutating func alterTable() throws -> SchemaStatement? {
        if parser.matchWord("if") { try parser.expectWord("exists", "in IF EXISTS") }
        _ = parser.matchWord("only")
        let table = try qualifiedName()
        guard parser.matchWord("add") else { return nil }
        guard isTableConstraintStart else { return nil } // ADD COLUMN is not followed: keep tables in CREATE TABLE
        guard let constraint = try tableConstraint() else { return nil }
        return .addConstraint(table: table, constraint)
    }

    // MARK: CREATE INDEX

    private mutating func createIndex(at location: SourceLocation) throws -> SchemaStatement? {
        let unique = parser.matchWord("unique")
        try parser.expectWord("index", "after CREATE UNIQUE")
        _ = parser.matchWord("concurrently")
        if parser.matchWord("if") { try parser.expectWord("not", "in IF NOT EXISTS"); try parser.expectWord("exists", "in IF NOT EXISTS") }
        if !parser.current.isWord("on") { _ = try qualifiedName() }
        try parser.expectWord("on", "in CREATE INDEX")
        _ = parser.matchWord("only")
        let table = try qualifiedName()
        if parser.matchWord("using") { _ = try parser.identifier() }
        try parser.expect(.leftParen, "'(' before the index columns")
        var columns: [Identifier]? = []
        repeat {
            if parser.current.kind == .comma { parser.advance() }
            let expr = try parser.expression()
            if case .column(_, let name) = expr.kind { columns?.append(name) } else { columns = nil }
            // Operator class, COLLATE, ASC/DESC, NULLS FIRST/LAST: words we do not need.
            while parser.current.word != nil || { if case .quotedIdentifier = parser.current.kind { true } else { false } }() {
                parser.advance()
            }
        } while parser.current.kind == .comma
        try parser.expect(.rightParen, "')' after the index columns")
        var partial = false
        while !parser.atEnd && parser.current.kind != .semicolon {
            if parser.current.isWord("where") { partial = true }
            parser.advance()
        }
        return .createIndex(IndexDefinition(table: table, unique: unique, columns: columns, partial: partial, location: location))
    }
}
