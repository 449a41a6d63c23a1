import MatviewSyntax

/// Splits a SQL script into statements at top-level semicolons, with the same lexer that reads
/// schema files, so semicolons inside strings, dollar-quoted bodies and comments do not split.
/// postgres-nio speaks only the extended protocol (one statement per message), so the live
/// commands send a script statement by statement.
public enum SQLScript {
    public static func statements(_ script: String) -> [String] {
        let scalars = Array(script.unicodeScalars)
        var lexer = Lexer(scalars)
        var statements: [String] = []
        var start: Int?
        for token in lexer.tokenize() {
            switch token.kind {
            case .semicolon, .endOfInput:
                if let first = start {
                    statements.append(String(String.UnicodeScalarView(scalars[first..<token.offset])))
                }
                start = nil
            default:
                if start == nil { start = token.offset }
            }
        }
        return statements
    }
}
