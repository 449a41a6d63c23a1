import MatviewSyntax

/// The names and lock keys of the support objects, in one place: the SQL back end prints them and
/// the live tools (status, worker) read them, so the two cannot drift apart.
public struct SupportNames: Sendable {
    /// The support schema, as configured (default `matview`).
    public let schema: String
    /// The role granted read access to the support schema (`postgres.monitoring_role`), if any.
    public let monitoringRole: String?

    public init(schema: String, monitoringRole: String? = nil) {
        self.schema = schema
        self.monitoringRole = monitoringRole
    }

    /// The schema as an SQL identifier.
    public var quotedSchema: String { SQLPrinter.identifier(schema) }

    /// An object of the support schema, qualified and quoted: `matview.drain_view`.
    public func qualified(_ object: String) -> String { "\(quotedSchema).\(SQLPrinter.identifier(object))" }

    /// The statement trigger that captures writes on every source table (and partition) of a
    /// queued view. Trigger names are per table, so the schema's name keeps two deployments
    /// with different support schemas apart.
    public var captureTrigger: String { Self.boundedName(schema, "capture_changes") }

    /// The event trigger that captures partitions created or attached after apply. Event
    /// trigger names are database-wide.
    public var partitionEventTrigger: String { Self.boundedName(schema, "capture_new_partitions") }

    /// pg_cron job names start with this.
    public var jobPrefix: String { "\(schema):" }

    /// The pg_cron job that starts the drainer each minute.
    public var drainJob: String { jobPrefix + "drain_queue" }

    /// Session-level advisory lock (one bigint key) held by the drainer that is running; apply
    /// and rollback wait for it, which asks the drainer to stop.
    public var drainerLockKey: Int64 { Int64(bitPattern: StableHash.uint64("matview drainer " + schema)) }

    /// First key of the per-view transaction-level advisory locks (the second is
    /// hashtext(view name)): one refresh of a view at a time.
    public var viewLockNamespace: Int32 { Int32(truncatingIfNeeded: StableHash.uint64("matview view " + schema)) }

    /// `<schema>_<suffix>`, or a hashed name when that would pass PostgreSQL's 63 bytes.
    static func boundedName(_ schema: String, _ suffix: String) -> String {
        let name = "\(schema)_\(suffix)"
        return name.utf8.count <= 63 ? name : SQLText.hashedName("matview_\(suffix)", schema)
    }
}
