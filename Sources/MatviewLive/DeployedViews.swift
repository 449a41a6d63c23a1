import MatviewSyntax

/// What `apply` recorded in the support schema's registry: the views a live command works on.
struct DeployedView {
    var name: String
    var schema: String
    var definition: String
    var concurrently: Bool
    /// `incremental` for a table kept current group by group (1.1); `full` for a materialized view.
    var strategy: String
    /// `inc_<hash>`, for an incremental view: what its maintenance functions' names start with.
    var maintenancePrefix: String?

    var qualifiedName: String { "\(SQLPrinter.identifier(schema)).\(SQLPrinter.identifier(name))" }

    /// The deployed views in refresh order, or only `view`; an error when nothing is deployed or
    /// `view` is not among them.
    static func load(on connection: LiveConnection, supportSchema: String, only view: String? = nil) async throws -> [DeployedView] {
        let registry = "\(SQLPrinter.identifier(supportSchema)).views"
        guard try await connection.rows("SELECT (to_regclass(\(SQLPrinter.literal(registry))) IS NOT NULL)::text").first?.first == "true" else {
            throw LiveConnection.Failure("nothing is deployed in this database (no \(registry)); run `matview apply` first")
        }
        // (A registry of 1.0 has no strategy column: its views are all full.)
        var views = try await connection.rows("""
            SELECT view_name, schema_name, definition, use_concurrently::text, coalesce(to_jsonb(v) ->> 'strategy', 'full'),
                   to_jsonb(v) ->> 'maintenance_prefix'
            FROM \(registry) AS v ORDER BY refresh_order, view_name
            """)
            .map { DeployedView(name: $0[0] ?? "", schema: $0[1] ?? "public", definition: $0[2] ?? "", concurrently: $0[3] == "true",
                                strategy: $0[4] ?? "full", maintenancePrefix: $0[5] ?? nil) }
        if let view {
            views = views.filter { $0.name == view }
            if views.isEmpty { throw LiveConnection.Failure("no deployed view named \(view)") }
        }
        return views
    }
}
