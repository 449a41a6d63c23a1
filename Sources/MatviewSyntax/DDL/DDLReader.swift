/// A tolerant reader for PostgreSQL schema files. It understands the statements that define the
/// catalog (CREATE TABLE, its partitions and inheritance, the ALTER TABLE actions that change
/// columns, keys or names, CREATE [UNIQUE] INDEX, CREATE DOMAIN) and notes the names of views;
/// every other statement is skipped, so the output of `pg_dump --schema-only` (or a full dump,
/// COPY data and psql meta-commands included) reads as it is.
///
/// Each statement kind is read in its own file: DDLReader+CreateTable, +AlterTable, +CreateIndex,
/// +Domain, +View, and +Bodies (statements whose bodies hold semicolons).
public struct DDLReader {
    var parser: Parser
    var diagnostics: [Diagnostic] = []
    private var statements: [SchemaStatement] = []

    public static func read(path: String, text: String) -> (statements: [SchemaStatement], diagnostics: [Diagnostic]) {
        let source = SourceText(path: path, text: text)
        let (tokens, failures) = ScriptTokenizer.tokenize(source.scalars)
        var reader = DDLReader(parser: Parser(tokens: tokens, locator: source))
        for failure in failures {
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
                if let found = try statement() {
                    statements.append(contentsOf: found)
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

    /// The statements one SQL statement contributes (an ALTER TABLE may hold several actions);
    /// an empty list for one that was read and has nothing for the catalog; nil for one skipped
    /// unread, up to its ';'.
    private mutating func statement() throws -> [SchemaStatement]? {
        let location = parser.currentLocation
        if parser.matchWord("create") {
            if parser.matchWord("or") { try parser.expectWord("replace", "after CREATE OR") }
            // CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE, CREATE [TEMP] [RECURSIVE] VIEW
            while ["global", "local", "temp", "temporary", "unlogged", "recursive"].contains(parser.current.word ?? "") { parser.advance() }
            if parser.matchWord("table") { return try createTable(at: location, foreign: false) }
            if parser.current.isWord("foreign") {
                parser.advance()
                // CREATE FOREIGN TABLE has columns; CREATE FOREIGN DATA WRAPPER does not.
                guard parser.matchWord("table") else { return nil }
                return try createTable(at: location, foreign: true)
            }
            if parser.current.isWord("unique") || parser.current.isWord("index") { return try createIndex(at: location) }
            if parser.matchWord("materialized") {
                try parser.expectWord("view", "after CREATE MATERIALIZED")
                return try createView(at: location, materialized: true)
            }
            if parser.matchWord("view") { return try createView(at: location, materialized: false) }
            if parser.matchWord("domain") { return try createDomain() }
            if parser.matchWord("rule") { return try skipRule() }
            if parser.current.isWord("function") || parser.current.isWord("procedure") { return try skipRoutine() }
            return nil
        }
        if parser.matchWord("alter") {
            // ALTER [MATERIALIZED] VIEW takes ALTER TABLE's RENAME TO and SET SCHEMA, which keep
            // the catalog's view names current; its other actions mean nothing to the catalog.
            if parser.matchWord("materialized") { try parser.expectWord("view", "after ALTER MATERIALIZED") }
            else if !parser.matchWord("view") { guard parser.matchWord("table") else { return nil } }
            return try alterTable()
        }
        return nil
    }

    // MARK: Shared pieces of syntax

    mutating func qualifiedName() throws -> QualifiedName {
        let first = try parser.identifier()
        if parser.current.kind == .dot {
            parser.advance()
            return QualifiedName(schema: first, name: try parser.identifier())
        }
        return QualifiedName(schema: nil, name: first)
    }

    mutating func identifierList() throws -> [Identifier] {
        try parser.expect(.leftParen, "'('")
        var names = [try parser.identifier()]
        while parser.current.kind == .comma {
            parser.advance()
            names.append(try parser.identifier())
        }
        try parser.expect(.rightParen, "')'")
        return names
    }

    mutating func skipIfNotExists() throws {
        if parser.matchWord("if") {
            try parser.expectWord("not", "in IF NOT EXISTS")
            try parser.expectWord("exists", "in IF NOT EXISTS")
        }
    }

    /// Skips a balanced `( ... )`, starting at its '('.
    mutating func skipParenthesised() {
        var depth = 0
        repeat {
            if parser.current.kind == .leftParen { depth += 1 }
            if parser.current.kind == .rightParen { depth -= 1 }
            parser.advance()
        } while depth > 0 && !parser.atEnd
    }

    /// Skips to the statement's ';' (parentheses may hold anything but one). Stops early at a
    /// CREATE outside parentheses, a reserved word no statement body holds there, so a missing
    /// ';' is reported rather than swallowing the next statement.
    mutating func skipStatementBody() {
        var depth = 0
        while !parser.atEnd && parser.current.kind != .semicolon {
            if parser.current.kind == .leftParen { depth += 1 }
            if parser.current.kind == .rightParen { depth -= 1 }
            if depth <= 0 && parser.current.isWord("create") { return }
            parser.advance()
        }
    }
}
