import Foundation

extension PostgresServer {
    /// How a deployed view differs from its defining query as the registry records it: rows the
    /// query returns that the view lacks, and rows the view has that the query does not
    /// (EXCEPT ALL both ways, so duplicates count). (0, 0) when the view is exact.
    public func differencesFromDefiningQuery(_ view: String, schema: String = "public", supportSchema: String = "matview") throws -> (missing: Int, extra: Int) {
        let definition = try text("SELECT definition FROM \(supportSchema).views WHERE view_name = '\(view.replacingOccurrences(of: "'", with: "''"))'")
        guard !definition.isEmpty else { throw Failure(description: "\(view) is not in \(supportSchema).views") }
        let relation = "\"\(schema.replacingOccurrences(of: "\"", with: "\"\""))\".\"\(view.replacingOccurrences(of: "\"", with: "\"\""))\""
        let missing = try value("SELECT count(*) FROM ((\(definition)) EXCEPT ALL TABLE \(relation)) x")
        let extra = try value("SELECT count(*) FROM (TABLE \(relation) EXCEPT ALL (\(definition))) x")
        return (Int(missing) ?? -1, Int(extra) ?? -1)
    }
}
