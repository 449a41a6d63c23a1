import Foundation
import MatviewSyntax

/// What the dashboard's page for one view shows besides its status: where its rows come from,
/// what reads it, how it is defined, indexed, granted and scheduled. Everything is read from the
/// support schema's registry and from pg_catalog, which every role may read, so a monitoring role
/// with SELECT on the support schema alone sees all of it, except pg_cron's jobs, which pg_cron
/// shows only to their owner (then `cronJob` is nil and `cronJobVisible` false).
public struct ViewDetails: Sendable, Codable, Equatable {
    public struct CronJob: Sendable, Codable, Equatable {
        public var name: String
        public var schedule: String
        public var command: String
        public var active: Bool
        /// `succeeded at 2026-11-25 04:00:00+00`, from cron.job_run_details.
        public var lastRun: String?
    }

    public var view: String
    public var schema: String
    public var definition: String
    /// Tables (schema-qualified) whose writes reach the view.
    public var sourceTables: [String]
    /// Deployed views this one reads.
    public var readsViews: [String]
    /// Deployed views that read this one.
    public var readByViews: [String]
    /// `CREATE INDEX` statements, by index name.
    public var indexes: [String]
    /// `role: SELECT, ...` per grantee other than the owner (PUBLIC for everyone).
    public var grants: [String]
    public var owner: String?
    public var cronJob: CronJob?
    /// False when pg_cron is installed but its jobs are hidden from the connected role.
    public var cronJobVisible: Bool

    /// nil when no view of that name is deployed.
    public static func load(view: String, on connection: LiveConnection, supportSchema: String) async throws -> ViewDetails? {
        let s = SQLPrinter.identifier(supportSchema)
        let name = SQLPrinter.literal(view)
        guard let row = try await connection.rows("""
            SELECT schema_name, definition, array_to_string(source_tables, E'\\n'), array_to_string(depends_on, E'\\n'),
                   (SELECT string_agg(d.view_name, E'\\n' ORDER BY d.view_name) FROM \(s).views d WHERE v.view_name = ANY (d.depends_on)),
                   to_regclass(format('%I.%I', schema_name, view_name))::oid::text
            FROM \(s).views v WHERE view_name = \(name)
            """).first else { return nil }
        let schema = row[0] ?? ""
        var details = ViewDetails(view: view, schema: schema, definition: row[1] ?? "", sourceTables: TextColumn.lines(row[2]),
                                  readsViews: TextColumn.lines(row[3]), readByViews: TextColumn.lines(row[4]), indexes: [], grants: [],
                                  owner: nil, cronJob: nil, cronJobVisible: true)
        if let oid = row[5] ?? nil {
            details.indexes = try await connection.rows("""
                SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                WHERE i.indrelid = \(oid) ORDER BY c.relname
                """).compactMap { $0[0] ?? nil }
            details.owner = try await connection.rows("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = \(oid)").first?[0] ?? nil
            details.grants = try await connection.rows("""
                SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || ': '
                       || string_agg(a.privilege_type, ', ' ORDER BY a.privilege_type)
                FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a
                WHERE c.oid = \(oid) AND a.grantee <> c.relowner
                GROUP BY a.grantee ORDER BY 1
                """).compactMap { $0[0] ?? nil }
        }
        // Row-level security hides other roles' jobs without an error, so a view with a schedule
        // and no job row is either unscheduled or hidden; only a superuser or a role that owns
        // jobs itself can tell.
        switch try await PgCronAccess.check(on: connection) {
        case .notInstalled:
            break
        case .hidden:
            details.cronJobVisible = false
        case .readable:
            if let job = try await connection.rows("""
                SELECT j.jobname, j.schedule, j.command, j.active::text,
                       (SELECT d.status || ' at ' || d.start_time::text FROM cron.job_run_details d WHERE d.jobid = j.jobid ORDER BY d.start_time DESC LIMIT 1)
                FROM cron.job j WHERE j.jobname = \(SQLPrinter.literal("\(supportSchema):\(view)"))
                """).first {
                details.cronJob = CronJob(name: job[0] ?? "", schedule: job[1] ?? "", command: job[2] ?? "",
                                          active: job[3] == "true", lastRun: job[4] ?? nil)
            } else {
                details.cronJobVisible = try await connection.rows("""
                    SELECT (EXISTS (SELECT 1 FROM cron.job WHERE username = current_user)
                            OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))::text
                    """).first?[0] == "true"
            }
        }
        return details
    }
}
