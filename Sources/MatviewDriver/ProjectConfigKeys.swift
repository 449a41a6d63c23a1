import MatviewQuoting
import MatviewSyntax

/// Every mapping of `matview.yaml`: the keys `ProjectConfig.read` accepts in each, in the order
/// its "known keys" hints list them, and the JSON Schema of `matview schema --config` (see
/// KeyTable).
public enum ProjectConfigKeys {
    /// `swift.access`: the access level of the generated Swift.
    public static let swiftAccessLevels = ["public", "internal"]

    public static let root = KeyTable(name: "matview_config", description: "matview.yaml: where a matview project's specs, schema and outputs live, and generator options. Every key is optional.", keys: [
        .init("specs", .text, "The folder of view specs (*.yaml), relative to the project root (default specs)."),
        .init("schema", .oneOrList(.text, minimumCount: 0),
              "The CREATE TABLE files the views read: .sql files or folders, one or a list (default every *.sql under the specs folder)."),
        .init("output", .table(output.name), "Where `matview generate` writes."),
        .init("postgres", .table(postgres.name), "The PostgreSQL side."),
        .init("swift", .table(swift.name), "The generated Swift."),
    ])

    public static let output = KeyTable(name: "output", description: "Where `matview generate` writes.", keys: [
        .init("sql", .text, "The folder of the generated SQL (default generated/sql)."),
        .init("swift", .text, "The folder of the generated Swift (default generated/swift)."),
    ])

    public static let postgres = KeyTable(name: "postgres", description: "The PostgreSQL side.", keys: [
        .init("version", .wholeNumber(minimum: 15), "The PostgreSQL major version the SQL is written for (at least 15; default 15)."),
        // What ProjectConfig.read accepts: a plain name (SQLQuoting.isPlain) without `$`.
        .init("support_schema", .limitedText(TextLimits(pattern: "^[a-z_][a-z0-9_]*$", maximumLength: 63, excluded: SQLQuoting.reservedWords.sorted())),
              "The schema of matview's support objects (refresh log, queue, freshness view): a plain lower-case name of letters, digits and _, at most 63 bytes, not a reserved word (default matview)."),
        // What monitoringRoleProblem accepts: no control characters (ControlCharacters.isControl).
        .init("monitoring_role", .limitedText(TextLimits(pattern: "^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$", minimumLength: 1, maximumLength: 63,
                                                         excluded: ["public", "none"])),
              "A role granted USAGE on the support schema and SELECT on its tables and views, for `matview serve` and other monitoring: 1 to 63 bytes, no control characters, not public or none (default: no role)."),
    ])

    public static let swift = KeyTable(name: "swift", description: "The generated Swift.", keys: [
        .init("access", .choice(swiftAccessLevels, caseSensitive: true), "The access level of the generated types (default public)."),
        .init("module_imports", .oneOrList(.text, minimumCount: 0), "Modules the generated files import besides MatviewRuntime: one or a list."),
    ])

    /// Every table reachable from the root, root first.
    public static let all = [root, output, postgres, swift]
}
