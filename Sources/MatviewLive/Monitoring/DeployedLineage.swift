import MatviewSyntax

/// Tables → views → views, as the registry recorded them at apply: each view's source tables
/// (the tables whose writes reach it) and the deployed views it reads.
public struct DeployedLineage: Sendable, Codable, Equatable {
    public struct View: Sendable, Codable, Equatable {
        public var name: String
        public var schema: String
        public var sourceTables: [String]
        public var readsViews: [String]
    }

    public var views: [View]

    /// Every source table, sorted, without the views' own relations (a view on a view lists
    /// the upstream view's tables among its sources, and the view itself in `readsViews`).
    public var tables: [String] {
        let viewRelations = Set(views.flatMap { [$0.name, "\(SQLPrinter.identifier($0.schema)).\(SQLPrinter.identifier($0.name))"] })
        return Array(Set(views.flatMap(\.sourceTables)).subtracting(viewRelations)).sorted()
    }

    public static func load(on connection: LiveConnection, supportSchema: String) async throws -> DeployedLineage {
        let rows = try await connection.rows("""
            SELECT view_name, schema_name, array_to_string(source_tables, E'\\n'), array_to_string(depends_on, E'\\n')
            FROM \(SQLPrinter.identifier(supportSchema)).views ORDER BY view_name
            """)
        return DeployedLineage(views: rows.map {
            View(name: $0[0] ?? "", schema: $0[1] ?? "", sourceTables: TextColumn.lines($0[2]), readsViews: TextColumn.lines($0[3]))
        })
    }
}
