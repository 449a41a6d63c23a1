/// Whether pg_cron is installed, and whether the connected role may read its job tables. A
/// monitoring role has no USAGE on schema cron, and then even `to_regclass('cron.job')` fails,
/// so the catalog is asked by OID. Row-level security then shows each role only the jobs it
/// scheduled, which is what a role may know.
enum PgCronAccess: Equatable {
    case notInstalled
    case hidden
    case readable

    static func check(on connection: LiveConnection) async throws -> PgCronAccess {
        let row = try await connection.rows("""
            SELECT (has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(j.oid, 'SELECT') AND has_table_privilege(d.oid, 'SELECT'))::text
            FROM pg_namespace n
            JOIN pg_class j ON j.relnamespace = n.oid AND j.relname = 'job'
            JOIN pg_class d ON d.relnamespace = n.oid AND d.relname = 'job_run_details'
            WHERE n.nspname = 'cron'
            """).first
        guard let row else { return .notInstalled }
        return row.first == "true" ? .readable : .hidden
    }
}
