/// CREATE DOMAIN name [AS] base [COLLATE ...] [DEFAULT ...] [CONSTRAINT c] {NOT NULL | NULL | CHECK (...)} ...
extension DDLReader {
    mutating func createDomain() throws -> [SchemaStatement]? {
        let name = try qualifiedName()
        _ = parser.matchWord("as")
        let base = try parser.typeName()
        var notNull = false
        var depth = 0
        while !parser.atEnd && parser.current.kind != .semicolon {
            if parser.current.kind == .leftParen { depth += 1 }
            if parser.current.kind == .rightParen { depth -= 1 }
            if depth <= 0 && (parser.current.isWord("create") || parser.current.isWord("alter")) { break }
            if depth == 0 && parser.matchWord("not") {
                // NOT NULL at the top level; inside CHECK (...) it is part of an expression.
                if parser.matchWord("null") { notNull = true }
                continue
            }
            if depth == 0 && parser.matchWord("null") { notNull = false; continue }
            parser.advance()
        }
        return [.createDomain(DomainDefinition(name: name, base: base, notNull: notNull))]
    }
}
