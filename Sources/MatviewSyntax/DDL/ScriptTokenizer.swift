/// Turns a psql script, which is what `pg_dump` writes, into the tokens of its SQL statements.
///
/// Two things in such a script are not SQL and would derail the lexer: psql meta-commands
/// (`\connect db`, pg_dump's `\restrict KEY` / `\unrestrict KEY`), which run to the end of their
/// line, and the rows of `COPY ... FROM stdin;` in a data dump, raw lines up to a line `\.` that
/// may hold unbalanced quotes. Both are stepped over here; every other token keeps its offset, so
/// diagnostics still point at the right line and column.
struct ScriptTokenizer {
    static func tokenize(_ scalars: [Unicode.Scalar]) -> (tokens: [Token], failures: [Lexer.Failure]) {
        var tokens: [Token] = []
        var failures: [Lexer.Failure] = []
        var statementStart = 0 // index in `tokens` of the current statement's first token
        var lexer = Lexer(scalars, startingAt: 0)
        while true {
            let token = lexer.next()
            if token.kind == .endOfInput {
                tokens.append(token)
                return (tokens, failures + lexer.failures)
            }
            // A backslash is no SQL operator: outside quotes it can only start a meta-command.
            if token.isOp("\\") {
                failures += lexer.failures
                lexer = Lexer(scalars, startingAt: endOfLine(in: scalars, from: token.offset))
                continue
            }
            tokens.append(token)
            guard token.kind == .semicolon else { continue }
            let isCopyFromStdin = Self.isCopyFromStdin(tokens[statementStart...])
            statementStart = tokens.count
            if isCopyFromStdin {
                failures += lexer.failures
                lexer = Lexer(scalars, startingAt: endOfCopyData(in: scalars, from: endOfLine(in: scalars, from: token.end)))
            }
        }
    }

    /// `COPY name [(columns)] FROM stdin [...]`: its data follows on the next line.
    private static func isCopyFromStdin(_ statement: ArraySlice<Token>) -> Bool {
        guard statement.first?.isWord("copy") == true else { return false }
        var previousWasFrom = false
        for token in statement {
            if previousWasFrom && token.isWord("stdin") { return true }
            previousWasFrom = token.isWord("from")
        }
        return false
    }

    /// The offset just past the line break that ends the line holding `offset`.
    private static func endOfLine(in scalars: [Unicode.Scalar], from offset: Int) -> Int {
        var i = offset
        while i < scalars.count && scalars[i] != "\n" { i += 1 }
        return min(i + 1, scalars.count)
    }

    /// The offset just past the `\.` line that ends COPY data starting at `offset` (the end of
    /// the text when a truncated file has none).
    private static func endOfCopyData(in scalars: [Unicode.Scalar], from offset: Int) -> Int {
        var lineStart = offset
        while lineStart < scalars.count {
            let next = endOfLine(in: scalars, from: lineStart)
            var lineEnd = next
            while lineEnd > lineStart && (scalars[lineEnd - 1] == "\n" || scalars[lineEnd - 1] == "\r") { lineEnd -= 1 }
            if lineEnd - lineStart == 2 && scalars[lineStart] == "\\" && scalars[lineStart + 1] == "." { return next }
            lineStart = next
        }
        return scalars.count
    }
}
