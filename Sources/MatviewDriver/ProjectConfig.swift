import MatviewQuoting
import MatviewSyntax
import Yams

/// `matview.yaml`: where a project's specs, schema and outputs live, and generator options.
/// Every key is optional; see SPEC.md for the defaults.
public struct ProjectConfig: Sendable {
    public var specs = "specs"
    /// Schema files or folders; nil means every *.sql under `specs`.
    public var schema: [String]?
    public var sqlOutput = "generated/sql"
    public var swiftOutput = "generated/swift"
    public var postgresVersion = 15
    public var supportSchema = "matview"
    /// A role that up.sql grants exactly USAGE on the support schema and SELECT on its tables
    /// and views (for `matview serve` and other monitoring); nil: no role has any right there.
    public var monitoringRole: String?
    public var swiftAccess = "public"
    public var swiftModuleImports: [String] = []

    public init() {}

    /// Reads a config file; problems become diagnostics and leave the defaults in place.
    public static func read(path: String, text: String) -> (ProjectConfig, [Diagnostic]) {
        var config = ProjectConfig()
        var document = YAMLDocument(path: path, text: text)
        guard let root = document.root else { return (config, document.diagnostics.all) }
        guard let pairs = document.mapping(root, "matview.yaml") else { return (config, document.diagnostics.all) }
        document.rejectUnknownKeys(pairs, allowed: ProjectConfigKeys.root.names, in: "matview.yaml")
        for (key, value) in pairs {
            switch key.value {
            case "specs":
                if let s = document.string(value, "specs") { config.specs = s.value }
            case "schema":
                config.schema = document.strings(value, "schema").map(\.value)
            case "output":
                guard let output = document.mapping(value, "output") else { continue }
                document.rejectUnknownKeys(output, allowed: ProjectConfigKeys.output.names, in: "output")
                for (k, v) in output {
                    if k.value == "sql", let s = document.string(v, "output.sql") { config.sqlOutput = s.value }
                    if k.value == "swift", let s = document.string(v, "output.swift") { config.swiftOutput = s.value }
                }
            case "postgres":
                guard let postgres = document.mapping(value, "postgres") else { continue }
                document.rejectUnknownKeys(postgres, allowed: ProjectConfigKeys.postgres.names, in: "postgres")
                for (k, v) in postgres {
                    if k.value == "version", let n = document.integer(v, "postgres.version", minimum: 15) { config.postgresVersion = n.value }
                    if k.value == "support_schema", let s = document.string(v, "postgres.support_schema") {
                        // No `$` either, though PostgreSQL allows it in names: the schema's name
                        // is written into dollar-quoted function bodies.
                        if SQLQuoting.isPlain(s.value) && !s.value.contains("$") && s.value.utf8.count <= 63 {
                            config.supportSchema = s.value
                        } else {
                            document.diagnostics.append(.error(.config, at: s.location, "support_schema must be a plain lower-case name (letters, digits and _) of at most 63 bytes, found '\(s.value)'"))
                        }
                    }
                    if k.value == "monitoring_role", let s = document.string(v, "postgres.monitoring_role") {
                        if let problem = Self.monitoringRoleProblem(s.value) {
                            document.diagnostics.append(.error(.config, at: s.location, problem))
                        } else {
                            config.monitoringRole = s.value
                        }
                    }
                }
            case "swift":
                guard let swift = document.mapping(value, "swift") else { continue }
                document.rejectUnknownKeys(swift, allowed: ProjectConfigKeys.swift.names, in: "swift")
                for (k, v) in swift {
                    if k.value == "access", let s = document.string(v, "swift.access") {
                        if ProjectConfigKeys.swiftAccessLevels.contains(s.value) { config.swiftAccess = s.value } else {
                            let levels = ProjectConfigKeys.swiftAccessLevels.joined(separator: " or ")
                            document.diagnostics.append(.error(.config, at: s.location, "swift.access must be \(levels), found '\(s.value)'"))
                        }
                    }
                    if k.value == "module_imports" { config.swiftModuleImports = document.strings(v, "swift.module_imports").map(\.value) }
                }
            default: break
            }
        }
        return (config, document.diagnostics.all)
    }

    /// Why `name` cannot be the monitoring role, or nil. Any name PostgreSQL allows for a role is
    /// fine, since it is always written quoted (as an identifier or a literal), except `public`,
    /// which GRANT reads as every role, quoted or not, and `none`, which PostgreSQL reserves. No
    /// control characters: the name also goes into diagnostics and error messages.
    static func monitoringRoleProblem(_ name: String) -> String? {
        let shown = ControlCharacters.escaped(name)
        if name.isEmpty || name.utf8.count > 63 || ControlCharacters.first(in: name) != nil {
            return "monitoring_role must be a role name of 1 to 63 bytes without control characters, found '\(shown)'"
        }
        if name == "public" || name == "none" {
            let reason = name == "public" ? "GRANT reads it as every role (PUBLIC)" : "PostgreSQL reserves it"
            return "monitoring_role cannot be '\(name)': \(reason); name a role of its own"
        }
        return nil
    }
}
