/// The names and lock keys of one incremental view's maintenance objects. Functions and the key
/// type live in the support schema under a prefix derived from the view's qualified name (view
/// names may be long or contain anything; a hash keeps the result within 63 bytes), so apply
/// and rollback can find every one of them from the prefix alone.
public struct IncrementalNames: Sendable {
    public let schema: String
    public let view: String
    /// `inc_<hash>`: every maintenance function and the key type start with it.
    public let prefix: String
    /// The support schema, where the functions and the key type live.
    public let supportSchema: String

    public init(schema: String, view: String, supportSchema: String) {
        self.schema = schema
        self.view = view
        self.supportSchema = supportSchema
        prefix = SQLText.hashedName("inc", schema + "." + view)
    }

    /// A maintenance object, qualified with the support schema and quoted.
    public func qualified(_ object: String) -> String { SQLText.qualified(supportSchema, object) }

    /// The key type, schema-qualified.
    public var qualifiedKeyType: String { qualified(keyType) }

    /// The composite type of the grain: one field per grain column.
    public var keyType: String { prefix + "_key" }
    /// Recomputes the given groups: `(p_keys <key type>[]) RETURNS bigint` (rows changed).
    public var apply: String { prefix + "_apply" }
    /// The keys of every group whose stored row differs from the defining query's.
    public var driftedKeys: String { prefix + "_drifted_keys" }
    /// A full rebuild: the drifted groups recomputed, under their locks.
    public var rebuild: String { prefix + "_rebuild" }
    /// The table of the hidden sums and counts of the view's averages (LoweredAverages).
    public var averages: String { Self.averages(prefix: prefix) }
    public static func averages(prefix: String) -> String { prefix + "_averages" }
    /// The deploy's scratch table of the defining query's rows with the hidden sums and counts,
    /// which the view's table and the averages' are built from (dropped at once).
    public var builtWithAverages: String { prefix + "_built" }
    /// For `matview verify`: how the hidden sums and counts differ from the defining query's.
    public var averagesDifferences: String { Self.averagesDifferences(prefix: prefix) }
    /// The same, from a prefix recorded in the registry (`views.maintenance_prefix`).
    public static func averagesDifferences(prefix: String) -> String { prefix + "_averages_differences" }
    /// Applies the changes queued for the view (`on_change: queue`), or rebuilds.
    public var drain: String { prefix + "_drain" }
    /// The transaction-local setting that holds the start time of the client statement during
    /// which the view was last maintained (`matview.inc_<hash>`; the prefix is a plain name).
    public var maintainedSetting: String { "matview." + prefix }
    /// The trigger function of one source table and event.
    public func triggerFunction(source: Int, event: TriggerEvent) -> String { "\(prefix)_\(source)_\(event.rawValue)" }

    /// The trigger on a source table (per table, so only view and event). Triggers of one table
    /// fire in name order, so the view's name comes first: statements lock views in name order.
    public func trigger(_ event: TriggerEvent) -> String {
        let name = "matview_\(view)_\(event.rawValue)"
        return name.utf8.count <= 63 ? name : SQLText.hashedName("matview_\(event.rawValue)", schema + "." + view)
    }

    /// First key of the transaction-level advisory locks of the view's groups (the second is
    /// hashtext of the group's key); as a bigint alone, the lock a statement changing very many
    /// groups takes exclusively, and every other statement shared.
    public var lockNamespace: Int32 { Int32(truncatingIfNeeded: StableHash.uint64("matview groups " + schema + "." + view)) }
}

/// The events a source table's triggers follow.
public enum TriggerEvent: String, Sendable, CaseIterable {
    case insert, update, delete, truncate

    public var keyword: String { rawValue.uppercased() }

    /// The transition tables the event has: `REFERENCING NEW TABLE AS new_rows` etc.
    public var transitionTables: [String] {
        switch self {
        case .insert: ["new_rows"]
        case .update: ["old_rows", "new_rows"]
        case .delete: ["old_rows"]
        case .truncate: []
        }
    }
}
