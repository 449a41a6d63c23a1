/// CREATE [UNIQUE] INDEX: a non-partial unique index on plain columns is a key of its table.
/// `ON ONLY parent` (pg_dump's partitioned indexes) reads like any other.
extension DDLReader {
    mutating func createIndex(at location: SourceLocation) throws -> [SchemaStatement]? {
        let unique = parser.matchWord("unique")
        try parser.expectWord("index", "after CREATE UNIQUE")
        _ = parser.matchWord("concurrently")
        try skipIfNotExists()
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
            // Operator class (schema-qualified, with options in parentheses since PostgreSQL 13, as
            // `embedding public.vector_cosine_ops`), COLLATE, ASC/DESC, NULLS FIRST/LAST: not needed.
            options: while true {
                switch parser.current.kind {
                case .word, .quotedIdentifier, .dot: parser.advance()
                case .leftParen: skipParenthesised()
                default: break options
                }
            }
        } while parser.current.kind == .comma
        try parser.expect(.rightParen, "')' after the index columns")
        var partial = false
        while !parser.atEnd && parser.current.kind != .semicolon {
            if parser.current.isWord("where") { partial = true }
            parser.advance()
        }
        return [.createIndex(IndexDefinition(table: table, unique: unique, columns: columns, partial: partial, location: location))]
    }
}
