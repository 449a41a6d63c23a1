/// CREATE [FOREIGN] TABLE: columns with their constraints, table constraints, INHERITS, and
/// PARTITION OF (a partition has its parent's columns).
extension DDLReader {
    mutating func createTable(at location: SourceLocation, foreign: Bool) throws -> [SchemaStatement]? {
        try skipIfNotExists()
        let name = try qualifiedName()
        if parser.matchWord("partition") {
            try parser.expectWord("of", "after PARTITION")
            return try partition(name, of: try qualifiedName(), at: location)
        }
        if parser.current.isWord("of") || parser.current.isWord("as") {
            // Typed tables and CREATE TABLE AS: their columns come from elsewhere, so they are
            // known by name only (their keys and ALTERs are then no error).
            let kind: UntypedRelation.Kind = parser.current.isWord("of") ? .typedTable : .tableFromQuery
            skipStatementBody()
            return [.untypedRelation(UntypedRelation(name: name, kind: kind, location: location))]
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
        let inherits = try tableOptions(foreign ? ["server", "options"] : [])
        return [.createTable(TableDefinition(name: name, columns: columns, constraints: constraints, location: location, inherits: inherits))]
    }

    /// `PARTITION OF parent [( column options and constraints )] { FOR VALUES ... | DEFAULT }`.
    /// A column option's NOT NULL becomes an ALTER that follows the table.
    private mutating func partition(_ name: QualifiedName, of parent: QualifiedName, at location: SourceLocation) throws -> [SchemaStatement] {
        var constraints: [TableConstraint] = []
        var notNull: [SchemaStatement] = []
        if parser.current.kind == .leftParen {
            parser.advance()
            if parser.current.kind != .rightParen {
                repeat {
                    if parser.current.kind == .comma { parser.advance() }
                    if isTableConstraintStart {
                        if let constraint = try tableConstraint() { constraints.append(constraint) }
                    } else {
                        let column = try parser.identifier()
                        if parser.matchWord("with") { try parser.expectWord("options", "after WITH") }
                        let (isNotNull, columnConstraints) = try columnConstraints(of: column)
                        constraints.append(contentsOf: columnConstraints)
                        if isNotNull { notNull.append(.alterTable(table: name, .setNotNull(column, true))) }
                    }
                } while parser.current.kind == .comma
            }
            try parser.expect(.rightParen, "')' or ',' in the partition's column list")
        }
        _ = try tableOptions(["for", "default"])
        return [.createTable(TableDefinition(name: name, columns: [], constraints: constraints, location: location, partitionOf: parent))] + notNull
    }

    /// INHERITS (...), PARTITION BY ..., USING method, WITH (...), WITHOUT OIDS, TABLESPACE name,
    /// ON COMMIT ..., and `extra` ones: options after the column list that do not change the
    /// columns, except INHERITS, whose parents are returned. Anything else there (most often a
    /// missing ';') is an error, so a following statement is not lost.
    private mutating func tableOptions(_ extra: Set<String>) throws -> [QualifiedName] {
        let starts = Set(["inherits", "partition", "using", "with", "without", "tablespace", "on"]).union(extra)
        var parents: [QualifiedName] = []
        while let word = parser.current.word, starts.contains(word) {
            parser.advance()
            if word == "inherits" {
                try parser.expect(.leftParen, "'(' after INHERITS")
                repeat {
                    if parser.current.kind == .comma { parser.advance() }
                    parents.append(try qualifiedName())
                } while parser.current.kind == .comma
                try parser.expect(.rightParen, "')' after the parent tables")
                continue
            }
            var depth = 0
            while !parser.atEnd && parser.current.kind != .semicolon {
                if parser.current.kind == .leftParen { depth += 1 }
                if parser.current.kind == .rightParen { depth -= 1 }
                if depth == 0, let next = parser.current.word, starts.contains(next) { break }
                if depth == 0, parser.current.isWord("create") || parser.current.isWord("alter") { return parents }
                parser.advance()
            }
        }
        guard parser.current.kind == .semicolon || parser.atEnd || parser.current.isWord("create") || parser.current.isWord("alter") else {
            throw parser.error("expected ';' after CREATE TABLE, found '\(parser.current.display)'")
        }
        return parents
    }

    var isTableConstraintStart: Bool {
        guard let word = parser.current.word else { return false }
        return ["constraint", "primary", "unique", "foreign", "check", "exclude"].contains(word)
    }

    mutating func columnDefinition() throws -> (ColumnDefinition, [TableConstraint]) {
        let name = try parser.identifier()
        let type = try parser.typeName()
        let (notNull, constraints) = try columnConstraints(of: name)
        return (ColumnDefinition(name: name, type: type, notNull: notNull), constraints)
    }

    /// The constraints after a column's type: whether they make it NOT NULL (NOT NULL, PRIMARY
    /// KEY, an identity column), and the keys they declare.
    private mutating func columnConstraints(of name: Identifier) throws -> (notNull: Bool, [TableConstraint]) {
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
            } else if parser.matchWord("generated") {
                // GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY [(...)] is NOT NULL, as in PostgreSQL;
                // GENERATED ALWAYS AS (expr) STORED is an ordinary, nullable column.
                while let word = parser.current.word, ["always", "by", "default", "as"].contains(word) { parser.advance() }
                if parser.matchWord("identity") { notNull = true }
                skipClause()
            } else if parser.matchWord("default") || parser.matchWord("check") || parser.matchWord("collate") || parser.matchWord("options") {
                skipClause()
            } else if let word = parser.current.word, ["deferrable", "initially", "deferred", "immediate", "storage", "compression", "plain", "external", "extended", "main"].contains(word) {
                parser.advance()
            } else {
                throw parser.error("unexpected '\(parser.current.display)' in the definition of column \(name.name); is a comma missing?")
            }
        }
        return (notNull, constraints)
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

    mutating func tableConstraint() throws -> TableConstraint? {
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
}
