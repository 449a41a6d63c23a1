import MatviewSyntax

/// The domains of the schema files (CREATE DOMAIN name AS base): a column of a domain has the
/// domain's base type, so `amount positive_amount` reads as numeric, and is NOT NULL when the
/// domain is. Domains of domains and arrays of domains resolve too. Enums and other types of
/// the user's stay `SQLType.other(name)`, which compares with string literals as text does.
struct DomainTypes {
    private let domains: [String: DomainDefinition]

    init(_ definitions: [DomainDefinition]) {
        var domains: [String: DomainDefinition] = [:]
        // Keyed by the bare name: a column's type name carries no schema (see Parser.typeName).
        for definition in definitions where domains[definition.name.name.name] == nil {
            domains[definition.name.name.name] = definition
        }
        self.domains = domains
    }

    func resolve(_ typeName: TypeName) -> (type: SQLType, notNull: Bool) {
        var current = typeName
        var arrayDepth = typeName.arrayDepth
        var notNull = false
        var seen: Set<String> = []
        while let domain = domains[current.name], seen.insert(current.name).inserted {
            // NOT NULL on the domain holds for a column of it, not for an array of it.
            if arrayDepth == 0 && domain.notNull { notNull = true }
            arrayDepth += domain.base.arrayDepth
            current = domain.base
        }
        return (SQLType(TypeName(name: current.name, modifiers: current.modifiers, arrayDepth: arrayDepth, at: typeName.location)), notNull)
    }
}
