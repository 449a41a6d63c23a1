import MatviewSQL
import MatviewSyntax

/// `apply` and `rollback`: the generated scripts, and what applying them would do to each view.
public struct Deployment: Sendable {
    public enum Action: String, Sendable, Codable {
        case create, rebuild, unchanged, drop
    }

    public struct Step: Sendable, Codable, Equatable {
        public var view: String
        public var action: Action
    }

    public let definitions: [ViewDefinitionSummary]
    public let supportSchema: String
    public let upSQL: String
    public let downSQL: String

    public init(definitions: [ViewDefinitionSummary], supportSchema: String, upSQL: String, downSQL: String) {
        self.definitions = definitions
        self.supportSchema = supportSchema
        self.upSQL = upSQL
        self.downSQL = downSQL
    }

    /// Compares the recorded hashes with the specs', in dependency order; views whose specs are
    /// gone come last, as drops.
    public func plan(on connection: LiveConnection) async throws -> [Step] {
        let registry = "\(SQLPrinter.identifier(supportSchema)).views"
        var deployed: [String: (hash: String, exists: Bool)] = [:]
        let hasRegistry = try await connection.rows("SELECT (to_regclass(\(SQLPrinter.literal(registry))) IS NOT NULL)::text").first?.first == "true"
        if hasRegistry {
            for row in try await connection.rows("SELECT view_name, spec_hash, (to_regclass(format('%I.%I', schema_name, view_name)) IS NOT NULL)::text FROM \(registry)") {
                deployed[row[0] ?? ""] = (row[1] ?? "", row[2] == "true")
            }
        }
        var steps = definitions.map { definition -> Step in
            guard let current = deployed[definition.name], current.exists else { return Step(view: definition.name, action: .create) }
            return Step(view: definition.name, action: current.hash == definition.hash ? .unchanged : .rebuild)
        }
        let wanted = Set(definitions.map(\.name))
        steps += deployed.keys.filter { !wanted.contains($0) }.sorted().map { Step(view: $0, action: .drop) }
        return steps
    }

    public func apply(on connection: LiveConnection) async throws { try await connection.run(script: upSQL) }

    public func rollback(on connection: LiveConnection) async throws { try await connection.run(script: downSQL) }
}
