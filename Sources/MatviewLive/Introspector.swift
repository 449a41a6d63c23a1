import MatviewSQL
import MatviewSyntax

/// `introspect`: the live database's tables as catalog DDL that `check` reads unchanged:
/// CREATE TABLE with column types and NOT NULL, then primary keys, unique constraints and
/// foreign keys as ALTER TABLE ... ADD CONSTRAINT, then the other indexes, in a stable order.
/// matview's own schema, pg_cron's and the system's are left out; so are materialized views, and
/// the tables of incremental views (they are views in the specs, not tables the specs read).
public struct Introspector: Sendable {
    public let excludedSchemas: [String]
    public let supportSchema: String

    public init(supportSchema: String) {
        self.supportSchema = supportSchema
        excludedSchemas = ["pg_catalog", "information_schema", "pg_toast", "cron", supportSchema]
    }

    public func ddl(on connection: LiveConnection) async throws -> String {
        let excluded = excludedSchemas.map(SQLPrinter.literal).joined(separator: ", ")
        let registry = "\(SQLPrinter.identifier(supportSchema)).views"
        let deployed = try await connection.rows("SELECT (to_regclass(\(SQLPrinter.literal(registry))) IS NOT NULL)::text").first?.first == "true"
        let notAView = deployed ? "AND NOT EXISTS (SELECT 1 FROM \(registry) v WHERE v.schema_name = n.nspname AND v.view_name = c.relname)" : ""
        let tables = try await connection.rows("""
            SELECT c.oid::text, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN (\(excluded)) AND n.nspname NOT LIKE 'pg_temp%' \(notAView)
            ORDER BY n.nspname, c.relname
            """)
        // The URL (its description has no password) can hold any text: it goes through the one
        // function that keeps user text inside an SQL comment.
        var out = SQLComment.lines("The tables of \(connection.url), as written by `matview introspect`.") + "\n"
        var constraints: [String] = []
        var indexes: [String] = []
        for table in tables {
            let oid = table[0] ?? "0", name = table[1] ?? ""
            let columns = try await connection.rows("""
                SELECT quote_ident(attname) || ' ' || format_type(atttypid, atttypmod) || CASE WHEN attnotnull THEN ' NOT NULL' ELSE '' END
                FROM pg_attribute WHERE attrelid = \(oid) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
                """).compactMap { $0.first ?? nil }
            out += "\nCREATE TABLE \(name) (\n" + columns.map { "    \($0)" }.joined(separator: ",\n") + "\n);\n"
            for constraint in try await connection.rows("""
                SELECT quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint
                WHERE conrelid = \(oid) AND contype IN ('p', 'u', 'f')
                ORDER BY CASE contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 ELSE 2 END, conname
                """) {
                constraints.append("ALTER TABLE ONLY \(name) ADD CONSTRAINT \(constraint[0] ?? "") \(constraint[1] ?? "");")
            }
            for index in try await connection.rows("""
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                WHERE i.indrelid = \(oid) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                ORDER BY i.indexrelid::regclass::text
                """) {
                indexes.append((index[0] ?? "") + ";")
            }
        }
        if !constraints.isEmpty { out += "\n" + constraints.joined(separator: "\n") + "\n" }
        if !indexes.isEmpty { out += "\n" + indexes.joined(separator: "\n") + "\n" }
        return out
    }
}
