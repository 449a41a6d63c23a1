/// The one way a name or a string becomes SQL text: identifiers quoted only where PostgreSQL
/// needs it, literals with their quotes doubled, both by Unicode scalar (see ScalarText). The
/// compiler (SQLPrinter, and everything it generates) and the runtime that applications link
/// (MatviewRuntime, without the compiler) both quote through this.
public enum SQLQuoting {
    /// An identifier, quoted when it is not a plain lower-case name or is a reserved word.
    public static func identifier(_ name: String) -> String {
        if isPlain(name) { return name }
        return "\"" + ScalarText.replacing("\"", with: "\"\"", in: name) + "\""
    }

    /// A string literal; backslashes are not special (standard_conforming_strings is on).
    public static func literal(_ text: String) -> String {
        "'" + ScalarText.replacing("'", with: "''", in: text) + "'"
    }

    public static func isPlain(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || ("a"..."z").contains(first) else { return false }
        for c in name.unicodeScalars where !(c == "_" || c == "$" || ("a"..."z").contains(c) || ("0"..."9").contains(c)) {
            return false
        }
        return !reservedWords.contains(name)
    }

    /// PostgreSQL's reserved and type/function-name keywords: these must be quoted as names.
    public static let reservedWords: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "binary", "both",
        "case", "cast", "check", "collate", "collation", "column", "concurrently", "constraint", "create", "cross",
        "current_catalog", "current_date", "current_role", "current_schema", "current_time", "current_timestamp",
        "current_user", "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "false", "fetch",
        "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "ilike", "in", "initially", "inner",
        "intersect", "into", "is", "isnull", "join", "lateral", "leading", "left", "like", "limit", "localtime",
        "localtimestamp", "natural", "not", "notnull", "null", "offset", "on", "only", "or", "order", "outer",
        "overlaps", "placing", "primary", "references", "returning", "right", "select", "session_user", "similar",
        "some", "symmetric", "table", "tablesample", "then", "to", "trailing", "true", "union", "unique", "user",
        "using", "variadic", "verbose", "when", "where", "window", "with",
    ]
}
