extension Parser {
    /// A `from:` or join source written as a string:
    /// `users`, `users u`, `public.users AS u`, `generate_series(a, b, step) AS g(day)`.
    public mutating func sourceReference() throws -> SourceSpec {
        let start = currentLocation
        if current.isWord("lateral") {
            // Functions are implicitly lateral in PostgreSQL; the keyword is accepted and dropped.
            advance()
        }
        let first = try identifier()
        var kind: SourceSpec.Kind
        if current.kind == .leftParen {
            kind = .function(try functionCallAfterName(first))
        } else if current.kind == .dot {
            advance()
            let second = try identifier()
            if current.kind == .leftParen {
                kind = .function(try functionCallAfterName(second))
            } else {
                kind = .named(schema: first, name: second)
            }
        } else {
            kind = .named(schema: nil, name: first)
        }
        var alias: Identifier?
        var columns: [Identifier] = []
        let explicitAs = matchWord("as")
        if explicitAs || isAliasStart {
            alias = try identifier()
            if current.kind == .leftParen {
                advance()
                columns.append(try identifier())
                while current.kind == .comma {
                    advance()
                    columns.append(try identifier())
                }
                try expect(.rightParen, "')' to close the column aliases")
            }
        }
        return SourceSpec(kind: kind, alias: alias, columnAliases: columns, location: start)
    }

    private var isAliasStart: Bool {
        switch current.kind {
        case .quotedIdentifier: return true
        case .word(let w): return !Self.reservedAfterSource.contains(w)
        default: return false
        }
    }

    private static let reservedAfterSource: Set<String> = ["on", "using", "where", "join", "left", "right", "full", "inner", "cross", "natural", "group", "order", "limit", "with"]

    private mutating func functionCallAfterName(_ name: Identifier) throws -> FunctionCall {
        try callArguments(name: name)
    }
}
