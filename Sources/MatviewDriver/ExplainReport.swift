import MatviewLowering
import MatviewSema
import MatviewSyntax

/// `matview explain VIEW`: what the checker inferred about one view, for a reviewer: its grain,
/// its refresh plan and, for an incremental view, how a change to each source table reaches the
/// groups it recomputes, and the defining query restricted to those groups.
public struct ExplainReport {
    public let view: LoweredView

    public init(_ view: LoweredView) {
        self.view = view
    }

    public var text: String {
        let checked = view.view
        let policy = checked.refresh
        var lines = ["\(checked.schema).\(checked.name) (\(checked.spec.file))"]
        let grain = checked.keys.first.map { $0.isEmpty ? "one row" : "one row per (\($0.joined(separator: ", ")))" } ?? "no key matview can derive"
        lines.append("  grain: \(grain)")
        var refresh = "  refresh: strategy \(policy.strategy.rawValue), on_change \(policy.onChange.rawValue)"
        if let schedule = policy.schedule {
            refresh += policy.strategy == .incremental ? ", full rebuild on \"\(schedule)\"" : ", schedule \"\(schedule)\""
        }
        if policy.onChange == .queue { refresh += ", min_interval \(policy.minIntervalSeconds)s" }
        lines.append(refresh)
        lines.append("  sources: " + (checked.sourceTables.isEmpty ? "none" : checked.sourceTables.map(\.description).joined(separator: ", ")))
        guard let incremental = view.incremental else {
            lines.append("  a refresh recomputes the whole view (REFRESH MATERIALIZED VIEW\(policy.concurrently ? " CONCURRENTLY" : ""))")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("  kept as a table; a change recomputes only the groups its rows reach (old and new versions):")
        lines.append("  key paths (changed rows → tables joined by equality → the group's key):")
        for path in incremental.plan.keyPaths {
            lines.append("    \(path.summary)")
        }
        let when = policy.onChange == .immediate ? "inside the writing statement, after locking the groups"
            : policy.onChange == .queue ? "by the drainer, from the queued rows" : "only by matview.refresh() (no change capture)"
        lines.append("  recomputed: \(when)")
        lines.append("  the defining query restricted to the affected groups:")
        lines += incremental.restrictedQuery.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }
}
