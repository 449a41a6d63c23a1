/// A lexical token of PostgreSQL's expression and DDL syntax.
public struct Token: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// An unquoted name or keyword, folded to lower case as PostgreSQL does.
        case word(String)
        /// A `"quoted"` identifier, exactly as written.
        case quotedIdentifier(String)
        case number(String)
        /// A `'string'` (with `''` decoded), an `E'...'` string or a `$tag$...$tag$` body.
        case string(String)
        /// `+ - * / % ^ || = <> != < <= > >= ::` and other operator characters.
        case op(String)
        case leftParen, rightParen, comma, dot, semicolon, leftBracket, rightBracket
        /// `$1`: a positional parameter (not allowed in specs, but lexed so the error is clear).
        case parameter(Int)
        case endOfInput
    }

    public var kind: Kind
    /// Offset of the first scalar in the lexed text.
    public var offset: Int
    /// Offset just past the last scalar.
    public var end: Int

    public init(_ kind: Kind, offset: Int, end: Int) {
        self.kind = kind
        self.offset = offset
        self.end = end
    }

    /// The lower-cased word if this is an unquoted word.
    public var word: String? {
        if case .word(let w) = kind { return w }
        return nil
    }

    public func isWord(_ w: String) -> Bool { word == w }

    public func isOp(_ o: String) -> Bool {
        if case .op(let x) = kind { return x == o }
        return false
    }

    /// How the token reads in a message.
    public var display: String {
        switch kind {
        case .word(let w): w
        case .quotedIdentifier(let q): "\"\(q)\""
        case .number(let n): n
        case .string(let s): "'\(s)'"
        case .op(let o): o
        case .leftParen: "("
        case .rightParen: ")"
        case .comma: ","
        case .dot: "."
        case .semicolon: ";"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .parameter(let n): "$\(n)"
        case .endOfInput: "end of expression"
        }
    }
}
