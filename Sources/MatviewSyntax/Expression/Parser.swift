import MatviewQuoting
/// A recursive-descent parser for PostgreSQL expressions, with precedence climbing for binary
/// operators. Precedences follow PostgreSQL's table (lowest first):
///
///     OR < AND < NOT < IS < comparison < BETWEEN IN LIKE ILIKE < other (||) < + - < * / % < ^
///        < unary minus < ::
///
/// Every node gets the location of its first token through the `Locator`, so a diagnostic about
/// `t.amount` points at `t.amount` inside the YAML string.
public struct Parser {
    public struct SyntaxError: Error, Sendable, Equatable {
        public var message: String
        public var location: SourceLocation
        public var hint: String?

        public init(message: String, location: SourceLocation, hint: String? = nil) {
            self.message = message
            self.location = location
            self.hint = hint
        }
    }

    private let tokens: [Token]
    private let locator: any Locator
    private var index = 0
    /// How deep the expression tree being built is. Later stages walk expressions recursively,
    /// so a limit far above anything hand-written keeps hostile input from exhausting the stack.
    private var depth = 0
    public static let maximumDepth = 200

    public init(tokens: [Token], locator: any Locator) {
        self.tokens = tokens
        self.locator = locator
    }

    /// Lexes and parses `text` as exactly one expression.
    public static func parseExpression(_ text: String, locator: any Locator) -> Result<Expr, SyntaxError> {
        parseWhole(text, locator: locator) { try $0.expression() }
    }

    /// Runs `rule` over all of `text` and requires that it consume every token.
    public static func parseWhole<T>(_ text: String, locator: any Locator, _ rule: (inout Parser) throws -> T) -> Result<T, SyntaxError> {
        let lexed = Lexer.tokenize(text)
        if let failure = lexed.failures.first {
            return .failure(SyntaxError(message: failure.message, location: locator.location(at: failure.offset)))
        }
        var parser = Parser(tokens: lexed.tokens, locator: locator)
        do {
            if parser.current.kind == .endOfInput {
                throw parser.error("expected an expression, found nothing")
            }
            let value = try rule(&parser)
            guard parser.current.kind == .endOfInput else {
                throw parser.error("unexpected \(parser.describe(parser.current)) after the end of the expression")
            }
            return .success(value)
        } catch let error as SyntaxError {
            return .failure(error)
        } catch {
            return .failure(SyntaxError(message: "\(error)", location: locator.location(at: 0)))
        }
    }

    // MARK: - Token access

    public var current: Token { tokens[min(index, tokens.count - 1)] }

    private func peek(_ ahead: Int) -> Token { tokens[min(index + ahead, tokens.count - 1)] }

    public var atEnd: Bool { current.kind == .endOfInput }

    @discardableResult
    public mutating func advance() -> Token {
        let token = current
        if index < tokens.count - 1 { index += 1 }
        return token
    }

    public func location(of token: Token) -> SourceLocation { locator.location(at: token.offset) }

    public var currentLocation: SourceLocation { location(of: current) }

    public func error(_ message: String, at token: Token? = nil, hint: String? = nil) -> SyntaxError {
        SyntaxError(message: message, location: location(of: token ?? current), hint: hint)
    }

    func describe(_ token: Token) -> String {
        switch token.kind {
        case .endOfInput: "end of expression"
        case .string: "string \(token.display)" // display is already quoted: 'x', not ''x''
        default: "'\(token.display)'"
        }
    }

    public mutating func matchWord(_ word: String) -> Bool {
        if current.isWord(word) { advance(); return true }
        return false
    }

    public mutating func expectWord(_ word: String, _ context: String) throws {
        guard matchWord(word) else { throw error("expected \(word.uppercased()) \(context), found \(describe(current))") }
    }

    public mutating func expect(_ kind: Token.Kind, _ what: String) throws {
        guard current.kind == kind else { throw error("expected \(what), found \(describe(current))") }
        advance()
    }

    // MARK: - Expressions

    private enum Precedence {
        static let or = 1, and = 2, not = 3, isTest = 4, comparison = 5, pattern = 6, other = 7
        static let additive = 8, multiplicative = 9, power = 10, unary = 11, cast = 12
    }

