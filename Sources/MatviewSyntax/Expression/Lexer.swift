/// Splits PostgreSQL text into tokens. Used for expression strings in specs and for whole DDL
/// files, so it knows comments, dollar quoting and `E''` strings too.
/// It never fails: a stray character becomes an `op` token that the parser then reports.
public struct Lexer {
    public struct Failure: Error, Sendable {
        public var message: String
        public var offset: Int
    }

    private let text: [Unicode.Scalar]
    private var position = 0
    public private(set) var failures: [Failure] = []

    public init(_ text: [Unicode.Scalar]) {
        self.text = text
    }

    public init(_ text: String) {
        self.init(Array(text.unicodeScalars))
    }

    /// Lexes `text` from `offset` on, so a caller can step over parts that are not SQL (psql
    /// meta-commands, COPY data); token offsets stay offsets into the whole text.
    public init(_ text: [Unicode.Scalar], startingAt offset: Int) {
        self.text = text
        self.position = max(0, min(offset, text.count))
    }

    public static func tokenize(_ text: String) -> (tokens: [Token], failures: [Failure]) {
        var lexer = Lexer(text)
        let tokens = lexer.tokenize()
        return (tokens, lexer.failures)
    }

    public mutating func tokenize() -> [Token] {
        var tokens: [Token] = []
        while true {
            let token = next()
            tokens.append(token)
            if token.kind == .endOfInput { return tokens }
        }
    }

    private func peek(_ ahead: Int = 0) -> Unicode.Scalar? {
        let i = position + ahead
        return i < text.count ? text[i] : nil
    }

    private mutating func skipTrivia() {
        while let c = peek() {
            if c.properties.isWhitespace {
                position += 1
            } else if c == "-" && peek(1) == "-" {
                while let d = peek(), d != "\n" { position += 1; _ = d }
            } else if c == "/" && peek(1) == "*" {
                let start = position
                position += 2
                var depth = 1
                while depth > 0 {
                    guard let d = peek() else {
                        failures.append(Failure(message: "unterminated /* comment", offset: start))
                        return
                    }
                    if d == "*" && peek(1) == "/" { depth -= 1; position += 2 }
                    else if d == "/" && peek(1) == "*" { depth += 1; position += 2 }
                    else { position += 1 }
                }
            } else {
                return
            }
        }
    }

    public mutating func next() -> Token {
        skipTrivia()
        let start = position
        guard let c = peek() else { return Token(.endOfInput, offset: start, end: start) }

        func make(_ kind: Token.Kind) -> Token { Token(kind, offset: start, end: position) }

        if (c == "e" || c == "E") && peek(1) == "'" {
            position += 1
            return make(.string(readQuoted(quote: "'", backslashEscapes: true, start: start)))
        }
        if Self.isIdentifierStart(c) {
            var word = String.UnicodeScalarView()
            while let d = peek(), Self.isIdentifierPart(d) { word.append(d); position += 1 }
            return make(.word(String(word).lowercased()))
        }
        if c.properties.numericType != nil && ("0"..."9").contains(c) || (c == "." && peek(1).map { ("0"..."9").contains($0) } == true) {
            return make(.number(readNumber()))
        }
        switch c {
        case "'":
            return make(.string(readQuoted(quote: "'", backslashEscapes: false, start: start)))
        case "\"":
            return make(.quotedIdentifier(readQuoted(quote: "\"", backslashEscapes: false, start: start)))
        case "$":
            if let n = peek(1), ("0"..."9").contains(n) {
                position += 1
                var digits = ""
                while let d = peek(), ("0"..."9").contains(d) { digits.unicodeScalars.append(d); position += 1 }
                return make(.parameter(Int(digits) ?? 0))
            }
            if let body = readDollarQuoted(start: start) { return make(.string(body)) }
            position += 1
            return make(.op("$"))
        case "(": position += 1; return make(.leftParen)
        case ")": position += 1; return make(.rightParen)
        case ",": position += 1; return make(.comma)
        case ";": position += 1; return make(.semicolon)
        case "[": position += 1; return make(.leftBracket)
        case "]": position += 1; return make(.rightBracket)
        case ".": position += 1; return make(.dot)
        case ":":
            if peek(1) == ":" { position += 2; return make(.op("::")) }
            position += 1; return make(.op(":"))
        default:
            return make(.op(readOperator()))
        }
    }

