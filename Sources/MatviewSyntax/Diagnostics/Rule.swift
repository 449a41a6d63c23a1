/// The stable names of every rule matview reports. They appear in brackets after each message,
/// in JSON output, and in a spec's `ignore:` list; never rename one.
public enum Rule: String, Sendable, CaseIterable, Codable {
    // Syntax
    case yamlSyntax = "yaml-syntax"
    case duplicateKey = "duplicate-key"
    case unknownKey = "unknown-key"
    case missingKey = "missing-key"
    case invalidValue = "invalid-value"
    case expressionSyntax = "expression-syntax"
    case ddlSyntax = "ddl-syntax"
    case config = "config"
    // Names
    case unknownTable = "unknown-table"
    case unknownColumn = "unknown-column"
    case unknownFunction = "unknown-function"
    case unknownIndexColumn = "unknown-index-column"
    case ambiguousColumn = "ambiguous-column"
    case duplicateColumn = "duplicate-column"
    case duplicateView = "duplicate-view"
    case duplicateAlias = "duplicate-alias"
    case identifierTooLong = "identifier-too-long"
    case invalidName = "invalid-name"
    case dependencyCycle = "dependency-cycle"
    case unknownRule = "unknown-rule"
    // Types and aggregation
    case typeMismatch = "type-mismatch"
    case aggregateInWhere = "aggregate-in-where"
    case nestedAggregate = "nested-aggregate"
    case ungroupedColumn = "ungrouped-column"
    // Grain and refresh
    case fanout = "fanout"
    case uniqueIndexGrain = "unique-index-grain"
    case concurrentlyWithoutUniqueIndex = "concurrently-needs-unique-index"
    case cronSchedule = "cron-schedule"
    case timeDependent = "time-dependent"
    case notIncremental = "not-incremental"

    /// Rules a spec's `ignore:` may silence. Errors that make the SQL invalid cannot be ignored.
    public var isIgnorable: Bool {
        switch self {
        case .fanout, .timeDependent, .uniqueIndexGrain: true
        default: false
        }
    }
}