    public mutating func expression() throws -> Expr {
        try expression(above: 0)
    }

    /// Parses an expression whose operators all bind tighter than `minimum`.
    private mutating func expression(above minimum: Int) throws -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Self.maximumDepth { throw tooDeep() }
        var left = try prefix()
        var chain = 0
        while true {
            chain += 1
            if depth + chain > Self.maximumDepth { throw tooDeep() }
            let token = current
            let start = left.location
            if let (op, precedence) = binaryOperator(token), precedence > minimum {
                advance()
                let right = try expression(above: precedence)
                left = Expr(.binary(op, left, right), at: start)
                // Type errors point at the operator, as PostgreSQL's error cursor does.
                left.operatorLocation = location(of: token)
                continue
            }
            if token.isOp("::"), Precedence.cast > minimum {
                advance()
                left = Expr(.cast(left, try typeName()), at: start)
                continue
            }
            if Precedence.isTest > minimum, let test = try isTest(left) {
                left = test
                continue
            }
            if Precedence.pattern > minimum, let pattern = try patternTest(left) {
                left = pattern
                continue
            }
            if case .op(let op) = token.kind, !isKnownOperator(op) {
                throw error("operator \(op) is not supported in matview expressions", at: token)
            }
            return left
        }
    }

    private func tooDeep() -> SyntaxError {
        error("expression is nested too deeply (more than \(Self.maximumDepth) levels)", hint: "split it into nested queries or CTEs")
    }

    private func isKnownOperator(_ op: String) -> Bool {
        ["+", "-", "*", "/", "%", "^", "||", "=", "<>", "!=", "<", "<=", ">", ">=", "::"].contains(op)
    }

    private func binaryOperator(_ token: Token) -> (BinaryOperator, Int)? {
        switch token.kind {
        case .word("or"): return (.or, Precedence.or)
        case .word("and"): return (.and, Precedence.and)
        case .op(let op):
            switch op {
            case "=": return (.equal, Precedence.comparison)
            case "<>", "!=": return (.notEqual, Precedence.comparison)
            case "<": return (.less, Precedence.comparison)
            case "<=": return (.lessOrEqual, Precedence.comparison)
            case ">": return (.greater, Precedence.comparison)
            case ">=": return (.greaterOrEqual, Precedence.comparison)
            case "||": return (.concat, Precedence.other)
            case "+": return (.add, Precedence.additive)
            case "-": return (.subtract, Precedence.additive)
            case "*": return (.multiply, Precedence.multiplicative)
            case "/": return (.divide, Precedence.multiplicative)
            case "%": return (.modulo, Precedence.multiplicative)
            case "^": return (.power, Precedence.power)
            default: return nil
            }
        default: return nil
        }
    }

    /// `IS [NOT] NULL | TRUE | FALSE | DISTINCT FROM x`, `ISNULL`, `NOTNULL`.
    private mutating func isTest(_ left: Expr) throws -> Expr? {
        let start = left.location
        if matchWord("isnull") { return Expr(.isNull(left, negated: false), at: start) }
        if matchWord("notnull") { return Expr(.isNull(left, negated: true), at: start) }
        guard current.isWord("is") else { return nil }
        advance()
        let negated = matchWord("not")
        if matchWord("null") { return Expr(.isNull(left, negated: negated), at: start) }
        if matchWord("true") { return Expr(.isBoolean(left, value: true, negated: negated), at: start) }
        if matchWord("false") { return Expr(.isBoolean(left, value: false, negated: negated), at: start) }
        if matchWord("distinct") {
            try expectWord("from", "after IS DISTINCT")
            let right = try expression(above: Precedence.isTest)
            return Expr(.isDistinctFrom(left, right, negated: negated), at: start)
        }
        throw error("expected NULL, TRUE, FALSE or DISTINCT FROM after IS, found \(describe(current))")
    }

    /// `[NOT] BETWEEN a AND b`, `[NOT] IN (...)`, `[NOT] LIKE p`, `[NOT] ILIKE p`.
    private mutating func patternTest(_ left: Expr) throws -> Expr? {
        let start = left.location
        var negated = false
        if current.isWord("not"), let next = peek(1).word, ["between", "in", "like", "ilike"].contains(next) {
            advance()
            negated = true
        }
        if matchWord("between") {
            if current.isWord("symmetric") {
                // The tree has no SYMMETRIC flag; dropping the word would silently change the result.
                throw error("BETWEEN SYMMETRIC is not supported; order the bounds, e.g. BETWEEN least(a, b) AND greatest(a, b)")
            }
            let low = try expression(above: Precedence.pattern)
            try expectWord("and", "in BETWEEN")
            let high = try expression(above: Precedence.pattern)
            return Expr(.between(left, low, high, negated: negated), at: start)
        }
        if matchWord("in") {
            try expect(.leftParen, "'(' after IN")
            if current.isWord("select") { throw error("subqueries are not supported in IN; use a nested query source or a join") }
            var items = [try expression()]
            while current.kind == .comma { advance(); items.append(try expression()) }
            try expect(.rightParen, "')' to close the IN list")
            return Expr(.inList(left, items, negated: negated), at: start)
        }
        for (word, insensitive) in [("like", false), ("ilike", true)] where matchWord(word) {
            let pattern = try expression(above: Precedence.pattern)
            return Expr(.like(left, pattern, caseInsensitive: insensitive, negated: negated), at: start)
        }
        return nil
    }

    private mutating func prefix() throws -> Expr {
        let token = current
        let start = location(of: token)
        if token.isWord("not") {
            advance()
            return Expr(.unary(.not, try expression(above: Precedence.not)), at: start)
        }
        if token.isOp("-") || token.isOp("+") {
            advance()
            let operand = try expression(above: Precedence.unary)
            if token.isOp("-"), case .literal(.number(let n)) = operand.kind {
                return Expr(.literal(.number("-" + n)), at: start)
            }
            return Expr(.unary(token.isOp("-") ? .negate : .plus, operand), at: start)
        }
        return try primary()
    }

    private static let typedLiteralTypes: Set<String> = ["interval", "date", "timestamp", "timestamptz", "time", "timetz", "numeric", "decimal", "integer", "int", "bigint", "smallint", "text", "boolean", "uuid", "json", "jsonb", "real", "float", "double"]

    private mutating func primary() throws -> Expr {
        let token = current
        let start = location(of: token)
        switch token.kind {
        case .number(let n):
            advance()
            return Expr(.literal(.number(n)), at: start)
        case .string(let s):
            advance()
            return Expr(.literal(.string(s)), at: start)
        case .leftParen:
            advance()
            if current.isWord("select") { throw error("subqueries are not supported in expressions; use a nested query source") }
            let inner = try expression()
            try expect(.rightParen, "')'")
            return Expr(.parenthesized(inner), at: start)
        case .parameter(let n):
            throw error("parameters like $\(n) have no value in a view definition", at: token)
        case .op("*"):
            advance()
            return Expr(.star(qualifier: nil), at: start)
        case .quotedIdentifier:
            return try nameOrCall()
        case .word(let word):
            switch word {
            case "null": advance(); return Expr(.literal(.null), at: start)
            case "true": advance(); return Expr(.literal(.boolean(true)), at: start)
            case "false": advance(); return Expr(.literal(.boolean(false)), at: start)
            case "case": return try caseExpression()
            case "cast": return try castCall()
            case "extract": return try extractCall()
            case "exists", "select", "array":
                throw error("\(word.uppercased()) is not supported in matview expressions", at: token)
            default: break
            }
            if let special = SpecialValue(rawValue: word), peek(1).kind != .leftParen || special == .currentTimestamp || special == .currentTime || special == .localTimestamp || special == .localTime {
                advance()
                if current.kind == .leftParen {
                    // current_timestamp(3): precision is accepted and ignored for typing.
                    advance()
                    _ = try expression()
                    try expect(.rightParen, "')'")
                }
                return Expr(.special(special), at: start)
            }
            if Self.typedLiteralTypes.contains(word) || word == "double" {
                var lookahead = self
                if let type = try? lookahead.typeName(), case .string(let value) = lookahead.current.kind {
                    lookahead.advance()
                    self = lookahead
                    return Expr(.typedLiteral(type, value), at: start)
                }
            }
            return try nameOrCall()
        case .endOfInput:
            throw error("expected an expression, found the end of the text")
        default:
            throw error("expected an expression, found \(describe(token))")
        }
    }

    public mutating func identifier() throws -> Identifier {
        let token = current
        switch token.kind {
        case .word(let w):
            advance()
            return Identifier(w, quoted: false, at: location(of: token))
        case .quotedIdentifier(let q):
            advance()
            if q.isEmpty { throw error("a quoted identifier cannot be empty", at: token) }
            return Identifier(q, quoted: true, at: location(of: token))
        default:
            throw error("expected a name, found \(describe(token))")
        }
    }

    private mutating func nameOrCall() throws -> Expr {
        let start = currentLocation
        if let word = current.word, SQLQuoting.reservedWords.contains(word), peek(1).kind != .leftParen {
            throw error("expected an expression, found the keyword \(word.uppercased())",
                        hint: "write \"\(word)\" in double quotes if it is a column name")
        }
        var parts = [try identifier()]
        while current.kind == .dot {
            advance()
            if current.isOp("*") {
                advance()
                return Expr(.star(qualifier: parts.last), at: start)
            }
            parts.append(try identifier())
        }
        if current.kind == .leftParen {
            // Schema-qualified calls (pg_catalog.sum) resolve against the built-in functions by name.
            let name = parts.removeLast()
            return Expr(.function(try callArguments(name: name)), at: start)
        }
        let name = parts.removeLast()
        return Expr(.column(qualifiers: parts, name: name), at: start)
    }

    mutating func callArguments(name: Identifier) throws -> FunctionCall {
        try expect(.leftParen, "'('")
        var call = FunctionCall(name: name, arguments: [])
        if current.isOp("*") {
            advance()
            call.star = true
        } else if current.kind != .rightParen {
            if matchWord("distinct") { call.distinct = true } else { _ = matchWord("all") }
            call.arguments.append(try expression())
            while current.kind == .comma {
                advance()
                call.arguments.append(try expression())
            }
            if current.isWord("order") {
                advance()
                try expectWord("by", "after ORDER")
                call.orderBy = try orderItems()
            }
        }
        try expect(.rightParen, "')' to close the arguments of \(name.name)")
        if current.isWord("within") {
            throw error("WITHIN GROUP is not supported")
        }
        if matchWord("filter") {
            try expect(.leftParen, "'(' after FILTER")
            try expectWord("where", "in FILTER (WHERE ...)")
            call.filter = try expression()
            try expect(.rightParen, "')' to close FILTER")
        }
        if current.isWord("over") {
            throw error("window functions (OVER) are not supported in materialized view specs")
        }
        return call
    }

    public mutating func orderItems() throws -> [OrderItem] {
        var items: [OrderItem] = []
        repeat {
            if !items.isEmpty { advance() }
            let expr = try expression()
            var descending = false
            if matchWord("desc") { descending = true } else { _ = matchWord("asc") }
            var nullsFirst: Bool?
            if matchWord("nulls") {
                if matchWord("first") { nullsFirst = true }
                else { try expectWord("last", "after NULLS"); nullsFirst = false }
            }
            items.append(OrderItem(expr: expr, descending: descending, nullsFirst: nullsFirst))
        } while current.kind == .comma
        return items
    }

    private mutating func caseExpression() throws -> Expr {
        let start = currentLocation
        advance() // CASE
        if current.isWord("else") || current.isWord("end") {
            throw error("expected WHEN in CASE, found \(describe(current))")
        }
        var operand: Expr?
        if !current.isWord("when") { operand = try expression() }
        var whens: [WhenClause] = []
        while matchWord("when") {
            let condition = try expression()
            try expectWord("then", "after the WHEN condition")
            whens.append(WhenClause(condition: condition, result: try expression()))
        }
        if whens.isEmpty { throw error("expected WHEN in CASE, found \(describe(current))") }
        var otherwise: Expr?
        if matchWord("else") { otherwise = try expression() }
        try expectWord("end", "to close CASE")
        return Expr(.caseWhen(operand: operand, whens: whens, otherwise: otherwise), at: start)
    }

    private mutating func castCall() throws -> Expr {
        let start = currentLocation
        advance() // CAST
        try expect(.leftParen, "'(' after CAST")
        let value = try expression()
        try expectWord("as", "in CAST(... AS type)")
        let type = try typeName()
        try expect(.rightParen, "')' to close CAST")
        return Expr(.cast(value, type), at: start)
    }

    private mutating func extractCall() throws -> Expr {
        let start = currentLocation
        advance() // EXTRACT
        try expect(.leftParen, "'(' after EXTRACT")
        let fieldToken = current
        let field: String
        switch fieldToken.kind {
        case .word(let w): field = w
        case .string(let s): field = s.lowercased()
        default: throw error("expected a field name such as epoch or day in EXTRACT, found \(describe(fieldToken))")
        }
        advance()
        try expectWord("from", "in EXTRACT(field FROM value)")
        let source = try expression()
        try expect(.rightParen, "')' to close EXTRACT")
        return Expr(.extract(field: field, source), at: start)
    }

    // MARK: - Types

    /// `numeric(12,2)`, `double precision`, `timestamp with time zone`, `character varying(20)`, `int[]`.
    public mutating func typeName() throws -> TypeName {
        let start = currentLocation
        var words: [String] = []
        let first = try identifier()
        var name = first.name
        if current.kind == .dot {
            // schema-qualified type such as pg_catalog.int4: keep the type's own name.
            advance()
            name = try identifier().name
        }
        words.append(name)
        switch name {
        case "double":
            try expectWord("precision", "after DOUBLE")
            words.append("precision")
        case "character", "char", "bit":
            if matchWord("varying") { words.append("varying") }
        default: break
        }
        var modifiers: [Int] = []
        if name == "interval" { skipIntervalFields() }
        if current.kind == .leftParen {
            advance()
            repeat {
                if !modifiers.isEmpty || current.kind == .comma { if current.kind == .comma { advance() } }
                if !Self.builtinTypeNames.contains(name), current.word != nil || { if case .string = current.kind { true } else { false } }() {
                    // An extension's type takes modifiers of its own, as PostGIS's geometry(Point,4326).
                    advance()
                    continue
                }
                guard case .number(let n) = current.kind, let value = Int(n) else {
                    throw error("expected a number in the type modifier, found \(describe(current))")
                }
                advance()
                modifiers.append(value)
            } while current.kind == .comma
            try expect(.rightParen, "')' to close the type modifier")
        }
        if name == "timestamp" || name == "time" {
            if current.isWord("with") || current.isWord("without") {
                let with = current.isWord("with")
                advance()
                try expectWord("time", "in WITH[OUT] TIME ZONE")
                try expectWord("zone", "in WITH[OUT] TIME ZONE")
                if with { words = [name == "timestamp" ? "timestamptz" : "timetz"] }
            }
        }
        var depth = 0
        while current.kind == .leftBracket {
            advance()
            if case .number = current.kind { advance() }
            try expect(.rightBracket, "']'")
            depth += 1
        }
        return TypeName(name: words.joined(separator: " "), modifiers: modifiers, arrayDepth: depth, at: start)
    }

    /// Types whose modifiers are numbers only; any other type (an extension's) may take words.
    private static let builtinTypeNames: Set<String> = [
        "numeric", "decimal", "character varying", "varchar", "character", "char", "bit", "bit varying", "varbit",
        "timestamp", "time", "interval", "float",
    ]

    /// `interval day to second`: the fields an interval column may restrict itself to (pg_dump
    /// prints them); they do not change the type.
    private mutating func skipIntervalFields() {
        let fields: Set<String> = ["year", "month", "day", "hour", "minute", "second"]
        guard let word = current.word, fields.contains(word) else { return }
        advance()
        if matchWord("to"), let next = current.word, fields.contains(next) { advance() }
    }
}
