/// Statements whose bodies may hold semicolons outside quotes, read to their real end so the
/// rest of the body is not taken for new statements: a rule with several actions,
/// `DO INSTEAD (INSERT ...; UPDATE ...)`, and a function or procedure with an SQL-standard body,
/// `BEGIN ATOMIC ...; ...; END` (pg_dump 14 and later print those as written). Dollar-quoted
/// bodies (`$$`, `$_$`, `$tag$`) are single string tokens already.
extension DDLReader {
    mutating func skipRule() throws -> [SchemaStatement]? {
        while !parser.atEnd && parser.current.kind != .semicolon && !parser.current.isWord("do") { parser.advance() }
        guard parser.matchWord("do") else { return [] }
        _ = parser.matchWord("also")
        _ = parser.matchWord("instead")
        if parser.current.kind == .leftParen { skipParenthesised() }
        skipStatementBody()
        return []
    }

    /// A routine without a BEGIN ATOMIC body is left to the ordinary skipping (nil), which
    /// also reports one cut off inside parentheses.
    mutating func skipRoutine() throws -> [SchemaStatement]? {
        let start = parser
        var depth = 0
        var atomic = false
        while !parser.atEnd && parser.current.kind != .semicolon {
            if parser.current.kind == .leftParen { depth += 1 }
            if parser.current.kind == .rightParen { depth -= 1 }
            if depth == 0 && parser.matchWord("begin") {
                if parser.matchWord("atomic") { skipAtomicBody(); atomic = true }
                continue
            }
            parser.advance()
        }
        if !atomic { parser = start; return nil }
        return []
    }

    /// After BEGIN ATOMIC: up to and including the END that closes it (CASE ... END nests).
    private mutating func skipAtomicBody() {
        var open = 1
        while !parser.atEnd {
            if parser.current.isWord("case") { open += 1 }
            if parser.current.isWord("end") {
                open -= 1
                if open == 0 { parser.advance(); return }
            }
            parser.advance()
        }
    }
}