    private static func isIdentifierStart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c.properties.isAlphabetic
    }

    private static func isIdentifierPart(_ c: Unicode.Scalar) -> Bool {
        c == "_" || c == "$" || c.properties.isAlphabetic || ("0"..."9").contains(c)
    }

    private mutating func readNumber() -> String {
        var s = String.UnicodeScalarView()
        var seenDot = false
        var seenExponent = false
        while let d = peek() {
            if ("0"..."9").contains(d) || d == "_" {
                s.append(d); position += 1
            } else if d == "." && !seenDot && !seenExponent && peek(1) != "." {
                seenDot = true; s.append(d); position += 1
            } else if (d == "e" || d == "E") && !seenExponent,
                      let n = peek(1), ("0"..."9").contains(n) || ((n == "+" || n == "-") && peek(2).map { ("0"..."9").contains($0) } == true) {
                seenExponent = true; s.append(d); position += 1
                if n == "+" || n == "-" { s.append(n); position += 1 }
            } else {
                break
            }
        }
        return String(s)
    }

    private mutating func readQuoted(quote: Unicode.Scalar, backslashEscapes: Bool, start: Int) -> String {
        position += 1 // opening quote
        var s = String.UnicodeScalarView()
        while true {
            guard let d = peek() else {
                let what = quote == "'" ? "string literal" : "quoted identifier"
                failures.append(Failure(message: "unterminated \(what)", offset: start))
                return String(s)
            }
            if d == quote {
                if peek(1) == quote { s.append(quote); position += 2; continue }
                position += 1
                return String(s)
            }
            if backslashEscapes && d == "\\", let e = peek(1) {
                position += 2
                switch e {
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "r": s.append("\r")
                default: s.append(e)
                }
                continue
            }
            s.append(d)
            position += 1
        }
    }

    /// `$$ ... $$` or `$tag$ ... $tag$`; nil when the `$` does not open one.
    private mutating func readDollarQuoted(start: Int) -> String? {
        var i = position + 1
        var tag = String.UnicodeScalarView()
        while i < text.count, text[i] != "$" {
            guard Self.isIdentifierPart(text[i]), text[i] != "$" else { return nil }
            tag.append(text[i]); i += 1
        }
        guard i < text.count else { return nil }
        let delimiter = Array("$".unicodeScalars) + Array(tag) + Array("$".unicodeScalars)
        var j = i + 1
        let bodyStart = j
        while j + delimiter.count <= text.count {
            if text[j] == "$" && Array(text[j..<(j + delimiter.count)]) == delimiter {
                var body = String.UnicodeScalarView()
                body.append(contentsOf: text[bodyStart..<j])
                position = j + delimiter.count
                return String(body)
            }
            j += 1
        }
        failures.append(Failure(message: "unterminated dollar-quoted string", offset: start))
        position = text.count
        return ""
    }

    private static let operatorCharacters: Set<Unicode.Scalar> = ["+", "-", "*", "/", "<", ">", "=", "~", "!", "@", "#", "%", "^", "&", "|", "`", "?"]

    private mutating func readOperator() -> String {
        guard let first = peek() else { return "" }
        guard Self.operatorCharacters.contains(first) else {
            position += 1
            return String(first)
        }
        var s = String.UnicodeScalarView()
        while let d = peek(), Self.operatorCharacters.contains(d) {
            // `--` and `/*` start comments even inside an operator.
            if (d == "-" && peek(1) == "-") || (d == "/" && peek(1) == "*") { break }
            s.append(d); position += 1
        }
        var op = String(s)
        // PostgreSQL: a multi-character operator cannot end in + or - unless it contains ~ ! @ # % ^ & | ` ?
        // (so `a*-1` is `a * -1`). We split the trailing sign back off.
        while op.count > 1, let last = op.last, last == "+" || last == "-",
              !op.contains(where: { "~!@#%^&|`?".contains($0) }) {
            op.removeLast()
            position -= 1
        }
        return op
    }
}
