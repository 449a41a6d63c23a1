import MatviewSyntax

/// The relations visible to expressions of one query block, with a link to the enclosing block's
/// scope for lateral sources. Relations are appended as FROM and joins are read, so a join
/// condition only sees the relations before it, as in SQL.
final class Scope {
    var relations: [CheckedRelation] = []
    let outer: Scope?
    /// How many of the outer scope's relations a lateral source may see.
    let outerVisibleCount: Int
    /// Names that are not visible here but would be with a change, for hints: sources joined
    /// later in this query, and the enclosing query's sources when this one is not lateral.
    var laterAliases: Set<String> = []
    var hiddenOuterAliases: Set<String> = []

    init(outer: Scope? = nil, outerVisibleCount: Int = 0) {
        self.outer = outer
        self.outerVisibleCount = outerVisibleCount
    }

    /// A hint for a qualifier that names no visible source.
    func hint(forMissing qualifier: String) -> String? {
        if laterAliases.contains(qualifier) {
            return "'\(qualifier)' is joined later; a condition can only use the sources before it"
        }
        if hiddenOuterAliases.contains(qualifier) {
            return "a nested query sees the enclosing query's sources only when it is lateral: add `lateral: true`"
        }
        if let outer, outer.relations.contains(where: { $0.alias == qualifier }) {
            return "'\(qualifier)' is joined after this lateral source, so it cannot see it"
        }
        let aliases = relations.map(\.alias)
        return Spelling.nearest(to: qualifier, in: aliases).map { "did you mean '\($0)'?" } ?? (aliases.isEmpty ? nil : "sources here: \(aliases.joined(separator: ", "))")
    }

    /// Where a column reference resolved: the scope depth (0 = this block) and relation index.
    struct Resolution {
        var depth: Int
        var relation: Int
        var column: RelationColumn
    }

    enum Lookup {
        case found(Resolution)
        case ambiguous([String])
        case noRelation(String)
        case noColumn(relation: String, candidates: [String])
        case notFound(candidates: [String])
    }

    func lookup(qualifier: String?, name: String, visible: Int? = nil, depth: Int = 0) -> Lookup {
        let count = min(visible ?? relations.count, relations.count)
        let visibleRelations = relations.prefix(count)
        if let qualifier {
            if let index = visibleRelations.lastIndex(where: { $0.alias == qualifier }) {
                if let column = relations[index].columns.first(where: { $0.name == name }) {
                    return .found(Resolution(depth: depth, relation: index, column: column))
                }
                return .noColumn(relation: qualifier, candidates: relations[index].columns.map(\.name))
            }
            if let outer, case .found(let r) = outer.lookup(qualifier: qualifier, name: name, visible: outerVisibleCount, depth: depth + 1) {
                return .found(r)
            } else if let outer, case .noColumn(let rel, let cands) = outer.lookup(qualifier: qualifier, name: name, visible: outerVisibleCount, depth: depth + 1) {
                return .noColumn(relation: rel, candidates: cands)
            }
            return .noRelation(qualifier)
        }
        let matches = visibleRelations.enumerated().compactMap { index, relation -> Resolution? in
            relation.columns.first(where: { $0.name == name }).map { Resolution(depth: depth, relation: index, column: $0) }
        }
        if matches.count > 1 {
            return .ambiguous(matches.map { relations[$0.relation].alias })
        }
        if let match = matches.first { return .found(match) }
        if let outer {
            let result = outer.lookup(qualifier: nil, name: name, visible: outerVisibleCount, depth: depth + 1)
            if case .found = result { return result }
            if case .ambiguous = result { return result }
        }
        return .notFound(candidates: visibleRelations.flatMap { r in r.columns.map { "\(r.alias).\($0.name)" } })
    }
}
