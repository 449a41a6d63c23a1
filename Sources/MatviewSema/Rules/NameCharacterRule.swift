import MatviewSyntax

/// Rule `invalid-name`: a name with a control character (a newline, a tab, NUL, U+2028...).
/// PostgreSQL would accept most of them inside a quoted identifier, but every name is also
/// written into comments, file names, Swift and diagnostics, where a line break ends the
/// comment or the line; and no one can tell `a<TAB>b` from `a b` in a listing.
///
/// Every name a spec defines is checked, at the token that spells it: the view, its schema,
/// CTE names, output columns (of the view, its CTEs and nested queries), index names, source
/// aliases and the column names given after them, and roles in `grants`.
enum NameCharacterRule {
    static func check(_ spec: ViewSpec, sink: DiagnosticSink) {
        for (name, what, location) in names(in: spec) {
            guard let character = ControlCharacters.first(in: name) else { continue }
            sink.error(.invalidName, at: location,
                       "\(what) '\(ControlCharacters.escaped(name))' contains the control character \(ControlCharacters.codePoint(character))",
                       hint: "names may not contain line breaks, tabs or other control characters; rename it")
        }
    }

    /// The names a spec defines, with what they name and where they are spelled.
    static func names(in spec: ViewSpec) -> [(name: String, what: String, location: SourceLocation)] {
        var found: [(String, String, SourceLocation)] = [(spec.name.value, "view name", spec.name.location)]
        if let schema = spec.schema { found.append((schema.value, "schema name", schema.location)) }
        for cte in spec.ctes {
            found.append((cte.name.name, "CTE name", cte.name.location))
            collect(cte.query, into: &found)
        }
        collect(spec.query, into: &found)
        for index in spec.indexes {
            if let name = index.name { found.append((name.value, "index name", name.location)) }
        }
        for role in spec.grants { found.append((role.value, "role name", role.location)) }
        return found
    }

    private static func collect(_ query: QuerySpec, into found: inout [(String, String, SourceLocation)]) {
        for source in [query.from] + query.joins.map(\.source) {
            if let alias = source.alias { found.append((alias.name, "alias", alias.location)) }
            for column in source.columnAliases { found.append((column.name, "column alias", column.location)) }
            if case .subquery(let nested, _) = source.kind { collect(nested, into: &found) }
        }
        for item in query.select { found.append((item.name.value, "column name", item.name.location)) }
    }
}
