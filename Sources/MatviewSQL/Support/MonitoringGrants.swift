import MatviewLowering

/// The support schema's grants, made exactly what `postgres.monitoring_role` says: that role gets
/// USAGE on the schema and SELECT on each of its tables and views (the registry, the refresh log,
/// the pending changes, freshness), and no role but the owner holds anything else there. So a
/// role named by an earlier apply, or a right granted by hand, is revoked; nothing goes to the
/// user's views or to any function (freshness needs none: see FreshnessView).
///
/// Rights are read from the ACLs themselves (aclexplode over the schema, its relations and their
/// columns), not from has_*_privilege, which also counts memberships and superusers. Only what
/// differs is granted or revoked, so re-applying an unchanged project changes no ACL.
struct MonitoringGrants {
    let names: SupportNames

    var s: String { names.quotedSchema }

    func sql() -> String {
        let namespace = "\(SQLText.literal(names.quotedSchema))::regnamespace"
        var body: [String] = ["DECLARE", "    r record;", "    revocation text;"]
        let schemaWanted: String, relationWanted: String
        if let role = names.monitoringRole {
            body += ["    monitor oid;", "BEGIN"]
            body += roleChecks(role, namespace: namespace).map { "    " + $0 }
            schemaWanted = "a.grantee = monitor AND a.privilege_type = 'USAGE'"
            relationWanted = "a.grantee = monitor AND a.privilege_type = 'SELECT' AND k.relkind IN ('r', 'p', 'v', 'm', 'f')"
        } else {
            body.append("BEGIN")
            schemaWanted = "false"
            relationWanted = "false"
        }
        body.append("""
            -- Every right held by a role other than the owner (PUBLIC included), on the schema, its
            -- relations and their columns, but for the monitoring role's own.
            FOR r IN
                WITH held AS (
                    SELECT 'SCHEMA ' || quote_ident(n.nspname) AS object, a.grantee, a.privilege_type, a.is_grantable,
                           \(schemaWanted) AS wanted
                    FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) AS a
                    WHERE n.oid = \(namespace) AND a.grantee <> n.nspowner
                    UNION ALL
                    SELECT CASE k.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'TABLE ' END || k.oid::regclass::text, a.grantee, a.privilege_type,
                           a.is_grantable, \(relationWanted)
                    FROM pg_class k
                    CROSS JOIN LATERAL (SELECT k.relacl AS acl
                                        UNION ALL
                                        SELECT t.attacl FROM pg_attribute t WHERE t.attrelid = k.oid AND t.attacl IS NOT NULL) AS acls
                    CROSS JOIN LATERAL aclexplode(acls.acl) AS a
                    WHERE k.relnamespace = \(namespace) AND a.grantee <> k.relowner
                )
                SELECT object, grantee, privilege_type, bool_and(wanted) AS wanted, bool_or(is_grantable) AS grantable
                FROM held GROUP BY object, grantee, privilege_type ORDER BY object, grantee, privilege_type
            LOOP
                -- The monitoring role keeps its right, but may not pass it on.
                CONTINUE WHEN r.wanted AND NOT r.grantable;
                revocation := format('REVOKE %s%s ON %s FROM %s CASCADE', CASE WHEN r.wanted THEN 'GRANT OPTION FOR ' ELSE '' END,
                                 r.privilege_type, r.object,
                                 CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END);
                EXECUTE revocation;
                -- A right granted by hand, or to a role no longer named, goes: say so.
                RAISE NOTICE 'matview: %, since postgres.monitoring_role does not grant it', revocation;
            END LOOP;
        """)
        if let role = names.monitoringRole {
            body.append("""
                -- The monitoring role's rights, where it lacks them: reading, and nothing more.
                IF NOT EXISTS (SELECT 1 FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) AS a
                               WHERE n.oid = \(namespace) AND a.grantee = monitor AND a.privilege_type = 'USAGE') THEN
                    GRANT USAGE ON SCHEMA \(s) TO \(SQLText.name(role));
                END IF;
                FOR r IN SELECT k.oid::regclass AS rel FROM pg_class k
                         WHERE k.relnamespace = \(namespace) AND k.relkind IN ('r', 'p', 'v', 'm', 'f')
                           AND NOT EXISTS (SELECT 1 FROM aclexplode(k.relacl) AS a WHERE a.grantee = monitor AND a.privilege_type = 'SELECT')
                         ORDER BY k.relname LOOP
                    EXECUTE format('GRANT SELECT ON TABLE %s TO %I', r.rel, \(SQLText.literal(role)));
                END LOOP;
            """)
        }
        body.append("END")
        let what = names.monitoringRole == nil
            ? "-- Read access to the support schema: no role is named (postgres.monitoring_role), so none but the owner has any right here."
            : "-- Read access to the support schema for the monitoring role (postgres.monitoring_role): USAGE and SELECT, and nothing else for anyone."
        return what + "\n" + SQLText.doBlock(body.joined(separator: "\n")) + "\n"
    }

    /// The role must exist (apply never creates a role: its password and login are the
    /// operator's), and must not be the owner, who can do everything there anyway.
    private func roleChecks(_ role: String, namespace: String) -> [String] {
        let name = SQLText.name(role)
        let missing = "matview: the monitoring role \(name) (postgres.monitoring_role in matview.yaml) does not exist"
        let create = "create the role first, e.g. CREATE ROLE \(name) LOGIN PASSWORD '...', then apply again"
        let owner = "matview: the monitoring role \(name) owns the support schema \(names.quotedSchema), so it can do everything there"
        return [
            "SELECT oid INTO monitor FROM pg_roles WHERE rolname = \(SQLText.literal(role));",
            "IF monitor IS NULL THEN",
            "    RAISE EXCEPTION USING ERRCODE = 'undefined_object', MESSAGE = \(SQLText.literal(missing)),",
            "        HINT = \(SQLText.literal(create));",
            "END IF;",
            "IF monitor = (SELECT nspowner FROM pg_namespace WHERE oid = \(namespace)) THEN",
            "    RAISE EXCEPTION USING ERRCODE = 'invalid_grant_operation', MESSAGE = \(SQLText.literal(owner)),",
            "        HINT = 'name a role of its own in postgres.monitoring_role, one that does not apply the project';",
            "END IF;",
        ]
    }
}
