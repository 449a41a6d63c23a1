/// What each rule finds and how to fix it, in words for readers who meet the rule name outside
/// matview's own output: code scanning (SARIF `shortDescription`, `fullDescription`, `help`) and
/// documentation. The switches are exhaustive, so a new rule does not build without its text.
extension Rule {
    /// A short phrase naming what the rule finds.
    public var summary: String {
        switch self {
        case .yamlSyntax: "Invalid YAML"
        case .duplicateKey: "Duplicate key or name"
        case .unknownKey: "Unknown key"
        case .missingKey: "Missing required key"
        case .invalidValue: "Invalid value"
        case .expressionSyntax: "Invalid SQL expression"
        case .ddlSyntax: "Invalid schema DDL"
        case .config: "Invalid project configuration"
        case .unknownTable: "Unknown table or source"
        case .unknownColumn: "Unknown column"
        case .unknownFunction: "Unknown function"
        case .unknownIndexColumn: "Index on a column the view does not have"
        case .ambiguousColumn: "Ambiguous column reference"
        case .duplicateColumn: "Output column defined twice"
        case .duplicateView: "Two views with the same name or file"
        case .duplicateAlias: "Two sources with the same alias"
        case .identifierTooLong: "Name longer than PostgreSQL allows"
        case .invalidName: "Name with control characters"
        case .dependencyCycle: "Views that read each other in a cycle"
        case .unknownRule: "Unknown or unignorable rule in ignore"
        case .typeMismatch: "Type mismatch"
        case .aggregateInWhere: "Aggregate where aggregates are not allowed"
        case .nestedAggregate: "Nested aggregate"
        case .ungroupedColumn: "Column neither grouped nor aggregated"
        case .fanout: "Aggregate multiplied by a join"
        case .uniqueIndexGrain: "Unique index the grain does not guarantee"
        case .concurrentlyWithoutUniqueIndex: "Concurrent refresh without a usable unique index"
        case .cronSchedule: "Invalid pg_cron schedule"
        case .timeDependent: "Time-dependent view without a schedule"
        case .notIncremental: "View that cannot be maintained incrementally"
        }
    }

    /// One or two sentences: what the rule reports, and what to do about it.
    public var help: String {
        switch self {
        case .yamlSyntax:
            "The spec file is not valid YAML (or not readable as UTF-8 text); fix the syntax at the reported position."
        case .duplicateKey:
            "A mapping repeats a key, or two indexes of a view share a name; keep one, or rename the other."
        case .unknownKey:
            "A key that this place in a spec or in matview.yaml does not have, often a misspelling; use one of the keys the hint lists."
        case .missingKey:
            "A key that a view spec must have (such as `view:`, `from:` or `select:`) is absent; add it."
        case .invalidValue:
            "A key has a value of the wrong shape or outside its allowed set, or one that does not apply to this kind of view; use one the message allows."
        case .expressionSyntax:
            "An SQL expression in the spec does not parse; fix it at the reported position."
        case .ddlSyntax:
            "A CREATE TABLE or ALTER TABLE statement in the schema files does not parse; fix it, or regenerate the file with `matview introspect`."
        case .config:
            "matview.yaml, or a file or folder it names, is missing, unreadable or has a value matview cannot use; fix the setting or the path."
        case .unknownTable:
            "A query names a table, view or alias that is not in the schema files, the other specs or this query; check the spelling and the schema files."
        case .unknownColumn:
            "A source has no column of this name; check the spelling against the schema files."
        case .unknownFunction:
            "A function that matview's catalog of PostgreSQL functions does not know; check the spelling, or compute the value in a nested query or source table."
        case .unknownIndexColumn:
            "An index names a column that is not among the view's output columns; index an output column."
        case .ambiguousColumn:
            "A column name without a qualifier is found in more than one source; qualify it with the source's alias."
        case .duplicateColumn:
            "Two output columns of a view have the same name; rename one of them."
        case .duplicateView:
            "Two specs define views with the same name, or names whose generated files would be the same file; rename one of them."
        case .duplicateAlias:
            "Two sources of one query use the same name; give one of them another alias."
        case .identifierTooLong:
            "A name is longer than PostgreSQL's 63 bytes and would be silently truncated; shorten it."
        case .invalidName:
            "A name contains a control character, such as a line break, which can end a comment or a line of output; remove it."
        case .dependencyCycle:
            "Views read each other in a cycle, so none of them can be created or refreshed first; break the cycle."
        case .unknownRule:
            "An `ignore:` entry is not a rule name, or names a rule that cannot be ignored because what it reports would fail in PostgreSQL; fix the spelling or remove the entry."
        case .typeMismatch:
            "An operator, function or join condition is applied to values of types it does not accept; cast one side or compare compatible columns."
        case .aggregateInWhere:
            "An aggregate function is used in a where, group by or join condition, where PostgreSQL does not allow one; move the condition to `having:` or aggregate in a nested query."
        case .nestedAggregate:
            "An aggregate function call contains another aggregate call; aggregate in a nested query first."
        case .ungroupedColumn:
            "A column is used outside an aggregate function but is not in `group_by:`; group by it or aggregate it."
        case .fanout:
            "A join matches many rows to each row of the aggregated source, so the aggregate counts those rows several times; aggregate in a nested query grouped by the join key before joining, or use count(distinct ...)."
        case .uniqueIndexGrain:
            "A unique index's columns are not a key of the view's rows (its grain), so a refresh can fail on duplicates; index the grain's columns or make the index non-unique."
        case .concurrentlyWithoutUniqueIndex:
            "REFRESH MATERIALIZED VIEW CONCURRENTLY needs a unique index on plain columns without a where clause; add one on the view's grain, or refresh without `concurrently`."
        case .cronSchedule:
            "A refresh schedule is not a valid pg_cron schedule; write five cron fields, `@hourly` and the like, or `N seconds`."
        case .timeDependent:
            "A view reads the clock (now(), current_date and the like), so its rows change as time passes even when no table does; give it a refresh schedule."
        case .notIncremental:
            "A view marked `strategy: incremental` has sources whose changed rows cannot be mapped to the groups they change, or that make incremental upkeep costly; change the query, or use `strategy: full`."
        }
    }
}
